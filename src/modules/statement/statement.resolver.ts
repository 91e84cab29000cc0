import { Arg, Args, Ctx, FieldResolver, Query, Resolver, Root } from "type-graphql";
import type { Context } from "../../context";
import { Selected } from "../../common/selection";
import type { Selection } from "../../common/selection";
import { Statement } from "./statement.entity";
import { StatementConnection } from "./statement.connection";
import { StatementConnectionArgs } from "./statement.inputs";
import { statementByKey, statementsConnection } from "./statement.service";
import { Country, countriesByCode } from "../country";
import { Company, companiesById } from "../company";
import { ReportConnection, ReportConnectionArgs, STATEMENT_REPORTS } from "../report";
import { OperationConnection, OperationConnectionArgs, STATEMENT_OPERATIONS } from "../operation";

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

  @FieldResolver(() => ReportConnection, { description: "Reports this statement is about." })
  reports(@Root() statement: Statement, @Ctx() ctx: Context, @Args(() => ReportConnectionArgs) args: ReportConnectionArgs, @Selected() selection: Selection) {
    return STATEMENT_REPORTS.connection(ctx, statement, args, selection);
  }

  @FieldResolver(() => OperationConnection, { description: "Operations this statement is about." })
  operations(
    @Root() statement: Statement,
    @Ctx() ctx: Context,
    @Args(() => OperationConnectionArgs) args: OperationConnectionArgs,
    @Selected() selection: Selection,
  ) {
    return STATEMENT_OPERATIONS.connection(ctx, statement, args, selection);
  }
}
