import { Ctx, FieldResolver, Root } from "type-graphql";
import type { Context } from "../../context";
import { ListField } from "../../common/list-field";
import { KeyedResolver, ListQuery } from "../../common/root-queries";
import { Selected } from "../../common/selection";
import type { Selection } from "../../common/selection";
import { Report, ReportFigure } from "./report.entity";
import { ReportConnection } from "./report.connection";
import { ReportConnectionArgs } from "./report.inputs";
import { figuresOfReport, publisherOf, reportByKey, reportsConnection } from "./report.service";
import { Company } from "../company";
import { OperationConnection, REPORT_OPERATIONS } from "../operation";
import { REPORT_STATEMENTS, StatementConnection } from "../statement";

@ListQuery("reports", () => ReportConnection, ReportConnectionArgs, reportsConnection, "Threat reports.")
@KeyedResolver("report", () => Report, "Slug key, e.g. `openai-2025-06`.", reportByKey)
export class ReportResolver {
  @FieldResolver(() => Company, { description: "The company that published the report." })
  publisher(@Root() report: Report, @Ctx() ctx: Context, @Selected() selection: Selection) {
    return publisherOf(ctx, report, selection.fields);
  }

  @FieldResolver(() => [ReportFigure], { description: "Headline numbers the report states, in the report's order." })
  figures(@Root() report: Report, @Ctx() ctx: Context) {
    return figuresOfReport(ctx, report.id);
  }

  @ListField(Report, () => OperationConnection, () => REPORT_OPERATIONS, "Operations this report disclosed (DISCLOSED_IN edges).")
  operations!: unknown;

  @ListField(Report, () => StatementConnection, () => REPORT_STATEMENTS, "Statements about this report.")
  statements!: unknown;
}
