import { Float, Int, ObjectType } from "type-graphql";
import { ObjectFields, counts, field, nullableField } from "../common/described-object";
import { DateScalar } from "../common/scalars";
import type { NodeTypeName } from "../common/global-id";
import { BucketKind, DateAxis, TimeInterval } from "./stats.enums";

@ObjectType({ description: "One bucket of a distribution: a value of the dimension, NONE, or OTHER, with its count and share." })
export class Bucket extends ObjectFields({
  kind: field(() => BucketKind, "A value of the dimension, the NONE bucket, or the OTHER bucket."),
  key: field(() => String, "The value: an ISO code, a company or report key, an enum value, `3`, `2025`, `2025-Q3`; `(none)` or `(other)` for those buckets."),
  label: field(() => String, "A human-readable name for the value."),
  count: field(() => Int, "Distinct records in the bucket."),
  share: field(() => Float, "count / denominator (0 when the denominator is 0)."),
}) {
  /** The GraphQL type of `node`, when the dimension's values are records. */
  nodeType?: NodeTypeName;
}

@ObjectType({ description: "Counts of distinct records by one dimension: the top values, then OTHER and NONE buckets." })
export class Distribution extends ObjectFields({
  denominator: field(() => Int, "Distinct records selected by the filter: the denominator of every share."),
  buckets: field(() => [Bucket], "Top values by count (ties by key), then OTHER (values beyond the limit) and NONE (records with no value)."),
}) {}

@ObjectType({ description: "One cell of a cross-tabulation: distinct records with both values." })
export class CrossTabCell extends ObjectFields({
  row: field(() => String, "Key of the row bucket."),
  column: field(() => String, "Key of the column bucket."),
  count: field(() => Int, "Distinct records in both buckets."),
}) {}

@ObjectType({ description: "Distinct records by two dimensions, with row, column and grand totals. Only non-empty cells are listed." })
export class CrossTab extends ObjectFields({
  rows: field(() => [Bucket], "Row buckets; `count` is the row total (distinct records with that row value), `share` is over the grand total."),
  columns: field(() => [Bucket], "Column buckets; `count` is the column total, `share` is over the grand total."),
  cells: field(() => [CrossTabCell], "Non-empty cells."),
  grandTotal: field(() => Int, "Distinct records selected by the filter."),
}) {}

@ObjectType({ description: "One time bucket: [start, end) in UTC, with its count and, when split, a count per value." })
export class TimeBucket extends ObjectFields({
  start: field(() => DateScalar, "First day the bucket covers: its calendar boundary, or `from` where the range starts inside the first bucket."),
  end: field(() => DateScalar, "First day after the bucket (exclusive): the next calendar boundary, or `to` where the range ends inside the last bucket."),
  count: field(() => Int, "Distinct records dated in the bucket (cumulative: dated on or before its last day)."),
  splits: field(() => [Bucket], "With `splitBy`: a count per value (every value seen in the range, zero-filled); `share` is over this bucket's count."),
}) {}

@ObjectType({ description: "A time series of distinct records, zero-filled across the range." })
export class TimeSeries extends ObjectFields({
  interval: field(() => TimeInterval, "Bucket width."),
  dateAxis: nullableField(() => DateAxis, "Which date placed each operation (operations only)."),
  from: nullableField(() => DateScalar, "Start of the range (inclusive); null when nothing is dated."),
  to: nullableField(() => DateScalar, "End of the range (exclusive); null when nothing is dated."),
  undated: field(() => Int, "Records selected by the filter that have no date on this axis, left out of the series."),
  buckets: field(() => [TimeBucket], "Buckets in time order, every one present, empty ones with count 0."),
}) {}

@ObjectType({ description: "Totals over the operations a filter selects." })
export class OperationTotals extends ObjectFields(
  counts({
    operations: "Distinct operations.",
    disclosures: "Counted disclosures: operation-report pairs (under disclosure conditions, those meeting them).",
    reports: "Distinct reports of the counted disclosures.",
    accountsBanned:
      "Accounts banned: for each operation and publisher, the latest figure that publisher's counted reports state, summed (each publisher bans accounts on its own services), so the totals of each publisher add up to the whole. A figure recorded on an operation but on none of its disclosures counts only when no disclosure condition is given.",
    operationsStatingAccountsBanned: "Operations one of whose counted disclosures states a number of accounts banned.",
  }),
) {}

@ObjectType({ description: "Totals over the reports a filter selects." })
export class ReportTotals extends ObjectFields(
  counts({
    reports: "Reports.",
    operations: "Distinct operations the reports disclosed.",
    disclosures: "Disclosures: operation-report pairs.",
  }),
) {}

@ObjectType({ description: "How many operations one report disclosed." })
export class ReportOperationCount extends ObjectFields({
  key: field(() => String, "The report's key."),
  title: field(() => String, "The report's title."),
  publishedOn: field(() => DateScalar, "Its publication date."),
  operations: field(() => Int, "Operations it disclosed."),
}) {}
