import fs from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "csv-parse/sync";
import { DATA_DIR, startTestApp } from "../helpers/app";
import type { TestApp } from "../helpers/app";

let t: TestApp;
let root: string;
const manifest = JSON.parse(fs.readFileSync(path.join(DATA_DIR, "manifest.json"), "utf8"));

beforeAll(async () => {
  // As many exports as connections: the test of aborted exports must not race a slot freeing.
  t = await startTestApp({ env: { DB_POOL_SIZE: "3", MAX_CONCURRENT_EXPORTS: "3" } });
  root = t.url.replace(/\/graphql$/, "");
});
afterAll(async () => {
  await t?.close();
});

const get = (path: string) => fetch(`${root}${path}`);
const csv = async (path: string): Promise<{ header: string[]; rows: Record<string, string>[]; response: Response }> => {
  const response = await get(path);
  expect(response.status, await response.clone().text()).toBe(200);
  const text = await response.text();
  const records: string[][] = parse(text);
  const [header, ...body] = records;
  return { header, rows: body.map((cells) => Object.fromEntries(header.map((name, i) => [name, cells[i]]))), response };
};
const ndjson = async (path: string) => {
  const response = await get(path);
  expect(response.status).toBe(200);
  const lines = (await response.text()).split("\n");
  expect(lines.pop()).toBe("");
  return { lines: lines.map((line) => JSON.parse(line)), response };
};

/** Every operation a filter selects, from the GraphQL list, paged. */
async function operationsFromGraphQL(filter: object): Promise<{ totalCount: number; nodes: any[] }> {
  const nodes: any[] = [];
  let after: string | null = null;
  for (;;) {
    const { operations }: any = await t.data(
      `query ($filter: OperationFilter, $after: String) { operations(first: 100, after: $after, filter: $filter) {
        totalCount pageInfo { hasNextPage endCursor } nodes { key name categories origins { country { code name } confidence } platforms { key name } } } }`,
      { filter, after },
    );
    nodes.push(...operations.nodes);
    if (!operations.pageInfo.hasNextPage) return { totalCount: operations.totalCount, nodes };
    after = operations.pageInfo.endCursor;
  }
}

describe("list exports", () => {
  it("has exactly the rows the GraphQL list has, plus a header, and says which dataset it came from", async () => {
    const expected = await operationsFromGraphQL({ originCountry: ["CN"] });
    expect(expected.totalCount).toBeGreaterThan(5);
    const { header, rows, response } = await csv("/export/operations.csv?originCountry=CN");
    expect(header[0]).toBe("key");
    expect(rows).toHaveLength(expected.totalCount);
    expect(rows.map((r) => r.key).sort()).toEqual(expected.nodes.map((n) => n.key).sort());
    const { dataset } = await t.data(`{ dataset { contentHash } }`);
    expect(response.headers.get("x-dataset-content-hash")).toBe(dataset.contentHash);
    // The release the database holds (data/manifest.json), the hash in a header of its own.
    expect(response.headers.get("x-dataset-version")).toBe(manifest.version);
    expect(response.headers.get("content-type")).toMatch(/^text\/csv/);
  });

  it("NDJSON: a _meta line with the dataset hash and the query, then one object per record", async () => {
    const expected = await operationsFromGraphQL({ originCountry: ["CN"] });
    const { lines, response } = await ndjson("/export/operations.ndjson?originCountry=CN");
    const [meta, ...records] = lines;
    const { dataset } = await t.data(`{ dataset { contentHash } }`);
    expect(meta._meta.dataset.contentHash).toBe(dataset.contentHash);
    expect(meta._meta.dataset.version).toBe(manifest.version);
    expect(meta._meta.filter).toEqual({ originCountry: ["CN"] });
    expect(response.headers.get("x-dataset-content-hash")).toBe(dataset.contentHash);
    expect(records).toHaveLength(expected.totalCount);
    const byKey = new Map(expected.nodes.map((n) => [n.key, n]));
    for (const record of records) {
      const node = byKey.get(record.key);
      expect(record.name).toBe(node.name);
      expect(record.categories).toEqual(node.categories);
      expect(record.origin_country_codes).toEqual(node.origins.map((o: any) => o.country.code));
      expect(record.origin_confidences).toEqual(node.origins.map((o: any) => o.confidence));
    }
  });

  it("takes the filter as repeated or comma-separated parameters and as ?filter=<json>, alike", async () => {
    const filter = { originCountry: ["CN", "RU"], category: ["INFLUENCE_OPERATION", "CYBER_OPERATION"] };
    const expected = (await operationsFromGraphQL(filter)).nodes.map((n) => n.key).sort();
    expect(expected.length).toBeGreaterThan(0);
    const paths = [
      "/export/operations.csv?originCountry=CN,RU&category=INFLUENCE_OPERATION&category=CYBER_OPERATION&fields=key",
      `/export/operations.csv?filter=${encodeURIComponent(JSON.stringify(filter))}&fields=key`,
      `/export/operations.csv?filter=${encodeURIComponent(JSON.stringify({ originCountry: ["CN", "RU"] }))}&category=INFLUENCE_OPERATION,CYBER_OPERATION&fields=key`,
    ];
    for (const path of paths) {
      const { header, rows } = await csv(path);
      expect(header).toEqual(["key"]);
      expect(rows.map((r) => r.key).sort()).toEqual(expected);
    }
  });

  it("fields= chooses columns; lists are ;-joined cells, codes and names in separate columns", async () => {
    const expected = await operationsFromGraphQL({ originCountry: ["CN"] });
    const { header, rows } = await csv("/export/operations.csv?originCountry=CN&fields=origin_country_codes,origin_country_names,platform_names");
    expect(header).toEqual(["key", "origin_country_codes", "origin_country_names", "platform_names"]);
    const byKey = new Map(expected.nodes.map((n) => [n.key, n]));
    for (const row of rows) {
      const node = byKey.get(row.key);
      expect(row.origin_country_codes).toBe(node.origins.map((o: any) => o.country.code).join(";"));
      expect(row.origin_country_names).toBe(node.origins.map((o: any) => o.country.name).join(";"));
      expect(row.platform_names.split(";").filter(Boolean).sort()).toEqual(node.platforms.map((p: any) => p.name).sort());
    }
  });

  it("layout=long: one row per value, values of one edge aligned, records without values kept once", async () => {
    const expected = await operationsFromGraphQL({ category: ["INFLUENCE_OPERATION"] });
    const { rows } = await csv(
      "/export/operations.csv?category=INFLUENCE_OPERATION&fields=origin_country_codes,origin_country_names,origin_confidences&layout=long",
    );
    const expectedRows = expected.nodes.flatMap((n) =>
      n.origins.length === 0 ? [[n.key, "", "", ""]] : n.origins.map((o: any) => [n.key, o.country.code, o.country.name, o.confidence]),
    );
    expect(expected.nodes.some((n) => n.origins.length > 1) || expected.nodes.some((n) => n.origins.length === 0)).toBe(true);
    expect(rows.map((r) => [r.key, r.origin_country_codes, r.origin_country_names, r.origin_confidences]).sort()).toEqual(expectedRows.sort());
  });

  it("exports the other lists with their own filters", async () => {
    const lists: [string, string, string, object][] = [
      ["reports", "ReportFilter", "publisher=openai", { publisher: ["openai"] }],
      ["statements", "StatementFilter", "", {}],
      ["companies", "CompanyFilter", "kind=AI_PROVIDER", { kind: ["AI_PROVIDER"] }],
      ["countries", "CountryFilter", "region=EUROPE", { region: ["EUROPE"] }],
    ];
    for (const [name, type, query, filter] of lists) {
      const data = await t.data(`query ($filter: ${type}) { list: ${name}(filter: $filter) { totalCount } }`, { filter });
      expect(data.list.totalCount).toBeGreaterThan(0);
      const { rows } = await csv(`/export/${name}.csv?${query}`);
      expect(rows, name).toHaveLength(data.list.totalCount);
      const { lines } = await ndjson(`/export/${name}.ndjson?${query}`);
      expect(lines, name).toHaveLength(data.list.totalCount + 1);
    }
  });

  it("answers a bad parameter with a 400 naming it, before any row", async () => {
    const cases: [string, string][] = [
      ["/export/operations.csv?originCountry=XX", "originCountry"],
      ["/export/operations.csv?category=NOT_A_CATEGORY", "category"],
      ["/export/operations.csv?colour=red", "colour"],
      ["/export/operations.csv?fields=key,nope", "fields"],
      ["/export/operations.csv?layout=tall", "layout"],
      ["/export/operations.csv?layout=long", "fields"],
      ["/export/operations.csv?layout=long&fields=categories,platform_keys", "fields"],
      ["/export/countries.csv?layout=long", "layout"],
      ["/export/operations.ndjson?breakoutScaleMin=seven", "breakoutScaleMin"],
      ["/export/operations.csv?filter=%7Bnot%20json", "filter"],
      [`/export/operations.csv?filter=${encodeURIComponent('{"publisher":["no-such-company"]}')}`, "filter.publisher"],
      ["/export/reports.csv?publishedFrom=2025-02-30", "publishedFrom"],
      ["/export/stats/operations/by/NOT_A_DIMENSION.csv", "dimension"],
      ["/export/stats/operations/by/CATEGORY.csv?limit=0", "limit"],
      ["/export/operations.csv?originCountry=XX", "originCountry"],
      ["/export/stats/operations/by/CATEGORY.csv?breakoutScaleMin=4&breakoutScaleMax=2", "filter"],
      ["/export/stats/operations/overTime/YEAR.csv?from=2024-01-01&to=2023-01-01", "from"],
      ["/export/stats/operations/overTime/WEEK.csv", "interval"],
    ];
    for (const [path, parameter] of cases) {
      const response = await get(path);
      expect(response.status, path).toBe(400);
      const body = await response.json();
      expect(body.error.code, path).toBe("BAD_USER_INPUT");
      expect(body.error.parameter, path).toBe(parameter);
      expect(body.error.message.length).toBeGreaterThan(10);
    }
  });

  it("gives its connection back when the client disconnects mid-stream", async () => {
    // The pool has 3 connections: leaking one per aborted export would starve the next requests.
    for (let i = 0; i < 6; i += 1) {
      const controller = new AbortController();
      const response = await fetch(`${root}/export/operations.ndjson`, { signal: controller.signal });
      const reader = response.body!.getReader();
      await reader.read();
      controller.abort();
      await reader.closed.catch(() => undefined);
    }
    const { rows } = await csv("/export/countries.csv?fields=code");
    const { countries } = await t.data(`{ countries { totalCount } }`);
    expect(rows).toHaveLength(countries.totalCount);
    // Every export's snapshot transaction ended: none is left open on a pooled connection.
    const open = await t.sql(`SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND state LIKE 'idle in transaction%'`);
    expect(open[0].n).toBe(0);
  });
});

describe("statistics exports", () => {
  it("by: one row per bucket with kind, key and label; counts equal operationStats", async () => {
    const { operationStats } = await t.data(`{ operationStats { by(dimension: CATEGORY, limit: 500) { denominator buckets { kind key label count } } } }`);
    const { rows } = await csv("/export/stats/operations/by/CATEGORY.csv");
    expect(rows.map((r) => ({ kind: r.kind, key: r.key, label: r.label, count: Number(r.count) }))).toEqual(operationStats.by.buckets);
    const sum = (list: { count: number | string }[]) => list.reduce((total, b) => total + Number(b.count), 0);
    expect(sum(rows as { count: string }[])).toBe(sum(operationStats.by.buckets));
  });

  it("by ORIGIN_COUNTRY with a filter and a limit keeps OTHER and NONE apart from real values", async () => {
    const { operationStats } = await t.data(
      `{ operationStats(filter: { category: [INFLUENCE_OPERATION] }) { by(dimension: ORIGIN_COUNTRY, limit: 2) { buckets { kind key label count } } } }`,
    );
    const { rows } = await csv("/export/stats/operations/by/ORIGIN_COUNTRY.csv?category=INFLUENCE_OPERATION&limit=2");
    expect(rows.map((r) => ({ kind: r.kind, key: r.key, label: r.label, count: Number(r.count) }))).toEqual(operationStats.by.buckets);
    expect(rows.map((r) => r.kind)).toEqual(expect.arrayContaining(["VALUE", "OTHER", "NONE"]));
  });

  it("crossTab: one row per non-empty cell, equal to operationStats", async () => {
    const { operationStats } = await t.data(
      `{ operationStats { crossTab(rows: ORIGIN_COUNTRY, columns: CATEGORY) { cells { row column count } grandTotal } } }`,
    );
    const { rows } = await csv("/export/stats/operations/crossTab/ORIGIN_COUNTRY/CATEGORY.csv");
    const key = (row: string, column: string, count: number) => `${row}|${column}|${count}`;
    expect(rows.map((r) => key(r.row_key, r.column_key, Number(r.count))).sort()).toEqual(
      operationStats.crossTab.cells.map((c: any) => key(c.row, c.column, c.count)).sort(),
    );
  });

  it("overTime with splitBy: one row per bucket and split, equal to operationStats", async () => {
    const { operationStats } = await t.data(
      `{ operationStats { overTime(interval: QUARTER, splitBy: PUBLISHER) { buckets { start end count splits { kind key count } } } } }`,
    );
    const { rows } = await csv("/export/stats/operations/overTime/QUARTER.csv?splitBy=PUBLISHER");
    const expected = operationStats.overTime.buckets.flatMap((b: any) =>
      b.splits.map((s: any) => [b.start, b.end, s.kind, s.key, String(s.count), String(b.count)]),
    );
    expect(expected.length).toBeGreaterThan(0);
    expect(rows.map((r) => [r.start, r.end, r.split_kind, r.split_key, r.count, r.bucket_count])).toEqual(expected);
    const { lines } = await ndjson("/export/stats/operations/overTime/QUARTER.ndjson?splitBy=PUBLISHER");
    expect(lines[0]._meta.args.splitBy).toBe("PUBLISHER");
    expect(lines).toHaveLength(expected.length + 1);
  });
});

describe("export rate limits", () => {
  let limited: TestApp;
  beforeAll(async () => {
    limited = await startTestApp({ loadDataset: false, env: { RATE_LIMIT_POINTS: "5" } });
  });
  afterAll(async () => {
    await limited?.close();
  });

  it("charges exports by rows (1 point plus 1 per 100) and refuses with 429 before any row when the budget is spent", async () => {
    const base = limited.url.replace(/\/graphql$/, "");
    const [{ n }] = await limited.sql(`SELECT count(*)::int AS n FROM country`);
    expect(n).toBeGreaterThan(200);
    const points = 1 + Math.floor(n / 100);
    const first = await fetch(`${base}/export/countries.csv?fields=code`);
    expect(first.status).toBe(200);
    await first.text();
    expect(Number(first.headers.get("x-ratelimit-limit"))).toBe(5);
    expect(Number(first.headers.get("x-ratelimit-remaining"))).toBe(5 - points);
    const second = await fetch(`${base}/export/countries.csv?fields=code`);
    expect(second.status).toBe(429);
    expect(Number(second.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await second.json()).error.code).toBe("RATE_LIMITED");
  });
});
