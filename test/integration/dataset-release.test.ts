import fs from "node:fs";
import path from "node:path";
import { createHash } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATA_DIR, ROOT, startTestApp } from "../helpers/app";
import type { TestApp } from "../helpers/app";
import { readDataset } from "../helpers/dataset";
import { createApiKey, Role } from "../../src/modules/auth";

const manifest = JSON.parse(fs.readFileSync(path.join(DATA_DIR, "manifest.json"), "utf8"));
const DATASET = `{ dataset { version releasedOn citation licence contentHash } }`;

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
}, 120_000);
afterAll(async () => {
  await t?.close();
});

describe("the release in data/", () => {
  it("lists every bundle file with its SHA-256, and nothing else", () => {
    const files = fs
      .readdirSync(DATA_DIR)
      .filter((name) => name.endsWith(".json") && name !== "manifest.json")
      .sort();
    const checksums = Object.fromEntries(
      files.map((name) => [
        name,
        createHash("sha256")
          .update(fs.readFileSync(path.join(DATA_DIR, name)))
          .digest("hex"),
      ]),
    );
    expect(manifest.files, "run npm run data:release -- <version> after changing data/").toEqual(checksums);
    expect(manifest.version).toMatch(/^\d{4}\.(0?[1-9]|1[0-2])\.\d+$/);
  });

  it("keeps every key of every release (keys never change once released)", () => {
    const dataset = readDataset();
    const releases = fs.readdirSync(path.join(DATA_DIR, "releases")).filter((name) => name.endsWith(".keys.json"));
    expect(releases).toContain(`${manifest.version}.keys.json`);
    for (const name of releases) {
      const released = JSON.parse(fs.readFileSync(path.join(DATA_DIR, "releases", name), "utf8"));
      for (const kind of ["companies", "reports", "operations", "statements"] as const) {
        const present = new Set(dataset[kind].map((record) => record.key));
        expect(released[kind].length, `${name} ${kind}`).toBeGreaterThan(0);
        expect(
          released[kind].filter((key: string) => !present.has(key)),
          `${name}: ${kind} keys gone from data/`,
        ).toEqual([]);
      }
    }
  });

  it("is cited the same way in CITATION.cff, the manifest and the API", async () => {
    const cff = fs.readFileSync(path.join(ROOT, "CITATION.cff"), "utf8");
    expect(cff).toContain(`version: "${manifest.version}"`);
    expect(cff).toContain(`date-released: "${manifest.releasedOn}"`);
    expect(fs.readFileSync(path.join(ROOT, "LICENSE"), "utf8")).toMatch(/^MIT License/);
    expect(fs.readFileSync(path.join(DATA_DIR, "LICENSE"), "utf8")).toMatch(/Creative Commons Attribution 4\.0[\s\S]*remain the words of their\s+speakers/);
    const { dataset } = await t.data(DATASET);
    expect(dataset.citation).toBe(manifest.citation);
    expect(dataset.citation).toContain(manifest.version);
    expect(dataset.licence).toBe("CC-BY-4.0");
    expect(dataset.releasedOn).toBe(manifest.releasedOn);
  });
});

describe("dataset { version } and extensions.dataset", () => {
  it("name the release on a fresh start, with the release's content hash", async () => {
    const response = await t.gql(DATASET);
    expect(response.body.data.dataset.version).toBe(manifest.version);
    expect(response.body.data.dataset.contentHash).toBe(manifest.contentHash);
    expect((response.body as any).extensions.dataset).toEqual({ version: manifest.version, contentHash: manifest.contentHash });
    expect(response.headers.get("x-dataset-version")).toBe(manifest.version);
  });

  it("ride on every response, errors included, without adding to the SQL statement count", async () => {
    const invalid = await t.gql(`{ operations(filter: { category: [NOT_A_CATEGORY] }) { totalCount } }`);
    expect(invalid.body.errors?.[0].extensions?.code).toBeDefined();
    expect((invalid.body as any).extensions.dataset.version).toBe(manifest.version);
    expect(invalid.statements).toBe(0);
  });

  it("say +modified after a curation write, in the field and the extension alike", async () => {
    const editor = (await createApiKey(t.app.dataSource, "release test editor", Role.EDITOR)).key;
    const key = readDataset().operations[0].key;
    const [{ summary: original }] = await t.sql("SELECT summary FROM operation WHERE key = $1", [key]);
    const setSummary = async (summary: string) => {
      const response = await fetch(t.url, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${editor}` },
        body: JSON.stringify({
          query: `mutation ($input: OperationInput!) { operationUpsert(input: $input) { result userErrors { message } } }`,
          variables: { input: { key, summary } },
        }),
      });
      return (await response.json()) as any;
    };
    const upsert = await setSummary("A summary changed by a curation test.");
    expect(upsert.data.operationUpsert).toEqual({ result: "UPDATED", userErrors: [] });
    // The mutation's own response already describes the database after its write.
    expect(upsert.extensions.dataset.version).toBe(`${manifest.version}+modified`);

    const after = await t.gql(DATASET);
    expect(after.body.data.dataset.version).toBe(`${manifest.version}+modified`);
    expect(after.body.data.dataset.contentHash).not.toBe(manifest.contentHash);
    expect((after.body as any).extensions.dataset).toEqual({ version: `${manifest.version}+modified`, contentHash: after.body.data.dataset.contentHash });

    const stix = await fetch(`${new URL(t.url).origin}/export/stix?originCountry=CN`);
    expect(stix.headers.get("x-dataset-version")).toBe(`${manifest.version}+modified`);

    // Writing the released text back makes the content the release's again.
    const reverted = await setSummary(original);
    expect(reverted.data.operationUpsert.result).toBe("UPDATED");
    // A mutation's answer also names the revision its write made (docs/replicas.md).
    const [{ revision }] = await t.sql(
      "SELECT (SELECT count(*) || ':' || coalesce(max(id), 0) FROM dataset_import) || '/' || (SELECT count(*) || ':' || coalesce(max(id), 0) FROM audit_entry) AS revision",
    );
    expect(reverted.extensions.dataset).toEqual({ version: manifest.version, contentHash: manifest.contentHash, revision });
  });

  it("never hold an answer long for a slow hash: the extension is left out, then comes back", async () => {
    // A new revision (an audit entry) makes the service read the maintained hash again; a lock on
    // its row stalls that read.
    const keyId = (await createApiKey(t.app.dataSource, "slow hash test", Role.EDITOR)).record.id;
    const locker = new pg.Client({ connectionString: t.databaseUrl });
    await locker.connect();
    try {
      await locker.query("BEGIN");
      await locker.query("LOCK TABLE dataset_digest IN ACCESS EXCLUSIVE MODE");
      await t.sql(
        "INSERT INTO audit_entry (api_key_id, api_key_name, operation, record_kind, record_key, before, after) VALUES ($1, 'test', 'test', 'operations', 'none', NULL, NULL)",
        [keyId],
      );
      // The service learns of the write when its notification arrives (milliseconds after the commit).
      const started = Date.now();
      let first = await t.gql(`{ __typename }`);
      while ((first.body as any).extensions?.dataset && Date.now() - started < 8000) first = await t.gql(`{ __typename }`);
      const firstMs = Date.now() - started;
      expect(first.body.data).toEqual({ __typename: "Query" });
      expect((first.body as any).extensions?.dataset).toBeUndefined();
      expect(firstMs).toBeLessThan(8000); // the shared wait is 3 s
      const again = Date.now();
      const second = await t.gql(`{ __typename }`);
      expect((second.body as any).extensions?.dataset).toBeUndefined();
      expect(Date.now() - again).toBeLessThan(firstMs); // what was left of the wait, not another 3 s
    } finally {
      await locker.query("ROLLBACK");
      await locker.end();
    }
    // The stalled read completes; the content is the release's (the summary was written back).
    let dataset: any;
    const deadline = Date.now() + 30_000;
    while (!dataset && Date.now() < deadline) dataset = ((await t.gql(`{ __typename }`)).body as any).extensions?.dataset;
    expect(dataset).toEqual({ version: manifest.version, contentHash: manifest.contentHash });
  }, 60_000);
});
