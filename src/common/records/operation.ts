import { declareRecord, field } from "./declare";
import type { FieldDecl } from "./declare";
import { bundleDefinition, storedObject } from "./derive";
import {
  STIX_LABELS,
  breakoutScaleField,
  nameField,
  nullableCountField,
  nullableDateField,
  recordKeyField,
  ref,
  recordSourcesField,
  summaryField,
  vocabularyField,
  vocabularySchema,
} from "./fields";
import { disclosure } from "./disclosure";
import type { DisclosureRecord } from "./disclosure";
import { origin } from "./origin";
import {
  BY_REPORT_DATE,
  DISCLOSED_IN,
  FIRST_DISCLOSED_ON,
  companiesInRole,
  companyField,
  countryName,
  originColumn,
  reportColumn,
  targetColumn,
} from "./operation-sql";
import { ACTOR_TYPE_VOCABULARY, OPERATION_CATEGORY_VOCABULARY } from "../vocabulary";

/** An operation's companies in one role, by key: each one stored or in the bundle, none given twice. */
function companiesField(role: Parameters<typeof companiesInRole>[0], d: Pick<FieldDecl, "bundle" | "stix"> & { exported: [keys: string, names: string] }) {
  const { edge, stored, export: columns } = companiesInRole(role);
  const { exported, ...rest } = d;
  return field<string[]>({
    edge,
    stored,
    nullable: false,
    list: { ordered: false, distinct: true },
    schema: ref("keys"),
    ...rest,
    input: "Company keys.",
    check: { ref: "companies" },
    export: columns(...exported),
  });
}

/** Every field of an operation, said once. Fields with no `column` live in edge tables (`edge`), written by src/import/write.ts. */
export const operation = declareRecord({
  table: "operation",
  description:
    "An operation; a new key needs name, reportKeys, categories, actorType, summary and sources. A stored key may carry only what changes: lists are added to.",
  exportOrder: [
    "key",
    "name",
    "aliases",
    "categories",
    "actorType",
    "summary",
    "accountsBanned",
    "breakoutScale",
    "firstSeen",
    "lastSeen",
    FIRST_DISCLOSED_ON,
    "origin",
    "targets",
    "aiTools",
    "platforms",
    "operators",
    "reportKeys",
  ],
  stix: { object: "intrusion-set", note: "one per selected operation, with a relationship per edge" },
  fields: {
    key: recordKeyField("operation", {
      bundle: "Slug key of the operation; a stored key adds to that operation.",
      example: "stop-news",
      shown: "sneer-review",
      stix: { object: "intrusion-set", page: "operations" },
    }),
    name: nameField("name", {
      bundle: { description: "The name the publisher gave it.", examples: ["Stop News"] },
      graphql: "Name the publisher gave the operation.",
      exported: "Name the publisher gave the operation.",
    }),
    aliases: field<string[]>({
      column: "aliases",
      nullable: false,
      list: { ordered: false },
      schema: { type: "array", items: ref("text") },
      bundle: { description: "Other names.", examples: [["Doppelganger"]] },
      graphql: "Other names for the operation, e.g. names other publishers use.",
      export: [{ name: "aliases", sql: "e.aliases", group: "aliases", description: "Other names." }],
      stix: { property: "aliases" },
    }),
    reportKeys: field<string[]>({
      edge: "operation_report (one row per report; its values are the disclosure's)",
      stored: `ARRAY(SELECT r.key FROM ${DISCLOSED_IN} WHERE x.operation_id = t.id ORDER BY ${BY_REPORT_DATE})`,
      nullable: false,
      requiredForNew: true,
      list: { ordered: false, distinct: true },
      schema: { type: "array", minItems: 1, items: ref("key") },
      bundle: { description: "Reports that disclosed it (DISCLOSED_IN); a new report key here is a re-disclosure.", examples: [["openai-2024-10"]] },
      input: "Keys of the reports that disclosed it.",
      check: { ref: "reports" },
      export: [
        reportColumn("report_keys", "r.key", "Keys of the disclosing reports, oldest first."),
        reportColumn("report_published_on", "r.published_on::text", "Publication date of each disclosing report."),
        reportColumn("publisher_keys", companyField("key", "r.publisher_id"), "Publisher key of each disclosing report."),
        reportColumn("publisher_names", companyField("name", "r.publisher_id"), "Publisher name of each disclosing report."),
      ],
      stix: { note: "each disclosing report's `object_refs`; the intrusion-set's `created` and `modified` are its first and last disclosure dates" },
    }),
    disclosures: field<DisclosureRecord[]>({
      edge: "operation_report (the values of each report's row; see ./disclosure.ts)",
      stored: `COALESCE((SELECT jsonb_agg(jsonb_strip_nulls(jsonb_build_object(${storedObject(disclosure)})) ORDER BY ${BY_REPORT_DATE})
                    FROM ${DISCLOSED_IN} WHERE x.operation_id = t.id), '[]')`,
      nullable: false,
      list: { ordered: false, distinct: "report", entries: disclosure },
      schema: { type: "array", items: bundleDefinition(disclosure) },
      bundle: {
        description:
          "What each report stated about the operation, each value with the report's own words (`quote`) and where they stand (`locator`); values left out were not stated by that report. An operation that gives disclosures takes its breakoutScale, accountsBanned and origin confidences from them: it may not give those itself.",
        examples: [[{ report: "openai-2024-10", breakoutScale: 3 }]],
      },
      notInInput: true,
    }),
    categories: field<string[]>({
      column: "categories",
      nullable: false,
      requiredForNew: true,
      list: { ordered: false, distinct: true },
      schema: { type: "array", minItems: 1, items: vocabularySchema(OPERATION_CATEGORY_VOCABULARY) },
      bundle: { description: "What it did: one or more categories.", examples: [["INFLUENCE_OPERATION"]] },
      graphql: "What the operation did; one or more categories.",
      export: [{ name: "categories", sql: "e.categories", group: "categories", description: "OperationCategory values." }],
      stix: STIX_LABELS,
    }),
    actorType: vocabularyField("actor_type", ACTOR_TYPE_VOCABULARY, {
      bundle: { description: "Who is behind it, in broad terms.", examples: ["STATE_LINKED"] },
      graphql: "Who is behind the operation, in broad terms.",
      exported: "ActorType value.",
      stix: { note: "after the categories" },
    }),
    origin: field<{ country: string; confidence?: string }[]>({
      edge: "operation_origin (with position)",
      stored: `COALESCE((SELECT json_agg(json_build_object(${storedObject(origin)}) ORDER BY x.position)
                    FROM operation_origin x WHERE x.operation_id = t.id), '[]')`,
      nullable: false,
      list: { ordered: false, distinct: "country", entries: origin },
      schema: { type: "array", items: bundleDefinition(origin) },
      bundle: { description: "Countries it is attributed to, each with how firmly.", examples: [[{ country: "RU", confidence: "LIKELY" }]] },
      input: "Origin countries with confidence; a stored country's confidence is updated.",
      export: [
        originColumn("origin_country_codes", "x.country_code::text", "ISO alpha-2 codes of the countries of origin."),
        originColumn("origin_country_names", countryName("x.country_code"), "Names of the countries of origin."),
        originColumn("origin_confidences", "x.confidence", "AttributionConfidence of each origin."),
      ],
      stix: { note: "an `originates-from` relationship to each country's `location`, with the confidence (docs/stix.md)" },
    }),
    targets: field<string[]>({
      edge: "operation_target (with position)",
      stored: "ARRAY(SELECT x.country_code::text FROM operation_target x WHERE x.operation_id = t.id ORDER BY x.position)",
      nullable: false,
      list: { ordered: false, distinct: true },
      schema: { type: "array", items: ref("country") },
      bundle: { description: "Countries whose audiences or organisations it aimed at (ISO codes).", examples: [["US", "DE"]] },
      input: "ISO codes of target countries.",
      check: { country: true },
      export: [
        targetColumn("target_country_codes", "x.country_code::text", "ISO alpha-2 codes of the targeted countries."),
        targetColumn("target_country_names", countryName("x.country_code"), "Names of the targeted countries."),
      ],
      stix: { note: "a `targets` relationship to each country's `location`" },
    }),
    aiTools: companiesField("AI_TOOL", {
      bundle: { description: "Keys of companies whose AI models it misused.", examples: [["openai"]] },
      stix: { note: "a `uses` relationship to the company's `tool`" },
      exported: ["Keys of the companies whose AI models were misused.", "Names of those companies."],
    }),
    platforms: companiesField("PLATFORM", {
      bundle: { description: "Keys of companies whose services carried its content.", examples: [["x", "facebook"]] },
      exported: ["Keys of the platforms where content was posted.", "Names of those platforms."],
    }),
    operators: companiesField("OPERATOR", {
      bundle: { description: "Keys of organisations named as running it.", examples: [["social-design-agency"]] },
      stix: { note: "an `attributed-to` relationship to the organisation's `threat-actor`" },
      exported: ["Keys of the organisations running or linked to the operation.", "Names of those organisations."],
    }),
    accountsBanned: nullableCountField("accounts_banned", {
      bundle: {
        description:
          "Accounts banned, as the publisher stated, for an operation that gives no disclosures; an operation with disclosures takes it from the latest disclosure that states one and may not give it here.",
        examples: [12],
      },
      graphql:
        "Number of accounts the publisher said it banned, as of the latest disclosure that states it (see `disclosures` for each report's figure); null where never stated.",
      export: [{ name: "accounts_banned", sql: "e.accounts_banned", description: "Accounts banned, where stated." }],
    }),
    breakoutScale: breakoutScaleField({
      bundle: {
        description:
          "The publisher's rating on Ben Nimmo's Breakout Scale: 1 one platform, no breakout; 2 one platform with breakout, or many without; 3 many platforms, many breakouts; 4 cross-medium breakout; 5 celebrity amplification; 6 policy response or call for violence. Null or left out when the report gives none. An operation with disclosures takes it from the latest disclosure that states one and may not give it here.",
        examples: [3],
      },
      graphql:
        "The publisher's rating on Ben Nimmo's Breakout Scale, 1 (one platform, no breakout) to 6 (policy response or call for violence): the rating of the latest disclosure that states one (see `disclosures` for each report's rating), or, for an operation whose reports' ratings are not yet recorded one by one, the rating its curated record states; null where no source gives one.",
      input: "1 to 6, or null.",
      export: [{ name: "breakout_scale", sql: "e.breakout_scale::int", description: "Breakout Scale rating 1-6, where given." }],
    }),
    firstSeen: nullableDateField("first_seen", {
      bundle: { description: "First activity date, where known; not after lastSeen.", examples: ["2024-01-01"] },
      graphql: "Earliest activity date the sources give, where known.",
      exported: "Earliest activity date, where known.",
      stix: { property: "first_seen" },
    }),
    lastSeen: nullableDateField("last_seen", {
      bundle: { description: "Last activity date, where known.", examples: ["2024-09-30"] },
      graphql: "Latest activity date the sources give, where known.",
      notBefore: "firstSeen",
      exported: "Latest activity date, where known.",
      stix: { property: "last_seen" },
    }),
    summary: summaryField({
      bundle: { description: "One to three sentences in our own words.", examples: ["A Russia-origin network that generated comments and articles."] },
      graphql: "What the operation did and how it used AI, in our own words.",
      exported: "What the operation did, in the project's words.",
    }),
    sources: recordSourcesField("operation", true, {
      bundle: {
        description: "Where the facts come from, the disclosing report's page first.",
        examples: [[{ url: "https://openai.com/global-affairs/an-update-on-disrupting-deceptive-uses-of-ai/", kind: "PUBLISHER" }]],
      },
      graphql: "Pages the facts about this operation come from, typed, the publisher's own page (the disclosing report) first.",
      stixAfter: "our own",
    }),
  },
});
