import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp } from "../helpers/app";
import type { TestApp } from "../helpers/app";
import { readDataset } from "../helpers/dataset";
import { dumpTables } from "../helpers/db";
import { formatProblem, importBundle, readBundle } from "../../src/import";
import { createApiKey, Role } from "../../src/modules/auth";

const dataset = readDataset();
let t: TestApp;
let scratch: string;
let editor: string;

beforeAll(async () => {
  t = await startTestApp();
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), "mg-curator-"));
  editor = (await createApiKey(t.app.dataSource, "curator test", Role.EDITOR)).key;
});
afterAll(async () => {
  await t?.close();
  if (scratch) fs.rmSync(scratch, { recursive: true, force: true });
});

function writeBundle(name: string, document: object): { file: string; text: string } {
  const file = path.join(scratch, name);
  const text = JSON.stringify(document, null, 2);
  fs.writeFileSync(file, text);
  return { file, text };
}

/** Every table except the sequences (a rolled-back insert still moves a sequence). */
async function tables() {
  const { sequences: _sequences, ...rest } = await dumpTables(t);
  return rest;
}

const template = dataset.operations.find((o) => o.origin?.length && o.sources?.length)!;
const baseOperation = { ...template, disclosures: undefined, reportKeys: ["acme-2026-09"], aliases: undefined };

describe("one pass over a bundle with six mistakes", () => {
  it("names all six, in file order, with the value and the closest valid value, and writes nothing", async () => {
    const { file, text } = writeBundle("six.json", {
      batch: "six",
      reports: [{ ...dataset.reports[0], key: "acme-2026-09", publisher: "opneai", publishedOn: "2026-09-01" }],
      operations: [
        // Three mistakes in one record: it must not be dropped from the later checks.
        { ...baseOperation, key: "six-one", categories: ["CYBER_OPERATIONS"], origin: [{ country: "XX", confidence: "LIKELY" }], breakoutScale: 9 },
        { ...baseOperation, key: "six-two", sources: undefined },
        { ...baseOperation, key: "six-one", name: "the same key again" },
      ],
    });
    const before = await tables();
    const result = await importBundle(t.app.dataSource, await readBundle(file));
    expect(result.ok).toBe(false);
    const messages = result.problems.map(formatProblem);
    // Where each mistake sits in the text, found by hand: the order the problems must come in.
    const second = text.indexOf('"six-one"', text.indexOf('"six-one"') + 1);
    const expected: [number, string][] = [
      [text.indexOf('"opneai"'), `${file}: reports[0].publisher: unknown company "opneai" (neither in this bundle nor in the database): did you mean openai?`],
      [text.indexOf('"CYBER_OPERATIONS"'), `${file}: operations[0].categories[0]: must be one of `],
      [text.indexOf('"XX"'), `${file}: operations[0].origin[0].country: unknown country code "XX"`],
      [text.indexOf('"breakoutScale": 9'), `${file}: operations[0].breakoutScale: must be <= 6 (found 9)`],
      [text.indexOf('"six-two"'), `${file}: operations[1]: new record "six-two" is missing "sources"`],
      [second, `${file}: operations[2].key: duplicate operation key "six-one" (also at ${file}: operations[0])`],
    ];
    expect(expected.every(([offset]) => offset > 0)).toBe(true);
    const inFileOrder = [...expected].sort((a, b) => a[0] - b[0]).map(([, prefix]) => prefix);
    expect(messages, messages.join("\n")).toHaveLength(6);
    messages.forEach((message, i) => expect(message.startsWith(inFileOrder[i]), `${message}\nshould start with\n${inFileOrder[i]}`).toBe(true));
    const category = messages.find((m) => m.includes("categories[0]"))!;
    expect(category).toMatch(/\(found "CYBER_OPERATIONS"\): did you mean CYBER_OPERATION\?$/);
    expect(await tables()).toEqual(before);

    // The same bundle through the API: the same six, reports before operations, with the hints.
    const api = await fetch(t.url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${editor}` },
      body: JSON.stringify({
        query: `mutation ($input: BundleImportInput!) { bundleImport(input: $input) { preview { records { key } } userErrors { path message } } }`,
        variables: { input: { bundle: JSON.parse(text) } },
      }),
    }).then((r) => r.json() as Promise<any>);
    const userErrors: { path: string[]; message: string }[] = api.data.bundleImport.userErrors;
    expect(api.data.bundleImport.preview).toBeNull();
    expect(userErrors.map((e) => e.path.slice(2).join("."))).toEqual([
      "reports.0.publisher",
      "operations.0.breakoutScale",
      "operations.0.categories.0",
      "operations.0.origin.0.country",
      "operations.1",
      "operations.2.key",
    ]);
    expect(userErrors[2].message).toMatch(/did you mean CYBER_OPERATION\?$/);
    expect(await tables()).toEqual(before);
  });

  it("suggests a field name for a misspelt field and still checks the rest of the record", async () => {
    const { file } = writeBundle("typo.json", {
      batch: "typo",
      companies: [{ key: "typo-co", name: "Typo Co", kind: "OTHER", hqCountry: "NC", webiste: "https://example.org" }],
    });
    const result = await importBundle(t.app.dataSource, await readBundle(file));
    const messages = result.problems.map(formatProblem);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toBe(`${file}: companies[0]: unknown field "webiste": did you mean website?`);
    const second = await importBundle(
      t.app.dataSource,
      await readBundle(writeBundle("typo2.json", { batch: "t", companies: [{ key: "typo-co", name: "T", kind: "OTHER", hqCountry: "XC" }] }).file),
    );
    expect(second.problems.map((p) => p.path)).toEqual(["companies[0].hqCountry"]);
  });
});

describe("a preview of a re-disclosure", () => {
  const operation = dataset.operations.find((o) => o.reportKeys.length === 1)!;
  const bundle = {
    batch: "redisclosure",
    reports: [
      {
        key: "openai-2026-11",
        title: "A later report",
        publisher: "openai",
        publishedOn: "2026-11-20",
        url: "https://openai.com/global-affairs/a-later-report/",
        summary: "A report that discloses a known operation again.",
        sources: [{ url: "https://openai.com/global-affairs/a-later-report/", kind: "PUBLISHER" }],
      },
    ],
    operations: [
      {
        key: operation.key,
        summary: "A new summary of the operation.",
        reportKeys: ["openai-2026-11"],
        disclosures: [{ report: "openai-2026-11", nameInReport: "Later name" }],
      },
    ],
  };

  it("dry run: shows the field's old and new value and the new DISCLOSED_IN edge, and changes nothing; the import then does exactly that", async () => {
    const [stored] = await t.sql(`SELECT id, summary FROM operation WHERE key = $1`, [operation.key]);
    const edgesBefore = await t.sql(`SELECT r.key FROM operation_report x JOIN report r ON r.id = x.report_id WHERE x.operation_id = $1 ORDER BY 1`, [
      stored.id,
    ]);
    const before = await tables();
    const { file } = writeBundle("redisclosure.json", bundle);
    const dry = await importBundle(t.app.dataSource, await readBundle(file), { dryRun: true });
    expect(dry.ok, dry.problems.map(formatProblem).join("\n")).toBe(true);
    expect(await tables()).toEqual(before);

    const report = dry.preview.records.find((r) => r.kind === "reports")!;
    expect(report).toMatchObject({ key: "openai-2026-11", result: "CREATED" });
    const op = dry.preview.records.find((r) => r.kind === "operations")!;
    expect(op.result).toBe("UPDATED");
    expect(op.fields).toEqual([{ field: "summary", before: stored.summary, after: "A new summary of the operation." }]);
    expect(op.lists.find((l) => l.field === "reportKeys")).toEqual({ field: "reportKeys", added: ["openai-2026-11"], removed: [] });
    expect(dry.preview.redisclosures).toEqual([
      { operation: operation.key, report: "openai-2026-11", disclosure: { report: "openai-2026-11", nameInReport: "Later name" } },
    ]);

    // The same bundle through the API: the typed preview says the same.
    const api = await fetch(t.url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${editor}` },
      body: JSON.stringify({
        query: `mutation ($input: BundleImportInput!) { bundleImport(input: $input) { dryRun userErrors { message }
          preview { records { entity key path result fields { field before after } lists { field added removed } } redisclosures { operationKey reportKey disclosure } } } }`,
        variables: { input: { bundle, dryRun: true } },
      }),
    }).then((r) => r.json() as Promise<any>);
    const payload = api.data.bundleImport;
    expect(payload.userErrors).toEqual([]);
    expect(payload.preview.redisclosures).toEqual([
      { operationKey: operation.key, reportKey: "openai-2026-11", disclosure: { report: "openai-2026-11", nameInReport: "Later name" } },
    ]);
    const apiOp = payload.preview.records.find((r: any) => r.entity === "operations");
    expect(apiOp).toMatchObject({
      key: operation.key,
      path: "operations[0]",
      result: "UPDATED",
      fields: [{ field: "summary", before: stored.summary, after: "A new summary of the operation." }],
    });
    expect(await tables()).toEqual(before);

    // The real import changes exactly what the preview said.
    const real = await importBundle(t.app.dataSource, await readBundle(file));
    expect(real.ok).toBe(true);
    expect(real.preview).toEqual(dry.preview);
    const [after] = await t.sql(`SELECT summary FROM operation WHERE key = $1`, [operation.key]);
    expect(after.summary).toBe("A new summary of the operation.");
    const edgesAfter = await t.sql(
      `SELECT r.key, x.name_in_report FROM operation_report x JOIN report r ON r.id = x.report_id WHERE x.operation_id = $1 ORDER BY 1`,
      [stored.id],
    );
    expect(edgesAfter.map((e) => e.key).sort()).toEqual([...edgesBefore.map((e) => e.key), "openai-2026-11"].sort());
    expect(edgesAfter.find((e) => e.key === "openai-2026-11")!.name_in_report).toBe("Later name");
    // Nothing else in the operation tables moved: other operations and their edges are as they were.
    const others = async () => ({
      operations: await t.sql(`SELECT to_jsonb(o)::text AS row FROM operation o WHERE key <> $1 ORDER BY 1`, [operation.key]),
      edges: await t.sql(`SELECT to_jsonb(x)::text AS row FROM operation_report x WHERE operation_id <> $1 ORDER BY 1`, [stored.id]),
    });
    const { operation: opBefore, operation_report: edgeRowsBefore } = before as Record<string, { row: string }[]>;
    const othersAfter = await others();
    expect(othersAfter.operations).toEqual(opBefore.filter((r) => JSON.parse(r.row).key !== operation.key));
    expect(othersAfter.edges).toEqual(edgeRowsBefore.filter((r) => JSON.parse(r.row).operation_id !== stored.id));
  });
});

describe("GET /schema/bundle.json", () => {
  it("serves the importer's schema as application/schema+json to any origin", async () => {
    const response = await fetch(new URL("/schema/bundle.json", t.url), { headers: { origin: "https://editor.example" } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^application\/schema\+json/);
    expect(response.headers.get("access-control-allow-origin")).toBe("*");
    const onDisk = JSON.parse(fs.readFileSync(path.join(__dirname, "../../src/import/bundle.schema.json"), "utf8"));
    expect(await response.json()).toEqual(onDisk);
    const post = await fetch(new URL("/schema/bundle.json", t.url), { method: "POST" });
    expect(post.status).toBe(405);
  });

  it("a bundle that names the schema with $schema imports", async () => {
    const { file } = writeBundle("with-schema.json", {
      $schema: "./../src/import/bundle.schema.json",
      batch: "s",
      companies: [{ key: "schema-co", name: "Schema Co", kind: "OTHER" }],
    });
    const result = await importBundle(t.app.dataSource, await readBundle(file), { dryRun: true });
    expect(result.problems).toEqual([]);
    expect(result.summary.companies.created).toBe(1);
  });
});
