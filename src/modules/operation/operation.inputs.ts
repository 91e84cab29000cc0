import { ArgsType, Field, InputType, Int } from "type-graphql";
import { FilteredConnectionArgs, OrderDirection, OrderInput, RELEVANCE_ORDER, readerOrder, SearchableFilter } from "../../common/connection";
import { DateScalar } from "../../common/scalars";
import { Region } from "../country";
import { ActorType, AttributionConfidence, OperationCategory } from "./operation.enums";

export enum OperationOrderField {
  NAME = "NAME",
  KEY = "KEY",
  FIRST_DISCLOSED = "FIRST_DISCLOSED",
  BREAKOUT_SCALE = "BREAKOUT_SCALE",
  ACCOUNTS_BANNED = "ACCOUNTS_BANNED",
  RELEVANCE = "RELEVANCE",
}

/** How lists of operations are sorted. */
export const OperationOrder = OrderInput("Operation", "operations", OperationOrderField, {
  note: "Operations without a value sort as the lowest.",
  fields: {
    NAME: readerOrder("Name"),
    KEY: "Slug key.",
    FIRST_DISCLOSED: "Publication date of the earliest report that disclosed the operation.",
    BREAKOUT_SCALE: "Breakout Scale rating.",
    ACCOUNTS_BANNED: "Number of accounts banned.",
    RELEVANCE: RELEVANCE_ORDER,
  },
  byDefault: { field: OperationOrderField.NAME, direction: OrderDirection.ASC },
  tiebreak: "an internal id",
});

@InputType({
  description:
    "What one disclosure stated: an operation matches when one of its disclosures (a report that disclosed it, with the values that report gave) matches every field given. Publishers re-rate, so this selects by what a given report said rather than by the operation's latest values.",
})
export class DisclosureFilter {
  @Field(() => [String], { nullable: true, description: "Disclosed in any of these reports (keys)." })
  report?: string[] | null;

  @Field(() => Int, { nullable: true, description: "That disclosure rated the operation at least this on the Breakout Scale (1-6)." })
  breakoutScaleMin?: number | null;

  @Field(() => Int, { nullable: true, description: "That disclosure rated the operation at most this on the Breakout Scale (1-6)." })
  breakoutScaleMax?: number | null;

  @Field(() => [AttributionConfidence], { nullable: true, description: "That disclosure attributed the operation's origin with any of these confidences." })
  originConfidence?: AttributionConfidence[] | null;
}

/** Bounds of a sample's size. */
export const SAMPLE_SIZE_MAX = 10_000;

@InputType({ description: "A reproducible random sample: the same seed gives the same operations for the same dataset version." })
export class OperationSample {
  @Field(() => Int, { description: `How many operations (1 to ${SAMPLE_SIZE_MAX}); fewer when fewer match the rest of the filter.` })
  size!: number;

  @Field({ description: "Any text (1 to 200 characters); operations are ranked by the MD5 hash of the seed and their key, and the lowest `size` taken." })
  seed!: string;
}

@InputType({
  description:
    'Which operations to select. Values within a field are OR\'ed, fields are AND\'ed; an omitted or empty field does not filter. Unknown country codes and keys are errors, not empty results. The disclosure conditions (`publisher`, `report`, `disclosedFrom`, `disclosedTo` and `disclosure`) all bind to one and the same disclosure: `publisher: ["google"], disclosedFrom: "2025-01-01"` selects operations that a Google report published in or after 2025 disclosed. Statistics then count only those disclosures (their publishers, reports, dates, ratings and accounts banned).',
})
export class OperationFilter extends SearchableFilter("operations", "the name, aliases and summary", "prose") {
  @Field(() => [String], { nullable: true, description: "Attributed to any of these countries (ISO alpha-2 codes), at any confidence." })
  originCountry?: string[] | null;

  @Field(() => [String], { nullable: true, description: "Targeting any of these countries (ISO alpha-2 codes)." })
  targetCountry?: string[] | null;

  @Field(() => [Region], { nullable: true, description: "Attributed to a country in any of these regions." })
  originRegion?: Region[] | null;

  @Field(() => [Region], { nullable: true, description: "Targeting a country in any of these regions." })
  targetRegion?: Region[] | null;

  @Field(() => [OperationCategory], { nullable: true, description: "Having any of these categories." })
  category?: OperationCategory[] | null;

  @Field(() => [ActorType], { nullable: true, description: "Of any of these actor types." })
  actorType?: ActorType[] | null;

  @Field(() => [String], {
    nullable: true,
    description: "Disclosed in a report by any of these publishers (company keys); binds to the same disclosure as the other disclosure conditions.",
  })
  publisher?: string[] | null;

  @Field(() => [String], {
    nullable: true,
    description: "Disclosed in any of these reports (report keys); binds to the same disclosure as the other disclosure conditions.",
  })
  report?: string[] | null;

  @Field(() => [String], { nullable: true, description: "Misusing the AI models of any of these companies (company keys)." })
  aiTool?: string[] | null;

  @Field(() => [String], { nullable: true, description: "Posting on any of these platforms (company keys)." })
  platform?: string[] | null;

  @Field(() => [String], { nullable: true, description: "Run by or linked to any of these organisations (company keys)." })
  operator?: string[] | null;

  @Field(() => DateScalar, {
    nullable: true,
    description:
      "Disclosed by a report published on or after this date; binds to the same disclosure as the other disclosure conditions (with `disclosedTo`, the same report must fall in the range).",
  })
  disclosedFrom?: string | null;

  @Field(() => DateScalar, {
    nullable: true,
    description: "Disclosed by a report published on or before this date; binds to the same disclosure as the other disclosure conditions.",
  })
  disclosedTo?: string | null;

  @Field(() => Int, {
    nullable: true,
    description:
      "The operation's Breakout Scale rating (`Operation.breakoutScale`, the latest a report gave) at least this (1-6); unrated operations are excluded. For what one report said use `disclosure.breakoutScaleMin`.",
  })
  breakoutScaleMin?: number | null;

  @Field(() => Int, {
    nullable: true,
    description: "The operation's Breakout Scale rating (`Operation.breakoutScale`) at most this (1-6); unrated operations are excluded.",
  })
  breakoutScaleMax?: number | null;

  @Field(() => DisclosureFilter, {
    nullable: true,
    description:
      "Only operations one of whose disclosures stated these values (what a given report said, not the latest values); binds to the same disclosure as `publisher`, `report`, `disclosedFrom` and `disclosedTo`. A disclosure whose report gave no rating matches no rating bound.",
  })
  disclosure?: DisclosureFilter | null;

  // A filter field, not a list argument, so statistics and exports take the same sample as lists.
  @Field(() => OperationSample, {
    nullable: true,
    description:
      "A reproducible sample of the operations the rest of the filter selects (bottom-k by hash of seed and key: the same seed and dataset version give the same operations, in lists, statistics and exports alike). In a nested list, the sample is drawn from all operations, then limited to the parent's.",
  })
  sample?: OperationSample | null;
}

/** The arguments of lists of operations: paging, filter and sort order. */
@ArgsType()
export class OperationConnectionArgs extends FilteredConnectionArgs(OperationFilter, OperationOrder, "operations", "by name A-Z") {}
