import { declareRecord, field } from "./declare";
import type { FieldDecl, Typed } from "./declare";
import {
  companyRefField,
  nullableCountryField,
  nullableDateField,
  nullableTextField,
  recordKeyField,
  ref,
  requiredField,
  textField,
  vocabularyField,
} from "./fields";
import { list } from "./sql";
import { STANCE_VOCABULARY } from "../vocabulary";

/**
 * The records of one type a statement is about, by key (table statement_<type>): each one stored
 * or in the bundle, exported as one multi-valued column in key order.
 */
function aboutField(type: "report" | "operation", d: { example: string; stix: FieldDecl["stix"] }): Typed<string[]> {
  const alias = type[0];
  const keys = (of: string) =>
    list(`${alias}.key`, `statement_${type} x JOIN ${type} ${alias} ON ${alias}.id = x.${type}_id WHERE x.statement_id = ${of}.id`, `${alias}.key`);
  return field<string[]>({
    stored: keys("t"),
    nullable: false,
    list: { ordered: false },
    schema: ref("keys"),
    bundle: { description: `Keys of the ${type}s it is about.`, examples: [[d.example]] },
    check: { ref: `${type}s` },
    export: [{ name: `${type}_keys`, sql: keys("e"), group: type, description: `Keys of the ${type}s the statement is about.` }],
    stix: d.stix,
  });
}

/** Every field of a statement, said once. */
export const statement = declareRecord({
  table: "statement",
  description: "A statement; a new key needs speaker, quote, stance and sourceUrl.",
  stix: {
    object: "note",
    note: "one per statement about an operation or report in the bundle (none: left out); `abstract`: stance, speaker, role and organisation",
  },
  fields: {
    key: recordKeyField("statement", { example: "openai-2024-10-nimmo", stix: { object: "note", page: "statements" } }),
    speaker: textField("speaker", {
      bundle: { description: "Who said it.", examples: ["Ben Nimmo"] },
      graphql: "Who said it.",
      exported: "Who said it.",
      stix: { property: "authors", as: "list", note: "also who spoke, in `abstract`" },
    }),
    speakerRole: nullableTextField("speaker_role", {
      bundle: { description: "Their role at the time, or null.", examples: ["Principal investigator, OpenAI"] },
      graphql: "The speaker's role when they said it.",
      export: [{ name: "speaker_role", sql: "e.speaker_role", description: "The speaker's role at the time." }],
      stix: { note: "after the speaker in `abstract`" },
    }),
    organization: companyRefField("organization_id", false, {
      bundle: { description: "Key of the company they spoke for, or null.", examples: ["openai"] },
      input: "Company key, or null.",
      exported: ["Key of the speaker's organisation.", "Name of the speaker's organisation."],
      stix: { note: "its name in `abstract`, unless the role already names it" },
    }),
    country: nullableCountryField("country_code", {
      bundle: { description: "The country they spoke for (government statements), or null.", examples: ["CN"] },
      input: "ISO alpha-2 code, or null.",
      exported: "ISO alpha-2 code of the country spoken for.",
    }),
    saidOn: nullableDateField("said_on", {
      bundle: { description: "When, or null.", examples: ["2024-10-09"] },
      graphql: "When it was said or published, where known.",
      exported: "When it was said, where known.",
      stix: { note: "`created` (the export's date when unknown)" },
    }),
    quote: textField("quote", {
      bundle: { description: "The speaker's exact words, as the source quotes them.", examples: ["We have not seen evidence of ..."] },
      graphql: "The speaker's exact words, as the source quotes them.",
      input: "The speaker's exact words.",
      exported: "The speaker's exact words.",
      stix: { property: "content" },
    }),
    stance: vocabularyField("stance", STANCE_VOCABULARY, {
      bundle: { description: "How the statement relates to what it is about.", examples: ["COMMENTARY"] },
      graphql: "What the statement does.",
      exported: "Stance value.",
      stix: { note: "also the start of `abstract`" },
    }),
    reportKeys: aboutField("report", { example: "openai-2024-10", stix: { note: "`object_refs` (the reports in the same export)" } }),
    operationKeys: aboutField("operation", { example: "stop-news", stix: { note: "`object_refs` (the operations' intrusion-sets in the same export)" } }),
    sourceUrl: requiredField("source_url", ref("url"), {
      bundle: {
        description: "The source that quotes it.",
        examples: ["https://www.axios.com/2024/10/09/openai-election-interference-political-misinformation"],
      },
      graphql: "URL of the source that quotes the statement.",
      input: "URL of the source that quotes it (needed for a new statement).",
      exported: "URL of the source that quotes the statement.",
      stix: { note: "`external_references`, after our own" },
    }),
    sourceKind: field<string>({
      column: "source_kind",
      nullable: false,
      filledByImport: true,
      notInInput: true,
      schema: ref("sourceKind"),
      bundle: { description: "What kind of page sourceUrl is; classified by its host when left out.", examples: ["PRESS"] },
      graphql: "What kind of page `sourceUrl` is: the publisher's own, press, government, a mirror, or other.",
      export: [{ name: "source_kind", sql: "e.source_kind", description: "SourceKind of that source (PUBLISHER, MIRROR, PRESS, GOVERNMENT, OTHER)." }],
    }),
  },
  // The export table leads with the quote, and lists what it is about last.
  exportOrder: ["key", "quote", "speaker", "speakerRole", "organization", "country", "saidOn", "stance", "sourceUrl", "sourceKind"],
});
