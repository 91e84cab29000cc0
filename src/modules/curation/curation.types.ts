import { GraphQLJSON } from "graphql-scalars";
import { Field, ObjectType } from "type-graphql";
import { describedEnum } from "../../common/described-enum";
import { ObjectFields, field, nullableField } from "../../common/described-object";
import type { EnumValue } from "../../common/described-enum";
import { Company } from "../company";
import { Report } from "../report";
import { Operation } from "../operation";
import { Statement } from "../statement";
import { EntitySummaryRow } from "../dataset";

export const WriteResult = describedEnum("WriteResult", "What a write did to the record.", {
  CREATED: "The key was new: the record was created.",
  UPDATED: "The stored record changed.",
  UNCHANGED: "The stored record already said this; nothing was written.",
});
export type WriteResult = EnumValue<typeof WriteResult>;

@ObjectType({ description: "A problem with the input that the caller can fix; nothing was written." })
export class UserError extends ObjectFields({
  path: field(() => [String], 'Where in the arguments, e.g. `["input", "origin", "0", "country"]`.'),
  message: field(() => String, "What is wrong, as the importer says it."),
}) {}

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

@ObjectType({ description: "A field of a stored record whose value the import replaces." })
export class FieldChangePreview extends ObjectFields({
  field: field(() => String, "The field, as named in a bundle (e.g. `summary`)."),
  before: nullableField(() => GraphQLJSON, "The stored value (in bundle form)."),
  after: nullableField(() => GraphQLJSON, "The value after the import (in bundle form)."),
}) {}

@ObjectType({ description: "A list of a stored record that the import adds items to (or, with replaceLists, removes items from)." })
export class ListChangePreview extends ObjectFields({
  field: field(() => String, "The list field, as named in a bundle (e.g. `reportKeys`, `targets`, `sources`)."),
  added: field(() => [GraphQLJSON], "Items the import adds, in bundle form."),
  removed: field(() => [GraphQLJSON], "Items the import removes (only with replaceLists), in bundle form."),
}) {}

@ObjectType({ description: "What the import does to one record of the bundle." })
export class RecordPreview extends ObjectFields({
  entity: field(() => String, "`companies`, `reports`, `operations` or `statements`."),
  key: field(() => String, "Key of the record."),
  path: field(() => String, "Where the record is in the bundle, as a JSON path (e.g. `operations[1]`)."),
  result: field(() => WriteResult, "Whether the record is created, updated or left unchanged."),
  fields: field(() => [FieldChangePreview], "For an update: the fields whose value changes, with old and new values."),
  lists: field(() => [ListChangePreview], "For an update: the lists that gain (or lose) items."),
}) {}

@ObjectType({ description: "A stored operation the import links to a report that had not disclosed it yet: a new DISCLOSED_IN edge." })
export class RedisclosurePreview extends ObjectFields({
  operationKey: field(() => String, "Key of the stored operation."),
  reportKey: field(() => String, "Key of the report that discloses it again."),
  disclosure: field(() => GraphQLJSON, "What that report states about the operation (the edge's values: nameInReport, breakoutScale, ...)."),
}) {}

@ObjectType({ description: "What an import does (or, in a dry run, would do), record by record." })
export class ImportPreviewResult extends ObjectFields({
  records: field(() => [RecordPreview], "One entry per record of the bundle, in import order (companies, reports, operations, statements)."),
  redisclosures: field(() => [RedisclosurePreview], "The re-disclosures the import links: stored operation -> new report."),
}) {}

@ObjectType({ description: "Result of `bundleImport`: what it created, updated and left unchanged, or the problems that stopped it." })
export class BundleImportPayload extends ObjectFields({
  dryRun: field(() => Boolean, "Whether this was a dry run (nothing written)."),
  summary: field(() => [EntitySummaryRow], "Per entity: created, updated, unchanged (empty when there were problems)."),
  userErrors: field(() => [UserError], "Every problem in the bundle, with its path; empty when the import succeeded."),
  warnings: field(
    () => [UserError],
    "Records imported but flagged, with their path: e.g. a record supported only by MIRROR or OTHER sources. Empty when there were problems.",
  ),
  preview: nullableField(
    () => ImportPreviewResult,
    "Record by record, what the import did (or, with dryRun, would do): fields with old and new values, list items added, re-disclosures linked. Null when there were problems.",
  ),
}) {}

@ObjectType({ description: "Result of a delete: the key deleted, or the problems that stopped it." })
export class DeletePayload extends ObjectFields({
  deletedKey: nullableField(() => String, "Key of the deleted record; null when there were problems."),
  userErrors: field(() => [UserError], "Why the record could not be deleted; empty when it was."),
}) {}
