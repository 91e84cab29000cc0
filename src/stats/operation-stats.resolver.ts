import { Arg, Args, ArgsType, Ctx, Field, FieldResolver, ObjectType, Query, Resolver, Root } from "type-graphql";
import type { ClassType } from "type-graphql";
import type { Context } from "../context";
import { Node } from "../common/node";
import { OperationFilter, resolveOperationFilter } from "../modules/operation";
import type { ResolvedOperationFilter } from "../modules/operation";
import { Country } from "../modules/country";
import { Company } from "../modules/company";
import { Report } from "../modules/report";
import { loadNode } from "../modules/node";
import { CompanyStatsRole, CountUnit, CountryRole, DateAxis, OperationDimension } from "./stats.enums";
import { TimeRangeArgs, TopValuesArgs } from "./stats.args";
import { Bucket, CrossTab, Distribution, OperationTotals, TimeSeries } from "./stats.types";
import { operationCrossTab, operationDistribution, operationTimeSeries, operationTotals } from "./operation-stats.service";
import type { OperationSelection } from "./operation-bases";

const COUNTING_RULES =
  "An operation counts once per bucket however many reports disclose it (`unit: DISCLOSURES` counts each disclosure instead); an operation with two values of a multi-valued dimension (two origin countries, say) counts in both, so shares can sum above 1; operations with no value fall in the NONE bucket. Attributes of disclosures (publisher, report, disclosure date, a report's own rating) are paired within one disclosure, and under the filter's disclosure conditions only the disclosures meeting them count.";

const UNIT_ARG = { defaultValue: CountUnit.OPERATIONS, description: "What one count stands for: a distinct operation (default) or a disclosure." };

@ObjectType({ description: `Statistics over the operations a filter selects, computed in PostgreSQL. ${COUNTING_RULES}` })
export class OperationStats implements OperationSelection {
  filters!: ResolvedOperationFilter[];
  scope?: OperationSelection["scope"];
}

@Resolver(() => OperationStats)
export class OperationStatsResolver {
  @Query(() => OperationStats, { description: `Statistics over operations; takes the same filter as \`operations\`. ${COUNTING_RULES}` })
  async operationStats(
    @Ctx() ctx: Context,
    @Arg("filter", () => OperationFilter, { nullable: true, description: "Which operations to count (as for `operations`)." }) filter?: OperationFilter | null,
  ): Promise<OperationStats> {
    return { filters: [await resolveOperationFilter(ctx, filter)] };
  }

  @FieldResolver(() => OperationTotals, {
    description:
      "Distinct operations, and their counted disclosures, reports and accounts banned: under the filter's disclosure conditions (publisher, report, dates, `disclosure`) only the disclosures meeting them.",
  })
  totals(@Root() stats: OperationStats, @Ctx() ctx: Context) {
    return operationTotals(ctx, stats);
  }

  @FieldResolver(() => Distribution, {
    description: `Distinct operations per value of one dimension: top \`limit\` values by count, OTHER, NONE. ${COUNTING_RULES}`,
  })
  by(
    @Root() stats: OperationStats,
    @Ctx() ctx: Context,
    @Arg("dimension", () => OperationDimension, { description: "What to count by." }) dimension: OperationDimension,
    @Args() { limit, includeOther }: TopValuesArgs,
    @Arg("unit", () => CountUnit, UNIT_ARG) unit: CountUnit,
  ) {
    return operationDistribution(ctx, stats, dimension, limit, includeOther, unit);
  }

  @FieldResolver(() => CrossTab, { description: "Distinct operations per pair of values of two dimensions, with row, column and grand totals." })
  crossTab(
    @Root() stats: OperationStats,
    @Ctx() ctx: Context,
    @Arg("rows", () => OperationDimension, { description: "Dimension of the rows." }) rows: OperationDimension,
    @Arg("columns", () => OperationDimension, { description: "Dimension of the columns." }) columns: OperationDimension,
    @Arg("unit", () => CountUnit, UNIT_ARG) unit: CountUnit,
  ) {
    return operationCrossTab(ctx, stats, rows, columns, unit);
  }

  @FieldResolver(() => TimeSeries, {
    description:
      "Distinct operations per calendar bucket, zero-filled across the range, in UTC. `from` is inclusive and `to` exclusive (the first and last buckets state the days they cover); by default the range spans the data. An operation counts once per bucket; split by a disclosure attribute on a disclosure date axis, under the values of the disclosures dated in that bucket.",
  })
  overTime(
    @Root() stats: OperationStats,
    @Ctx() ctx: Context,
    @Args() range: TimeRangeArgs,
    @Arg("dateAxis", () => DateAxis, { defaultValue: DateAxis.FIRST_DISCLOSED, description: "Which date places an operation in time." }) dateAxis: DateAxis,
    @Arg("splitBy", () => OperationDimension, { nullable: true, description: "Also count per value of this dimension, in each bucket." })
    splitBy: OperationDimension | null,
    @Arg("cumulative", { defaultValue: false, description: "Count every operation dated on or before each bucket's end (running total)." }) cumulative: boolean,
    @Arg("unit", () => CountUnit, UNIT_ARG) unit: CountUnit,
  ) {
    return operationTimeSeries(ctx, stats, { ...range, dateAxis, splitBy, cumulative, unit });
  }
}

@Resolver(() => Bucket)
export class BucketResolver {
  @FieldResolver(() => Node, {
    nullable: true,
    description: "The record the bucket stands for (a Country, Company or Report), when the dimension's values are records.",
  })
  node(@Root() bucket: Bucket, @Ctx() ctx: Context) {
    return bucket.nodeType && bucket.kind === "VALUE" ? loadNode(ctx, bucket.nodeType, bucket.key) : null;
  }
}

/** The operations a record's `stats` counts, beyond those it takes part in. */
@ArgsType()
class ScopedStatsArgs {
  @Field(() => OperationFilter, { nullable: true, description: "Narrows the operations further." })
  filter?: OperationFilter | null;
}

@ArgsType()
class CountryStatsArgs extends ScopedStatsArgs {
  @Field(() => CountryRole, { defaultValue: CountryRole.ORIGIN, description: "Operations from the country, or aimed at it." })
  role!: CountryRole;
}

@ArgsType()
class CompanyStatsArgs extends ScopedStatsArgs {
  @Field(() => CompanyStatsRole, { description: "The company's part in the operations." })
  role!: CompanyStatsRole;
}

/**
 * `stats` on a kind of record (country, company, report): statistics over the operations a record
 * takes part in, as `scope` names them from the record and its arguments, further narrowed by `filter`.
 */
function ScopedStatsResolver<R extends object, A extends ScopedStatsArgs>(
  recordType: ClassType<R>,
  argsType: ClassType<A>,
  description: string,
  scope: (record: R, args: A) => NonNullable<OperationSelection["scope"]>,
) {
  @Resolver(() => recordType)
  class ScopedStatsFields {
    @FieldResolver(() => OperationStats, { description })
    async stats(@Root() record: R, @Ctx() ctx: Context, @Args(() => argsType) args: A): Promise<OperationStats> {
      return { filters: [await resolveOperationFilter(ctx, args.filter)], scope: scope(record, args) };
    }
  }
  return ScopedStatsFields;
}

export const CountryStatsResolver = ScopedStatsResolver(
  Country,
  CountryStatsArgs,
  "Statistics over the operations attributed to (or targeting) this country, further narrowed by `filter`.",
  (country, { role }) => ({ kind: role, value: country.code }),
);

export const CompanyStatsResolver = ScopedStatsResolver(
  Company,
  CompanyStatsArgs,
  "Statistics over the operations this company is part of in the given role, further narrowed by `filter`.",
  (company, { role }) => ({ kind: role, value: company.id }),
);

export const ReportStatsResolver = ScopedStatsResolver(
  Report,
  ScopedStatsArgs,
  "Statistics over the operations this report disclosed, further narrowed by `filter`.",
  (report) => ({ kind: "REPORT", value: report.id }),
);
