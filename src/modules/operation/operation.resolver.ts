import { Ctx, FieldResolver, Root } from "type-graphql";
import type { Context } from "../../context";
import { ListField } from "../../common/list-field";
import { KeyedResolver, ListQuery } from "../../common/root-queries";
import { Selected } from "../../common/selection";
import type { Selection } from "../../common/selection";
import { Operation } from "./operation.entity";
import { OperationConnection } from "./operation.connection";
import { OperationConnectionArgs } from "./operation.inputs";
import { CompanyRole } from "./operation.enums";
import { OriginAttribution } from "./operation.types";
import { operationByKey, operationsConnection } from "./operation.service";
import { companiesOf, originsOf, targetsOf } from "./operation.edges";
import { Country } from "../country";
import { Company } from "../company";
import { OPERATION_REPORTS, ReportConnection } from "../report";
import { OPERATION_STATEMENTS, StatementConnection } from "../statement";

@ListQuery(
  "operations",
  () => OperationConnection,
  OperationConnectionArgs,
  operationsConnection,
  "Operations that misused AI, as disclosed in threat reports. An operation disclosed by several reports is listed once.",
)
@KeyedResolver("operation", () => Operation, "Slug key, e.g. `sneer-review`.", operationByKey)
export class OperationResolver {
  @ListField(Operation, () => ReportConnection, () => OPERATION_REPORTS, "Reports that disclosed this operation (DISCLOSED_IN edges).")
  reports!: unknown;

  @FieldResolver(() => [OriginAttribution], { description: "Countries the operation is attributed to (ORIGIN edges), each with the publisher's confidence." })
  async origins(@Root() operation: Operation, @Ctx() ctx: Context, @Selected() selection: Selection): Promise<OriginAttribution[]> {
    return originsOf(ctx, operation.id, selection.under("country").fields);
  }

  @FieldResolver(() => [Country], { description: "Countries whose audiences or organisations the operation targeted (TARGET edges)." })
  async targets(@Root() operation: Operation, @Ctx() ctx: Context, @Selected() selection: Selection) {
    return targetsOf(ctx, operation.id, selection.fields);
  }

  @FieldResolver(() => [Company], { description: "Companies whose AI models the operation misused (AI_TOOL edges)." })
  async aiTools(@Root() operation: Operation, @Ctx() ctx: Context, @Selected() selection: Selection) {
    return companiesOf(ctx, operation.id, CompanyRole.AI_TOOL, selection.fields);
  }

  @FieldResolver(() => [Company], { description: "Platforms whose services carried the operation's content (PLATFORM edges)." })
  async platforms(@Root() operation: Operation, @Ctx() ctx: Context, @Selected() selection: Selection) {
    return companiesOf(ctx, operation.id, CompanyRole.PLATFORM, selection.fields);
  }

  @FieldResolver(() => [Company], { description: "Organisations named as running or being behind the operation (OPERATOR edges)." })
  async operators(@Root() operation: Operation, @Ctx() ctx: Context, @Selected() selection: Selection) {
    return companiesOf(ctx, operation.id, CompanyRole.OPERATOR, selection.fields);
  }

  @ListField(Operation, () => StatementConnection, () => OPERATION_STATEMENTS, "Statements about this operation.")
  statements!: unknown;
}
