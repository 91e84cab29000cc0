import { Arg, Ctx, Int, Mutation, Query, Resolver } from "type-graphql";
import type { Context } from "../../context";
import { AuditEntry } from "../audit";
import { BundleImportInput, CompanyInput, DeleteInput, OperationInput, ReportInput, StatementInput } from "./curation.inputs";
import {
  BundleImportPayload,
  CompanyUpsertPayload,
  DeletePayload,
  OperationUpsertPayload,
  ReportUpsertPayload,
  StatementUpsertPayload,
} from "./curation.types";
import { auditLog, deleteRecord, importBundleInput, upsertRecord } from "./curation.service";

const AUTH = "Needs `Authorization: Bearer <key>` with an editor or admin key; leaves an audit entry. Validated exactly as the importer validates a bundle.";

@Resolver()
export class CurationResolver {
  @Mutation(() => CompanyUpsertPayload, { description: `Creates or updates a company by key. ${AUTH}` })
  companyUpsert(@Ctx() ctx: Context, @Arg("input", () => CompanyInput, { description: "The company, as in a bundle." }) input: CompanyInput) {
    return upsertRecord(ctx, "companies", "companyUpsert", input as never);
  }

  @Mutation(() => ReportUpsertPayload, { description: `Creates or updates a report by key. ${AUTH}` })
  reportUpsert(@Ctx() ctx: Context, @Arg("input", () => ReportInput, { description: "The report, as in a bundle." }) input: ReportInput) {
    return upsertRecord(ctx, "reports", "reportUpsert", input as never);
  }

  @Mutation(() => OperationUpsertPayload, { description: `Creates or updates an operation by key; lists are added to unless replaceLists. ${AUTH}` })
  operationUpsert(@Ctx() ctx: Context, @Arg("input", () => OperationInput, { description: "The operation, as in a bundle." }) input: OperationInput) {
    return upsertRecord(ctx, "operations", "operationUpsert", input as never);
  }

  @Mutation(() => StatementUpsertPayload, { description: `Creates or updates a statement by key. ${AUTH}` })
  statementUpsert(@Ctx() ctx: Context, @Arg("input", () => StatementInput, { description: "The statement, as in a bundle." }) input: StatementInput) {
    return upsertRecord(ctx, "statements", "statementUpsert", input as never);
  }

  @Mutation(() => BundleImportPayload, { description: `Imports a whole bundle in one transaction. ${AUTH}` })
  bundleImport(@Ctx() ctx: Context, @Arg("input", () => BundleImportInput, { description: "The bundle and how to import it." }) input: BundleImportInput) {
    return importBundleInput(ctx, input);
  }

  @Mutation(() => DeletePayload, { description: "Deletes a company no record refers to. Needs an admin key; leaves an audit entry." })
  companyDelete(@Ctx() ctx: Context, @Arg("input", () => DeleteInput, { description: "Which company." }) input: DeleteInput) {
    return deleteRecord(ctx, "companies", "companyDelete", input.key);
  }

  @Mutation(() => DeletePayload, {
    description: "Deletes a report that is not the only disclosure of any operation. Needs an admin key; leaves an audit entry.",
  })
  reportDelete(@Ctx() ctx: Context, @Arg("input", () => DeleteInput, { description: "Which report." }) input: DeleteInput) {
    return deleteRecord(ctx, "reports", "reportDelete", input.key);
  }

  @Mutation(() => DeletePayload, { description: "Deletes an operation with its edges. Needs an admin key; leaves an audit entry." })
  operationDelete(@Ctx() ctx: Context, @Arg("input", () => DeleteInput, { description: "Which operation." }) input: DeleteInput) {
    return deleteRecord(ctx, "operations", "operationDelete", input.key);
  }

  @Mutation(() => DeletePayload, { description: "Deletes a statement. Needs an admin key; leaves an audit entry." })
  statementDelete(@Ctx() ctx: Context, @Arg("input", () => DeleteInput, { description: "Which statement." }) input: DeleteInput) {
    return deleteRecord(ctx, "statements", "statementDelete", input.key);
  }

  @Query(() => [AuditEntry], { description: "The latest writes made through the API, newest first. Needs an admin key." })
  auditLog(
    @Ctx() ctx: Context,
    @Arg("last", () => Int, { defaultValue: 20, description: "How many entries (1 to 100)." }) last: number,
    @Arg("recordKey", () => String, { nullable: true, description: "Only entries about the record with this key." }) recordKey: string | null,
  ) {
    return auditLog(ctx, last, recordKey);
  }
}
