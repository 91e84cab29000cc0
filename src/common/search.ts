import { createHash } from "node:crypto";
import { BadUserInputError } from "./errors";
import type { SortKey } from "./cursor";
import type { SqlParams } from "../db/sql";

/** Longest search text accepted, in characters. */
export const MAX_SEARCH_TEXT = 200;

/**
 * The full-text vector of each searchable table over its alias, written exactly as the GIN index
 * of migration FullTextSearch writes it, so `@@` is an index scan. Names and aliases go through the
 * 'simple' configuration (whole words, case-folded: "Kimsuky" matches the alias as written) with
 * weight A; prose through both 'simple' and 'english' (stems: "elections" finds "election") with
 * weight D, so a name match ranks above a mention in a summary.
 */
const VECTORS = {
  operation: (alias: string) => `operation_search_vector(${alias}.name, ${alias}.aliases, ${alias}.summary)`,
  report: (alias: string) => `report_search_vector(${alias}.title, ${alias}.summary)`,
  statement: (alias: string) => `statement_search_vector(${alias}.speaker, ${alias}.quote)`,
  company: (alias: string) => `company_search_vector(${alias}.name)`,
} as const;

export type SearchTable = keyof typeof VECTORS;

/** No NUL and no lone UTF-16 surrogate: text PostgreSQL can take as a parameter. */
const STORABLE = /^(?:[^\u0000\ud800-\udfff]|[\ud800-\udbff][\udc00-\udfff])*$/;

/**
 * Checks a search text at the edge: not empty or blank, at most 200 characters, no NUL or lone
 * surrogate (which PostgreSQL cannot take). Returns it trimmed,
 * or undefined when no text was given. Errors name the field.
 */
export function checkSearchText(text: string | null | undefined, path: string): string | undefined {
  if (text === null || text === undefined) return undefined;
  const trimmed = text.trim();
  if (!trimmed) throw new BadUserInputError(`${path}: the search text is empty; give one or more words, or leave the field out`, path);
  if (text.length > MAX_SEARCH_TEXT) {
    throw new BadUserInputError(`${path}: the search text is ${text.length} characters long; at most ${MAX_SEARCH_TEXT} are accepted`, path);
  }
  if (!STORABLE.test(text)) throw new BadUserInputError(`${path}: the search text contains a NUL character or a lone UTF-16 surrogate`, path);
  return trimmed;
}

/**
 * The query for a text in web-search syntax (words AND'ed, "quoted phrases", `or`, `-word`), parsed
 * by both configurations and OR'ed, to match the vectors' 'simple' and 'english' parts.
 */
function searchQuery(text: string, params: SqlParams): string {
  const value = params.add(text);
  return `(websearch_to_tsquery('simple', ${value}::text) || websearch_to_tsquery('english', ${value}::text))`;
}

/** SQL condition: the record (alias `e`) matches the search text. */
export function searchCondition(table: SearchTable, text: string, params: SqlParams, alias = "e"): string {
  return `${VECTORS[table](alias)} @@ ${searchQuery(text, params)}`;
}

/**
 * A digest of a search text, with its surrounding white space trimmed and inner runs of it made one
 * space (the query parser reads the words the same either way): what a RELEVANCE cursor is bound
 * to, since its rank is a rank for this text only.
 */
export function searchTextDigest(text: string): string {
  return createHash("sha256").update(text.trim().replace(/\s+/g, " "), "utf8").digest("base64url").slice(0, 16);
}

/**
 * The RELEVANCE sort key: `ts_rank` of the same vector and query, as float8 (cursors carry the rank
 * as a JSON number, and the text's digest: a cursor of one text is refused for another). The text
 * is bound as a parameter of each statement that uses the key.
 */
export function relevanceSortKey(table: SearchTable, text: string): SortKey {
  return {
    field: "RELEVANCE",
    expr: (params) => `ts_rank(${VECTORS[table]("e")}, ${searchQuery(text, params)})::float8`,
    type: "float8",
    binding: searchTextDigest(text),
  };
}

/**
 * The sort key for an ordering field: RELEVANCE ranks by the search text (and without
 * `filter.text` is an error naming the field), any other field is looked up in `sorts`.
 */
export function sortKeyFor(sorts: Record<string, SortKey>, field: string, table: SearchTable, text: string | undefined): SortKey {
  if (field !== "RELEVANCE") return sorts[field];
  if (text === undefined)
    throw new BadUserInputError("orderBy.field: RELEVANCE ranks by the search text; give filter.text too, or order by another field", "orderBy.field");
  return relevanceSortKey(table, text);
}
