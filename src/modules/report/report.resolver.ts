import { Arg, Args, Ctx, FieldResolver, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../../context";
import { Selected } from "../../common/selection";
import type { Selection } from "../../common/selection";
import { Report, ReportFigure } from "./report.entity";
import { ReportConnection } from "./report.connection";
import { ReportConnectionArgs } from "./report.inputs";
import { figuresOfReport, publisherOf, reportByKey, reportsConnection } from "./report.service";
import { Company } from "../company";
import { OperationConnection, OperationConnectionArgs, REPORT_OPERATIONS } from "../operation";
import { REPORT_STATEMENTS, StatementConnection, StatementConnectionArgs } from "../statement";

@Resolver(() => Report)
export class ReportResolver {
  @Query(() => Report, { nullable: true, description: "The report with this key; a NOT_FOUND error when there is none." })
  report(@Ctx() ctx: Context, @Arg("key", { description: "Slug key, e.g. `openai-2025-06`." }) key: string, @Selected() selection: Selection) {
    return reportByKey(ctx, key, selection);
  }

  @Query(() => ReportConnection, { description: "Threat reports." })
  reports(@Ctx() ctx: Context, @Args() args: ReportConnectionArgs, @Selected() selection: Selection) {
    return reportsConnection(ctx, args, selection);
  }

  @FieldResolver(() => Company, { description: "The company that published the report." })
  publisher(@Root() report: Report, @Ctx() ctx: Context, @Selected() selection: Selection) {
    return publisherOf(ctx, report, selection.fields);
  }

  @FieldResolver(() => [ReportFigure], { description: "Headline numbers the report states, in the report's order." })
  figures(@Root() report: Report, @Ctx() ctx: Context) {
    return figuresOfReport(ctx, report.id);
  }

  @FieldResolver(() => OperationConnection, { description: "Operations this report disclosed (DISCLOSED_IN edges)." })
  operations(
    @Root() report: Report,
    @Ctx() ctx: Context,
    @Args(() => OperationConnectionArgs) args: OperationConnectionArgs,
    @Selected() selection: Selection,
  ) {
    return REPORT_OPERATIONS.connection(ctx, report, args, selection);
  }

  @FieldResolver(() => StatementConnection, { description: "Statements about this report." })
  statements(
    @Root() report: Report,
    @Ctx() ctx: Context,
    @Args(() => StatementConnectionArgs) args: StatementConnectionArgs,
    @Selected() selection: Selection,
  ) {
    return REPORT_STATEMENTS.connection(ctx, report, args, selection);
  }
}
