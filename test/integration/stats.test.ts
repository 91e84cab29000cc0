import { afterAll, beforeAll, describe, expect, it } from "vitest";
import worldCountries from "world-countries";
import { startTestApp } from "../helpers/app";
import type { TestApp } from "../helpers/app";
import { readDataset } from "../helpers/dataset";
import type { Dataset } from "../helpers/dataset";
import { Reference } from "../helpers/reference";
import type { Interval } from "../helpers/reference";
import { generateBundle } from "../../bench/generate-bundle";
import { bundleFromDocuments, importBundle } from "../../src/import";

const DIMENSIONS = [
  "ORIGIN_COUNTRY",
  "ORIGIN_REGION",
  "TARGET_COUNTRY",
  "TARGET_REGION",
  "CATEGORY",
  "ACTOR_TYPE",
  "PUBLISHER",
  "REPORT",
  "AI_TOOL",
  "PLATFORM",
  "OPERATOR",
  "BREAKOUT_SCALE",
  "DISCLOSURE_BREAKOUT_SCALE",
  "ORIGIN_CONFIDENCE",
  "YEAR",
  "QUARTER",
];

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

const withoutShare = (buckets: { kind: string; key: string; count: number; share: number }[], denominator: number) =>
  buckets.map(({ kind, key, count, share }) => {
    expect(share).toBeCloseTo(denominator > 0 ? count / denominator : 0, 12);
    return { kind, key, count };
  });

/** Every dimension's distribution for a filter, in one request, against the reference. */
async function checkDistributions(
  t: TestApp,
  reference: Reference,
  filter: Record<string, unknown>,
  limit: number,
  includeOther: boolean,
  unit = "OPERATIONS",
) {
  const field = (d: string) =>
    `${d}: by(dimension: ${d}, limit: ${limit}, includeOther: ${includeOther}, unit: ${unit}) { denominator buckets { kind key count share } }`;
  // Two requests: a document may use at most 15 aliases.
  const half = Math.ceil(DIMENSIONS.length / 2);
  const [first, second] = await Promise.all(
    [DIMENSIONS.slice(0, half), DIMENSIONS.slice(half)].map((dimensions) =>
      t.data(
        `query ($filter: OperationFilter) { operationStats(filter: $filter) { totals { operations disclosures reports accountsBanned operationsStatingAccountsBanned } ${dimensions.map(field).join("\n")} } }`,
        { filter },
      ),
    ),
  );
  const operationStats = { ...first.operationStats, ...second.operationStats };
  const ops = reference.select(filter);
  expect(operationStats.totals, JSON.stringify(filter)).toEqual(reference.totals(ops, filter));
  for (const dimension of DIMENSIONS) {
    const got = operationStats[dimension];
    const want = reference.distribution(ops, dimension, limit, includeOther, unit);
    expect(got.denominator).toBe(want.denominator);
    expect(withoutShare(got.buckets, got.denominator), `${dimension} ${JSON.stringify(filter)} limit ${limit}`).toEqual(want.buckets);
  }
}

async function checkCrossTabs(t: TestApp, reference: Reference, filter: Record<string, unknown>, pairs: [string, string][], unit = "OPERATIONS") {
  const fields = pairs
    .map(
      ([r, c], i) =>
        `x${i}: crossTab(rows: ${r}, columns: ${c}, unit: ${unit}) { grandTotal rows { key count share } columns { key count share } cells { row column count } }`,
    )
    .join("\n");
  const { operationStats } = await t.data(`query ($filter: OperationFilter) { operationStats(filter: $filter) { ${fields} } }`, { filter });
  const ops = reference.select(filter);
  pairs.forEach(([r, c], i) => {
    const got = operationStats[`x${i}`];
    const want = reference.crossTab(ops, r, c, unit);
    expect(got.grandTotal).toBe(want.grandTotal);
    expect(
      got.rows.map(({ key, count }: any) => ({ key, count })),
      `${r} x ${c}`,
    ).toEqual(want.rows);
    expect(got.columns.map(({ key, count }: any) => ({ key, count }))).toEqual(want.columns);
    expect(got.cells, `${r} x ${c} cells`).toEqual(want.cells);
  });
}

interface SeriesCase {
  interval: Interval;
  axis: string;
  split?: string;
  cumulative?: boolean;
  from?: string;
  to?: string;
  unit?: string;
}

async function checkSeries(t: TestApp, reference: Reference, filter: Record<string, unknown>, cases: SeriesCase[]): Promise<void> {
  if (cases.length > 10) {
    // A document may use at most 15 aliases.
    await checkSeries(t, reference, filter, cases.slice(0, 10));
    await checkSeries(t, reference, filter, cases.slice(10));
    return;
  }
  const fields = cases
    .map(
      (c, i) =>
        `s${i}: overTime(interval: ${c.interval}, dateAxis: ${c.axis}${c.split ? `, splitBy: ${c.split}` : ""}${c.cumulative ? ", cumulative: true" : ""}${c.from ? `, from: "${c.from}"` : ""}${c.to ? `, to: "${c.to}"` : ""}${c.unit ? `, unit: ${c.unit}` : ""}) { from to undated buckets { start end count splits { key count } } }`,
    )
    .join("\n");
  const { operationStats } = await t.data(`query ($filter: OperationFilter) { operationStats(filter: $filter) { ${fields} } }`, { filter });
  const ops = reference.select(filter);
  cases.forEach((c, i) => {
    expect(operationStats[`s${i}`], JSON.stringify(c)).toEqual(reference.timeSeries(ops, c));
  });
}

const SERIES_CASES: SeriesCase[] = [
  { interval: "MONTH", axis: "FIRST_DISCLOSED" },
  { interval: "QUARTER", axis: "DISCLOSURE", split: "PUBLISHER" },
  { interval: "YEAR", axis: "FIRST_SEEN", split: "ORIGIN_COUNTRY" },
  { interval: "QUARTER", axis: "FIRST_DISCLOSED", split: "CATEGORY", cumulative: true },
  { interval: "MONTH", axis: "DISCLOSURE", cumulative: true, from: "2025-02-15", to: "2025-11-01" },
  { interval: "YEAR", axis: "FIRST_DISCLOSED", from: "2020-01-01", to: "2030-01-01" },
  { interval: "QUARTER", axis: "DISCLOSURE", from: "2024-02-10", to: "2025-08-20" },
  { interval: "MONTH", axis: "DISCLOSURE", split: "ORIGIN_REGION", from: "2024-01-01", to: "2026-01-01" },
  { interval: "QUARTER", axis: "FIRST_SEEN", split: "ACTOR_TYPE", cumulative: true, from: "2023-03-01", to: "2026-01-01" },
  // Disclosure attributes paired within one disclosure: the bucket and the split value come from the same report.
  { interval: "YEAR", axis: "DISCLOSURE", split: "PUBLISHER" },
  { interval: "QUARTER", axis: "FIRST_DISCLOSED", split: "PUBLISHER" },
  { interval: "MONTH", axis: "DISCLOSURE", split: "REPORT", cumulative: true, from: "2024-03-10", to: "2026-02-01" },
  { interval: "YEAR", axis: "DISCLOSURE", split: "DISCLOSURE_BREAKOUT_SCALE" },
  { interval: "QUARTER", axis: "FIRST_SEEN", split: "PUBLISHER" },
  { interval: "YEAR", axis: "DISCLOSURE", split: "PUBLISHER", unit: "DISCLOSURES" },
  { interval: "QUARTER", axis: "FIRST_DISCLOSED", split: "CATEGORY", cumulative: true, unit: "DISCLOSURES" },
];

const CROSS_PAIRS: [string, string][] = [
  ["ACTOR_TYPE", "PUBLISHER"],
  ["ORIGIN_COUNTRY", "CATEGORY"],
  ["TARGET_REGION", "AI_TOOL"],
  ["BREAKOUT_SCALE", "YEAR"],
  ["PUBLISHER", "YEAR"],
  ["REPORT", "PUBLISHER"],
  ["PUBLISHER", "DISCLOSURE_BREAKOUT_SCALE"],
  ["QUARTER", "CATEGORY"],
];

/** Filters with disclosure conditions, each bound to one disclosure. */
const DISCLOSURE_FILTERS: Record<string, unknown>[] = [
  { publisher: ["openai"], disclosedFrom: "2025-01-01" },
  { disclosedFrom: "2024-06-01", disclosedTo: "2025-06-30" },
  { disclosure: { breakoutScaleMin: 2 } },
  { publisher: ["meta", "microsoft"], category: ["INFLUENCE_OPERATION"] },
];

describe("operationStats on the shipped dataset", () => {
  const dataset = readDataset();
  const reference = new Reference(dataset);

  it('operationStats(filter: { originCountry: ["CN"] }) by CATEGORY equals the count from the data files', async () => {
    const { operationStats } = await t.data(
      `{ operationStats(filter: { originCountry: ["CN"] }) { by(dimension: CATEGORY) { denominator buckets { key count share } } } }`,
    );
    const china = dataset.operations.filter((o) => o.origin.some((x: any) => x.country === "CN"));
    const counts = new Map<string, number>();
    for (const o of china) for (const c of o.categories) counts.set(c, (counts.get(c) ?? 0) + 1);
    expect(operationStats.by.denominator).toBe(china.length);
    const values = operationStats.by.buckets.filter((b: any) => b.key !== "(none)" && b.key !== "(other)");
    expect(Object.fromEntries(values.map((b: any) => [b.key, b.count]))).toEqual(Object.fromEntries(counts));
    for (const b of values) expect(b.share).toBeCloseTo(counts.get(b.key)! / china.length, 12);
  });

  it("agrees with the reference for every dimension, with and without filters", async () => {
    for (const filter of [
      {},
      { originCountry: ["CN"] },
      { category: ["INFLUENCE_OPERATION"], publisher: ["openai"] },
      { targetRegion: ["EUROPE"], breakoutScaleMin: 2 },
    ]) {
      await checkDistributions(t, reference, filter, 10, true);
    }
    await checkDistributions(t, reference, {}, 3, true);
    await checkDistributions(t, reference, {}, 2, false);
    await checkDistributions(t, reference, {}, 500, true);
    for (const filter of DISCLOSURE_FILTERS) await checkDistributions(t, reference, filter, 10, true);
    await checkDistributions(t, reference, {}, 5, true, "DISCLOSURES");
    await checkDistributions(t, reference, DISCLOSURE_FILTERS[0], 5, true, "DISCLOSURES");
  });

  it("cross-tabulates with row, column and grand totals", async () => {
    await checkCrossTabs(t, reference, {}, CROSS_PAIRS);
    await checkCrossTabs(t, reference, { actorType: ["STATE_LINKED"] }, [["ORIGIN_COUNTRY", "TARGET_COUNTRY"]]);
    for (const filter of DISCLOSURE_FILTERS) await checkCrossTabs(t, reference, filter, CROSS_PAIRS.slice(-4));
    await checkCrossTabs(t, reference, {}, CROSS_PAIRS, "DISCLOSURES");
  });

  it("builds zero-filled time series on every axis, split and cumulative", async () => {
    await checkSeries(t, reference, {}, SERIES_CASES);
    await checkSeries(t, reference, { originCountry: ["RU", "IR"] }, SERIES_CASES.slice(0, 3));
    for (const filter of DISCLOSURE_FILTERS) await checkSeries(t, reference, filter, SERIES_CASES);
  });

  it("gives empty results for a filter that selects nothing", async () => {
    const { operationStats } = await t.data(
      `{ operationStats(filter: { originCountry: ["AQ"] }) { totals { operations } by(dimension: CATEGORY) { denominator buckets { kind count share } }
         crossTab(rows: CATEGORY, columns: PUBLISHER) { grandTotal cells { count } } overTime(interval: YEAR) { buckets { count } undated } } }`,
    );
    expect(operationStats.totals.operations).toBe(0);
    expect(operationStats.by).toEqual({ denominator: 0, buckets: [{ kind: "NONE", count: 0, share: 0 }] });
    expect(operationStats.crossTab).toEqual({ grandTotal: 0, cells: [] });
    expect(operationStats.overTime).toEqual({ buckets: [], undated: 0 });
  });

  it("zero-fills a range with no data in it and respects from (inclusive) and to (exclusive)", async () => {
    const { operationStats } =
      await t.data(`{ operationStats { gap: overTime(interval: MONTH, from: "2019-01-01", to: "2019-04-01") { from to buckets { start end count } }
      edge: overTime(interval: YEAR, from: "2025-01-01", to: "2025-01-02", dateAxis: DISCLOSURE) { buckets { start count } } } }`);
    expect(operationStats.gap).toEqual({
      from: "2019-01-01",
      to: "2019-04-01",
      buckets: [
        { start: "2019-01-01", end: "2019-02-01", count: 0 },
        { start: "2019-02-01", end: "2019-03-01", count: 0 },
        { start: "2019-03-01", end: "2019-04-01", count: 0 },
      ],
    });
    const onNewYear = dataset.operations.filter((o) => reference.dates(o, "DISCLOSURE").includes("2025-01-01")).length;
    expect(operationStats.edge.buckets).toEqual([{ start: "2025-01-01", count: onNewYear }]);
  });

  it("returns nodes for record dimensions and NONE/OTHER buckets explicitly", async () => {
    const { operationStats } = await t.data(
      `{ operationStats { by(dimension: AI_TOOL, limit: 1) { buckets { kind key label node { __typename ... on Company { key name } } } } } }`,
    );
    const [top, other, none] = operationStats.by.buckets;
    expect(top.node).toEqual({ __typename: "Company", key: top.key, name: top.label });
    expect(other).toMatchObject({ kind: "OTHER", key: "(other)", node: null });
    expect(none).toMatchObject({ kind: "NONE", key: "(none)", node: null });
  });

  it("refuses bad arguments with BAD_USER_INPUT", async () => {
    const cases: [string, RegExp][] = [
      [`{ operationStats { by(dimension: CATEGORY, limit: 0) { denominator } } }`, /limit must be between 1 and 500/],
      [
        `{ operationStats { overTime(interval: MONTH, from: "2025-05-01", to: "2025-01-01") { from } } }`,
        /from \(2025-05-01\) must be before to \(2025-01-01\)/,
      ],
      [`{ operationStats { overTime(interval: MONTH, from: "1000-01-01", to: "2025-01-01") { from } } }`, /more than 1200 buckets/],
      [`{ operationStats(filter: { originCountry: ["XX"] }) { totals { operations } } }`, /filter\.originCountry: unknown country code "XX"/],
    ];
    for (const [query, message] of cases) {
      const response = await t.gql(query);
      expect(response.body.errors?.[0].extensions?.code, query).toBe("BAD_USER_INPUT");
      expect(response.body.errors?.[0].message).toMatch(message);
    }
  });

  it("scopes statistics to a country, a company and a report", async () => {
    const { country, company, report } = await t.data(`{
      country(code: "RU") { origin: stats { totals { operations } by(dimension: CATEGORY) { buckets { key count } } }
                            target: stats(role: TARGET, filter: { actorType: [STATE_LINKED] }) { totals { operations } } }
      company(key: "openai") { stats(role: AI_TOOL) { totals { operations } } published: stats(role: PUBLISHER) { totals { operations } } }
      report(key: "${dataset.reports[0].key}") { stats { totals { operations disclosures } } } }`);
    expect(country.origin.totals.operations).toBe(reference.select({ originCountry: ["RU"] }).length);
    expect(country.origin.by.buckets).toEqual(
      reference.distribution(reference.select({ originCountry: ["RU"] }), "CATEGORY", 10, true).buckets.map(({ key, count }) => ({ key, count })),
    );
    expect(country.target.totals.operations).toBe(reference.select({ targetCountry: ["RU"], actorType: ["STATE_LINKED"] }).length);
    expect(company.stats.totals.operations).toBe(reference.select({ aiTool: ["openai"] }).length);
    expect(company.published.totals.operations).toBe(reference.select({ publisher: ["openai"] }).length);
    expect(report.stats.totals.operations).toBe(reference.select({ report: [dataset.reports[0].key] }).length);
  });

  it("runs one SQL statement per statistic", async () => {
    const one = await t.gql(`{ operationStats(filter: { category: [SCAM] }) { by(dimension: ORIGIN_COUNTRY) { denominator } } }`);
    const four = await t.gql(
      `{ operationStats(filter: { category: [SCAM] }) { totals { operations } by(dimension: ORIGIN_COUNTRY) { denominator } crossTab(rows: CATEGORY, columns: YEAR) { grandTotal } overTime(interval: YEAR) { undated } } }`,
    );
    // Resolving the filter's keys costs nothing here (no keys); each statistic is one statement.
    expect(four.statements - one.statements).toBe(3);
  });
});

describe("reportStats and statementStats on the shipped dataset", () => {
  const dataset = readDataset();
  const quarter = (d: string) => `${d.slice(0, 4)}-Q${Math.floor((Number(d.slice(5, 7)) - 1) / 3) + 1}`;
  /** Distribution reference for single-valued dimensions (null: no value). */
  const tally = (records: any[], keyOf: (r: any) => string | null, limit = 10) => {
    const counts = new Map<string, number>();
    let none = 0;
    for (const r of records) {
      const key = keyOf(r);
      if (key === null) none += 1;
      else counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const ranked = [...counts.entries()].map(([key, count]) => ({ kind: "VALUE", key, count })).sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : 1));
    const buckets = ranked.slice(0, limit);
    if (ranked.length > limit) buckets.push({ kind: "OTHER", key: "(other)", count: ranked.slice(limit).reduce((n, b) => n + b.count, 0) });
    return [...buckets, { kind: "NONE", key: "(none)", count: none }];
  };
  const buckets = (d: any) => d.buckets.map(({ kind, key, count }: any) => ({ kind, key, count }));

  it("counts reports by publisher, year and quarter, with the reports filter", async () => {
    const filter = { publishedFrom: "2025-01-01" };
    const selected = dataset.reports.filter((r) => r.publishedOn >= "2025-01-01");
    const { reportStats } = await t.data(
      `query ($filter: ReportFilter) { reportStats(filter: $filter) { totals { reports operations disclosures }
         publisher: by(dimension: PUBLISHER) { denominator buckets { kind key count } } year: by(dimension: YEAR) { buckets { kind key count } }
         quarter: by(dimension: QUARTER, limit: 3) { buckets { kind key count } }
         perReport: operationsPerReport(limit: 500) { key operations } } }`,
      { filter },
    );
    const disclosed = dataset.operations.flatMap((o) => o.reportKeys.filter((k: string) => selected.some((r) => r.key === k)).map((k: string) => [o.key, k]));
    expect(reportStats.totals).toEqual({ reports: selected.length, operations: new Set(disclosed.map(([o]) => o)).size, disclosures: disclosed.length });
    expect(reportStats.publisher.denominator).toBe(selected.length);
    expect(buckets(reportStats.publisher)).toEqual(tally(selected, (r) => r.publisher));
    expect(buckets(reportStats.year)).toEqual(tally(selected, (r) => r.publishedOn.slice(0, 4)));
    expect(buckets(reportStats.quarter)).toEqual(tally(selected, (r) => quarter(r.publishedOn), 3));
    const perReport = new Map(selected.map((r) => [r.key, dataset.operations.filter((o) => o.reportKeys.includes(r.key)).length]));
    expect(Object.fromEntries(reportStats.perReport.map((p: any) => [p.key, p.operations]))).toEqual(Object.fromEntries(perReport));
    const counts = reportStats.perReport.map((p: any) => p.operations);
    expect(counts).toEqual([...counts].sort((a: number, b: number) => b - a));
  });

  it("counts reports over time, zero-filled", async () => {
    const { reportStats } = await t.data(
      `{ reportStats { overTime(interval: YEAR, splitBy: PUBLISHER) { from to buckets { start count splits { key count } } } } }`,
    );
    const years = [...new Set(dataset.reports.map((r) => r.publishedOn.slice(0, 4)))].sort();
    const all: string[] = [];
    for (let y = Number(years[0]); y <= Number(years[years.length - 1]); y++) all.push(String(y));
    expect(reportStats.overTime.buckets.map((b: any) => b.start)).toEqual(all.map((y) => `${y}-01-01`));
    for (const b of reportStats.overTime.buckets) {
      const inYear = dataset.reports.filter((r) => r.publishedOn.startsWith(b.start.slice(0, 4)));
      expect(b.count).toBe(inYear.length);
      for (const s of b.splits) expect(s.count).toBe(inYear.filter((r) => r.publisher === s.key).length);
    }
  });

  it("counts statements by stance, organisation, country and year, with the statements filter", async () => {
    const { statementStats } = await t.data(`{ statementStats { total stance: by(dimension: STANCE) { buckets { kind key count } }
        organization: by(dimension: ORGANIZATION) { buckets { kind key count } } country: by(dimension: COUNTRY) { buckets { kind key count } }
        year: by(dimension: YEAR) { buckets { kind key count } } } filtered: statementStats(filter: { organization: ["openai"] }) { total overTime(interval: YEAR) { undated buckets { start count } } } }`);
    const s = dataset.statements;
    expect(statementStats.total).toBe(s.length);
    expect(buckets(statementStats.stance)).toEqual(tally(s, (x) => x.stance));
    expect(buckets(statementStats.organization)).toEqual(tally(s, (x) => x.organization));
    expect(buckets(statementStats.country)).toEqual(tally(s, (x) => x.country));
    expect(buckets(statementStats.year)).toEqual(tally(s, (x) => x.saidOn?.slice(0, 4) ?? null));
    const openai = s.filter((x) => x.organization === "openai");
    const { filtered } = await t.data(
      `{ filtered: statementStats(filter: { organization: ["openai"] }) { total overTime(interval: YEAR) { undated buckets { start count } } } }`,
    );
    expect(filtered.total).toBe(openai.length);
    expect(filtered.overTime.undated).toBe(openai.filter((x) => !x.saidOn).length);
    for (const b of filtered.overTime.buckets) expect(b.count).toBe(openai.filter((x) => x.saidOn?.startsWith(b.start.slice(0, 4))).length);
  });
});

// On a database of their own: these replace its data with generated bundles, and the tests above
// read the shipped data, in whatever order the tests run.
describe("operationStats on generated bundles", () => {
  const countries = worldCountries.map((c) => c.cca2).sort();
  let generatedApp: TestApp;
  beforeAll(async () => {
    generatedApp = await startTestApp({ loadDataset: false });
  });
  afterAll(async () => {
    await generatedApp?.close();
  });

  it.each([1, 2, 3])("agrees with the reference for seed %i", async (seed) => {
    await generatedApp.sql(`TRUNCATE company, report, operation, statement, dataset_import RESTART IDENTITY CASCADE`);
    const generated = generateBundle({ seed, operations: 120, countries });
    const bundle = bundleFromDocuments(`synthetic-${seed}`, [{ file: "generated", value: generated }]);
    const result = await importBundle(generatedApp.app.dataSource, bundle);
    expect(result.problems).toEqual([]);
    const reference = new Reference(generated as unknown as Dataset);
    const hot = generated.operations[0].origin[0]?.country ?? countries[0];
    await checkDistributions(generatedApp, reference, {}, 5, true);
    await checkDistributions(generatedApp, reference, { originCountry: [hot], category: ["SCAM", "PHISHING", "OTHER"] }, 10, true);
    await checkDistributions(generatedApp, reference, { disclosedFrom: "2024-01-01", disclosedTo: "2025-06-30", breakoutScaleMax: 4 }, 3, false);
    await checkCrossTabs(generatedApp, reference, {}, CROSS_PAIRS);
    await checkSeries(generatedApp, reference, {}, SERIES_CASES);
    await checkSeries(generatedApp, reference, { actorType: ["CRIMINAL", "COMMERCIAL"] }, SERIES_CASES);
    const publisher = generated.reports[0].publisher;
    for (const filter of [
      { publisher: [publisher], disclosedFrom: "2024-06-01" },
      { disclosure: { breakoutScaleMin: 3 } },
      { report: [generated.reports[1].key] },
    ]) {
      await checkDistributions(generatedApp, reference, filter, 5, true);
      await checkCrossTabs(generatedApp, reference, filter, CROSS_PAIRS);
      await checkSeries(generatedApp, reference, filter, SERIES_CASES.slice(-7));
    }
    await checkDistributions(generatedApp, reference, {}, 5, true, "DISCLOSURES");
  });
});
