import { Field, Float, InputType } from "type-graphql";
import { GraphQLJSONObject } from "graphql-scalars";
import { CompanyKind } from "../company";
import { ActorType, AttributionConfidence, OperationCategory } from "../operation";
import { Stance } from "../statement";
import { report } from "../../common/records/report";
import { company } from "../../common/records/company";
import { statement } from "../../common/records/statement";
import { operation } from "../../common/records/operation";
import { recordInput } from "../../common/records/graphql";
import type { RecordDecl } from "../../common/records/declare";

const KEEP = "Omit to keep the stored value.";
const LIST = "Added to the stored list unless `replaceLists`.";
const NOTES = { keep: KEEP, list: LIST };

type FieldTypes = Parameters<typeof recordInput>[3];

/**
 * The curation input of a record type (`CompanyInput` for the table `company`), its fields as the
 * type's declaration gives them (src/common/records/<table>.ts), described alike for every type;
 * `more` adds to the description.
 */
function bundleInput<D extends RecordDecl>(decl: D, types: FieldTypes, more = "") {
  const noun = decl.table;
  const name = `${noun.charAt(0).toUpperCase()}${noun.slice(1)}Input`;
  const article = /^[aeiou]/.test(noun) ? "An" : "A";
  return recordInput(
    name,
    `${article} ${noun} to create or update by key, as in a bundle. Fields left out keep their stored values${more}.`,
    decl,
    types,
    NOTES,
  );
}

export const CompanyInput = bundleInput(company, { kind: () => CompanyKind, sources: () => [String] });
export type CompanyInput = InstanceType<typeof CompanyInput>;

@InputType({ description: "A headline figure of a report." })
export class FigureInput {
  @Field({ description: "What is counted." })
  label!: string;
  @Field(() => Float, { description: "The number as stated." })
  value!: number;
  @Field({ description: "`exactly`, `more than`, `about`, ..." })
  qualifier!: string;
}

export const ReportInput = bundleInput(report, { figures: () => [FigureInput], sources: () => [String] });
export type ReportInput = InstanceType<typeof ReportInput>;

@InputType({ description: "An origin attribution." })
export class OriginInput {
  @Field({ description: "ISO alpha-2 code." })
  country!: string;
  @Field(() => AttributionConfidence, { description: "How firmly the publisher attributes it." })
  confidence!: AttributionConfidence;
}

/** An operation's disclosures are curated on their own. */
export const OperationInput = bundleInput(
  operation,
  {
    aliases: () => [String],
    reportKeys: () => [String],
    categories: () => [OperationCategory],
    actorType: () => ActorType,
    origin: () => [OriginInput],
    targets: () => [String],
    aiTools: () => [String],
    platforms: () => [String],
    operators: () => [String],
    sources: () => [String],
  },
  "; lists are added to",
);
export type OperationInput = InstanceType<typeof OperationInput>;

export const StatementInput = bundleInput(statement, { stance: () => Stance, reportKeys: () => [String], operationKeys: () => [String] });
export type StatementInput = InstanceType<typeof StatementInput>;

@InputType({ description: "A whole bundle, in the format of docs/bundle-format.md." })
export class BundleImportInput {
  @Field(() => GraphQLJSONObject, { description: "The bundle document: `{ batch, companies, reports, operations, statements }`." })
  bundle!: Record<string, unknown>;
  @Field({ defaultValue: false, description: "Validate and report what would change, writing nothing." })
  dryRun!: boolean;
  @Field(() => Boolean, { defaultValue: false, description: "Replace stored lists with the lists given instead of adding to them." })
  replaceLists!: boolean;
}

@InputType({ description: "Which record to delete." })
export class DeleteInput {
  @Field({ description: "Key of the record." })
  key!: string;
}
