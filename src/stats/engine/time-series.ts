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
  /** At disclosure grain: the one date of a row of `f` (else `first`). */
  row?: string;
  /** At disclosure grain: which rows of a record place it (the axis's date is theirs); all when absent. */
  rowFilter?: string;
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
  checkRange(options);
  const { params } = base;
  const counting = countingCtes(base, axis, split, options);
  const sql = `${withClause(base, [labelsCte("key_labels", split ?? { values: "" }), ...counting])}
    SELECT counted.kind, counted.parent, counted.start::text AS start, counted.k, key_labels.label, counted.n
    FROM counted LEFT JOIN key_labels ON key_labels.k = counted.k`;
  const all: SeriesRow[] = await run(sql, params.values);
  const result = new Map<string, Omit<TimeSeries, "dateAxis">>();
  for (const [parent, rows] of byParent(all, parents)) result.set(parent, assemble(rows, split, options));
  return result;
}

/** Refuses a range that is not two calendar dates in order, or spans more buckets than a series may hold; errors name the argument. */
function checkRange(options: SeriesOptions): void {
  const { interval } = options;
  const from = options.from ?? null;
  const to = options.to ?? null;
  for (const [name, value] of [
    ["from", from],
    ["to", to],
  ] as const) {
    if (value && !isIsoDate(value)) throw new BadUserInputError(`${name} must be a calendar date written YYYY-MM-DD (got "${value}")`, name);
  }
  if (from && to && from >= to) throw new BadUserInputError(`from (${from}) must be before to (${to}); to is exclusive`, "from");
  if (from && to && monthsBetween(from, to) / MONTHS[interval] > MAX_BUCKETS) {
    throw new BadUserInputError(
      `from..to spans more than ${MAX_BUCKETS} buckets of a ${interval.toLowerCase()}; narrow the range or use a wider interval`,
      "from",
    );
  }
}

/**
 * The CTEs that count a series, for the base's grain: the range bounds become parameters, and
 * each date is placed in its bucket (before `from`, in cumulative series, under the BEFORE marker).
 */
function countingCtes(base: StatsBase, axis: DateAxisSql, split: Dimension | null, options: SeriesOptions): string[] {
  const { interval, cumulative } = options;
  const from = options.from ?? null;
  const to = options.to ?? null;
  const { params } = base;
  const unit = UNIT[interval];
  const lo = from ? `${params.add(from)}::date` : null;
  const hi = to ? `${params.add(to)}::date` : null;
  const bounds = (d: string) => [lo ? `${d} >= ${lo}` : null, hi ? `${d} < ${hi}` : null].filter(Boolean).join(" AND ") || "true";
  const bucketOf = (d: string) =>
    cumulative && lo ? `CASE WHEN ${d} < ${lo} THEN DATE '${BEFORE}' ELSE date_trunc('${unit}', ${d})::date END` : `date_trunc('${unit}', ${d})::date`;
  const keys = split ? orNone(split.values) : "ARRAY[NULL::text]";
  if (base.record) return recordGrainCounts(base.record, axis, keys, { bounds, bucketOf, cumulative, hi });
  const aligned = (!from || bucketStart(from, interval) === from) && (!to || bucketStart(to, interval) === to);
  return rowGrainCounts(axis, keys, { bounds, bucketOf, cumulative, hi, unit, aligned }, interval);
}

interface CountOptions {
  bounds: (d: string) => string;
  bucketOf: (d: string) => string;
  cumulative: boolean;
  hi: string | null;
}

/**
 * CTEs ending in `counted(kind, parent, start, k, n)` when each row of f is one record: `T` rows give
 * the distinct records per bucket (`start` NULL: undated), `S` rows the records per bucket and split
 * key. Records are grouped by their bucket and key arrays first, so the unnesting runs once per
 * combination, not once per record.
 */
function rowGrainCounts(axis: DateAxisSql, keys: string, o: CountOptions & { unit: string; aligned: boolean }, interval: TimeInterval): string[] {
  // The buckets one record is placed in, as an array: NULL alone for a record with no date (it is
  // counted in `undated`); its earliest date's bucket (cumulative; dates before `from` go to the
  // BEFORE marker); or each bucket holding one of its dates, once.
  let startsSql: string;
  let where = "true";
  const noDate = `cardinality(${axis.dates}) = 0`;
  if (o.cumulative || axis.single) {
    const f = axis.first;
    const inRange = o.cumulative ? (o.hi ? `${f} < ${o.hi}` : "true") : o.bounds(f);
    startsSql = `CASE WHEN ${f} IS NULL THEN ARRAY[NULL::date] WHEN ${inRange} THEN ARRAY[${o.bucketOf(f)}] ELSE '{}'::date[] END`;
  } else if (axis.buckets && o.aligned) {
    startsSql = `CASE WHEN ${noDate} THEN ARRAY[NULL::date] ELSE ${axis.buckets[interval]} END`;
    where = `s.start IS NULL OR (${o.bounds("s.start")})`;
  } else {
    startsSql = `CASE WHEN ${noDate} THEN ARRAY[NULL::date] ELSE ARRAY(SELECT DISTINCT date_trunc('${o.unit}', d)::date FROM unnest(${axis.dates}) d WHERE ${o.bounds("d")}) END`;
  }
  return [
    `combos AS (SELECT f.parent, ${startsSql} AS starts, ${keys} AS keys, count(*)::int AS w FROM f GROUP BY 1, 2, 3)`,
    `placed AS (SELECT combos.parent, s.start, u.k, u.o, combos.w FROM combos, unnest(combos.starts) AS s(start), unnest(combos.keys) WITH ORDINALITY AS u(k, o) WHERE ${where})`,
    `counted AS (SELECT 'S' AS kind, parent, start, k, sum(w)::int AS n FROM placed WHERE start IS NOT NULL GROUP BY parent, start, k
                 UNION ALL SELECT 'T', parent, start, NULL, sum(w)::int FROM placed WHERE o = 1 GROUP BY parent, start)`,
  ];
}

/**
 * The same counts at disclosure grain: a record has a row per disclosure, each row one date (the
 * axis's `row` date) and its keys, and a record counts once per bucket and once per (bucket, key)
 * found in one of its rows, so a split value and a bucket always come from the same disclosure.
 * Cumulative series place a record at its earliest date, and under each key at the earliest date
 * of a row with that key.
 */
function recordGrainCounts(record: string, axis: DateAxisSql, keys: string, o: CountOptions): string[] {
  const date = axis.row ?? axis.first;
  const eligible = axis.rowFilter ?? "true";
  const rows = `rows AS (SELECT f.parent, ${record} AS rec, ${date} AS d, u.k FROM f, unnest(${keys}) AS u(k) WHERE ${eligible})`;
  if (!o.cumulative) {
    return [
      rows,
      `placed AS (SELECT DISTINCT parent, rec, CASE WHEN d IS NULL THEN NULL ELSE ${o.bucketOf("d")} END AS start, k FROM rows WHERE d IS NULL OR (${o.bounds("d")}))`,
      `counted AS (SELECT 'S' AS kind, parent, start, k, count(*)::int AS n FROM placed WHERE start IS NOT NULL GROUP BY parent, start, k
                   UNION ALL SELECT 'T', parent, start, NULL, count(DISTINCT rec)::int FROM placed GROUP BY parent, start)`,
    ];
  }
  const inRange = (d: string) => (o.hi ? `${d} < ${o.hi}` : "true");
  return [
    rows,
    `firsts AS (SELECT parent, rec, k, min(d) AS d FROM rows GROUP BY parent, rec, k)`,
    `earliest AS (SELECT parent, rec, min(d) AS d, bool_and(d IS NULL) AS undated FROM firsts GROUP BY parent, rec)`,
    `counted AS (SELECT 'S' AS kind, parent, ${o.bucketOf("d")} AS start, k, count(*)::int AS n FROM firsts WHERE d IS NOT NULL AND ${inRange("d")} GROUP BY 1, 2, 3, 4
                 UNION ALL SELECT 'T', parent, CASE WHEN undated THEN NULL ELSE ${o.bucketOf("d")} END, NULL, count(*)::int FROM earliest
                   WHERE undated OR ${inRange("d")} GROUP BY 1, 2, 3)`,
  ];
}

interface SeriesRow {
  kind: "T" | "S";
  parent: string;
  start: string | null;
  k: string | null;
  label: string | null;
  n: number;
}

/** One parent's series from its rows: the zero-filled calendar, totals, splits and running sums. */
function assemble(rows: SeriesRow[], split: Dimension | null, options: SeriesOptions): Omit<TimeSeries, "dateAxis"> {
  const { interval } = options;
  const from = options.from ?? null;
  const to = options.to ?? null;

  const undated = rows.filter((row) => row.kind === "T" && row.start === null).reduce((sum, row) => sum + row.n, 0);
  const dated = rows.filter((row) => row.start !== null && row.start !== BEFORE);
  const starts = dated.map((row) => row.start!).sort();
  const rangeFrom = from ?? starts[0] ?? null;
  const rangeTo = to ?? (starts.length ? nextBucket(starts[starts.length - 1], interval) : null);
  if (rangeFrom === null || rangeTo === null) return { interval, from: rangeFrom, to: rangeTo, undated, buckets: [] };
  const series = bucketStarts(rangeFrom, rangeTo, interval);
  const buckets = fillBuckets(series, tally(rows, split), split, options);
  return { interval, from: rangeFrom, to: rangeTo, undated, buckets };
}

/** The start of every bucket from the one holding `rangeFrom` up to `rangeTo`; a calendar too long to answer is refused. */
function bucketStarts(rangeFrom: string, rangeTo: string, interval: TimeInterval): string[] {
  const series: string[] = [];
  for (let start = bucketStart(rangeFrom, interval); start < rangeTo; start = nextBucket(start, interval)) {
    series.push(start);
    if (series.length > MAX_BUCKETS)
      throw new BadUserInputError(`the data spans more than ${MAX_BUCKETS} ${UNIT[interval]}s; set from/to or use a wider interval`, "from");
  }
  return series;
}

/** A parent's counted rows by bucket: totals, counts per (bucket, split key), and the split keys in the order they are shown, with labels. */
interface Tally {
  totals: Map<string, number>;
  perKey: Map<string, number>;
  labels: Map<string | null, string | null>;
  splitKeys: (string | null)[];
}

/** Files each dated row under its bucket, and orders the split keys by their count over the whole series (none last). */
function tally(rows: SeriesRow[], split: Dimension | null): Tally {
  const totals = new Map<string, number>();
  const perKey = new Map<string, number>();
  const keyTotals = new Map<string | null, number>();
  const labels = new Map<string | null, string | null>();
  for (const row of rows) {
    if (row.start === null) continue;
    if (row.kind === "T") {
      totals.set(row.start, row.n);
      continue;
    }
    perKey.set(`${row.start}|${row.k}`, row.n);
    if (split) {
      keyTotals.set(row.k, (keyTotals.get(row.k) ?? 0) + row.n);
      labels.set(row.k, row.label);
    }
  }
  const splitKeys = [...keyTotals.entries()]
    .sort(([a, x], [b, y]) => (a === null ? 1 : b === null ? -1 : byCountThenKey({ key: a, count: x }, { key: b, count: y })))
    .map(([key]) => key);
  return { totals, perKey, labels, splitKeys };
}

/**
 * Every bucket of the calendar with its count and splits, zero when nothing was counted there;
 * cumulative series carry running sums, starting from what was dated before `from`. A bucket
 * states the days it covers: the first and last are clipped to [from, to).
 */
function fillBuckets(series: string[], { totals, perKey, labels, splitKeys }: Tally, split: Dimension | null, options: SeriesOptions): TimeSeries["buckets"] {
  const { interval, cumulative } = options;
  const from = options.from ?? null;
  const to = options.to ?? null;
  let runningTotal = cumulative ? (totals.get(BEFORE) ?? 0) : 0;
  const running = new Map(splitKeys.map((key) => [key, cumulative ? (perKey.get(`${BEFORE}|${key}`) ?? 0) : 0]));
  return series.map((start) => {
    const count = (totals.get(start) ?? 0) + runningTotal;
    if (cumulative) runningTotal = count;
    const splits = splitKeys.map((key) => {
      const n = (perKey.get(`${start}|${key}`) ?? 0) + running.get(key)!;
      if (cumulative) running.set(key, n);
      return key === null ? noneBucket(n, count) : valueBucket(split!, key, labels.get(key) ?? null, n, count);
    });
    const end = nextBucket(start, interval);
    return { start: from && from > start ? from : start, end: to && to < end ? to : end, count, splits };
  });
}
