import { BadUserInputError } from "../../common/errors";
import { isIsoDate } from "../../common/scalars";
import { TimeInterval } from "../stats.enums";
import type { TimeSeries } from "../stats.types";
import { MAX_BUCKETS, MONTHS, UNIT, bucketStart, monthsBetween, nextBucket } from "./calendar";
import { byCountThenKey, byParent, labelsCte, noneBucket, orNone, valueBucket, withClause } from "./dimension";
import type { Dimension, Run, StatsBase } from "./dimension";

/** Marks records dated before `from` in cumulative series. */
const BEFORE = "0001-01-01";

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

/** The date axis of a nullable date column: at most one date per record. */
export const singleDate = (column: string): DateAxisSql => ({
  dates: `(CASE WHEN ${column} IS NULL THEN '{}'::date[] ELSE ARRAY[${column}] END)`,
  first: column,
  single: true,
});

/**
 * Distinct records per calendar bucket in [from, to), every bucket present (zero-filled), optionally
 * split by a dimension, in one statement and one scan. A record counts once per bucket however many
 * of its dates fall in it; cumulative series count each record from its earliest date on, including
 * records dated before `from`. Records with no date are counted in `undated`.
 */
export async function timeSeries(
  run: Run,
  base: StatsBase,
  axis: DateAxisSql,
  split: Dimension | null,
  options: SeriesOptions,
  parents: readonly string[],
): Promise<Map<string, Omit<TimeSeries, "dateAxis">>> {
  const { interval, cumulative } = options;
  const from = options.from ?? null;
  const to = options.to ?? null;
  for (const [name, value] of [
    ["from", from],
    ["to", to],
  ] as const) {
    if (value && !isIsoDate(value)) throw new BadUserInputError(`${name} must be a calendar date written YYYY-MM-DD (got "${value}")`);
  }
  if (from && to && from >= to) throw new BadUserInputError(`from (${from}) must be before to (${to}); to is exclusive`);
  if (from && to && monthsBetween(from, to) / MONTHS[interval] > MAX_BUCKETS) {
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
    const bucket =
      cumulative && lo ? `CASE WHEN ${f} < ${lo} THEN DATE '${BEFORE}' ELSE date_trunc('${unit}', ${f})::date END` : `date_trunc('${unit}', ${f})::date`;
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
    `combos AS (SELECT f.parent, ${startsSql} AS starts, ${keys} AS keys, count(*)::int AS w FROM f GROUP BY 1, 2, 3)`,
    `counted AS (SELECT combos.parent, s.start, u.k, sum(w)::int AS n, COALESCE(sum(w) FILTER (WHERE u.o = 1), 0)::int AS records
                 FROM combos, unnest(combos.starts) AS s(start), unnest(combos.keys) WITH ORDINALITY AS u(k, o) WHERE ${where} GROUP BY combos.parent, s.start, u.k)`,
  ])}
    SELECT counted.parent, counted.start::text AS start, counted.k, key_labels.label, counted.n, counted.records
    FROM counted LEFT JOIN key_labels ON key_labels.k = counted.k`;
  const all: SeriesRow[] = await run(sql, params.values);
  const result = new Map<string, Omit<TimeSeries, "dateAxis">>();
  for (const [parent, rows] of byParent(all, parents)) result.set(parent, assemble(rows, split, options));
  return result;
}

interface SeriesRow {
  parent: string;
  start: string | null;
  k: string | null;
  label: string | null;
  n: number;
  records: number;
}

/** One parent's series from its rows: the zero-filled calendar, totals, splits and running sums. */
function assemble(rows: SeriesRow[], split: Dimension | null, options: SeriesOptions): Omit<TimeSeries, "dateAxis"> {
  const { interval, cumulative } = options;
  const from = options.from ?? null;
  const to = options.to ?? null;
  const unit = UNIT[interval];

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
