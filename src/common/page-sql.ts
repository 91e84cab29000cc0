import { OrderDirection } from "./connection";
import { sortExpr } from "./cursor";
import type { CursorPayload, PageRequest, SqlType } from "./cursor";
import { inList, parentRows } from "../db/sql";
import { recordColumnsSql } from "../db/rows";
import type { SqlParams } from "../db/sql";

/**
 * A list to page through: which rows of which table (aliased `e`), identified how, grouped under
 * which parents. Hand-written SQL on purpose: this is the one place where what a page costs is
 * decided, and it must stay a keyset range scan per parent (see `pageSql`).
 */
export interface ListSource {
  /** GraphQL type of the nodes; cursors carry it so that one list's cursor is refused by another. */
  type: string;
  /** SQL FROM clause body; the listed table is aliased `e`, e.g. `operation e JOIN operation_report l ON l.operation_id = e.id`. */
  from: string;
  idExpr: string;
  idType: SqlType;
  /** Expression for the parent a row belongs to (nested lists); top-level lists leave it out. */
  parentExpr?: string;
  parentType?: SqlType;
  /** Conditions AND'ed together, with their parameters already in `params`. */
  where: string[];
  params: SqlParams;
  /**
   * More columns for each row, `expression AS "name"` over the alias `e`: what the query will ask
   * of each record next (its origins, its publisher), fetched in the page's statement.
   */
  columns?: string[];
  /** The record's own columns to read (of alias `e`); all of them (`e.*`) when left out. */
  recordColumns?: string[];
  /**
   * The whole list's count (filter applied, cursors not) from something cheaper than counting its
   * rows, such as a maintained counter: a scalar SQL expression, reading a nested list's parent as
   * `p.parent`. Called only when the count goes into a statement, since it may add parameters.
   */
  count?: () => string;
}

/** Keyset condition: rows strictly after (or before) a cursor position in the list's order. */
function beyond(source: ListSource, request: PageRequest, expr: string, cursor: CursorPayload, side: "after" | "before"): string {
  const { sort, direction } = request;
  const ascending = direction === OrderDirection.ASC;
  const op = (side === "after") === ascending ? ">" : "<";
  const { params } = source;
  return `(${expr}, ${source.idExpr}) ${op} (${params.add(cursor.s)}::${sort.type}, ${params.add(cursor.i)}::${source.idType})`;
}

const conjunction = (conditions: string[]) => (conditions.length ? conditions.join(" AND ") : "true");

/**
 * One statement that returns the rows of one page for every parent: `(sort, id)` keyset conditions
 * for the cursors, `ORDER BY sort, id LIMIT n + 1` (the extra row tells whether more follow), and
 * for nested lists `unnest(parents) CROSS JOIN LATERAL (...)` (one parent: one row, see `parentRows`), so each parent's page is its own
 * index range scan and a page costs the page, not the table. Rows carry `e.*` plus `__sort` (and
 * `__parent`), so no second statement loads the records.
 *
 * With `withTotal`, each parent's count of the whole list (cursors not applied) rides along as
 * `__total`: the page is LEFT JOINed to the count, so a parent with an empty page still has one
 * row (its `e` columns NULL) carrying its count.
 *
 * `parentList`, when given, stands in for the parents as the relation `p(parent)`, e.g.
 * `(SELECT e.id AS parent) AS p` for the page under each row of an enclosing statement.
 */
export function pageSql(source: ListSource, request: PageRequest, parents: readonly unknown[], withTotal = false, parentList?: string): string {
  const { direction } = request;
  const ascending = direction === OrderDirection.ASC;
  const scanDirection = (request.mode === "first") === ascending ? "ASC" : "DESC";
  const expr = sortExpr(request.sort, source.params);
  const where = [...source.where];
  if (request.after) where.push(beyond(source, request, expr, request.after, "after"));
  if (request.before) where.push(beyond(source, request, expr, request.before, "before"));
  const order = `ORDER BY ${expr} ${scanDirection}, ${source.idExpr} ${scanDirection} LIMIT ${request.limit + 1}`;
  const columns = [recordColumnsSql("e", source.recordColumns ?? null), `${expr} AS "__sort"`, ...(source.columns ?? [])].join(", ");
  const select = `SELECT ${columns} FROM ${source.from}`;
  if (!source.parentExpr) {
    const page = `${select} WHERE ${conjunction(where)} ${order}`;
    if (!withTotal) return page;
    return `SELECT t."__total", x.* FROM (${totalSql(source)}) t
      LEFT JOIN LATERAL (${page}) x ON true`;
  }
  parentList ??= parentRows(source.params, parents, source.parentType ?? "int");
  const page = `${select} WHERE ${source.parentExpr} = p.parent AND ${conjunction(where)} ${order}`;
  if (!withTotal) return `SELECT p.parent AS "__parent", x.* FROM ${parentList} CROSS JOIN LATERAL (${page}) x`;
  return `SELECT p.parent AS "__parent", t."__total", x.* FROM ${parentList}
    CROSS JOIN LATERAL (${totalSql(source)}) t
    LEFT JOIN LATERAL (${page}) x ON true`;
}

/** The one-row relation of the whole list's count, `__total`: the source's cheaper count when it has one, else a count of its rows (per `p.parent` when nested). */
export function totalSql(source: ListSource): string {
  if (source.count) return `SELECT ${source.count()} AS "__total"`;
  const parent = source.parentExpr ? `${source.parentExpr} = p.parent AND ` : "";
  return `SELECT count(*)::int AS "__total" FROM ${source.from} WHERE ${parent}${conjunction(source.where)}`;
}

/** One statement counting the whole list (filter applied, cursors not) for every parent. */
export function countSql(source: ListSource, parents: readonly unknown[]): string {
  // The filter's conditions have added their parameters to the source; a statement that left
  // them unused would be refused, so the cheaper count serves here only a list without conditions.
  if (source.count && source.where.length === 0) {
    if (!source.parentExpr) return `SELECT 0 AS parent, ${source.count()} AS n`;
    return `SELECT p.parent, ${source.count()} AS n FROM ${parentRows(source.params, parents, source.parentType ?? "int")}`;
  }
  if (!source.parentExpr) return `SELECT 0 AS parent, count(*)::int AS n FROM ${source.from} WHERE ${conjunction(source.where)}`;
  return `SELECT ${source.parentExpr} AS parent, count(*)::int AS n FROM ${source.from}
    WHERE ${source.parentExpr} ${inList(source.params, parents, source.parentType ?? "int")} AND ${conjunction(source.where)} GROUP BY 1`;
}

/**
 * One statement telling, for every parent, whether any row lies on the far side of a cursor
 * (at or before `after`, at or after `before`): what `hasPreviousPage` with `after`, and
 * `hasNextPage` with `before`, report. An index probe per parent.
 */
export function beyondCursorSql(source: ListSource, request: PageRequest, side: "after" | "before", parents: readonly unknown[]): string {
  const cursor = side === "after" ? request.after! : request.before!;
  const condition = `NOT ${beyond(source, request, sortExpr(request.sort, source.params), cursor, side)}`;
  if (!source.parentExpr) {
    return `SELECT 0 AS parent WHERE EXISTS (SELECT 1 FROM ${source.from} WHERE ${conjunction([...source.where, condition])})`;
  }
  return `SELECT p.parent FROM ${parentRows(source.params, parents, source.parentType ?? "int")}
    WHERE EXISTS (SELECT 1 FROM ${source.from} WHERE ${source.parentExpr} = p.parent AND ${conjunction([...source.where, condition])})`;
}
