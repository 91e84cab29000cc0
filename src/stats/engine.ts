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
/** The keys in a text[] expression, or one NULL key (the NONE bucket) when there are none. */
const orNone = (keys: string) => `(CASE WHEN cardinality(${keys}) = 0 THEN ARRAY[NULL::text] ELSE ${keys} END)`;

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
 * without a value. One scan of the base set gives every count: unnesting each record's keys WITH
 * ORDINALITY, the rows with ordinality 1 count each record once, so the denominator needs no
 * second pass. OTHER needs one more scan, and only when some value is beyond the limit.
 */
export async function distribution(dataSource: DataSource, base: StatsBase, dimension: Dimension, limit: number, includeOther: boolean): Promise<Distribution> {
  const limitParam = base.params.add(limit);
  const sql = `${withClause(base, [
    labelsCte("labels", dimension),
    `combos AS MATERIALIZED (SELECT ${dimension.values} AS vals, count(*)::int AS w FROM f GROUP BY 1)`,
    `counts AS MATERIALIZED (SELECT u.k, sum(w)::int AS n, COALESCE(sum(w) FILTER (WHERE u.o = 1), 0)::int AS records
                            FROM combos, unnest(${orNone("combos.vals")}) WITH ORDINALITY AS u(k, o) GROUP BY u.k)`,
    `top AS (SELECT k, n FROM counts WHERE k IS NOT NULL ORDER BY n DESC, k COLLATE "C" LIMIT ${limitParam}::int)`,
    `top_keys AS (SELECT COALESCE(array_agg(k), '{}') AS keys, count(*) AS listed FROM top)`,
  ])}
    SELECT 'VALUE' AS kind, top.k, labels.label, top.n FROM top LEFT JOIN labels ON labels.k = top.k
    UNION ALL SELECT 'NONE', NULL, NULL, COALESCE((SELECT n FROM counts WHERE k IS NULL), 0)
    UNION ALL SELECT 'TOTAL', NULL, NULL, COALESCE((SELECT sum(w) FROM combos), 0)::int
    UNION ALL SELECT 'REMAINING', NULL, NULL, ((SELECT count(*) FROM counts WHERE k IS NOT NULL) - (SELECT listed FROM top_keys))::int
    UNION ALL SELECT 'OTHER', NULL, NULL,
      CASE WHEN ${includeOther ? "true" : "false"} THEN (SELECT COALESCE(sum(w), 0)::int FROM combos, top_keys WHERE NOT (combos.vals <@ top_keys.keys)) ELSE 0 END`;
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
 * Distinct records per pair of values of two dimensions, with row, column and grand totals, from
 * one scan: each record contributes its cross product of keys, and the ordinality-1 rows of each
 * side count it once for the other side's totals. Records without a value sit in NONE rows/columns.
 */
export async function crossTab(dataSource: DataSource, base: StatsBase, rows: Dimension, columns: Dimension): Promise<CrossTab> {
  const sql = `${withClause(base, [
    labelsCte("rl", rows),
    labelsCte("cl", columns),
    `combos AS (SELECT ${rows.values} AS ra, ${columns.values} AS ca, count(*)::int AS w FROM f GROUP BY 1, 2)`,
    `cells AS (SELECT r.k AS rk, c.k AS ck, sum(w)::int AS n,
                      COALESCE(sum(w) FILTER (WHERE c.o = 1), 0)::int AS row_part, COALESCE(sum(w) FILTER (WHERE r.o = 1), 0)::int AS column_part,
                      COALESCE(sum(w) FILTER (WHERE r.o = 1 AND c.o = 1), 0)::int AS total_part
               FROM combos, unnest(${orNone("combos.ra")}) WITH ORDINALITY AS r(k, o), unnest(${orNone("combos.ca")}) WITH ORDINALITY AS c(k, o)
               GROUP BY r.k, c.k)`,
  ])}
    SELECT cells.*, rl.label AS row_label, cl.label AS column_label FROM cells LEFT JOIN rl ON rl.k = cells.rk LEFT JOIN cl ON cl.k = cells.ck`;
  const result: { rk: string | null; ck: string | null; n: number; row_part: number; column_part: number; total_part: number; row_label: string | null; column_label: string | null }[] =
    await dataSource.query(sql, base.params.values);
  const grandTotal = result.reduce((sum, cell) => sum + cell.total_part, 0);
  const totals = (key: (cell: (typeof result)[number]) => string | null, part: (cell: (typeof result)[number]) => number, label: (cell: (typeof result)[number]) => string | null) => {
    const map = new Map<string | null, { count: number; label: string | null }>();
    for (const cell of result) {
      const entry = map.get(key(cell)) ?? { count: 0, label: label(cell) };
      entry.count += part(cell);
      map.set(key(cell), entry);
    }
    return map;
  };
  const headers = (dimension: Dimension, map: Map<string | null, { count: number; label: string | null }>): Bucket[] => {
    const values = [...map.entries()].filter(([key, entry]) => key !== null && entry.count > 0).map(([key, entry]) => valueBucket(dimension, key!, entry.label, entry.count, grandTotal));
    const none = map.get(null);
    return [...values.sort(byCountThenKey), ...(none && none.count > 0 ? [noneBucket(none.count, grandTotal)] : [])];
  };
  return {
    grandTotal,
    rows: headers(rows, totals((c) => c.rk, (c) => c.row_part, (c) => c.row_label)),
    columns: headers(columns, totals((c) => c.ck, (c) => c.column_part, (c) => c.column_label)),
    cells: result
      .map((cell) => ({ row: cell.rk ?? NONE_KEY, column: cell.ck ?? NONE_KEY, count: cell.n }))
      .sort((a, b) => b.count - a.count || (a.row < b.row ? -1 : a.row > b.row ? 1 : a.column < b.column ? -1 : a.column > b.column ? 1 : 0)),
  };
}

const UNIT: Record<TimeInterval, string> = { MONTH: "month", QUARTER: "quarter", YEAR: "year" };
const MONTHS: Record<TimeInterval, number> = { MONTH: 1, QUARTER: 3, YEAR: 12 };
/** The most buckets one series may have (100 years of months). */
export const MAX_BUCKETS = 1200;
/** Marks records dated before `from` in cumulative series. */
const BEFORE = "0001-01-01";

/** First day of the calendar bucket holding a date (UTC, no time). */
export function bucketStart(date: string, interval: TimeInterval): string {
  const month = Number(date.slice(5, 7));
  const first = Math.floor((month - 1) / MONTHS[interval]) * MONTHS[interval] + 1;
  return `${date.slice(0, 4)}-${String(first).padStart(2, "0")}-01`;
}

/** First day of the next bucket. */
export function nextBucket(start: string, interval: TimeInterval): string {
  const months = Number(start.slice(0, 4)) * 12 + Number(start.slice(5, 7)) - 1 + MONTHS[interval];
  return `${String(Math.floor(months / 12)).padStart(4, "0")}-${String((months % 12) + 1).padStart(2, "0")}-01`;
}

export interface SeriesOptions {
  interval: TimeInterval;
  from?: string | null;
  to?: string | null;
  cumulative: boolean;
}

/** Where a record sits in time: all its dates, its earliest one, and optionally its bucket starts precomputed. */
export interface DateAxisSql {
  /** date[] over `f`: every date of the record, without duplicates. */
  dates: string;
  /** The record's earliest date (null when it has none). */
  first: string;
  /** Whether a record has at most one date. */
  single: boolean;
  /** date[] over `f` per interval: the distinct bucket starts of the record's dates, when precomputed. */
  buckets?: Record<TimeInterval, string>;
}

/**
 * Distinct records per calendar bucket in [from, to), every bucket present (zero-filled), optionally
 * split by a dimension, in one statement and one scan. A record counts once per bucket however many
 * of its dates fall in it; cumulative series count each record from its earliest date on, including
 * records dated before `from`. Records with no date are counted in `undated`.
 */
export async function timeSeries(
  dataSource: DataSource,
  base: StatsBase,
  axis: DateAxisSql,
  split: Dimension | null,
  options: SeriesOptions,
): Promise<Omit<TimeSeries, "dateAxis">> {
  const { interval, cumulative } = options;
  const from = options.from ?? null;
  const to = options.to ?? null;
  for (const [name, value] of [["from", from], ["to", to]] as const) {
    if (value && !isIsoDate(value)) throw new BadUserInputError(`${name} must be a calendar date written YYYY-MM-DD (got "${value}")`);
  }
  if (from && to && from >= to) throw new BadUserInputError(`from (${from}) must be before to (${to}); to is exclusive`);
  const months = (d: string) => Number(d.slice(0, 4)) * 12 + Number(d.slice(5, 7));
  if (from && to && (months(to) - months(from)) / MONTHS[interval] > MAX_BUCKETS) {
    throw new BadUserInputError(`from..to spans more than ${MAX_BUCKETS} buckets of a ${interval.toLowerCase()}; narrow the range or use a wider interval`);
  }

  const { params } = base;
  const unit = UNIT[interval];
  const lo = from ? `${params.add(from)}::date` : null;
  const hi = to ? `${params.add(to)}::date` : null;
  const bounds = (d: string) => [lo ? `${d} >= ${lo}` : null, hi ? `${d} < ${hi}` : null].filter(Boolean).join(" AND ") || "true";
  const aligned = (!from || bucketStart(from, interval) === from) && (!to || bucketStart(to, interval) === to);

  // The buckets one record is placed in, as an array: NULL alone for a record with no date (it is
  // counted in `undated`); its earliest date's bucket (cumulative; dates before `from` go to the
  // BEFORE marker); or each bucket holding one of its dates, once.
  let startsSql: string;
  let where = "true";
  const noDate = `cardinality(${axis.dates}) = 0`;
  if (cumulative || axis.single) {
    const f = axis.first;
    const inRange = cumulative ? (hi ? `${f} < ${hi}` : "true") : bounds(f);
    const bucket = cumulative && lo ? `CASE WHEN ${f} < ${lo} THEN DATE '${BEFORE}' ELSE date_trunc('${unit}', ${f})::date END` : `date_trunc('${unit}', ${f})::date`;
    startsSql = `CASE WHEN ${f} IS NULL THEN ARRAY[NULL::date] WHEN ${inRange} THEN ARRAY[${bucket}] ELSE '{}'::date[] END`;
  } else if (axis.buckets && aligned) {
    startsSql = `CASE WHEN ${noDate} THEN ARRAY[NULL::date] ELSE ${axis.buckets[interval]} END`;
    where = `s.start IS NULL OR (${bounds("s.start")})`;
  } else {
    startsSql = `CASE WHEN ${noDate} THEN ARRAY[NULL::date] ELSE ARRAY(SELECT DISTINCT date_trunc('${unit}', d)::date FROM unnest(${axis.dates}) d WHERE ${bounds("d")}) END`;
  }
  const keys = split ? orNone(split.values) : "ARRAY[NULL::text]";
  const sql = `${withClause(base, [
    labelsCte("key_labels", split ?? { values: "" }),
    `combos AS (SELECT ${startsSql} AS starts, ${keys} AS keys, count(*)::int AS w FROM f GROUP BY 1, 2)`,
    `counted AS (SELECT s.start, u.k, sum(w)::int AS n, COALESCE(sum(w) FILTER (WHERE u.o = 1), 0)::int AS records
                 FROM combos, unnest(combos.starts) AS s(start), unnest(combos.keys) WITH ORDINALITY AS u(k, o) WHERE ${where} GROUP BY s.start, u.k)`,
  ])}
    SELECT counted.start::text AS start, counted.k, key_labels.label, counted.n, counted.records
    FROM counted LEFT JOIN key_labels ON key_labels.k = counted.k`;
  const rows: { start: string | null; k: string | null; label: string | null; n: number; records: number }[] = await dataSource.query(sql, params.values);

  const undated = rows.filter((row) => row.start === null).reduce((sum, row) => sum + row.records, 0);
  const dated = rows.filter((row) => row.start !== null && row.start !== BEFORE);
  const starts = dated.map((row) => row.start!).sort();
  const rangeFrom = from ?? starts[0] ?? null;
  const rangeTo = to ?? (starts.length ? nextBucket(starts[starts.length - 1], interval) : null);
  if (rangeFrom === null || rangeTo === null) return { interval, from: rangeFrom, to: rangeTo, undated, buckets: [] };

  const series: string[] = [];
  for (let start = bucketStart(rangeFrom, interval); start < rangeTo; start = nextBucket(start, interval)) {
    series.push(start);
    if (series.length > MAX_BUCKETS) throw new BadUserInputError(`the data spans more than ${MAX_BUCKETS} ${unit}s; set from/to or use a wider interval`);
  }

  const totals = new Map<string, number>();
  const perKey = new Map<string, number>();
  const keyTotals = new Map<string | null, number>();
  const labels = new Map<string | null, string | null>();
  for (const row of rows) {
    if (row.start === null) continue;
    totals.set(row.start, (totals.get(row.start) ?? 0) + row.records);
    perKey.set(`${row.start}|${row.k}`, row.n);
    if (split) {
      keyTotals.set(row.k, (keyTotals.get(row.k) ?? 0) + row.n);
      labels.set(row.k, row.label);
    }
  }
  const splitKeys = [...keyTotals.entries()]
    .sort(([a, x], [b, y]) => (a === null ? 1 : b === null ? -1 : byCountThenKey({ key: a, count: x }, { key: b, count: y })))
    .map(([key]) => key);

  let runningTotal = cumulative ? (totals.get(BEFORE) ?? 0) : 0;
  const running = new Map(splitKeys.map((key) => [key, cumulative ? (perKey.get(`${BEFORE}|${key}`) ?? 0) : 0]));
  const buckets = series.map((start) => {
    const count = (totals.get(start) ?? 0) + runningTotal;
    if (cumulative) runningTotal = count;
    const splits = splitKeys.map((key) => {
      const n = (perKey.get(`${start}|${key}`) ?? 0) + running.get(key)!;
      if (cumulative) running.set(key, n);
      return key === null ? noneBucket(n, count) : valueBucket(split!, key, labels.get(key) ?? null, n, count);
    });
    return { start, end: nextBucket(start, interval), count, splits };
  });
  return { interval, from: rangeFrom, to: rangeTo, undated, buckets };
}
