/**
 * The contract of every export surface: each list (CSV and NDJSON, wide and long) and each operation
 * statistic (CSV and NDJSON), loaded as its reader would load it (csv-parse; JSON lines; pandas when
 * /usr/bin/python3 has it), holds exactly what the GraphQL API answers for the same filter, column
 * by column, and no CSV cell holds a serialised object. The expected rows are built here from the
 * GraphQL answer, each column written out by name.
 */
import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "csv-parse/sync";
import { startTestApp } from "../helpers/app";
import type { TestApp } from "../helpers/app";
import { PYTHON, needs, pandas } from "../helpers/engines";

type Scalar = string | number | boolean | null;
type Row = Record<string, Scalar | Scalar[]>;

const readWithPandas = needs("the export contract's pandas reads", pandas());

let t: TestApp;
let root: string;
beforeAll(async () => {
  t = await startTestApp({ env: { DB_POOL_SIZE: "3" } });
  root = t.url.replace(/\/graphql$/, "");
});
afterAll(async () => {
  await t?.close();
});

/** A CSV cell as the contract writes it: lists `;`-joined, null empty, numbers as JavaScript prints them. */
const cellText = (value: Scalar | Scalar[]): string => (Array.isArray(value) ? value.join(";") : value === null ? "" : String(value));
const SERIALISED = /\[object Object\]|^\{|^\[/;

/** Every file read, with the rows it must hold in file order, for the pandas pass at the end. */
interface Surface {
  path: string;
  format: "csv" | "ndjson";
  columns: string[];
  /** Columns holding `;`-joined lists (wide CSV): pandas reads them as text and splits them. */
  lists: string[];
  expected: Row[];
}
const surfaces: Surface[] = [];

/**
 * Compares a file's rows with the expected ones: records in key order (the export's order), the rows
 * of one record contiguous and in the expected order. Returns the expected rows in file order.
 */
function compareRows(path: string, got: Row[], expected: Row[], keyColumn: string | null, cell: (v: Scalar | Scalar[]) => unknown): Row[] {
  expect(got.length, `${path}: rows`).toBe(expected.length);
  if (keyColumn === null) {
    got.forEach((row, i) => expect(row, `${path} row ${i}`).toEqual(Object.fromEntries(Object.entries(expected[i]).map(([k, v]) => [k, cell(v)]))));
    return expected;
  }
  const byKey = new Map<string, Row[]>();
  for (const row of expected) byKey.set(String(row[keyColumn]), [...(byKey.get(String(row[keyColumn])) ?? []), row]);
  const ordered: Row[] = [];
  let i = 0;
  while (i < got.length) {
    const key = String(got[i][keyColumn]);
    const rows = byKey.get(key);
    expect(rows, `${path}: record ${key} is not in the GraphQL answer, or appears twice`).toBeDefined();
    byKey.delete(key);
    for (const row of rows!) {
      expect(got[i], `${path}: record ${key}`).toEqual(Object.fromEntries(Object.entries(row).map(([k, v]) => [k, cell(v)])));
      ordered.push(row);
      i += 1;
    }
  }
  expect([...byKey.keys()], `${path}: records missing from the file`).toEqual([]);
  return ordered;
}

/** Reads a CSV export with csv-parse and compares it with the expected rows. */
async function checkCsv(path: string, columns: string[], expected: Row[], keyColumn: string | null, lists: string[] = []): Promise<void> {
  const response = await fetch(`${root}${path}`);
  const text = await response.text();
  expect(response.status, `${path}: ${text.slice(0, 300)}`).toBe(200);
  const [header, ...records]: string[][] = parse(text);
  for (const record of records) {
    for (const value of record) expect(value, `${path}: a serialised object in a cell`).not.toMatch(SERIALISED);
    expect(record.length, path).toBe(header.length);
  }
  expect(header, path).toEqual(columns);
  const rows = records.map((record) => Object.fromEntries(header.map((name, i) => [name, record[i]])));
  const ordered = compareRows(path, rows, expected, keyColumn, cellText);
  surfaces.push({ path, format: "csv", columns, lists, expected: ordered });
}

/** Reads an NDJSON export line by line (the `_meta` line first) and compares it with the expected rows. */
async function checkNdjson(path: string, columns: string[], expected: Row[], keyColumn: string | null): Promise<Record<string, any>> {
  const response = await fetch(`${root}${path}`);
  const text = await response.text();
  expect(response.status, `${path}: ${text.slice(0, 300)}`).toBe(200);
  const lines = text.split("\n");
  expect(lines.pop()).toBe("");
  const [meta, ...rows] = lines.map((line) => JSON.parse(line));
  for (const row of rows) expect(Object.keys(row), path).toEqual(columns);
  const ordered = compareRows(path, rows, expected, keyColumn, (v) => v);
  surfaces.push({ path, format: "ndjson", columns, lists: [], expected: ordered });
  return meta._meta;
}

/** Every node of a top-level list for a filter, from GraphQL, paged. */
async function nodesOf(list: string, filterType: string, filter: object, selection: string): Promise<any[]> {
  const nodes: any[] = [];
  let after: string | null = null;
  for (;;) {
    const data: any = await t.data(
      `query ($filter: ${filterType}, $after: String) { list: ${list}(first: 25, after: $after, filter: $filter) {
        pageInfo { hasNextPage endCursor } nodes { ${selection} } } }`,
      { filter, after },
    );
    nodes.push(...data.list.nodes);
    if (!data.list.pageInfo.hasNextPage) return nodes;
    after = data.list.pageInfo.endCursor;
  }
}

const keysOf = (connection: { totalCount: number; nodes: { key: string }[] }) => {
  expect(connection.nodes.length).toBe(connection.totalCount);
  return connection.nodes.map((n) => n.key);
};

/** Each list export: its filter, its GraphQL selection, and the documented columns built from a node. */
interface ListCase {
  name: string;
  filterType: string;
  filter: object;
  keyColumn: string;
  selection: string;
  /** The columns in the file's order, each from the GraphQL node. */
  row: (node: any) => Row;
  /** Lists (edge groups) whose columns line up: the units `layout=long` explodes. */
  lists: string[][];
}

const CASES: ListCase[] = [
  {
    name: "operations",
    filterType: "OperationFilter",
    filter: {},
    keyColumn: "key",
    selection: `key name aliases categories actorType summary accountsBanned breakoutScale firstSeen lastSeen firstDisclosedOn
      origins { country { code name } confidence } targets { code name } aiTools { key name } platforms { key name }
      operators { key name } disclosures { report { key publishedOn publisher { key name } } } sources { url kind }`,
    row: (n) => ({
      key: n.key,
      name: n.name,
      aliases: n.aliases,
      categories: n.categories,
      actor_type: n.actorType,
      summary: n.summary,
      accounts_banned: n.accountsBanned,
      breakout_scale: n.breakoutScale,
      first_seen: n.firstSeen,
      last_seen: n.lastSeen,
      first_disclosed_on: n.firstDisclosedOn,
      origin_country_codes: n.origins.map((o: any) => o.country.code),
      origin_country_names: n.origins.map((o: any) => o.country.name),
      origin_confidences: n.origins.map((o: any) => o.confidence),
      target_country_codes: n.targets.map((c: any) => c.code),
      target_country_names: n.targets.map((c: any) => c.name),
      ai_tool_keys: n.aiTools.map((c: any) => c.key),
      ai_tool_names: n.aiTools.map((c: any) => c.name),
      platform_keys: n.platforms.map((c: any) => c.key),
      platform_names: n.platforms.map((c: any) => c.name),
      operator_keys: n.operators.map((c: any) => c.key),
      operator_names: n.operators.map((c: any) => c.name),
      report_keys: n.disclosures.map((d: any) => d.report.key),
      report_published_on: n.disclosures.map((d: any) => d.report.publishedOn),
      publisher_keys: n.disclosures.map((d: any) => d.report.publisher.key),
      publisher_names: n.disclosures.map((d: any) => d.report.publisher.name),
      sources: n.sources.map((s: any) => s.url),
      source_kinds: n.sources.map((s: any) => s.kind),
    }),
    lists: [
      ["aliases"],
      ["categories"],
      ["origin_country_codes", "origin_country_names", "origin_confidences"],
      ["target_country_codes", "target_country_names"],
      ["ai_tool_keys", "ai_tool_names"],
      ["platform_keys", "platform_names"],
      ["operator_keys", "operator_names"],
      ["report_keys", "report_published_on", "publisher_keys", "publisher_names"],
      ["sources", "source_kinds"],
    ],
  },
  {
    name: "reports",
    filterType: "ReportFilter",
    filter: { publisher: ["openai", "microsoft"] },
    keyColumn: "key",
    selection: `key title publisher { key name } publishedOn url periodFrom periodTo summary
      operations(first: 100, orderBy: { field: KEY, direction: ASC }) { totalCount nodes { key } }
      figures { label value qualifier } sources { url kind }`,
    row: (n) => ({
      key: n.key,
      title: n.title,
      publisher_key: n.publisher.key,
      publisher_name: n.publisher.name,
      published_on: n.publishedOn,
      url: n.url,
      period_from: n.periodFrom,
      period_to: n.periodTo,
      summary: n.summary,
      operation_count: n.operations.totalCount,
      operation_keys: keysOf(n.operations),
      figure_labels: n.figures.map((f: any) => f.label),
      figure_values: n.figures.map((f: any) => f.value),
      figure_qualifiers: n.figures.map((f: any) => f.qualifier),
      sources: n.sources.map((s: any) => s.url),
      source_kinds: n.sources.map((s: any) => s.kind),
    }),
    lists: [["operation_keys"], ["figure_labels", "figure_values", "figure_qualifiers"], ["sources", "source_kinds"]],
  },
  {
    name: "statements",
    filterType: "StatementFilter",
    filter: {},
    keyColumn: "key",
    selection: `key quote speaker speakerRole organization { key name } country { code name } saidOn stance sourceUrl sourceKind
      reports(first: 100, orderBy: { field: KEY, direction: ASC }) { totalCount nodes { key } }
      operations(first: 100, orderBy: { field: KEY, direction: ASC }) { totalCount nodes { key } }`,
    row: (n) => ({
      key: n.key,
      quote: n.quote,
      speaker: n.speaker,
      speaker_role: n.speakerRole,
      organization_key: n.organization?.key ?? null,
      organization_name: n.organization?.name ?? null,
      country_code: n.country?.code ?? null,
      country_name: n.country?.name ?? null,
      said_on: n.saidOn,
      stance: n.stance,
      source_url: n.sourceUrl,
      source_kind: n.sourceKind,
      report_keys: keysOf(n.reports),
      operation_keys: keysOf(n.operations),
    }),
    lists: [["report_keys"], ["operation_keys"]],
  },
  {
    name: "companies",
    filterType: "CompanyFilter",
    filter: {},
    keyColumn: "key",
    selection: `key name kind hqCountry { code name } website sources { url kind }`,
    row: (n) => ({
      key: n.key,
      name: n.name,
      kind: n.kind,
      hq_country_code: n.hqCountry?.code ?? null,
      hq_country_name: n.hqCountry?.name ?? null,
      website: n.website,
      sources: n.sources.map((s: any) => s.url),
      source_kinds: n.sources.map((s: any) => s.kind),
    }),
    lists: [["sources", "source_kinds"]],
  },
  {
    name: "countries",
    filterType: "CountryFilter",
    filter: { region: ["EUROPE", "AFRICA"] },
    keyColumn: "code",
    selection: `code alpha3 name region subregion lat lng`,
    row: (n) => ({ code: n.code, alpha3: n.alpha3, name: n.name, region: n.region, subregion: n.subregion, lat: n.lat, lng: n.lng }),
    lists: [],
  },
];

const query = (filter: object, extra: Record<string, string> = {}) =>
  new URLSearchParams({ ...(Object.keys(filter).length ? { filter: JSON.stringify(filter) } : {}), ...extra }).toString();

describe.each(CASES)("/export/$name", (c) => {
  let expected: Row[];
  beforeAll(async () => {
    expected = (await nodesOf(c.name, c.filterType, c.filter, c.selection)).map(c.row);
  });

  it("wide, CSV and NDJSON: every column equals the GraphQL answer for the same filter", async () => {
    expect(expected.length).toBeGreaterThan(3);
    const columns = Object.keys(expected[0]);
    const listColumns = c.lists.flat();
    await checkCsv(`/export/${c.name}.csv?${query(c.filter)}`, columns, expected, c.keyColumn, listColumns);
    const meta = await checkNdjson(`/export/${c.name}.ndjson?${query(c.filter)}`, columns, expected, c.keyColumn);
    expect(meta.fields).toEqual(columns);
    expect(meta.layout).toBe("wide");
    // The list columns named here are exactly the columns that hold lists.
    expect(columns.filter((name) => Array.isArray(expected[0][name]))).toEqual(listColumns);
  });

  it("long, CSV and NDJSON: one row per value of the one list named in fields, its columns lined up", async () => {
    for (const list of c.lists) {
      const fields = list.join(",");
      const rows = expected.flatMap((record) => {
        const length = Math.max(1, (record[list[0]] as Scalar[]).length);
        return Array.from({ length }, (_, i) => ({
          [c.keyColumn]: record[c.keyColumn],
          ...Object.fromEntries(list.map((name) => [name, (record[name] as Scalar[])[i] ?? null])),
        }));
      });
      const columns = [c.keyColumn, ...list];
      await checkCsv(`/export/${c.name}.csv?${query(c.filter, { fields, layout: "long" })}`, columns, rows, c.keyColumn);
      const meta = await checkNdjson(`/export/${c.name}.ndjson?${query(c.filter, { fields, layout: "long" })}`, columns, rows, c.keyColumn);
      expect(meta.layout).toBe("long");
    }
  });

  it("long without one named list is a 400 that says how to ask", async () => {
    const refused = [`/export/${c.name}.csv?layout=long`, `/export/${c.name}.ndjson?layout=long&fields=${c.keyColumn}`];
    if (c.lists.length > 1) refused.push(`/export/${c.name}.csv?layout=long&fields=${c.lists[0][0]},${c.lists[1][0]}`);
    for (const path of refused) {
      const response = await fetch(`${root}${path}`);
      expect(response.status, path).toBe(400);
      const { error } = await response.json();
      expect(error.code, path).toBe("BAD_USER_INPUT");
      if (c.lists.length === 0) {
        expect(error.parameter, path).toBe("layout");
        expect(error.message).toMatch(/layout=wide/);
        continue;
      }
      expect(error.parameter, path).toBe("fields");
      expect(error.message).toMatch(/fields=\w+&layout=long/);
      for (const name of c.lists.flat()) expect(error.message, path).toContain(name);
    }
  });
});

it("layout=long of one list has one row per value: storm-2035's platforms, not targets x platforms x reports x sources", async () => {
  const { operation } = await t.data(`{ operation(key: "storm-2035") { platforms { key } targets { code } sources { url } } }`);
  expect(operation.platforms.length * operation.targets.length * operation.sources.length).toBeGreaterThan(operation.platforms.length);
  const response = await fetch(`${root}/export/operations.csv?fields=platform_keys,platform_names&layout=long`);
  const [, ...records]: string[][] = parse(await response.text());
  expect(records.filter((r) => r[0] === "storm-2035").map((r) => r[1])).toEqual(operation.platforms.map((p: any) => p.key));
});

// ---- statistics ----

const DIMENSIONS = [
  "ACTOR_TYPE",
  "AI_TOOL",
  "BREAKOUT_SCALE",
  "CATEGORY",
  "DISCLOSURE_BREAKOUT_SCALE",
  "OPERATOR",
  "ORIGIN_CONFIDENCE",
  "ORIGIN_COUNTRY",
  "ORIGIN_REGION",
  "PLATFORM",
  "PUBLISHER",
  "QUARTER",
  "REPORT",
  "TARGET_COUNTRY",
  "TARGET_REGION",
  "YEAR",
];
const STATS_FILTER = { category: ["INFLUENCE_OPERATION"] };
const statsData = async (field: string) =>
  (await t.data(`query ($filter: OperationFilter) { operationStats(filter: $filter) { ${field} } }`, { filter: STATS_FILTER })).operationStats;

describe("/export/stats/operations", () => {
  it("the dimension list here is the schema's", async () => {
    const { __type } = await t.data(`{ __type(name: "OperationDimension") { enumValues { name } } }`);
    expect(__type.enumValues.map((v: any) => v.name).sort()).toEqual([...DIMENSIONS].sort());
  });

  it.each(DIMENSIONS)("by/%s, CSV and NDJSON: every column equals operationStats.by", async (dimension) => {
    const { by } = await statsData(`by(dimension: ${dimension}, limit: 5) { buckets { kind key label count share } }`);
    const rows: Row[] = by.buckets.map((b: any) => ({ dimension, kind: b.kind, key: b.key, label: b.label, count: b.count, share: b.share }));
    const columns = ["dimension", "kind", "key", "label", "count", "share"];
    await checkCsv(`/export/stats/operations/by/${dimension}.csv?${query(STATS_FILTER, { limit: "5" })}`, columns, rows, null);
    await checkNdjson(`/export/stats/operations/by/${dimension}.ndjson?${query(STATS_FILTER, { limit: "5" })}`, columns, rows, null);
  });

  it("crossTab, CSV and NDJSON: every column equals operationStats.crossTab", async () => {
    const { crossTab } = await statsData(
      `crossTab(rows: ORIGIN_COUNTRY, columns: PLATFORM) { rows { kind key label } columns { kind key label } cells { row column count } }`,
    );
    const rowOf = new Map(crossTab.rows.map((b: any) => [b.key, b]));
    const columnOf = new Map(crossTab.columns.map((b: any) => [b.key, b]));
    const rows: Row[] = crossTab.cells.map((cell: any) => {
      const r: any = rowOf.get(cell.row);
      const col: any = columnOf.get(cell.column);
      return {
        row_dimension: "ORIGIN_COUNTRY",
        row_kind: r.kind,
        row_key: r.key,
        row_label: r.label,
        column_dimension: "PLATFORM",
        column_kind: col.kind,
        column_key: col.key,
        column_label: col.label,
        count: cell.count,
      };
    });
    expect(rows.some((r) => r.row_kind === "NONE" || r.column_kind === "NONE")).toBe(true);
    const columns = Object.keys(rows[0]);
    await checkCsv(`/export/stats/operations/crossTab/ORIGIN_COUNTRY/PLATFORM.csv?${query(STATS_FILTER)}`, columns, rows, null);
    await checkNdjson(`/export/stats/operations/crossTab/ORIGIN_COUNTRY/PLATFORM.ndjson?${query(STATS_FILTER)}`, columns, rows, null);
  });

  it("overTime with and without splitBy, CSV and NDJSON: every column equals operationStats.overTime", async () => {
    const { overTime } = await statsData(`overTime(interval: YEAR) { buckets { start end count } }`);
    const plain: Row[] = overTime.buckets.map((b: any) => ({ start: b.start, end: b.end, count: b.count }));
    await checkCsv(`/export/stats/operations/overTime/YEAR.csv?${query(STATS_FILTER)}`, ["start", "end", "count"], plain, null);
    await checkNdjson(`/export/stats/operations/overTime/YEAR.ndjson?${query(STATS_FILTER)}`, ["start", "end", "count"], plain, null);
    const split = (await statsData(`overTime(interval: QUARTER, splitBy: ORIGIN_REGION) { buckets { start end count splits { kind key label count share } } }`))
      .overTime;
    const rows: Row[] = split.buckets.flatMap((b: any) =>
      b.splits.map((s: any) => ({
        start: b.start,
        end: b.end,
        split_dimension: "ORIGIN_REGION",
        split_kind: s.kind,
        split_key: s.key,
        split_label: s.label,
        count: s.count,
        share: s.share,
        bucket_count: b.count,
      })),
    );
    expect(rows.length).toBeGreaterThan(4);
    const columns = Object.keys(rows[0]);
    await checkCsv(`/export/stats/operations/overTime/QUARTER.csv?${query(STATS_FILTER, { splitBy: "ORIGIN_REGION" })}`, columns, rows, null);
    await checkNdjson(`/export/stats/operations/overTime/QUARTER.ndjson?${query(STATS_FILTER, { splitBy: "ORIGIN_REGION" })}`, columns, rows, null);
  });
});

// ---- pandas ----

/**
 * Reads each file with pandas as a notebook would: CSV with `keep_default_na=False, na_values=[""]`
 * (so Namibia's code NA stays a code; an empty cell is missing) and list columns read as text and
 * split on `;`; NDJSON after its `_meta` line with `read_json(lines=True)`. Prints every frame as
 * JSON (numpy scalars as Python ones, NaN as null).
 */
const PANDAS_READER = `
import io, json, math, sys, urllib.request
import pandas as pd

def plain(v):
    if isinstance(v, (list, tuple)):
        return [plain(x) for x in v]
    if hasattr(v, "tolist") and not isinstance(v, str):
        v = v.tolist()
        if isinstance(v, list):
            return [plain(x) for x in v]
    if v is None or (isinstance(v, float) and math.isnan(v)) or v is pd.NA:
        return None
    return v

out = []
for job in json.load(sys.stdin):
    if job["format"] == "csv":
        df = pd.read_csv(job["url"], keep_default_na=False, na_values=[""], dtype={c: str for c in job["lists"]})
        for c in job["lists"]:
            df[c] = [v.split(";") if isinstance(v, str) else [] for v in df[c]]
    else:
        lines = urllib.request.urlopen(job["url"]).read().decode("utf-8").splitlines()
        assert json.loads(lines[0]).get("_meta") is not None
        df = pd.read_json(io.StringIO("\\n".join(lines[1:])), lines=True, dtype=False, convert_dates=False)
    out.append({"columns": [str(c) for c in df.columns], "rows": [[plain(v) for v in row] for row in df.itertuples(index=False, name=None)]})
json.dump(out, sys.stdout)
`;

function runPandas(jobs: object[]): Promise<{ columns: string[]; rows: unknown[][] }[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(PYTHON, ["-c", PANDAS_READER]);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk) => (stdout += chunk));
    child.stderr.on("data", (chunk) => (stderr += chunk));
    child.on("error", reject);
    child.on("close", (code) => (code === 0 ? resolve(JSON.parse(stdout)) : reject(new Error(`pandas reader exited ${code}: ${stderr}`))));
    child.stdin.end(JSON.stringify(jobs));
  });
}

describe("pandas", () => {
  it.skipIf(!readWithPandas)(
    "pandas reads every export above to the same values as GraphQL",
    async () => {
      // Every surface of the tests above: each list wide and long, each statistic, CSV and NDJSON.
      expect(surfaces.filter((s) => s.format === "csv").length, "run the whole file: this reads the files the tests above read").toBeGreaterThan(20);
      const frames = await runPandas(surfaces.map((s) => ({ url: `${root}${s.path}`, format: s.format, lists: s.lists })));
      surfaces.forEach((surface, f) => {
        const frame = frames[f];
        expect(frame.columns, surface.path).toEqual(surface.columns);
        expect(frame.rows.length, surface.path).toBe(surface.expected.length);
        frame.rows.forEach((values, r) => {
          surface.columns.forEach((name, i) => {
            const want = surface.expected[r][name];
            const got = values[i];
            const where = `${surface.path} row ${r} ${name}`;
            // pandas' default float parsers (read_csv's, and read_json's without precise_float) can
            // miss the last binary digit (0.17391304347826086 reads as 0.1739130434782608): numbers
            // agree to 13 significant digits, everything else exactly.
            if (typeof want === "number" && typeof got === "number") expect(Math.abs(got - want), where).toBeLessThanOrEqual(Math.abs(want) * 1e-13);
            else if (surface.format === "ndjson") expect(got, where).toEqual(want);
            else if (surface.lists.includes(name)) expect(got, where).toEqual((want as Scalar[]).map(String));
            else expect(got === null ? "" : String(got), where).toBe(cellText(want));
          });
        });
      });
    },
    120_000,
  );
});
