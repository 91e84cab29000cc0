import { declareRecord, field } from "./declare";
import type { RecordOf } from "./declare";
import { breakoutScaleField, nullableCountField, nullableTextField, orNull, ref, vocabularySchema } from "./fields";
import { ATTRIBUTION_CONFIDENCE_VOCABULARY } from "../vocabulary";

/**
 * What one report stated about an operation: the DISCLOSED_IN edge (table operation_report), one
 * per report, given in a bundle as an entry of the operation's `disclosures`. Every value but the
 * report may be left out: what the report did not state.
 */
export const disclosure = declareRecord({
  table: "operation_report",
  identity: "report",
  description: "What one report stated about the operation.",
  fields: {
    report: field<string>({
      column: "report_id",
      write: "report",
      stored: "r.key",
      sqlType: "int",
      nullable: false,
      schema: ref("key"),
      bundle: { description: "Key of the report.", examples: ["openai-2024-10"] },
      graphql: "The report that disclosed the operation.",
      check: { ref: "reports" },
    }),
    nameInReport: nullableTextField("name_in_report", {
      sqlType: "text",
      bundle: { description: "The report's own name for the operation, where it differs; or null.", examples: ["Bad Grammar"] },
      graphql: "The report's own name for the operation, where it differs from the operation's name.",
    }),
    breakoutScale: breakoutScaleField({
      sqlType: "int2",
      bundle: { description: "The Breakout Scale this report gave (1-6), or null.", examples: [3] },
      graphql: "The Breakout Scale rating (1 to 6) this report gave the operation; null where it gave none.",
    }),
    accountsBanned: nullableCountField("accounts_banned", {
      sqlType: "int",
      bundle: { description: "Accounts banned this report stated, or null.", examples: [25] },
      graphql: "Accounts this report said were banned for the operation; null where it did not say.",
    }),
    originConfidence: field<string | null>({
      column: "origin_confidence",
      sqlType: "text",
      nullable: true,
      schema: orNull(vocabularySchema(ATTRIBUTION_CONFIDENCE_VOCABULARY)),
      bundle: { description: "How firmly this report attributed the operation to its country of origin, or null.", examples: ["LIKELY"] },
      graphql: "How firmly this report attributed the operation to its country of origin; null where it did not say.",
    }),
    quote: nullableTextField("quote", {
      sqlType: "text",
      bundle: {
        description: "The report's own words that state this disclosure's values (verbatim; several sentences joined by ` […] `), or null.",
        examples: [
          "Using the Breakout Scale to assess the impact of IO, which rates them on a scale of 1 (lowest) to 6 (highest), we would assess this operation as being in Category Three",
        ],
      },
      graphql: "The report's own words that state this disclosure's values (rating, accounts banned, attribution), verbatim; null where not recorded.",
    }),
    locator: nullableTextField("locator", {
      sqlType: "text",
      bundle: {
        description: "Where in the report the quote stands: a page, section or case-study heading, or null.",
        examples: ["Operation “Stop News”, Impact (pp. 25-28)"],
      },
      graphql: "Where in the report `quote` stands: a page, section or case-study heading; null where not recorded.",
    }),
  },
});

/** A disclosure as a bundle gives it: the report's key, and any value that report stated. */
export type DisclosureRecord = Omit<RecordOf<typeof disclosure>, "key" | "report"> & { report: string };

/** The values a disclosure states (every field but the report), in field order. */
export const DISCLOSED_VALUES = Object.keys(disclosure.fields).filter((name) => name !== disclosure.identity) as Exclude<
  keyof typeof disclosure.fields,
  "report"
>[];

/**
 * The values an operation takes from its latest disclosure that states them (src/import/finish.ts):
 * its Breakout Scale and accounts banned, and its origins' confidence.
 */
export const DERIVED_FIELDS = ["breakoutScale", "accountsBanned", "originConfidence"] as const satisfies (typeof DISCLOSED_VALUES)[number][];
