import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp } from "../helpers/app";
import type { TestApp } from "../helpers/app";
import { readDataset } from "../helpers/dataset";
import { bundleFromDocuments, importBundle } from "../../src/import";
import { createApiKey, Role } from "../../src/modules/auth";
import type { Bundle } from "../../src/import";

const dataset = readDataset();
// Both bundles write the same operations, in opposite orders: interleaved, each would hold row
// locks the other waits for. They change different fields (targets; aliases), so either order of
// the two gives the same records.
const operations = dataset.operations.filter((o) => !o.targets.includes("NZ")).slice(0, 60);

const targetsDocument = {
  batch: "targets",
  companies: [{ key: "concurrency-lab", name: "Concurrency Lab", kind: "AI_PROVIDER", hqCountry: "GB", website: "https://example.org" }],
  operations: operations.map((o) => ({ key: o.key, targets: ["NZ"], aiTools: ["concurrency-lab"] })),
};

const aliasesDocument = {
  batch: "aliases",
  reports: [
    {
      key: "concurrency-2026-12",
      title: "Concurrency report",
      publisher: dataset.companies[0].key,
      publishedOn: "2026-12-01",
      url: "https://example.org/concurrency",
      summary: "A report used by the concurrency test.",
      sources: ["https://example.org/concurrency"],
    },
  ],
  operations: [...operations].reverse().map((o) => ({ key: o.key, aliases: [`${o.name} (concurrent)`], reportKeys: ["concurrency-2026-12"] })),
};

const bundle = (value: { batch: string }): Bundle => bundleFromDocuments(value.batch, [{ file: `${value.batch}.json`, value }]);
const targetsBundle = () => bundle(targetsDocument);
const aliasesBundle = () => bundle(aliasesDocument);

/** The records as stored (bundle shape, by key): what a reader of the dataset sees. */
async function records(t: TestApp) {
  const out: Record<string, unknown[]> = {};
  // Every column but the generated id and the write time; a report's publisher by key.
  for (const table of ["company", "report", "operation", "statement"]) {
    out[table] = await t.sql(`SELECT to_jsonb(t) - 'id' - 'updated_at' - 'publisher_id' - 'organization_id' AS row FROM ${table} t ORDER BY key`);
  }
  out.publishers = await t.sql(`SELECT r.key, c.key AS publisher FROM report r JOIN company c ON c.id = r.publisher_id ORDER BY 1`);
  out.edges = await t.sql(
    `SELECT o.key, x.kind, x.value, x.position FROM operation o JOIN (
       SELECT operation_id, 'target' AS kind, country_code::text AS value, position FROM operation_target
       UNION ALL SELECT operation_id, lower(role), (SELECT key FROM company c WHERE c.id = company_id), position FROM operation_company
       UNION ALL SELECT operation_id, 'report', (SELECT key FROM report r WHERE r.id = report_id), 0 FROM operation_report) x ON x.operation_id = o.id
     ORDER BY 1, 2, 3`,
  );
  out.facts = await t.sql(`SELECT o.key, to_jsonb(f) - 'id' AS facts FROM operation_facts f JOIN operation o ON o.id = f.id ORDER BY 1`);
  out.counts = await t.sql(`SELECT facet, value, operations FROM operation_count WHERE operations <> 0 ORDER BY 1, 2`);
  return out;
}

let concurrent: TestApp;
let sequential: TestApp;
let throughApi: TestApp;
let editor: string;
beforeAll(async () => {
  // The API's service gets a pool of two connections: imports waiting their turn must leave one to readers.
  [concurrent, sequential, throughApi] = await Promise.all([startTestApp(), startTestApp(), startTestApp({ env: { DB_POOL_SIZE: "2" } })]);
  editor = (await createApiKey(throughApi.app.dataSource, "concurrency editor", Role.EDITOR)).key;
  for (const value of [targetsDocument, aliasesDocument]) expect((await importBundle(sequential.app.dataSource, bundle(value))).ok).toBe(true);
});
afterAll(async () => {
  await Promise.all([concurrent?.close(), sequential?.close(), throughApi?.close()]);
});

/** Imports a bundle document through the API's bundleImport with the editor key; returns the GraphQL response. */
async function bundleImport(value: object) {
  const response = await fetch(throughApi.url, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${editor}` },
    body: JSON.stringify({
      query: `mutation ($bundle: JSONObject!) { bundleImport(input: { bundle: $bundle }) { summary { entity created updated unchanged } userErrors { message } } }`,
      variables: { bundle: value },
    }),
  });
  return response.json();
}

describe("two imports started at once", () => {
  it("both succeed, taking turns, and leave what importing them one after the other leaves", async () => {
    expect(operations).toHaveLength(60);
    const [a, b] = await Promise.all([importBundle(concurrent.app.dataSource, targetsBundle()), importBundle(concurrent.app.dataSource, aliasesBundle())]);
    expect(a.problems).toEqual([]);
    expect(b.problems).toEqual([]);
    expect(a.summary.operations).toEqual({ created: 0, updated: 60, unchanged: 0 });
    expect(b.summary.operations).toEqual({ created: 0, updated: 60, unchanged: 0 });
    expect(await concurrent.sql(`SELECT source FROM dataset_import WHERE source IN ('targets', 'aliases')`)).toHaveLength(2);

    const [changed] = await concurrent.sql(`SELECT aliases FROM operation WHERE key = $1`, [operations[0].key]);
    expect(changed.aliases).toEqual([...operations[0].aliases, `${operations[0].name} (concurrent)`]);
    expect(await records(concurrent)).toEqual(await records(sequential));
  });

  it("through the API, four at once on a pool of two: all succeed and a read beside them is answered", async () => {
    const count = (entity: string, result: { data: { bundleImport: { summary: { entity: string; updated: number; unchanged: number }[] } } }) =>
      result.data.bundleImport.summary.find((s) => s.entity === entity);
    const [targets, aliases, targetsAgain, aliasesAgain, read] = await Promise.all([
      bundleImport(targetsDocument),
      bundleImport(aliasesDocument),
      bundleImport(targetsDocument),
      bundleImport(aliasesDocument),
      throughApi.gql(`{ operations(first: 1) { totalCount } }`),
    ]);
    for (const result of [targets, aliases, targetsAgain, aliasesAgain]) {
      expect(result.errors).toBeUndefined();
      expect(result.data.bundleImport.userErrors).toEqual([]);
    }
    expect(read.body.errors).toBeUndefined();
    expect(read.body.data.operations.totalCount).toBe(dataset.operations.length);
    // Of each pair, whichever came first changed the 60 operations and the other found nothing to change.
    for (const pair of [
      [targets, targetsAgain],
      [aliases, aliasesAgain],
    ]) {
      expect(pair.map((result) => count("operations", result)!.updated).sort()).toEqual([0, 60]);
    }
    expect(await records(throughApi)).toEqual(await records(sequential));
  });
});
