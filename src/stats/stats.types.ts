import { Field, Float, Int, ObjectType } from "type-graphql";
import { DateScalar } from "../common/scalars";
import type { NodeTypeName } from "../common/global-id";
import { BucketKind, DateAxis, TimeInterval } from "./stats.enums";

@ObjectType({ description: "One bucket of a distribution: a value of the dimension, NONE, or OTHER, with its count and share." })
export class Bucket {
  @Field(() => BucketKind, { description: "A value of the dimension, the NONE bucket, or the OTHER bucket." })
  kind!: BucketKind;

  @Field({ description: "The value: an ISO code, a company or report key, an enum value, `3`, `2025`, `2025-Q3`; `(none)` or `(other)` for those buckets." })
  key!: string;

  @Field({ description: "A human-readable name for the value." })
  label!: string;

  @Field(() => Int, { description: "Distinct records in the bucket." })
  count!: number;

  @Field(() => Float, { description: "count / denominator (0 when the denominator is 0)." })
  share!: number;

  /** The GraphQL type of `node`, when the dimension's values are records. */
  nodeType?: NodeTypeName;
}

@ObjectType({ description: "Counts of distinct records by one dimension: the top values, then OTHER and NONE buckets." })
export class Distribution {
  @Field(() => Int, { description: "Distinct records selected by the filter: the denominator of every share." })
  denominator!: number;

  @Field(() => [Bucket], { description: "Top values by count (ties by key), then OTHER (values beyond the limit) and NONE (records with no value)." })
  buckets!: Bucket[];
}

@ObjectType({ description: "One cell of a cross-tabulation: distinct records with both values." })
export class CrossTabCell {
  @Field({ description: "Key of the row bucket." })
  row!: string;

  @Field({ description: "Key of the column bucket." })
  column!: string;

  @Field(() => Int, { description: "Distinct records in both buckets." })
  count!: number;
}

@ObjectType({ description: "Distinct records by two dimensions, with row, column and grand totals. Only non-empty cells are listed." })
export class CrossTab {
  @Field(() => [Bucket], { description: "Row buckets; `count` is the row total (distinct records with that row value), `share` is over the grand total." })
  rows!: Bucket[];

  @Field(() => [Bucket], { description: "Column buckets; `count` is the column total, `share` is over the grand total." })
  columns!: Bucket[];

  @Field(() => [CrossTabCell], { description: "Non-empty cells." })
  cells!: CrossTabCell[];

  @Field(() => Int, { description: "Distinct records selected by the filter." })
  grandTotal!: number;
}

@ObjectType({ description: "One time bucket: [start, end) in UTC, with its count and, when split, a count per value." })
export class TimeBucket {
  @Field(() => DateScalar, { description: "First day the bucket covers: its calendar boundary, or `from` where the range starts inside the first bucket." })
  start!: string;

  @Field(() => DateScalar, {
    description: "First day after the bucket (exclusive): the next calendar boundary, or `to` where the range ends inside the last bucket.",
  })
  end!: string;

  @Field(() => Int, { description: "Distinct records dated in the bucket (cumulative: dated on or before its last day)." })
  count!: number;

  @Field(() => [Bucket], {
    description: "With `splitBy`: a count per value (every value seen in the range, zero-filled); `share` is over this bucket's count.",
  })
  splits!: Bucket[];
}

@ObjectType({ description: "A time series of distinct records, zero-filled across the range." })
export class TimeSeries {
  @Field(() => TimeInterval, { description: "Bucket width." })
  interval!: TimeInterval;

  @Field(() => DateAxis, { nullable: true, description: "Which date placed each operation (operations only)." })
  dateAxis!: DateAxis | null;

  @Field(() => DateScalar, { nullable: true, description: "Start of the range (inclusive); null when nothing is dated." })
  from!: string | null;

  @Field(() => DateScalar, { nullable: true, description: "End of the range (exclusive); null when nothing is dated." })
  to!: string | null;

  @Field(() => Int, { description: "Records selected by the filter that have no date on this axis, left out of the series." })
  undated!: number;

  @Field(() => [TimeBucket], { description: "Buckets in time order, every one present, empty ones with count 0." })
  buckets!: TimeBucket[];
}

@ObjectType({ description: "Totals over the operations a filter selects." })
export class OperationTotals {
  @Field(() => Int, { description: "Distinct operations." })
  operations!: number;

  @Field(() => Int, { description: "Counted disclosures: operation-report pairs (under disclosure conditions, those meeting them)." })
  disclosures!: number;

  @Field(() => Int, { description: "Distinct reports of the counted disclosures." })
  reports!: number;

  @Field(() => Int, {
    description:
      "Accounts banned: for each operation and publisher, the latest figure that publisher's counted reports state, summed (each publisher bans accounts on its own services), so the totals of each publisher add up to the whole. A figure recorded on an operation but on none of its disclosures counts only when no disclosure condition is given.",
  })
  accountsBanned!: number;

  @Field(() => Int, { description: "Operations one of whose counted disclosures states a number of accounts banned." })
  operationsStatingAccountsBanned!: number;
}

@ObjectType({ description: "Totals over the reports a filter selects." })
export class ReportTotals {
  @Field(() => Int, { description: "Reports." })
  reports!: number;

  @Field(() => Int, { description: "Distinct operations the reports disclosed." })
  operations!: number;

  @Field(() => Int, { description: "Disclosures: operation-report pairs." })
  disclosures!: number;
}

@ObjectType({ description: "How many operations one report disclosed." })
export class ReportOperationCount {
  @Field({ description: "The report's key." })
  key!: string;

  @Field({ description: "The report's title." })
  title!: string;

  @Field(() => DateScalar, { description: "Its publication date." })
  publishedOn!: string;

  @Field(() => Int, { description: "Operations it disclosed." })
  operations!: number;
}
