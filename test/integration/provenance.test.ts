import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp } from "../helpers/app";
import type { TestApp } from "../helpers/app";
import { readDataset } from "../helpers/dataset";
import { dumpTables } from "../helpers/db";
import { importBundle, readBundle } from "../../src/import";
import { createApiKey, Role } from "../../src/modules/auth";

const dataset = readDataset();
let t: TestApp;
let scratch: string;

beforeAll(async () => {
  t = await startTestApp();
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), "mg-provenance-"));
});
afterAll(async () => {
  await t?.close();
  fs.rmSync(scratch, { recursive: true, force: true });
});

function writeBundle(name: string, document: object): string {
  const file = path.join(scratch, `${name}.json`);
  fs.writeFileSync(file, JSON.stringify(document, null, 2));
  return file;
}

const importFile = async (file: string) => importBundle(t.app.dataSource, await readBundle(file));

/** A source as the files state it, in the shape GraphQL serves. */
const served = (source: { url: string; kind: string; title?: string; archivedUrl?: string }) => ({
  url: source.url,
  kind: source.kind,
  title: source.title ?? null,
  archivedUrl: source.archivedUrl ?? null,
});

const SOURCES = `{ url kind title archivedUrl }`;

describe("typed sources", () => {
  it("the shipped files state every source typed, the publisher's page first", () => {
    for (const record of [...dataset.reports, ...dataset.operations]) {
      expect(record.sources.every((s: unknown) => typeof s === "object")).toBe(true);
      expect({ key: record.key, first: record.sources[0].kind }).toEqual({ key: record.key, first: "PUBLISHER" });
    }
  });

  it("are served on reports, operations and companies as the files state them", async () => {
    for (const r of dataset.reports) {
      const { report } = await t.data(`query ($key: String!) { report(key: $key) { sources ${SOURCES} } }`, { key: r.key });
      expect(report.sources).toEqual(r.sources.map(served));
    }
    for (const o of dataset.operations) {
      const { operation } = await t.data(`query ($key: String!) { operation(key: $key) { sources ${SOURCES} } }`, { key: o.key });
      expect(operation.sources).toEqual(o.sources.map(served));
    }
    const { company } = await t.data(`{ company(key: "openai") { sources ${SOURCES} } }`);
    expect(company.sources).toEqual((dataset.companies.find((c) => c.key === "openai")!.sources ?? []).map(served));
  });

  it("statements keep sourceUrl and serve the kind the files give", async () => {
    for (const s of dataset.statements) {
      const { statement } = await t.data(`query ($key: String!) { statement(key: $key) { sourceUrl sourceKind } }`, { key: s.key });
      expect(statement).toEqual({ sourceUrl: s.sourceUrl, sourceKind: s.sourceKind });
    }
  });
});

describe("the dataset content hash", () => {
  it("covers source kinds: re-typing one source changes it, typing it back restores it", async () => {
    const hash = async () => (await t.data(`{ dataset { contentHash } }`)).dataset.contentHash;
    // A press source: re-typing the report's own URL would not stick (it is the publisher's page by definition).
    const r = dataset.reports.find((x) => x.sources.some((s: { kind: string }) => s.kind === "PRESS"))!;
    const first = r.sources.find((s: { kind: string }) => s.kind === "PRESS");
    const original = await hash();
    const retyped = await importFile(writeBundle("retype", { batch: "retype", reports: [{ key: r.key, sources: [{ ...first, kind: "OTHER" }] }] }));
    expect(retyped.summary.reports).toEqual({ created: 0, updated: 1, unchanged: 0 });
    expect(await hash()).not.toBe(original);
    await importFile(writeBundle("restore", { batch: "restore", reports: [{ key: r.key, sources: [first] }] }));
    expect(await hash()).toBe(original);
  });
});

describe("per-disclosure facts", () => {
  const reportDate = new Map(dataset.reports.map((r) => [r.key, r.publishedOn as string]));
  const stopNews = dataset.operations.find((o) => o.key === "stop-news")!;

  it("Stop News keeps what each report stated: 3 in October 2024, 2 in October 2025", async () => {
    const stated = new Map(stopNews.disclosures.map((d: { report: string; breakoutScale: number }) => [d.report, d.breakoutScale]));
    expect(stated.get("openai-2024-10")).toBe(3);
    expect(stated.get("openai-2025-10")).toBe(2);
    const { operation } = await t.data(`{ operation(key: "stop-news") { breakoutScale disclosures { report { key publishedOn } breakoutScale } } }`);
    expect(operation.disclosures.map((d: { report: { key: string }; breakoutScale: number }) => [d.report.key, d.breakoutScale])).toEqual([
      ["openai-2024-10", stated.get("openai-2024-10")],
      ["openai-2025-10", stated.get("openai-2025-10")],
    ]);
    // The operation's own rating is its latest disclosure's.
    expect(operation.breakoutScale).toBe(stated.get("openai-2025-10"));
  });

  it("serves each disclosure as the files record it, with the report's words and where they stand", async () => {
    const recorded = dataset.operations.filter((o) => o.disclosures?.length);
    expect(recorded.some((o) => o.disclosures.some((d: { quote?: string }) => d.quote))).toBe(true);
    for (const o of recorded) {
      const { operation } = await t.data(
        `query ($key: String!) { operation(key: $key) { disclosures { report { key } nameInReport breakoutScale accountsBanned originConfidence quote locator } } }`,
        { key: o.key },
      );
      const byReport = new Map(o.disclosures.map((d: any) => [d.report, d]));
      expect({ key: o.key, disclosures: operation.disclosures }).toEqual({
        key: o.key,
        disclosures: operation.disclosures.map((d: { report: { key: string } }) => {
          const file: any = byReport.get(d.report.key) ?? {};
          return {
            report: { key: d.report.key },
            nameInReport: file.nameInReport ?? null,
            breakoutScale: file.breakoutScale ?? null,
            accountsBanned: file.accountsBanned ?? null,
            originConfidence: file.originConfidence ?? null,
            quote: file.quote ?? null,
            locator: file.locator ?? null,
          };
        }),
      });
    }
  });

  it("an operation with several reports takes its own values from the latest report stating each", async () => {
    // Expected from the raw files by the format's rule, written here: latest by report date, then key.
    const raw = dataset.operations.filter((o) => o.reportKeys.length > 1);
    expect(raw.length).toBeGreaterThan(0);
    for (const o of raw) {
      expect({ key: o.key, has: Array.isArray(o.disclosures) }).toEqual({ key: o.key, has: true });
      const ordered = [...o.disclosures].sort(
        (a: any, b: any) => reportDate.get(a.report)!.localeCompare(reportDate.get(b.report)!) || (a.report < b.report ? -1 : 1),
      );
      const latest = (field: string) => ordered.filter((d: any) => d[field] !== undefined && d[field] !== null).pop()?.[field] ?? null;
      const { operation } = await t.data(`query ($key: String!) { operation(key: $key) { breakoutScale accountsBanned origins { confidence } } }`, {
        key: o.key,
      });
      expect({ key: o.key, ...operation }).toEqual({
        key: o.key,
        breakoutScale: latest("breakoutScale"),
        accountsBanned: latest("accountsBanned"),
        origins: (o.origin ?? []).map(() => ({ confidence: latest("originConfidence") })),
      });
    }
  });

  it("refuses a bundle that types a value its disclosures give, and writes nothing", async () => {
    const before = await dumpTables(t);
    const result = await importFile(
      writeBundle("typed-twice", {
        operations: [
          {
            key: "stop-news",
            disclosures: [{ report: "openai-2025-10", breakoutScale: 2, quote: "Category 2", locator: "Impact" }],
            breakoutScale: 3,
            origin: [{ country: "RU", confidence: "LIKELY" }],
          },
        ],
      }),
    );
    expect(result.ok).toBe(false);
    expect(result.problems.map((p) => p.path)).toEqual(["operations[0].breakoutScale"]);
    const stale = await importFile(
      writeBundle("old-format-disagrees", { operations: [{ key: "stop-news", reportKeys: ["openai-2024-10"], breakoutScale: 5 }] }),
    );
    expect(stale.ok).toBe(false);
    expect(stale.problems.map((p) => `${p.path}: ${p.message}`)).toEqual([
      `operations[0].breakoutScale: breakoutScale 5 disagrees with ${stopNews.breakoutScale}, the latest value "stop-news"'s disclosures state`,
    ]);
    expect(await dumpTables(t)).toEqual(before);
  });

  it("every operation lists one disclosure per report, oldest first, in one statement per page", async () => {
    const QUERY = `query ($first: Int) { operations(first: $first) { nodes { key disclosures { report { key } } } } }`;
    const all = await t.gql(QUERY, { first: 100 });
    expect(all.body.errors).toBeUndefined();
    for (const node of all.body.data.operations.nodes) {
      const o = dataset.operations.find((x) => x.key === node.key)!;
      const expected = [...o.reportKeys].sort((a: string, b: string) => reportDate.get(a)!.localeCompare(reportDate.get(b)!) || (a < b ? -1 : 1));
      expect({ key: o.key, reports: node.disclosures.map((d: { report: { key: string } }) => d.report.key) }).toEqual({ key: o.key, reports: expected });
    }
    const few = await t.gql(QUERY, { first: 3 });
    expect(few.statements).toBe(all.statements);
  });

  it("lists and statistics select by what a given report stated", async () => {
    // Expected from the files: operations with a disclosure in that report stating at least that
    // rating. An old-format operation disclosed by one report states its own values in that report.
    const disclosuresOf = (o: any): { report: string; breakoutScale?: number | null }[] =>
      o.disclosures ?? (o.reportKeys.length === 1 ? [{ report: o.reportKeys[0], breakoutScale: o.breakoutScale }] : []);
    const stating = (report: string, min: number) =>
      dataset.operations
        .filter((o) => disclosuresOf(o).some((d) => d.report === report && (d.breakoutScale ?? 0) >= min))
        .map((o) => o.key)
        .sort();
    const QUERY = `query ($d: DisclosureFilter) { operations(first: 100, filter: { disclosure: $d }) { totalCount nodes { key } } operationStats(filter: { disclosure: $d }) { totals { operations } } }`;
    for (const [report, min] of [
      ["openai-2024-10", 3],
      ["openai-2025-10", 3],
      ["openai-2025-10", 2],
    ] as const) {
      const data = await t.data(QUERY, { d: { report: [report], breakoutScaleMin: min } });
      const want = stating(report, min);
      expect(data.operations.nodes.map((n: { key: string }) => n.key).sort(), `${report} >= ${min}`).toEqual(want);
      expect(data.operationStats.totals.operations).toBe(want.length);
    }
    expect(stating("openai-2024-10", 3)).toContain("stop-news");
    expect(stating("openai-2025-10", 3)).not.toContain("stop-news");
    const bad = await t.gql(`{ operations(filter: { disclosure: { report: ["no-such-report"], breakoutScaleMin: 9 } }) { totalCount } }`);
    expect(bad.body.errors![0].extensions!.code).toBe("BAD_USER_INPUT");
    expect(bad.body.errors![0].message).toMatch(/filter\.disclosure\.breakoutScaleMin/);
  });

  it("statistics still count each operation once", async () => {
    const { operationStats } = await t.data(`{ operationStats { totals { operations disclosures } } }`);
    expect(operationStats.totals).toMatchObject({
      operations: dataset.operations.length,
      disclosures: dataset.operations.reduce((sum, o) => sum + o.reportKeys.length, 0),
    });
  });
});

describe("old-format bundles", () => {
  // On a database of their own: the records these tests add would change the counts the other
  // tests of this file read.
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => {
    await t?.close();
  });
  const importFile = async (file: string) => importBundle(t.app.dataSource, await readBundle(file));

  /** The shipped data as an old bundle would state it: plain URL lists, no disclosures, no source kinds. */
  const oldFormat = () => ({
    batch: "old-format",
    companies: dataset.companies.map((c) => ({ ...c, ...(c.sources ? { sources: c.sources.map((s: { url: string }) => s.url) } : {}) })),
    reports: dataset.reports.map((r) => ({ ...r, sources: r.sources.map((s: { url: string }) => s.url) })),
    operations: dataset.operations.map(({ disclosures: _d, ...o }) => ({ ...o, sources: o.sources.map((s: { url: string }) => s.url) })),
    statements: dataset.statements.map(({ sourceKind: _k, ...s }) => s),
  });

  it("re-importing the dataset in the old format changes nothing", async () => {
    const hash = async () => (await t.data(`{ dataset { contentHash } }`)).dataset.contentHash;
    const before = await dumpTables(t);
    const hashBefore = await hash();
    const result = await importFile(writeBundle("old-format", oldFormat()));
    expect(result.ok).toBe(true);
    for (const kind of ["companies", "reports", "operations", "statements"] as const) {
      expect(result.summary[kind]).toEqual({ created: 0, updated: 0, unchanged: dataset[kind].length });
    }
    const after = await dumpTables(t);
    expect({ ...after, dataset_import: [], sequences: [] }).toEqual({ ...before, dataset_import: [], sequences: [] });
    expect(await hash()).toBe(hashBefore);
  });

  it("imports a new old-format record: classified by host, disclosure values from the operation, a warning for mirror-only support", async () => {
    const before = await dumpTables(t);
    const result = await importFile(
      writeBundle("old-new", {
        batch: "old-new",
        companies: [{ key: "example-lab", name: "Example Lab", kind: "AI_PROVIDER", hqCountry: null, website: "https://example.org" }],
        reports: [
          {
            key: "example-lab-2026-11",
            title: "Example report",
            publisher: "example-lab",
            publishedOn: "2026-11-01",
            url: "https://example.org/report",
            summary: "A report used by the tests.",
            sources: ["https://github.com/someone/mirror/blob/main/example-report.md"],
          },
        ],
        operations: [
          {
            key: "example-operation",
            name: "Example Operation",
            reportKeys: ["example-lab-2026-11"],
            categories: ["SCAM"],
            actorType: "CRIMINAL",
            origin: [{ country: "RU", confidence: "LIKELY" }],
            breakoutScale: 4,
            accountsBanned: 12,
            summary: "An operation used by the tests.",
            sources: ["https://www.axios.com/2026/11/01/example"],
          },
        ],
      }),
    );
    expect(result.ok).toBe(true);
    expect(result.warnings.map((w) => `${w.path}: ${w.message}`)).toEqual([
      `reports[0]: report "example-lab-2026-11" is supported only by MIRROR sources: cite the publisher's page, press or a government page`,
    ]);

    const { report, operation } = await t.data(`{
      report(key: "example-lab-2026-11") { sources { url kind } }
      operation(key: "example-operation") { breakoutScale accountsBanned sources { url kind }
        disclosures { report { key } breakoutScale accountsBanned originConfidence nameInReport } }
    }`);
    // The report's own URL is the publisher's page; GitHub is a mirror; Axios is press.
    expect(report.sources).toEqual([
      { url: "https://example.org/report", kind: "PUBLISHER" },
      { url: "https://github.com/someone/mirror/blob/main/example-report.md", kind: "MIRROR" },
    ]);
    expect(operation.sources).toEqual([
      { url: "https://example.org/report", kind: "PUBLISHER" },
      { url: "https://www.axios.com/2026/11/01/example", kind: "PRESS" },
    ]);
    expect(operation.disclosures).toEqual([
      { report: { key: "example-lab-2026-11" }, breakoutScale: 4, accountsBanned: 12, originConfidence: "LIKELY", nameInReport: null },
    ]);
    expect(operation).toMatchObject({ breakoutScale: 4, accountsBanned: 12 });

    // Nothing stored before changed or went away; only the new records' rows were added.
    const after = await dumpTables(t);
    const added: Record<string, number> = {};
    for (const [table, rows] of Object.entries(before)) {
      if (table === "sequences") continue;
      expect({ table, kept: rows.filter((row) => !after[table].some((a) => JSON.stringify(a) === JSON.stringify(row))) }).toEqual({ table, kept: [] });
      added[table] = after[table].length - rows.length;
    }
    expect(added).toEqual({
      company: 1,
      report: 1,
      report_figure: 0,
      operation: 1,
      operation_report: 1,
      operation_origin: 1,
      operation_target: 0,
      operation_company: 0,
      statement: 0,
      statement_report: 0,
      statement_operation: 0,
      dataset_import: 1,
      country: 0,
      api_key: 0,
      audit_entry: 0,
      operation_facts: 1,
      deletion: 0,
      taxii_object_version: 0,
      record_digest: 3,
    });
  });

  it("a typed source with an unknown kind is refused with its path", async () => {
    const report = { ...dataset.reports[0], key: "example-lab-2026-12", sources: [{ url: "https://example.org/x", kind: "BLOG" }] };
    const result = await importFile(writeBundle("bad-kind", { batch: "bad-kind", reports: [report] }));
    expect(result.ok).toBe(false);
    expect(result.problems.map((p) => `${p.path}: ${p.message}`)).toContain(
      "reports[0].sources[0].kind: must be one of PUBLISHER, MIRROR, PRESS, GOVERNMENT, OTHER",
    );
  });
});

describe("bundleImport through the API", () => {
  it("lists the warnings with their paths", async () => {
    const { key } = await createApiKey(t.app.dataSource, "provenance editor", Role.EDITOR);
    const bundle = {
      batch: "api-warning",
      reports: [{ ...dataset.reports[0], key: "example-lab-2026-10", sources: ["https://web.archive.org/web/2026/https://example.org/x"] }],
    };
    const response = await fetch(t.url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
      body: JSON.stringify({
        query: `mutation ($input: BundleImportInput!) { bundleImport(input: $input) { userErrors { message } warnings { path message } } }`,
        variables: { input: { bundle, dryRun: true } },
      }),
    });
    const body = (await response.json()) as any;
    expect(body.data.bundleImport.userErrors).toEqual([]);
    expect(body.data.bundleImport.warnings).toEqual([
      {
        path: ["input", "bundle", "reports", "0"],
        message: `report "example-lab-2026-10" is supported only by MIRROR sources: cite the publisher's page, press or a government page`,
      },
    ]);
  });
});
