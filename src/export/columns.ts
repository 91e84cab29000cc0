import { report } from "../common/records/report";
import { company } from "../common/records/company";
import { statement } from "../common/records/statement";
import { country } from "../common/records/country";
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

export const STATEMENT_COLUMNS: Column[] = exportColumns(statement);

export const COMPANY_COLUMNS: Column[] = [...exportColumns(company), ...sourceColumns("the facts come from")];

export const COUNTRY_COLUMNS: Column[] = exportColumns(country);
