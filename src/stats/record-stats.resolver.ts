import { Arg, Args, Ctx, FieldResolver, Int, ObjectType, Query, Resolver, Root } from "type-graphql";
import type { ClassType } from "type-graphql";
import type { Context } from "../context";
import { ReportFilter, resolveReportFilter } from "../modules/report";
import type { ResolvedReportFilter } from "../modules/report";
import { StatementFilter, resolveStatementFilter } from "../modules/statement";
import type { ResolvedStatementFilter } from "../modules/statement";
import { ReportDimension, StatementDimension } from "./stats.enums";
import { TimeRangeArgs, TopValuesArgs } from "./stats.args";
import { Distribution, ReportOperationCount, ReportTotals, TimeSeries } from "./stats.types";
import { REPORT_STATS, STATEMENT_STATS, operationsPerReport, recordDistribution, recordTimeSeries, reportTotals, statementTotal } from "./record-stats.service";
import type { RecordStatsOf } from "./record-stats.service";

@ObjectType({ description: "Statistics over the reports a filter selects, computed in PostgreSQL." })
export class ReportStats {
  filter!: ResolvedReportFilter;
}

@ObjectType({
  description: "Statistics over the statements a filter selects, computed in PostgreSQL. Statements with no value for a dimension fall in the NONE bucket.",
})
export class StatementStats {
  filter!: ResolvedStatementFilter;
}

const CUMULATIVE = { defaultValue: false, description: "Count every record dated on or before each bucket's end (running total)." };

/** A kind of record's statistics: its root query and filter, its dimensions, and what its fields say. */
interface RecordStatsDecl<F, D extends string, I extends object> {
  statsType: ClassType<{ filter: F }>;
  of: RecordStatsOf<F, D>;
  dimensionEnum: object;
  query: string;
  /** The list whose filter the query takes (`reports`). */
  list: string;
  filterType: ClassType<I>;
  resolveFilter: (ctx: Context, filter: I | null | undefined) => Promise<F>;
  describe: { by: string; overTime: string };
}

/**
 * The statistics every kind of record offers, the same for reports and statements: the root query
 * (`reportStats(filter)`), which resolves the filter once for every statistic below it; `by`, a
 * distribution over one dimension; and `overTime`, a time series optionally split by one. A record
 * kind's resolver extends it with the statistics of its own.
 */
function RecordStatsResolver<F, D extends string, I extends object>(decl: RecordStatsDecl<F, D, I>) {
  const { statsType, of, dimensionEnum, list, describe } = decl;

  @Resolver(() => statsType)
  abstract class RecordStatsFields {
    @Query(() => statsType, { name: decl.query, description: `Statistics over ${list}; takes the same filter as \`${list}\`.` })
    async stats(
      @Ctx() ctx: Context,
      @Arg("filter", () => decl.filterType, { nullable: true, description: `Which ${list} to count (as for \`${list}\`).` }) filter?: I | null,
    ): Promise<{ filter: F }> {
      return { filter: await decl.resolveFilter(ctx, filter) };
    }

    @FieldResolver(() => Distribution, { description: describe.by })
    by(
      @Root() stats: { filter: F },
      @Ctx() ctx: Context,
      @Arg("dimension", () => dimensionEnum, { description: "What to count by." }) dimension: D,
      @Args() { limit, includeOther }: TopValuesArgs,
    ) {
      return recordDistribution(ctx, of, stats.filter, dimension, limit, includeOther);
    }

    @FieldResolver(() => TimeSeries, { description: describe.overTime })
    overTime(
      @Root() stats: { filter: F },
      @Ctx() ctx: Context,
      @Args() range: TimeRangeArgs,
      @Arg("splitBy", () => dimensionEnum, { nullable: true, description: "Also count per value of this dimension." }) splitBy: D | null,
      @Arg("cumulative", CUMULATIVE) cumulative: boolean,
    ) {
      return recordTimeSeries(ctx, of, stats.filter, splitBy, { ...range, cumulative });
    }
  }
  return RecordStatsFields;
}

@Resolver(() => ReportStats)
export class ReportStatsQueryResolver extends RecordStatsResolver({
  statsType: ReportStats,
  of: REPORT_STATS,
  dimensionEnum: ReportDimension,
  query: "reportStats",
  list: "reports",
  filterType: ReportFilter,
  resolveFilter: resolveReportFilter,
  describe: {
    by: "Reports per publisher, year or quarter.",
    overTime: "Reports per calendar bucket of publication, zero-filled, in UTC; `from` inclusive, `to` exclusive.",
  },
}) {
  @FieldResolver(() => ReportTotals, { description: "Reports, the distinct operations they disclosed, and disclosures." })
  totals(@Root() stats: ReportStats, @Ctx() ctx: Context) {
    return reportTotals(ctx, stats.filter);
  }

  @FieldResolver(() => [ReportOperationCount], { description: "Operations disclosed per report, most first (ties: newest, then key)." })
  operationsPerReport(
    @Root() stats: ReportStats,
    @Ctx() ctx: Context,
    @Arg("limit", () => Int, { defaultValue: 20, description: "How many reports (1 to 500)." }) limit: number,
  ) {
    return operationsPerReport(ctx, stats.filter, limit);
  }
}

@Resolver(() => StatementStats)
export class StatementStatsQueryResolver extends RecordStatsResolver({
  statsType: StatementStats,
  of: STATEMENT_STATS,
  dimensionEnum: StatementDimension,
  query: "statementStats",
  list: "statements",
  filterType: StatementFilter,
  resolveFilter: resolveStatementFilter,
  describe: {
    by: "Statements per stance, organisation, country or year.",
    overTime: "Statements per calendar bucket of the date said, zero-filled, in UTC; undated statements are counted in `undated`.",
  },
}) {
  @FieldResolver(() => Int, { description: "Statements selected by the filter." })
  total(@Root() stats: StatementStats, @Ctx() ctx: Context) {
    return statementTotal(ctx, stats.filter);
  }
}
