import { spawn } from "node:child_process";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, startTestApp } from "../helpers/app";
import type { TestApp } from "../helpers/app";
import { readDataset } from "../helpers/dataset";
import { PYTHON, needs, python } from "../helpers/engines";

// "For each publisher, how many operations did it disclose per year?" asked three ways (GraphQL,
// the statistic's CSV export, the Python client) and counted from data/ by plain code below: an
// operation counts under (publisher P, year Y) only if a report of P published in Y disclosed it.

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

const dataset = readDataset();
const reportByKey = new Map(dataset.reports.map((r) => [r.key, r]));

/** `publisher|year` -> distinct operations, from the data files alone. */
function countFromData(): Map<string, number> {
  const seen = new Map<string, Set<string>>();
  for (const operation of dataset.operations) {
    for (const key of operation.reportKeys) {
      const report = reportByKey.get(key);
      const cell = `${report.publisher}|${report.publishedOn.slice(0, 4)}`;
      if (!seen.has(cell)) seen.set(cell, new Set());
      seen.get(cell)!.add(operation.key);
    }
  }
  return new Map([...seen].map(([cell, operations]) => [cell, operations.size]));
}

/** The cells a full answer must state: every publisher in every year of the range, zeros included. */
function everyCell(expected: Map<string, number>): string[] {
  const years = [...expected.keys()].map((cell) => Number(cell.split("|")[1]));
  const publishers = [...new Set([...expected.keys()].map((cell) => cell.split("|")[0]))];
  const cells: string[] = [];
  for (const publisher of publishers) for (let year = Math.min(...years); year <= Math.max(...years); year += 1) cells.push(`${publisher}|${year}`);
  return cells;
}

function expectSameCounts(got: Map<string, number>, expected: Map<string, number>, how: string) {
  const cells = everyCell(expected);
  expect(cells.length).toBeGreaterThan(10);
  for (const cell of cells) expect(got.get(cell) ?? 0, `${how}: ${cell}`).toBe(expected.get(cell) ?? 0);
  // Nothing counted where the data have nothing.
  for (const [cell, count] of got) if (count > 0) expect(expected.has(cell), `${how}: ${cell}`).toBe(true);
}

function run(command: string, args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

describe("operations per publisher per year", () => {
  const expected = countFromData();

  it("through GraphQL (overTime on the disclosure axis, split by publisher) equals the count from data/", async () => {
    const { operationStats } = await t.data(`{
      operationStats { overTime(interval: YEAR, dateAxis: DISCLOSURE, splitBy: PUBLISHER) { buckets { start splits { key count } } } }
    }`);
    const got = new Map<string, number>();
    for (const bucket of operationStats.overTime.buckets) {
      for (const split of bucket.splits) got.set(`${split.key}|${bucket.start.slice(0, 4)}`, split.count);
    }
    expectSameCounts(got, expected, "overTime");
  });

  it("through GraphQL (crossTab of PUBLISHER and YEAR) equals the count from data/", async () => {
    const { operationStats } = await t.data(`{ operationStats { crossTab(rows: PUBLISHER, columns: YEAR) { cells { row column count } } } }`);
    const got = new Map<string, number>(operationStats.crossTab.cells.map((c: any) => [`${c.row}|${c.column}`, c.count]));
    expectSameCounts(got, expected, "crossTab");
  });

  it("through the statistic's CSV export equals the count from data/", async () => {
    const response = await fetch(`${t.url.replace(/\/graphql$/, "")}/export/stats/operations/overTime/YEAR.csv?dateAxis=DISCLOSURE&splitBy=PUBLISHER`);
    expect(response.status).toBe(200);
    const rows: Record<string, string>[] = parse(await response.text(), { columns: true, skip_empty_lines: true });
    const got = new Map<string, number>();
    for (const row of rows) got.set(`${row.split_key}|${row.start.slice(0, 4)}`, Number(row.count));
    expectSameCounts(got, expected, "CSV");
  });

  it.skipIf(!needs("the per-publisher-per-year count through the Python client", python()))(
    "through the Python client equals the count from data/",
    async () => {
      const script = [
        "import json, os, sys",
        "sys.path.insert(0, os.path.join(os.getcwd(), 'clients', 'python'))",
        "from misuse_graph import Client",
        "rows = Client(os.environ['MISUSE_GRAPH_URL'], pandas=False).stats.over_time('YEAR', split_by='PUBLISHER', date_axis='DISCLOSURE')",
        "print(json.dumps([{'start': r['start'], 'key': r['split_key'], 'count': r['count']} for r in rows]))",
      ].join("\n");
      const { code, stdout, stderr } = await run(PYTHON, ["-c", script], { MISUSE_GRAPH_URL: t.url.replace(/\/graphql$/, "") });
      expect(code, stderr).toBe(0);
      const got = new Map<string, number>(JSON.parse(stdout).map((r: any) => [`${r.key}|${r.start.slice(0, 4)}`, r.count]));
      expectSameCounts(got, expected, "Python");
    },
  );

  it("counts disclosures, not operations, when asked to", async () => {
    const { operationStats } = await t.data(`{
      operationStats { overTime(interval: YEAR, dateAxis: DISCLOSURE, splitBy: PUBLISHER, unit: DISCLOSURES) { buckets { start count splits { key count } } } }
    }`);
    const disclosures = new Map<string, number>();
    for (const operation of dataset.operations) {
      for (const key of operation.reportKeys) {
        const report = reportByKey.get(key);
        const cell = `${report.publisher}|${report.publishedOn.slice(0, 4)}`;
        disclosures.set(cell, (disclosures.get(cell) ?? 0) + 1);
      }
    }
    const got = new Map<string, number>();
    for (const bucket of operationStats.overTime.buckets) for (const split of bucket.splits) got.set(`${split.key}|${bucket.start.slice(0, 4)}`, split.count);
    expectSameCounts(got, disclosures, "disclosures");
  });
});

describe("totals under disclosure conditions", () => {
  const publishers = [...new Set(dataset.reports.map((r) => r.publisher as string))].sort();

  it("per-publisher accounts banned add up to the total", async () => {
    const fields = publishers.map((p, i) => `p${i}: operationStats(filter: { publisher: ["${p}"] }) { totals { accountsBanned } }`).join("\n");
    const data = await t.data(`{ all: operationStats { totals { accountsBanned } } ${fields} }`);
    const perPublisher = publishers.map((_, i) => data[`p${i}`].totals.accountsBanned);
    expect(perPublisher.reduce((a, b) => a + b, 0)).toBe(data.all.totals.accountsBanned);
    // The whole, counted from data/: each operation's figures, one per publisher that stated one.
    let total = 0;
    for (const operation of dataset.operations) {
      const stated = (operation.disclosures ?? []).filter((d: any) => d.accountsBanned != null);
      if (stated.length) {
        const latest = new Map<string, { date: string; value: number }>();
        for (const d of stated) {
          const report = reportByKey.get(d.report);
          const seen = latest.get(report.publisher);
          if (!seen || report.publishedOn > seen.date) latest.set(report.publisher, { date: report.publishedOn, value: d.accountsBanned });
        }
        for (const { value } of latest.values()) total += value;
      } else if (operation.accountsBanned != null) {
        total += operation.accountsBanned;
      }
    }
    expect(data.all.totals.accountsBanned).toBe(total);
  });

  it("operationStats totals under a publisher filter equal reportStats for that publisher", async () => {
    for (const publisher of publishers) {
      const { operationStats, reportStats } = await t.data(
        `query ($p: [String!]) {
          operationStats(filter: { publisher: $p }) { totals { operations disclosures reports } }
          reportStats(filter: { publisher: $p }) { totals { operations disclosures reports } }
        }`,
        { p: [publisher] },
      );
      expect(operationStats.totals.operations, publisher).toBe(reportStats.totals.operations);
      expect(operationStats.totals.disclosures, publisher).toBe(reportStats.totals.disclosures);
      const own = dataset.operations.flatMap((o) => o.reportKeys.filter((k: string) => reportByKey.get(k).publisher === publisher));
      expect(operationStats.totals.disclosures, publisher).toBe(own.length);
      // operationStats counts the reports of its disclosures; reportStats also counts a report that disclosed no operation.
      expect(operationStats.totals.reports, publisher).toBe(new Set(own).size);
      expect(reportStats.totals.reports, publisher).toBe(dataset.reports.filter((r) => r.publisher === publisher).length);
    }
  });

  it("a date window's totals count only the disclosures inside it", async () => {
    const window = { disclosedFrom: "2025-01-01", disclosedTo: "2025-06-30" };
    const { operationStats } = await t.data(`query ($f: OperationFilter) { operationStats(filter: $f) { totals { operations disclosures reports } } }`, {
      f: window,
    });
    const inside = dataset.operations.flatMap((o) =>
      o.reportKeys.filter((k: string) => reportByKey.get(k).publishedOn >= window.disclosedFrom && reportByKey.get(k).publishedOn <= window.disclosedTo),
    );
    expect(operationStats.totals.disclosures).toBe(inside.length);
    expect(operationStats.totals.reports).toBe(new Set(inside).size);
  });

  it("binds report and publisher to one disclosure", async () => {
    // An operation disclosed by an OpenAI report and by another publisher's report: asking for the
    // other report together with publisher OpenAI selects nothing, since no one disclosure is both.
    const shared = dataset.operations.find((o) => {
      const publishersOf = o.reportKeys.map((k: string) => reportByKey.get(k).publisher);
      return publishersOf.includes("openai") && publishersOf.some((p: string) => p !== "openai");
    });
    expect(shared).toBeDefined();
    const other = shared.reportKeys.find((k: string) => reportByKey.get(k).publisher !== "openai");
    const { operations } = await t.data(`query ($f: OperationFilter) { operations(filter: $f) { totalCount } }`, {
      f: { report: [other], publisher: ["openai"] },
    });
    expect(operations.totalCount).toBe(0);
  });

  it("a clipped bucket states the days it covers, and OTHER is not labelled like a value", async () => {
    const { operationStats } = await t.data(`{ operationStats {
      overTime(interval: QUARTER, dateAxis: DISCLOSURE, from: "2025-02-15", to: "2025-11-01") { buckets { start end } }
      top: by(dimension: CATEGORY, limit: 1) { buckets { kind label } }
      all: by(dimension: CATEGORY, limit: 500) { buckets { key label } }
    } }`);
    const buckets = operationStats.overTime.buckets;
    expect(buckets[0]).toEqual({ start: "2025-02-15", end: "2025-04-01" });
    expect(buckets[buckets.length - 1]).toEqual({ start: "2025-10-01", end: "2025-11-01" });
    const otherBucket = operationStats.top.buckets.find((b: any) => b.kind === "OTHER");
    const otherCategory = operationStats.all.buckets.find((b: any) => b.key === "OTHER");
    expect(otherBucket && otherCategory).toBeTruthy();
    expect(otherBucket.label).not.toBe(otherCategory.label);
  });
});
