import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATA_DIR, startTestApp } from "../helpers/app";
import type { TestApp } from "../helpers/app";
import { readDataset } from "../helpers/dataset";
import { dumpTables } from "../helpers/db";
import { formatProblem, importBundle, readBundle } from "../../src/import";
import type { ImportOptions } from "../../src/import";

const dataset = readDataset();
let t: TestApp;
let scratch: string;

// The shipped dataset is loaded at start: the bundles below build on stored records.
beforeAll(async () => {
  t = await startTestApp();
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), "mg-bundles-"));
});
afterAll(async () => {
  await t?.close();
  fs.rmSync(scratch, { recursive: true, force: true });
});

/** Writes a bundle folder (file name -> document or raw text) and returns its path. */
function bundleDir(name: string, files: Record<string, object | string>): string {
  const dir = path.join(scratch, name);
  fs.mkdirSync(dir, { recursive: true });
  for (const [file, content] of Object.entries(files)) {
    fs.writeFileSync(path.join(dir, file), typeof content === "string" ? content : JSON.stringify(content, null, 2));
  }
  return dir;
}

async function importPath(source: string, options: ImportOptions = {}, into: TestApp = t) {
  return importBundle(into.app.dataSource, await readBundle(source), options);
}

const DATASET = `{ dataset { counts { reports operations disclosures statements companies countries } contentHash loadedAt } }`;

describe("loading the shipped dataset", () => {
  // Into an empty database of its own.
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ loadDataset: false });
  });
  afterAll(async () => {
    await t?.close();
  });

  it("gives exactly the counts in the files, and a second import changes nothing", async () => {
    const empty = await t.data(DATASET);
    expect(empty.dataset.loadedAt).toBeNull();

    const first = await importPath(DATA_DIR, {}, t);
    expect(first.ok).toBe(true);
    expect(first.summary).toEqual({
      companies: { created: dataset.companies.length, updated: 0, unchanged: 0 },
      reports: { created: dataset.reports.length, updated: 0, unchanged: 0 },
      operations: { created: dataset.operations.length, updated: 0, unchanged: 0 },
      statements: { created: dataset.statements.length, updated: 0, unchanged: 0 },
    });
    const loaded = (await t.data(DATASET)).dataset;
    expect(loaded.counts).toMatchObject({
      reports: dataset.reports.length,
      operations: dataset.operations.length,
      disclosures: dataset.operations.reduce((sum, o) => sum + o.reportKeys.length, 0),
      statements: dataset.statements.length,
      companies: dataset.companies.length,
    });
    expect(loaded.contentHash).toMatch(/^[0-9a-f]{64}$/);
    expect(loaded.loadedAt).not.toBeNull();

    const before = await dumpTables(t);
    const second = await importPath(DATA_DIR, {}, t);
    expect(second.summary).toEqual({
      companies: { created: 0, updated: 0, unchanged: dataset.companies.length },
      reports: { created: 0, updated: 0, unchanged: dataset.reports.length },
      operations: { created: 0, updated: 0, unchanged: dataset.operations.length },
      statements: { created: 0, updated: 0, unchanged: dataset.statements.length },
    });
    // Only the import log (a row, and its id sequence) may differ.
    const after = await dumpTables(t);
    expect({ ...after, dataset_import: [], sequences: [] }).toEqual({ ...before, dataset_import: [], sequences: [] });
    expect(after.dataset_import).toHaveLength(before.dataset_import.length + 1);
    const again = (await t.data(DATASET)).dataset;
    expect(again.contentHash).toBe(loaded.contentHash);
    expect(again.loadedAt).toBe(loaded.loadedAt);
  });
});

describe("a broken bundle", () => {
  const report = dataset.reports[0];
  // An operation whose values are typed on it (no per-disclosure entries), so it can move to another report as it is.
  const operation = dataset.operations.find((o) => !o.disclosures?.length)!;
  const statement = dataset.statements[0];

  it("names every problem with its file and path, and leaves every table as it was", async () => {
    const dir = bundleDir("broken", {
      "a.json": {
        batch: "broken",
        reports: [{ ...report, key: "acme-2026-01", publisher: "no-such-publisher" }],
        operations: [
          { ...operation, key: "op-one", origin: [{ country: "XX", confidence: "LIKELY" }] },
          { ...operation, key: "op-two", categories: ["MIND_CONTROL"] },
          { ...operation, key: "op-one", name: "a second op-one" },
          { ...operation, key: "op-three", sources: [] },
          { ...operation, key: "op-four", breakoutScale: 9, firstSeen: "2025-02-30" },
        ],
        statements: [{ ...statement, key: "st-one", operationKeys: ["op-nowhere"] }],
      },
      "b.json": '{ "batch": "b", "reports": [ { "key": "x" }, ] }',
    });
    const before = await dumpTables(t);
    const result = await importPath(dir);
    expect(result.ok).toBe(false);
    const messages = result.problems.map(formatProblem);
    const a = path.join(dir, "a.json");
    const b = path.join(dir, "b.json");
    const expected = [
      `${b}: invalid JSON at line 1, column 46: value expected`,
      `${a}: operations[1].categories[0]: must be one of INFLUENCE_OPERATION`,
      `${a}: operations[3].sources: must list at least one item`,
      `${a}: operations[4].breakoutScale: must be <= 6`,
      `${a}: reports[0].publisher: unknown company "no-such-publisher" (neither in this bundle nor in the database)`,
      `${a}: operations[0].origin[0].country: unknown country code "XX"`,
      `${a}: operations[2].key: duplicate operation key "op-one" (also at ${a}: operations[0])`,
      `${a}: statements[0].operationKeys[0]: unknown operation "op-nowhere"`,
    ];
    for (const prefix of expected) {
      expect(
        messages.some((m) => m.startsWith(prefix)),
        `expected a problem starting with: ${prefix}\n got:\n${messages.join("\n")}`,
      ).toBe(true);
    }
    expect(await dumpTables(t)).toEqual(before);
  });

  it.each([
    ["a dangling reference", { reports: [{ ...report, key: "acme-2026-02", publisher: "ghost" }] }, /reports\[0\]\.publisher: unknown company "ghost"/],
    [
      "an unknown ISO code",
      { operations: [{ ...operation, key: "op-iso", targets: ["US", "UK"] }] },
      /operations\[0\]\.targets\[1\]: unknown country code "UK"/,
    ],
    [
      "a lowercase ISO code",
      { companies: [{ key: "acme", name: "Acme", kind: "OTHER", hqCountry: "us" }] },
      /companies\[0\]\.hqCountry: must be an ISO 3166-1 alpha-2 country code/,
    ],
    [
      "an unknown enum value",
      { statements: [{ ...statement, key: "st-enum", stance: "SHRUG" }] },
      /statements\[0\]\.stance: must be one of COMMENTARY, DENIAL/,
    ],
    [
      "a duplicate key",
      {
        companies: [
          { key: "acme", name: "A", kind: "OTHER" },
          { key: "acme", name: "B", kind: "OTHER" },
        ],
      },
      /companies\[1\]\.key: duplicate company key "acme"/,
    ],
    [
      "a record without a source",
      { reports: [{ ...report, key: "acme-2026-03", sources: undefined }] },
      /reports\[0\]: new record "acme-2026-03" is missing "sources"/,
    ],
    [
      "a statement without a source URL",
      { statements: [{ ...statement, key: "st-nosource", sourceUrl: undefined }] },
      /statements\[0\]: new record "st-nosource" is missing "sourceUrl"/,
    ],
    [
      "an impossible date",
      { reports: [{ ...report, key: "acme-2026-04", publishedOn: "2026-02-30" }] },
      /reports\[0\]\.publishedOn: "2026-02-30" is not a calendar date/,
    ],
    [
      "a date far in the future",
      { reports: [{ ...report, key: "acme-2026-04", publishedOn: "9999-12-31" }] },
      /reports\[0\]\.publishedOn: 9999-12-31 is outside 1990-01-01 to \d{4}-\d{2}-\d{2}/,
    ],
    [
      "a date before 1990",
      { reports: [{ ...report, key: "acme-2026-04", publishedOn: "1899-12-31" }] },
      /reports\[0\]\.publishedOn: 1899-12-31 is outside 1990-01-01/,
    ],
    [
      "dates out of order",
      { operations: [{ ...operation, key: "op-dates", firstSeen: "2025-05-01", lastSeen: "2025-01-01" }] },
      /operations\[0\]\.lastSeen: lastSeen \(2025-01-01\) is before firstSeen/,
    ],
    ["a Breakout Scale of 0", { operations: [{ ...operation, key: "op-scale", breakoutScale: 0 }] }, /operations\[0\]\.breakoutScale: must be >= 1/],
    ["an unknown field", { companies: [{ key: "acme", name: "Acme", kind: "OTHER", ceo: "x" }] }, /companies\[0\]: unknown field "ceo"/],
  ])("explains %s", async (_name, content, message) => {
    const dir = bundleDir(`single-${_name.replace(/\W+/g, "-")}`, { "bundle.json": { batch: "x", ...content } });
    const before = await dumpTables(t);
    const result = await importPath(dir);
    expect(result.ok).toBe(false);
    expect(result.problems.map(formatProblem).join("\n")).toMatch(message);
    expect(await dumpTables(t)).toEqual(before);
  });

  it("explains malformed JSON with its line and column", async () => {
    const dir = bundleDir("malformed", { "bad.json": '{\n  "batch": "x",\n  "companies": [ { "key": "a" ]\n}' });
    const result = await importPath(dir);
    expect(result.problems.map(formatProblem)).toEqual([expect.stringMatching(/bad\.json: invalid JSON at line 3, column 31: comma expected$/)]);
  });

  it("rolls everything back when the database refuses a record half-way", async () => {
    await t.sql(`ALTER TABLE operation ADD CONSTRAINT test_refuse_boom CHECK (name <> 'Boom')`);
    try {
      const dir = bundleDir("halfway", {
        "bundle.json": {
          batch: "halfway",
          companies: [{ key: "halfway-co", name: "Halfway", kind: "OTHER" }],
          reports: [{ ...report, key: "halfway-2026-01", publisher: "halfway-co" }],
          operations: [
            { ...operation, key: "halfway-fine", reportKeys: ["halfway-2026-01"] },
            { ...operation, key: "halfway-boom", name: "Boom", reportKeys: ["halfway-2026-01"] },
          ],
        },
      });
      const before = await dumpTables(t);
      const result = await importPath(dir);
      expect(result.ok).toBe(false);
      expect(result.problems.map(formatProblem)).toEqual([expect.stringMatching(/operations\[1\]: the database refused it: .*test_refuse_boom/)]);
      const { sequences: _a, ...tablesBefore } = before;
      const { sequences: _b, ...tablesAfter } = await dumpTables(t);
      expect(tablesAfter).toEqual(tablesBefore);
    } finally {
      await t.sql(`ALTER TABLE operation DROP CONSTRAINT test_refuse_boom`);
    }
  });
});

describe("follow-up bundles", () => {
  // Each test changes an operation of its own, so none depends on what another wrote.
  const [known, patched] = dataset.operations.filter((o) => o.reportKeys.length === 1 && o.targets.length > 0);
  const OP = `query ($key: String!) { operation(key: $key) { name summary breakoutScale reports(first: 100) { nodes { key } } targets { code } aliases } }`;
  const keys = (nodes: { key?: string; code?: string }[]) => nodes.map((n) => n.key ?? n.code);

  it("re-disclosing a known operation adds the new report and keeps the old ones", async () => {
    const dir = bundleDir("follow-up", {
      "bundle.json": {
        batch: "follow-up",
        companies: [{ key: "example-lab", name: "Example Lab", kind: "AI_PROVIDER", hqCountry: "GB", website: "https://example.org" }],
        reports: [
          {
            key: "example-lab-2026-11",
            title: "Example follow-up report",
            publisher: "example-lab",
            publishedOn: "2026-11-01",
            url: "https://example.org/report",
            summary: "A follow-up report used by the tests.",
            figures: [],
            sources: ["https://example.org/report"],
          },
        ],
        operations: [{ key: known.key, reportKeys: ["example-lab-2026-11"], targets: ["NZ"] }],
      },
    });
    const dry = await importPath(dir, { dryRun: true });
    expect(dry).toMatchObject({ ok: true, dryRun: true });
    expect(dry.summary.operations).toEqual({ created: 0, updated: 1, unchanged: 0 });
    expect((await t.data(OP, { key: known.key })).operation.reports.nodes).toHaveLength(1);

    const result = await importPath(dir);
    expect(result.summary).toEqual({
      companies: { created: 1, updated: 0, unchanged: 0 },
      reports: { created: 1, updated: 0, unchanged: 0 },
      operations: { created: 0, updated: 1, unchanged: 0 },
      statements: { created: 0, updated: 0, unchanged: 0 },
    });
    const { operation } = await t.data(OP, { key: known.key });
    expect(keys(operation.reports.nodes).sort()).toEqual([...known.reportKeys, "example-lab-2026-11"].sort());
    expect(keys(operation.targets)).toEqual([...known.targets, "NZ"]);
    expect(operation.name).toBe(known.name);
    expect(operation.summary).toBe(known.summary);
    expect((await importPath(dir)).summary.operations).toEqual({ created: 0, updated: 0, unchanged: 1 });
  });

  it("updates only the fields a record carries, and --replace replaces lists", async () => {
    const another = dataset.reports.find((r) => !patched.reportKeys.includes(r.key))!;
    const patch = bundleDir("patch", {
      "bundle.json": {
        batch: "patch",
        operations: [{ key: patched.key, breakoutScale: 5, aliases: ["Test Alias"], reportKeys: [another.key], targets: ["NZ"] }],
      },
    });
    expect((await importPath(patch)).summary.operations).toEqual({ created: 0, updated: 1, unchanged: 0 });
    let { operation } = await t.data(OP, { key: patched.key });
    expect(operation).toMatchObject({ breakoutScale: 5, name: patched.name, summary: patched.summary, aliases: [...patched.aliases, "Test Alias"] });
    expect(keys(operation.reports.nodes).sort()).toEqual([...patched.reportKeys, another.key].sort());
    expect(keys(operation.targets)).toEqual([...patched.targets, "NZ"]);

    const replace = bundleDir("replace", {
      "bundle.json": { batch: "replace", operations: [{ key: patched.key, reportKeys: patched.reportKeys, targets: patched.targets }] },
    });
    await importPath(replace, { replace: true });
    ({ operation } = await t.data(OP, { key: patched.key }));
    expect(keys(operation.reports.nodes)).toEqual(patched.reportKeys);
    expect(keys(operation.targets)).toEqual(patched.targets);
  });

  it("accepts a bundle that refers to stored records by key only", async () => {
    const [stored] = dataset.statements.filter((s) => s.organization && s.reportKeys.length > 0 && s.operationKeys.length > 0);
    const dir = bundleDir("by-key", {
      "bundle.json": {
        batch: "by-key",
        statements: [
          {
            key: "test-statement-by-key",
            speaker: "A. Speaker",
            speakerRole: null,
            organization: stored.organization,
            country: null,
            saidOn: "2026-11-02",
            quote: "Test quote.",
            stance: "COMMENTARY",
            reportKeys: stored.reportKeys,
            operationKeys: stored.operationKeys,
            sourceUrl: "https://example.org/quote",
          },
        ],
      },
    });
    const result = await importPath(dir);
    expect(result).toMatchObject({ ok: true, summary: { statements: { created: 1, updated: 0, unchanged: 0 } } });
  });
});
