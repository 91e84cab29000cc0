import type { GraphQLSchema } from "graphql";
import { isObjectType } from "graphql";
import type { Context } from "../context";
import type { ResolvedOperationFilter } from "../modules/operation";
import { operationCrossTab, operationDistribution, operationTimeSeries } from "../stats";
import type { Bucket } from "../stats";
import { ParameterError } from "../common/error-answer";
import { parseArgs } from "./params";

/** A statistic as a tidy table: column names and one row per bucket (or bucket and split). */
export interface StatsTable {
  columns: string[];
  rows: Record<string, unknown>[];
  /** Numbers that belong to the whole table (denominator, grand total, undated), for `_meta`. */
  totals: Record<string, unknown>;
  /** The statistic's arguments after coercion and defaults, for `_meta`. */
  args: Record<string, unknown>;
}

/** The path segments each statistic takes, in order, and the argument each one sets. */
export const STATS_PATHS: Record<string, string[]> = {
  by: ["dimension"],
  crossTab: ["rows", "columns"],
  overTime: ["interval"],
};

/**
 * Exports default to every value (limit 500) rather than the API's top 10: a table is for analysis,
 * and folding values into OTHER is what notebook users had to work around.
 */
const EXPORT_DEFAULTS: Record<string, Record<string, unknown>> = { by: { limit: 500 } };

/** Names of the query parameters a statistic takes (besides the filter). */
export function statsParameterNames(schema: GraphQLSchema, statistic: string): string[] {
  const type = schema.getType("OperationStats");
  if (!type || !isObjectType(type)) throw new Error("No OperationStats type in the schema");
  return type
    .getFields()
    [statistic].args.map((arg) => arg.name)
    .filter((name) => !STATS_PATHS[statistic].includes(name));
}

const bucketColumns = (prefix: string, bucket: Bucket | undefined, key: string) => ({
  [`${prefix}kind`]: bucket?.kind ?? "VALUE",
  [`${prefix}key`]: key,
  [`${prefix}label`]: bucket?.label ?? key,
});

/**
 * Computes one operation statistic with the same service functions as `operationStats`, and lays
 * it out long: kind (VALUE, NONE, OTHER), key (ISO code, company key, enum value, 2025-Q3) and
 * label in separate columns, so NONE and OTHER never pass for real values.
 */
export async function operationStatsTable(
  ctx: Context,
  schema: GraphQLSchema,
  statistic: string,
  segments: string[],
  url: URL,
  filter: ResolvedOperationFilter,
  filterFields: ReadonlySet<string>,
): Promise<StatsTable> {
  const names = STATS_PATHS[statistic];
  if (!names || segments.length !== names.length) {
    throw new ParameterError("path", `Use /export/stats/operations/by/<DIMENSION>, /crossTab/<ROWS>/<COLUMNS> or /overTime/<INTERVAL>, with .csv or .ndjson`);
  }
  const type = schema.getType("OperationStats");
  if (!type || !isObjectType(type)) throw new Error("No OperationStats type in the schema");
  const fromPath = Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(segments[i])]));
  const args = parseArgs(
    type.getFields()[statistic].args,
    url,
    fromPath,
    new Set([...filterFields, "filter", "fields"]),
    EXPORT_DEFAULTS[statistic],
  ) as CoercedArgs;
  const selection = { filters: [filter] };
  if (statistic === "by") return distributionTable(ctx, selection, args);
  if (statistic === "crossTab") return crossTabTable(ctx, selection, args);
  return timeSeriesTable(ctx, selection, args);
}

/** A statistic's selection (the resolved filter) and its coerced arguments. */
type Selection = { filters: ResolvedOperationFilter[] };
// Arguments coerced by the schema to OperationStats' argument types.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type CoercedArgs = Record<string, any>;

/** `by/<DIMENSION>`: a row per bucket, with its count and share. */
async function distributionTable(ctx: Context, selection: Selection, args: CoercedArgs): Promise<StatsTable> {
  const distribution = await operationDistribution(ctx, selection, args.dimension, args.limit, args.includeOther, args.unit);
  return {
    columns: ["dimension", "kind", "key", "label", "count", "share"],
    rows: distribution.buckets.map((b) => ({ dimension: args.dimension, kind: b.kind, key: b.key, label: b.label, count: b.count, share: b.share })),
    totals: { denominator: distribution.denominator },
    args,
  };
}

/** `crossTab/<ROWS>/<COLUMNS>`: a row per cell, each side's bucket in its own columns. */
async function crossTabTable(ctx: Context, selection: Selection, args: CoercedArgs): Promise<StatsTable> {
  const table = await operationCrossTab(ctx, selection, args.rows, args.columns, args.unit);
  const rowBuckets = new Map(table.rows.map((b) => [b.key, b]));
  const columnBuckets = new Map(table.columns.map((b) => [b.key, b]));
  return {
    columns: ["row_dimension", "row_kind", "row_key", "row_label", "column_dimension", "column_kind", "column_key", "column_label", "count"],
    rows: table.cells.map((cell) => ({
      row_dimension: args.rows,
      ...bucketColumns("row_", rowBuckets.get(cell.row), cell.row),
      column_dimension: args.columns,
      ...bucketColumns("column_", columnBuckets.get(cell.column), cell.column),
      count: cell.count,
    })),
    totals: { grandTotal: table.grandTotal },
    args,
  };
}

/** `overTime/<INTERVAL>`: a row per bucket, or per bucket and split when `splitBy` is given. */
async function timeSeriesTable(ctx: Context, selection: Selection, args: CoercedArgs): Promise<StatsTable> {
  const series = await operationTimeSeries(ctx, selection, args as Parameters<typeof operationTimeSeries>[2]);
  const split = args.splitBy as string | null;
  const rows = series.buckets.flatMap((bucket) =>
    split
      ? bucket.splits.map((s) => ({
          start: bucket.start,
          end: bucket.end,
          split_dimension: split,
          split_kind: s.kind,
          split_key: s.key,
          split_label: s.label,
          count: s.count,
          share: s.share,
          bucket_count: bucket.count,
        }))
      : [{ start: bucket.start, end: bucket.end, count: bucket.count }],
  );
  return {
    columns: split
      ? ["start", "end", "split_dimension", "split_kind", "split_key", "split_label", "count", "share", "bucket_count"]
      : ["start", "end", "count"],
    rows,
    totals: { from: series.from, to: series.to, undated: series.undated, dateAxis: series.dateAxis },
    args,
  };
}
