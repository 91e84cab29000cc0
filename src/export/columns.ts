import { report } from "../common/records/report";
import { company } from "../common/records/company";
import { operation } from "../common/records/operation";
import { exportColumns } from "../common/records/derive";
import { list } from "../common/records/sql";

/**
 * The column catalogue of each export: what a table row holds, as SQL over the entity alias `e`.
 * Multi-valued columns are arrays; columns of one `group` come from the same edges in the same
 * order, so they line up value by value (origin_country_codes[i] belongs with origin_country_names[i]).
 */
export interface Column {
  /** Column name in the file, snake_case. */
  name: string;
  /** SQL expression over the alias `e`; scalars are cast to JSON-friendly types (dates as text). */
  sql: string;
  /** Set for multi-valued columns: the edge group whose values the column lists. */
  group?: string;
  /** What the column holds, for the catalogue in the README and error messages. */
  description: string;
}

const SOURCE_ELEMENTS = "jsonb_array_elements(e.sources) WITH ORDINALITY AS s(source, n)";

/**
 * The one rendering of a record's typed sources (`[{url, kind, title?, archivedUrl?}]`, jsonb) in
 * every export: `sources` lists the URLs and `source_kinds` the SourceKind of each, in the stored
 * order, as text arrays (CSV joins them with `;`, NDJSON keeps arrays), so no cell ever holds an
 * object and source_kinds[i] is the kind of sources[i].
 */
function sourceColumns(what: string): Column[] {
  return [
    { name: "sources", sql: list("s.source->>'url'", SOURCE_ELEMENTS, "s.n"), group: "sources", description: `URLs ${what}.` },
    {
      name: "source_kinds",
      sql: list("s.source->>'kind'", SOURCE_ELEMENTS, "s.n"),
      group: "sources",
      description: "SourceKind of each source (PUBLISHER, MIRROR, PRESS, GOVERNMENT, OTHER), in the order of `sources`.",
    },
  ];
}

/** An operation's fields are the declaration's (src/common/records/operation.ts), then its sources. */
export const OPERATION_COLUMNS: Column[] = [...exportColumns(operation), ...sourceColumns("the facts come from, the disclosing report's page first")];

const FIGURES = "report_figure f WHERE f.report_id = e.id";

export const REPORT_COLUMNS: Column[] = [
  ...exportColumns(report),
  { name: "operation_count", sql: "(SELECT count(*)::int FROM operation_report x WHERE x.report_id = e.id)", description: "Operations the report disclosed." },
  {
    name: "operation_keys",
    sql: list("o.key", "operation_report x JOIN operation o ON o.id = x.operation_id WHERE x.report_id = e.id", "o.key"),
    group: "operation",
    description: "Keys of the operations the report disclosed.",
  },
  { name: "figure_labels", sql: list("f.label", FIGURES, "f.position"), group: "figure", description: "Headline figures: what is counted." },
  { name: "figure_values", sql: list("f.value", FIGURES, "f.position"), group: "figure", description: "Headline figures: the number as stated." },
  {
    name: "figure_qualifiers",
    sql: list("f.qualifier", FIGURES, "f.position"),
    group: "figure",
    description: "Headline figures: exactly, more than, about, ...",
  },
  ...sourceColumns("the facts come from, the publisher's own page first"),
];

export const STATEMENT_COLUMNS: Column[] = [
  { name: "key", sql: "e.key", description: "Slug key of the statement." },
  { name: "quote", sql: "e.quote", description: "The speaker's exact words." },
  { name: "speaker", sql: "e.speaker", description: "Who said it." },
  { name: "speaker_role", sql: "e.speaker_role", description: "The speaker's role at the time." },
  { name: "organization_key", sql: "(SELECT c.key FROM company c WHERE c.id = e.organization_id)", description: "Key of the speaker's organisation." },
  { name: "organization_name", sql: "(SELECT c.name FROM company c WHERE c.id = e.organization_id)", description: "Name of the speaker's organisation." },
  { name: "country_code", sql: "e.country_code::text", description: "ISO alpha-2 code of the country spoken for." },
  { name: "country_name", sql: "(SELECT c.name FROM country c WHERE c.code = e.country_code)", description: "Name of that country." },
  { name: "said_on", sql: "e.said_on::text", description: "When it was said, where known." },
  { name: "stance", sql: "e.stance", description: "Stance value." },
  { name: "source_url", sql: "e.source_url", description: "URL of the source that quotes the statement." },
  { name: "source_kind", sql: "e.source_kind", description: "SourceKind of that source (PUBLISHER, MIRROR, PRESS, GOVERNMENT, OTHER)." },
  {
    name: "report_keys",
    sql: list("r.key", "statement_report x JOIN report r ON r.id = x.report_id WHERE x.statement_id = e.id", "r.key"),
    group: "report",
    description: "Keys of the reports the statement is about.",
  },
  {
    name: "operation_keys",
    sql: list("o.key", "statement_operation x JOIN operation o ON o.id = x.operation_id WHERE x.statement_id = e.id", "o.key"),
    group: "operation",
    description: "Keys of the operations the statement is about.",
  },
];

export const COMPANY_COLUMNS: Column[] = [...exportColumns(company), ...sourceColumns("the facts come from")];

export const COUNTRY_COLUMNS: Column[] = [
  { name: "code", sql: "e.code::text", description: "ISO 3166-1 alpha-2 code." },
  { name: "alpha3", sql: "e.alpha3::text", description: "ISO 3166-1 alpha-3 code." },
  { name: "name", sql: "e.name", description: "Common English name." },
  { name: "region", sql: "e.region", description: "Region value." },
  { name: "subregion", sql: "e.subregion", description: "Subregion." },
  { name: "lat", sql: "e.lat", description: "Latitude of a representative point." },
  { name: "lng", sql: "e.lng", description: "Longitude of a representative point." },
];
