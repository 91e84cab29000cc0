import { declareRecord, field } from "./declare";
import { nameField, nullableCountryField, recordKeyField, recordSourcesField, vocabularyField } from "./fields";
import { COMPANY_KIND_VOCABULARY } from "../vocabulary";

/** Every field of a company, said once. */
export const company = declareRecord({
  table: "company",
  description: "A company, keyed by slug.",
  stix: {
    object: "identity",
    note: "one per company named (publishers, AI providers, operators), `identity_class: organization`; an AI provider's models are also a `tool`, an operator also a `threat-actor` `attributed-to` its identity",
  },
  examples: [{ key: "openai", name: "OpenAI", kind: "AI_PROVIDER", hqCountry: "US", website: "https://openai.com" }],
  fields: {
    key: recordKeyField("company", { example: "openai", shown: "openai", stix: { object: "identity" } }),
    name: nameField("name", {
      bundle: { description: "Display name.", examples: ["OpenAI"] },
      graphql: "Display name.",
      input: "Display name (needed for a new company).",
      exported: "Display name.",
    }),
    kind: vocabularyField("kind", COMPANY_KIND_VOCABULARY, {
      bundle: { description: "What kind of company it is.", examples: ["AI_PROVIDER"] },
      graphql: "What kind of organisation this is.",
      input: "Kind of organisation (needed for a new company).",
      exported: "CompanyKind value.",
    }),
    hqCountry: nullableCountryField("hq_country_code", {
      bundle: { description: "Country of the headquarters (ISO code), or null.", examples: ["US"] },
      input: "ISO alpha-2 code of the headquarters, or null.",
      exported: "ISO alpha-2 code of the headquarters country.",
    }),
    website: field<string | null>({
      column: "website",
      nullable: true,
      schema: { anyOf: [{ $ref: "#/definitions/url" }, { type: "null" }] },
      bundle: { description: "Its website, or null.", examples: ["https://openai.com"] },
      graphql: "Website URL.",
      input: "Website URL, or null.",
      export: [{ name: "website", sql: "e.website", description: "Website URL." }],
      stix: { note: "the first of `external_references` after our own, named after the company" },
    }),
    sources: recordSourcesField("company", false, {
      bundle: { description: "Where the facts come from (plain reference facts may have none).", examples: [[]] },
      graphql: "Pages the facts about this company come from, typed (may be empty for plain reference facts such as name and website).",
      stixAfter: "the website",
    }),
  },
});
