import { ArgsType, Field, InputType, Int } from "type-graphql";
import { anyOf, date, FilterInput, int, keys, nested } from "../../common/filter-input";
import { SortOrder } from "../../common/sort-order";
import { FilteredConnectionArgs, OrderDirection, RELEVANCE_ORDER, readerOrder, SearchableFilter } from "../../common/connection";
import { Region } from "../country";
import { ActorType, AttributionConfidence, OperationCategory } from "./operation.enums";

/** How lists of operations are sorted. */
export const OperationOrder = SortOrder("Operation", "operations", {
  note: "Operations without a value sort as the lowest.",
  fields: {
    NAME: readerOrder("Name"),
    KEY: "Slug key.",
    FIRST_DISCLOSED: "Publication date of the earliest report that disclosed the operation.",
    BREAKOUT_SCALE: "Breakout Scale rating.",
    ACCOUNTS_BANNED: "Number of accounts banned.",
    RELEVANCE: RELEVANCE_ORDER,
  },
  byDefault: { field: "NAME", direction: OrderDirection.ASC },
  tiebreak: "an internal id",
});

export const DisclosureFilter = FilterInput(
  "DisclosureFilter",
  "What one disclosure stated: an operation matches when one of its disclosures (a report that disclosed it, with the values that report gave) matches every field given. Publishers re-rate, so this selects by what a given report said rather than by the operation's latest values.",
  {
    report: keys("Disclosed in any of these reports (keys)."),
    breakoutScaleMin: int("That disclosure rated the operation at least this on the Breakout Scale (1-6)."),
    breakoutScaleMax: int("That disclosure rated the operation at most this on the Breakout Scale (1-6)."),
    originConfidence: anyOf(() => AttributionConfidence, "That disclosure attributed the operation's origin with any of these confidences."),
  },
);
export type DisclosureFilter = InstanceType<typeof DisclosureFilter>;

/** Bounds of a sample's size. */
export const SAMPLE_SIZE_MAX = 10_000;

@InputType({ description: "A reproducible random sample: the same seed gives the same operations for the same dataset version." })
export class OperationSample {
  @Field(() => Int, { description: `How many operations (1 to ${SAMPLE_SIZE_MAX}); fewer when fewer match the rest of the filter.` })
  size!: number;

  @Field({ description: "Any text (1 to 200 characters); operations are ranked by the MD5 hash of the seed and their key, and the lowest `size` taken." })
  seed!: string;
}

export const OperationFilter = FilterInput(
  "OperationFilter",
  'Which operations to select. Values within a field are OR\'ed, fields are AND\'ed; an omitted or empty field does not filter. Unknown country codes and keys are errors, not empty results. The disclosure conditions (`publisher`, `report`, `disclosedFrom`, `disclosedTo` and `disclosure`) all bind to one and the same disclosure: `publisher: ["google"], disclosedFrom: "2025-01-01"` selects operations that a Google report published in or after 2025 disclosed. Statistics then count only those disclosures (their publishers, reports, dates, ratings and accounts banned).',
  {
    originCountry: keys("Attributed to any of these countries (ISO alpha-2 codes), at any confidence."),
    targetCountry: keys("Targeting any of these countries (ISO alpha-2 codes)."),
    originRegion: anyOf(() => Region, "Attributed to a country in any of these regions."),
    targetRegion: anyOf(() => Region, "Targeting a country in any of these regions."),
    category: anyOf(() => OperationCategory, "Having any of these categories."),
    actorType: anyOf(() => ActorType, "Of any of these actor types."),
    publisher: keys("Disclosed in a report by any of these publishers (company keys); binds to the same disclosure as the other disclosure conditions."),
    report: keys("Disclosed in any of these reports (report keys); binds to the same disclosure as the other disclosure conditions."),
    aiTool: keys("Misusing the AI models of any of these companies (company keys)."),
    platform: keys("Posting on any of these platforms (company keys)."),
    operator: keys("Run by or linked to any of these organisations (company keys)."),
    disclosedFrom: date(
      "Disclosed by a report published on or after this date; binds to the same disclosure as the other disclosure conditions (with `disclosedTo`, the same report must fall in the range).",
    ),
    disclosedTo: date("Disclosed by a report published on or before this date; binds to the same disclosure as the other disclosure conditions."),
    breakoutScaleMin: int(
      "The operation's Breakout Scale rating (`Operation.breakoutScale`, the latest a report gave) at least this (1-6); unrated operations are excluded. For what one report said use `disclosure.breakoutScaleMin`.",
    ),
    breakoutScaleMax: int("The operation's Breakout Scale rating (`Operation.breakoutScale`) at most this (1-6); unrated operations are excluded."),
    disclosure: nested(
      () => DisclosureFilter,
      "Only operations one of whose disclosures stated these values (what a given report said, not the latest values); binds to the same disclosure as `publisher`, `report`, `disclosedFrom` and `disclosedTo`. A disclosure whose report gave no rating matches no rating bound.",
    ),
    // A filter field, not a list argument, so statistics and exports take the same sample as lists.
    sample: nested(
      () => OperationSample,
      "A reproducible sample of the operations the rest of the filter selects (bottom-k by hash of seed and key: the same seed and dataset version give the same operations, in lists, statistics and exports alike). In a nested list, the sample is drawn from all operations, then limited to the parent's.",
    ),
  },
  SearchableFilter("operations", "the name, aliases and summary", "prose"),
);
export type OperationFilter = InstanceType<typeof OperationFilter>;

/** The arguments of lists of operations: paging, filter and sort order. */
@ArgsType()
export class OperationConnectionArgs extends FilteredConnectionArgs(OperationFilter, OperationOrder, "operations", "by name A-Z") {}
