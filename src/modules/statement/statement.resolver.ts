import { Arg, Args, Ctx, FieldResolver, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../../context";
import { ListField } from "../../common/list-field";
import { Selected } from "../../common/selection";
import type { Selection } from "../../common/selection";
import { Statement } from "./statement.entity";
import { StatementConnection } from "./statement.connection";
import { StatementConnectionArgs } from "./statement.inputs";
import { statementByKey, statementsConnection } from "./statement.service";
import { Country, countriesByCode } from "../country";
import { Company, companiesById } from "../company";
import { ReportConnection, STATEMENT_REPORTS } from "../report";
import { OperationConnection, STATEMENT_OPERATIONS } from "../operation";

@Resolver(() => Statement)
export class StatementResolver {
  @Query(() => Statement, { nullable: true, description: "The statement with this key; a NOT_FOUND error when there is none." })
  statement(@Ctx() ctx: Context, @Arg("key", { description: "Slug key." }) key: string) {
    return statementByKey(ctx, key);
  }

  @Query(() => StatementConnection, { description: "Verbatim statements about reports and operations." })
  statements(@Ctx() ctx: Context, @Args() args: StatementConnectionArgs, @Selected() selection: Selection) {
    return statementsConnection(ctx, args, selection);
  }

  @FieldResolver(() => Company, { nullable: true, description: "The organisation the speaker spoke for, where known." })
  organization(@Root() statement: Statement, @Ctx() ctx: Context) {
    return statement.organizationId ? companiesById(ctx).load(statement.organizationId) : null;
  }

  @FieldResolver(() => Country, { nullable: true, description: "The country the speaker spoke for, where the statement is a government's." })
  country(@Root() statement: Statement, @Ctx() ctx: Context) {
    return statement.countryCode ? countriesByCode(ctx).load(statement.countryCode) : null;
  }

  @ListField(Statement, () => ReportConnection, () => STATEMENT_REPORTS, "Reports this statement is about.")
  reports!: unknown;

  @ListField(Statement, () => OperationConnection, () => STATEMENT_OPERATIONS, "Operations this statement is about.")
  operations!: unknown;
}
