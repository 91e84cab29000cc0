import type { DataSource } from "typeorm";
import type { NodeTypeName } from "../common/global-id";
import { BadUserInputError } from "../common/errors";
import { isIsoDate } from "../common/scalars";
import type { SqlParams } from "../db/sql";
import { BucketKind, TimeInterval } from "./stats.enums";
import type { Bucket, CrossTab, Distribution, TimeSeries } from "./stats.types";

/**
 * A dimension as SQL: `values` is an expression over a row of the base set `f` giving the record's
 * keys for the dimension as a text[] without duplicates (empty for a record without a value).
 * Labels are looked up only for the keys a result shows.
 */
export interface Dimension {
  values: string;
  /** SQL selecting `(k, label)` for the keys, when labels come from the database. */
  labels?: string;
  nodeType?: NodeTypeName;
  /** Label for keys without a database label (enum values, years). */
  label?: (key: string) => string;
}

const labelsCte = (name: string, dimension: Dimension) => `${name} AS (${dimension.labels ?? "SELECT NULL::text AS k, NULL::text AS label WHERE false"})`;
/** The keys of a record, or one NULL key (the NONE bucket) when it has none. */
const keysOrNone = (dimension: Dimension) => `(CASE WHEN cardinality(${dimension.values}) = 0 THEN ARRAY[NULL::text] ELSE ${dimension.values} END)`;

/** The records a statistic counts: CTEs that define `f` (one row per record, column `id`). */
export interface StatsBase {
  ctes: string[];
  params: SqlParams;
}

export const NONE_KEY = "(none)";
export const OTHER_KEY = "(other)";

/** `INFLUENCE_OPERATION` -> `Influence operation`. */
export function humanize(value: string): string {
  const words = value.toLowerCase().replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const share = (count: number, denominator: number) => (denominator > 0 ? count / denominator : 0);

function valueBucket(dimension: Dimension, key: string, label: string | null, count: number, denominator: number): Bucket {
  return {
    kind: BucketKind.VALUE,
    key,
    label: label ?? dimension.label?.(key) ?? key,
    count,
    share: share(count, denominator),
    nodeType: dimension.nodeType,
  };
}

function noneBucket(count: number, denominator: number): Bucket {
  return { kind: BucketKind.NONE, key: NONE_KEY, label: "None stated", count, share: share(count, denominator) };
}

/** Orders value buckets by count, largest first, then by key (code-point order, as SQL's "C" collation). */
const byCountThenKey = (a: { count: number; key: string }, b: { count: number; key: string }) =>
  b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

const withClause = (base: StatsBase, extra: string[]) => `WITH ${[...base.ctes, ...extra].join(",\n")}`;

/**
 * Distinct records per value of one dimension, in one statement: the top `limit` values, an OTHER
 * bucket counting the distinct records in all remaining values, and a NONE bucket for records
 * without a value. Shares are over the distinct records of the base set.
 */
export async function distribution(dataSource: DataSource, base: StatsBase, dimension: Dimension, limit: number, includeOther: boolean): Promise<Distribution> {
  const limitParam = base.params.add(limit);
  const sql = `${withClause(base, [
    labelsCte("labels", dimension),
    `counts AS (SELECT u.k, count(*)::int AS n FROM f, unnest(${dimension.values}) AS u(k) GROUP BY u.k)`,
    `top AS (SELECT k, n FROM counts ORDER BY n DESC, k COLLATE "C" LIMIT ${limitParam}::int)`,
    `top_keys AS (SELECT COALESCE(array_agg(k), '{}') AS keys FROM top)`,
  ])}
    SELECT 'VALUE' AS kind, top.k, labels.label, top.n FROM top LEFT JOIN labels ON labels.k = top.k
    UNION ALL SELECT 'REMAINING', NULL, NULL, count(*)::int FROM counts WHERE NOT EXISTS (SELECT 1 FROM top t WHERE t.k = counts.k)
    UNION ALL SELECT x.kind, NULL, NULL, x.n FROM (
      SELECT count(*)::int AS total,
             count(*) FILTER (WHERE cardinality(${dimension.values}) = 0)::int AS none,
             count(*) FILTER (WHERE NOT (${dimension.values} <@ top_keys.keys))::int AS other
      FROM f, top_keys) t, LATERAL (VALUES ('TOTAL', t.total), ('NONE', t.none), ('OTHER', t.other)) x(kind, n)`;
  const rows: { kind: string; k: string | null; label: string | null; n: number }[] = await dataSource.query(sql, base.params.values);
  const total = (kind: string) => rows.find((row) => row.kind === kind)?.n ?? 0;
  const denominator = total("TOTAL");
  const buckets = rows
    .filter((row) => row.kind === "VALUE")
    .map((row) => valueBucket(dimension, row.k!, row.label, row.n, denominator))
    .sort(byCountThenKey);
  if (includeOther && total("REMAINING") > 0) {
    buckets.push({ kind: BucketKind.OTHER, key: OTHER_KEY, label: "Other", count: total("OTHER"), share: share(total("OTHER"), denominator) });
  }
  buckets.push(noneBucket(total("NONE"), denominator));
  return { denominator, buckets };
}

/**
 * Distinct records per pair of values of two dimensions, with row totals, column totals and the
 * grand total, in one GROUPING SETS statement. Records without a value sit in NONE rows/columns.
 */
export async function crossTab(dataSource: DataSource, base: StatsBase, rows: Dimension, columns: Dimension): Promise<CrossTab> {
  const sql = `${withClause(base, [labelsCte("rl", rows), labelsCte("cl", columns)])}
    SELECT 0 AS g, r.k AS rk, NULL AS rl, c.k AS ck, NULL AS cl, count(*)::int AS n
      FROM f, unnest(${keysOrNone(rows)}) AS r(k), unnest(${keysOrNone(columns)}) AS c(k) GROUP BY r.k, c.k
    UNION ALL SELECT 1, r.k, max(rl.label), NULL, NULL, count(*)::int FROM f CROSS JOIN unnest(${keysOrNone(rows)}) AS r(k) LEFT JOIN rl ON rl.k = r.k GROUP BY r.k
    UNION ALL SELECT 2, NULL, NULL, c.k, max(cl.label), count(*)::int FROM f CROSS JOIN unnest(${keysOrNone(columns)}) AS c(k) LEFT JOIN cl ON cl.k = c.k GROUP BY c.k
    UNION ALL SELECT 3, NULL, NULL, NULL, NULL, count(*)::int FROM f`;
  const result: { g: number; rk: string | null; rl: string | null; ck: string | null; cl: string | null; n: number }[] = await dataSource.query(sql, base.params.values);
  const grandTotal = result.find((row) => row.g === 3)?.n ?? 0;
  const header = (dimension: Dimension, key: string | null, label: string | null, count: number): Bucket =>
    key === null ? noneBucket(count, grandTotal) : valueBucket(dimension, key, label, count, grandTotal);
  const order = (buckets: Bucket[]) => [...buckets.filter((b) => b.kind === BucketKind.VALUE).sort(byCountThenKey), ...buckets.filter((b) => b.kind === BucketKind.NONE)];
  return {
    grandTotal,
    rows: order(result.filter((row) => row.g === 1).map((row) => header(rows, row.rk, row.rl, row.n))),
    columns: order(result.filter((row) => row.g === 2).map((row) => header(columns, row.ck, row.cl, row.n))),
    cells: result
      .filter((row) => row.g === 0)
      .map((row) => ({ row: row.rk ?? NONE_KEY, column: row.ck ?? NONE_KEY, count: row.n }))
      .sort((a, b) => b.count - a.count || (a.row < b.row ? -1 : a.row > b.row ? 1 : a.column < b.column ? -1 : a.column > b.column ? 1 : 0)),
  };
}

const UNIT: Record<TimeInterval, string> = { MONTH: "month", QUARTER: "quarter", YEAR: "year" };
const STEP: Record<TimeInterval, string> = { MONTH: "1 month", QUARTER: "3 months", YEAR: "1 year" };
/** The most buckets one series may have (100 years of months). */
export const MAX_BUCKETS = 1200;

export interface SeriesOptions {
  interval: TimeInterval;
  from?: string | null;
  to?: string | null;
  cumulative: boolean;
}

/** Where a record sits in time: all its dates (a date[] over `f`), and its earliest one. */
export interface DateAxisSql {
  dates: string;
  first: string;
  /** Whether a record has at most one date (no need to deduplicate buckets per record). */
  single: boolean;
}

/**
 * Distinct records per calendar bucket in [from, to), every bucket present (zero-filled), optionally
 * split by a dimension, in one statement. A record counts once per bucket however many of its dates
 * fall in it; cumulative series count each record from its earliest date on, including records
 * dated before `from`.
 */
export async function timeSeries(
  dataSource: DataSource,
  base: StatsBase,
  axis: DateAxisSql,
  split: Dimension | null,
  options: SeriesOptions,
): Promise<Omit<TimeSeries, "dateAxis">> {
  for (const [name, value] of [["from", options.from], ["to", options.to]] as const) {
    if (value && !isIsoDate(value)) throw new BadUserInputError(`${name} must be a calendar date written YYYY-MM-DD (got "${value}")`);
  }
  if (options.from && options.to && options.from >= options.to) {
    throw new BadUserInputError(`from (${options.from}) must be before to (${options.to}); to is exclusive`);
  }
  if (options.from && options.to) {
    const months = (d: string) => Number(d.slice(0, 4)) * 12 + Number(d.slice(5, 7));
    const perBucket = { MONTH: 1, QUARTER: 3, YEAR: 12 }[options.interval];
    if ((months(options.to) - months(options.from)) / perBucket > MAX_BUCKETS) {
      throw new BadUserInputError(`from..to spans more than ${MAX_BUCKETS} buckets of a ${options.interval.toLowerCase()}; narrow the range or use a wider interval`);
    }
  }
  const { params } = base;
  const unit = UNIT[options.interval];
  const step = STEP[options.interval];
  const from = params.add(options.from ?? null);
  const to = params.add(options.to ?? null);
  const maxBuckets = params.add(MAX_BUCKETS);
  const keysSql = split ? keysOrNone(split) : "ARRAY[NULL::text]";
  // Each record once per bucket: at its earliest date only (cumulative), or at each of its dates.
  const placed = options.cumulative
    ? `placed AS (SELECT ${keysSql} AS keys, date_trunc('${unit}', ${axis.first})::date AS start FROM f, range WHERE ${axis.first} >= range.lo AND ${axis.first} < range.hi)`
    : axis.single
      ? `placed AS (SELECT ${keysSql} AS keys, date_trunc('${unit}', d)::date AS start FROM f, unnest(${axis.dates}) d, range WHERE d >= range.lo AND d < range.hi)`
      : `placed AS (SELECT DISTINCT f.id, ${keysSql} AS keys, date_trunc('${unit}', d)::date AS start FROM f, unnest(${axis.dates}) d, range WHERE d >= range.lo AND d < range.hi)`;
  const sql = `${withClause(base, [
    labelsCte("key_labels", split ?? { values: "" }),
    `bounds AS (SELECT min(d) AS lo, max(d) AS hi FROM f, unnest(${axis.dates}) d)`,
    `range AS (SELECT COALESCE(${from}::date, date_trunc('${unit}', bounds.lo)::date) AS lo,
                      COALESCE(${to}::date, (date_trunc('${unit}', bounds.hi) + interval '${step}')::date) AS hi FROM bounds)`,
    `series AS (SELECT gs::date AS start, (gs + interval '${step}')::date AS stop
                FROM range, generate_series(date_trunc('${unit}', range.lo), range.hi - interval '1 day', interval '${step}') gs)`,
    placed,
    `before AS (SELECT ${keysSql} AS keys FROM f, range WHERE ${options.cumulative ? `${axis.first} < range.lo` : "false"})`,
  ])}
    SELECT 'RANGE' AS part, lo::text AS start, hi::text AS stop, NULL AS k, NULL AS label, 0 AS g,
           ((SELECT count(*) FROM series) > ${maxBuckets}::int)::int AS n FROM range
    UNION ALL SELECT 'SERIES', start::text, stop::text, NULL, NULL, 0, 0 FROM series
    UNION ALL SELECT 'COUNT', start::text, NULL, NULL, NULL, 1, count(*)::int FROM placed GROUP BY start
    UNION ALL SELECT 'COUNT', p.start::text, NULL, u.k, max(l.label), 0, count(*)::int
      FROM placed p CROSS JOIN unnest(p.keys) AS u(k) LEFT JOIN key_labels l ON l.k = u.k ${split ? "" : "WHERE false"} GROUP BY p.start, u.k
    UNION ALL SELECT 'BEFORE', NULL, NULL, NULL, NULL, 1, count(*)::int FROM before
    UNION ALL SELECT 'BEFORE', NULL, NULL, u.k, max(l.label), 0, count(*)::int
      FROM before b CROSS JOIN unnest(b.keys) AS u(k) LEFT JOIN key_labels l ON l.k = u.k ${split ? "" : "WHERE false"} GROUP BY u.k
    UNION ALL SELECT 'UNDATED', NULL, NULL, NULL, NULL, 0, count(*)::int FROM f WHERE cardinality(${axis.dates}) = 0`;
  const rows: { part: string; start: string | null; stop: string | null; k: string | null; label: string | null; g: number; n: number }[] =
    await dataSource.query(sql, params.values);

  const range = rows.find((row) => row.part === "RANGE")!;
  if (range.n === 1) throw new BadUserInputError(`the range holds more than ${MAX_BUCKETS} ${unit}s; narrow from/to or use a wider interval`);
  const undated = rows.find((row) => row.part === "UNDATED")?.n ?? 0;
  const series = rows.filter((row) => row.part === "SERIES");
  if (range.start === null || series.length === 0) {
    return { interval: options.interval, from: range.start, to: range.stop, undated, buckets: [] };
  }

  // Counts by part, bucket start and split key; `*` stands for the total over all keys.
  const counts = new Map<string, number>();
  const labels = new Map<string | null, string | null>();
  const keyTotals = new Map<string | null, number>();
  for (const row of rows) {
    if (row.part !== "COUNT" && row.part !== "BEFORE") continue;
    const key = row.g === 1 ? "*" : `=${row.k}`;
    counts.set(`${row.part}|${row.start}|${key}`, row.n);
    if (row.g === 0) {
      labels.set(row.k, row.label);
      keyTotals.set(row.k, (keyTotals.get(row.k) ?? 0) + row.n);
    }
  }
  const count = (part: string, start: string | null, key: string | null | "*") => counts.get(`${part}|${start}|${key === "*" ? "*" : `=${key}`}`) ?? 0;
  // Split keys seen in the range (or before it, for cumulative series): by count, then key, NONE last.
  const keys = split
    ? [...keyTotals.entries()]
        .sort(([a, x], [b, y]) => (a === null ? 1 : b === null ? -1 : byCountThenKey({ key: a, count: x }, { key: b, count: y })))
        .map(([key]) => key)
    : [];

  let runningTotal = options.cumulative ? count("BEFORE", null, "*") : 0;
  const running = new Map(keys.map((key) => [key, options.cumulative ? count("BEFORE", null, key) : 0]));
  const buckets = series.map((bucket) => {
    const total = count("COUNT", bucket.start, "*") + runningTotal;
    if (options.cumulative) runningTotal = total;
    const splits = keys.map((key) => {
      const n = count("COUNT", bucket.start, key) + running.get(key)!;
      if (options.cumulative) running.set(key, n);
      return key === null ? noneBucket(n, total) : valueBucket(split!, key, labels.get(key) ?? null, n, total);
    });
    return { start: bucket.start!, end: bucket.stop!, count: total, splits };
  });
  return { interval: options.interval, from: range.start, to: range.stop, undated, buckets };
}
