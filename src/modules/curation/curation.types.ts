import { Field, ObjectType, registerEnumType } from "type-graphql";
import { Company } from "../company/company.entity";
import { Report } from "../report/report.entity";
import { Operation } from "../operation/operation.entity";
import { Statement } from "../statement/statement.entity";
import { EntitySummaryRow } from "../dataset/dataset.types";

export enum WriteResult {
  CREATED = "CREATED",
  UPDATED = "UPDATED",
  UNCHANGED = "UNCHANGED",
}

registerEnumType(WriteResult, {
  name: "WriteResult",
  description: "What a write did to the record.",
  valuesConfig: {
    CREATED: { description: "The key was new: the record was created." },
    UPDATED: { description: "The stored record changed." },
    UNCHANGED: { description: "The stored record already said this; nothing was written." },
  },
});

@ObjectType({ description: "A problem with the input that the caller can fix; nothing was written." })
export class UserError {
  @Field(() => [String], { description: "Where in the arguments, e.g. `[\"input\", \"origin\", \"0\", \"country\"]`." })
  path!: string[];

  @Field({ description: "What is wrong, as the importer says it." })
  message!: string;
}

function payload<T extends object>(type: new () => T, field: string, what: string) {
  @ObjectType(`${type.name}UpsertPayload`, { description: `Result of \`${field}Upsert\`: the ${what} as stored, or the problems that stopped the write.` })
  class Payload {
    @Field(() => type, { name: field, nullable: true, description: `The ${what} after the write; null when there were problems.` })
    record!: T | null;

    @Field(() => WriteResult, { nullable: true, description: "What the write did; null when there were problems." })
    result!: WriteResult | null;

    @Field(() => [UserError], { description: "Problems with the input; empty when the write succeeded." })
    userErrors!: UserError[];
  }
  return Payload;
}

export const CompanyUpsertPayload = payload(Company, "company", "company");
export const ReportUpsertPayload = payload(Report, "report", "report");
export const OperationUpsertPayload = payload(Operation, "operation", "operation");
export const StatementUpsertPayload = payload(Statement, "statement", "statement");

@ObjectType({ description: "Result of `bundleImport`: what it created, updated and left unchanged, or the problems that stopped it." })
export class BundleImportPayload {
  @Field({ description: "Whether this was a dry run (nothing written)." })
  dryRun!: boolean;

  @Field(() => [EntitySummaryRow], { description: "Per entity: created, updated, unchanged (empty when there were problems)." })
  summary!: EntitySummaryRow[];

  @Field(() => [UserError], { description: "Every problem in the bundle, with its path; empty when the import succeeded." })
  userErrors!: UserError[];

  @Field(() => [UserError], {
    description: "Records imported but flagged, with their path: e.g. a record supported only by MIRROR or OTHER sources. Empty when there were problems.",
  })
  warnings!: UserError[];
}

@ObjectType({ description: "Result of a delete: the key deleted, or the problems that stopped it." })
export class DeletePayload {
  @Field(() => String, { nullable: true, description: "Key of the deleted record; null when there were problems." })
  deletedKey!: string | null;

  @Field(() => [UserError], { description: "Why the record could not be deleted; empty when it was." })
  userErrors!: UserError[];
}
