import type { NodeTypeName } from "../../common/global-id";
import type { SqlParams } from "../../db/sql";
import { BucketKind } from "../stats.enums";
import type { Bucket } from "../stats.types";

/** Runs one statement of the request and returns its rows (the request context's `sql`). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a row is shaped by the SQL that selects it; callers name T
export type Run = <T = any>(text: string, values?: readonly unknown[]) => Promise<T[]>;

/**
 * A dimension as SQL: `values` is an expression over a row of the base set `f` giving the record's
 * keys for the dimension as a text[] without duplicates (empty for a record without a value).
 * Labels are looked up only for the keys a result shows.
 */
export interface Dimension {
  values: string;
  /** SQL selecting `(k, label)` for the keys, when labels come from the database. */
  labels?: string;
  nodeType?: NodeTypeName;
  /** Label for keys without a database label (enum values, years). */
  label?: (key: string) => string;
}

/**
 * The records a statistic counts: CTEs that define `f`, one row per record and parent (column
 * `parent`, text): the parent a per-parent statistic is computed for (a country, a company, a
 * report), or `'0'` for a statistic over the whole selection. Every statement groups by it, so one
 * statement serves a statistic for every parent of a page.
 */
export interface StatsBase {
  ctes: string[];
  params: SqlParams;
  /**
   * At disclosure grain `f` has a row per counted disclosure, and this SQL over `f` names the
   * record a statistic counts (the operation, or the disclosure itself): a record with several
   * rows counts once per key, and keys of different dimensions pair only within one row (one
   * disclosure). Absent when each row of `f` is one record.
   */
  record?: string;
}

export const NONE_KEY = "(none)";
/** The label of the OTHER bucket: distinct from any value's label (a category is called "Other"). */
export const OTHER_LABEL = "All other values";
export const OTHER_KEY = "(other)";
/** The parent of a statistic over the whole selection. */
export const WHOLE = "0";

export const labelsCte = (name: string, dimension: Dimension) =>
  `${name} AS (${dimension.labels ?? "SELECT NULL::text AS k, NULL::text AS label WHERE false"})`;
/** The keys in a text[] expression, or one NULL key (the NONE bucket) when there are none. */
export const orNone = (keys: string) => `(CASE WHEN cardinality(${keys}) = 0 THEN ARRAY[NULL::text] ELSE ${keys} END)`;
/** A nullable scalar column as a dimension's keys: no key when NULL, else the one value as text. */
export const one = (expr: string) => `(CASE WHEN ${expr} IS NULL THEN '{}'::text[] ELSE ARRAY[${expr}::text] END)`;
/** Labels of company keys and of country codes, for dimensions over them. */
export const COMPANY_LABELS = `SELECT key AS k, name AS label FROM company`;
export const COUNTRY_LABELS = `SELECT code::text AS k, name AS label FROM country`;
export const withClause = (base: StatsBase, extra: string[]) => `WITH ${[...base.ctes, ...extra].join(",\n")}`;

/** `INFLUENCE_OPERATION` -> `Influence operation`. */
export function humanize(value: string): string {
  const words = value.toLowerCase().replace(/_/g, " ");
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export const share = (count: number, denominator: number) => (denominator > 0 ? count / denominator : 0);

export function valueBucket(dimension: Dimension, key: string, label: string | null, count: number, denominator: number): Bucket {
  return { kind: BucketKind.VALUE, key, label: label ?? dimension.label?.(key) ?? key, count, share: share(count, denominator), nodeType: dimension.nodeType };
}

export function noneBucket(count: number, denominator: number): Bucket {
  return { kind: BucketKind.NONE, key: NONE_KEY, label: "None stated", count, share: share(count, denominator) };
}

/** Orders value buckets by count, largest first, then by key (code-point order, as SQL's "C" collation). */
export const byCountThenKey = (a: { count: number; key: string }, b: { count: number; key: string }) =>
  b.count - a.count || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);

/** Splits a statement's rows by their `parent` column, with an (empty) entry for every parent asked for. */
export function byParent<R extends { parent: string }>(rows: R[], parents: readonly string[]): Map<string, R[]> {
  const grouped = new Map<string, R[]>(parents.map((parent) => [parent, []]));
  for (const row of rows) grouped.get(row.parent)?.push(row);
  return grouped;
}
