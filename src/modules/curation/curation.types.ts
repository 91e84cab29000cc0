import { GraphQLJSON } from "graphql-scalars";
import { Field, ObjectType } from "type-graphql";
import { describedEnum } from "../../common/described-enum";
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
export class UserError {
  @Field(() => [String], { description: 'Where in the arguments, e.g. `["input", "origin", "0", "country"]`.' })
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

@ObjectType({ description: "A field of a stored record whose value the import replaces." })
export class FieldChangePreview {
  @Field({ description: "The field, as named in a bundle (e.g. `summary`)." })
  field!: string;

  @Field(() => GraphQLJSON, { nullable: true, description: "The stored value (in bundle form)." })
  before!: unknown;

  @Field(() => GraphQLJSON, { nullable: true, description: "The value after the import (in bundle form)." })
  after!: unknown;
}

@ObjectType({ description: "A list of a stored record that the import adds items to (or, with replaceLists, removes items from)." })
export class ListChangePreview {
  @Field({ description: "The list field, as named in a bundle (e.g. `reportKeys`, `targets`, `sources`)." })
  field!: string;

  @Field(() => [GraphQLJSON], { description: "Items the import adds, in bundle form." })
  added!: unknown[];

  @Field(() => [GraphQLJSON], { description: "Items the import removes (only with replaceLists), in bundle form." })
  removed!: unknown[];
}

@ObjectType({ description: "What the import does to one record of the bundle." })
export class RecordPreview {
  @Field({ description: "`companies`, `reports`, `operations` or `statements`." })
  entity!: string;

  @Field({ description: "Key of the record." })
  key!: string;

  @Field({ description: "Where the record is in the bundle, as a JSON path (e.g. `operations[1]`)." })
  path!: string;

  @Field(() => WriteResult, { description: "Whether the record is created, updated or left unchanged." })
  result!: WriteResult;

  @Field(() => [FieldChangePreview], { description: "For an update: the fields whose value changes, with old and new values." })
  fields!: FieldChangePreview[];

  @Field(() => [ListChangePreview], { description: "For an update: the lists that gain (or lose) items." })
  lists!: ListChangePreview[];
}

@ObjectType({ description: "A stored operation the import links to a report that had not disclosed it yet: a new DISCLOSED_IN edge." })
export class RedisclosurePreview {
  @Field({ description: "Key of the stored operation." })
  operationKey!: string;

  @Field({ description: "Key of the report that discloses it again." })
  reportKey!: string;

  @Field(() => GraphQLJSON, { description: "What that report states about the operation (the edge's values: nameInReport, breakoutScale, ...)." })
  disclosure!: unknown;
}

@ObjectType({ description: "What an import does (or, in a dry run, would do), record by record." })
export class ImportPreviewResult {
  @Field(() => [RecordPreview], { description: "One entry per record of the bundle, in import order (companies, reports, operations, statements)." })
  records!: RecordPreview[];

  @Field(() => [RedisclosurePreview], { description: "The re-disclosures the import links: stored operation -> new report." })
  redisclosures!: RedisclosurePreview[];
}

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
  @Field(() => ImportPreviewResult, {
    nullable: true,
    description:
      "Record by record, what the import did (or, with dryRun, would do): fields with old and new values, list items added, re-disclosures linked. Null when there were problems.",
  })
  preview!: ImportPreviewResult | null;
}

@ObjectType({ description: "Result of a delete: the key deleted, or the problems that stopped it." })
export class DeletePayload {
  @Field(() => String, { nullable: true, description: "Key of the deleted record; null when there were problems." })
  deletedKey!: string | null;

  @Field(() => [UserError], { description: "Why the record could not be deleted; empty when it was." })
  userErrors!: UserError[];
}
