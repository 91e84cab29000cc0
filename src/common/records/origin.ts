import { declareRecord, field } from "./declare";
import { ref, vocabularySchema } from "./fields";
import { ATTRIBUTION_CONFIDENCE_VOCABULARY } from "../vocabulary";

/**
 * A country an operation is attributed to (ORIGIN edge, table operation_origin), given in a bundle
 * as an entry of the operation's `origin`; one per country.
 */
export const origin = declareRecord({
  table: "operation_origin",
  identity: "country",
  description: "A country of origin with the attribution confidence.",
  fields: {
    country: field<string>({
      column: "country_code",
      sqlType: "bpchar",
      nullable: false,
      schema: ref("country"),
      bundle: { description: "ISO code of the country of origin.", examples: ["RU"] },
      check: { country: true },
    }),
    confidence: field<string>({
      column: "confidence",
      sqlType: "text",
      nullable: false,
      schema: vocabularySchema(ATTRIBUTION_CONFIDENCE_VOCABULARY),
      bundle: {
        description:
          "How firmly the report attributes it to the country. Left out when the operation's disclosures state an origin confidence: the latest one that does gives it.",
        examples: ["LIKELY"],
      },
    }),
  },
});
