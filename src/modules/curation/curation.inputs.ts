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

const KEEP = "Omit to keep the stored value.";
const LIST = "Added to the stored list unless `replaceLists`.";
const NOTES = { keep: KEEP, list: LIST };

/** A company's fields are the declaration's (src/common/records/company.ts). */
export const CompanyInput = recordInput(
  "CompanyInput",
  "A company to create or update by key, as in a bundle. Fields left out keep their stored values.",
  company,
  { kind: () => CompanyKind, sources: () => [String] },
  NOTES,
);
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

/** A report's fields are the declaration's (src/common/records/report.ts). */
export const ReportInput = recordInput(
  "ReportInput",
  "A report to create or update by key, as in a bundle. Fields left out keep their stored values.",
  report,
  { figures: () => [FigureInput], sources: () => [String] },
  NOTES,
);
export type ReportInput = InstanceType<typeof ReportInput>;

@InputType({ description: "An origin attribution." })
export class OriginInput {
  @Field({ description: "ISO alpha-2 code." })
  country!: string;
  @Field(() => AttributionConfidence, { description: "How firmly the publisher attributes it." })
  confidence!: AttributionConfidence;
}

/** An operation's fields are the declaration's (src/common/records/operation.ts); its disclosures are curated on their own. */
export const OperationInput = recordInput(
  "OperationInput",
  "An operation to create or update by key, as in a bundle. Fields left out keep their stored values; lists are added to.",
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
  NOTES,
);
export type OperationInput = InstanceType<typeof OperationInput>;

/** A statement's fields are the declaration's (src/common/records/statement.ts). */
export const StatementInput = recordInput(
  "StatementInput",
  "A statement to create or update by key, as in a bundle. Fields left out keep their stored values.",
  statement,
  { stance: () => Stance, reportKeys: () => [String], operationKeys: () => [String] },
  NOTES,
);
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
