import type { ObjectLiteral } from "typeorm";
import type DataLoader from "dataloader";
import type { Context } from "../context";
import { tableShape } from "../db/rows";
import type { RowMapper } from "../db/rows";
import type { SqlParams } from "../db/sql";
import type { ConnectionResult } from "./connection";
import { encodeCursor } from "./cursor";
import type { PageRequest } from "./cursor";
import { embedColumns, embedReadings, embedValue } from "./embeds";
import type { Embed, EntityClass } from "./embeds";
import { pageSql } from "./page-sql";
import { PageConnection } from "./page-connection";
import type { ListSource } from "./page-sql";
import { columnsFor } from "./selection";
import type { Selection } from "./selection";
import { statementKey } from "./statement-key";

/**
 * A list as one statement pages it under any parent: its SQL and the entity its rows are. Read
 * only: what is derived from it (the statements' identities) is worked out once and kept.
 */
export interface PageList<T> {
  readonly entity: EntityClass<T>;
  readonly request: PageRequest;
  /** Builds the list's SQL, its values added to `params` (fresh parameters when left out). */
  readonly source: (params?: SqlParams) => ListSource;
  /** A by-id loader to prime with the page's records, so later lookups of them cost nothing. */
  readonly primes?: (ctx: Context) => DataLoader<number, T | null>;
  /** What the query selects under the list: `totalCount` is then counted in the page's statement. */
  readonly selection?: Selection;
  /** Lookups of each record the query will make next, fetched in the page's statement. */
  readonly embeds?: readonly Embed<T>[];
}

/** What a module hands to `connection`: the list and the parent whose page is asked for. */
export interface ConnectionSpec<P, T> extends PageList<T> {
  parent: P;
}

/** One parent's page, read from a page statement. */
export interface PageRows<T> {
  records: T[];
  /** The cursor of the i-th record, encoded only when a query asks for it. */
  cursor(index: number): string;
  overflow: boolean;
  /** The whole list's count, when it was counted in the page's statement. */
  total?: number;
}

/** One page per parent from one statement (see `pageSql`), records mapped to entities. */
async function fetchPages<P, T extends ObjectLiteral>(
  ctx: Context,
  spec: PageList<T>,
  parents: readonly P[],
  withTotal: boolean,
  partial: string[] | null,
): Promise<PageRows<T>[]> {
  const source = pageSource(spec, spec.source(), partial);
  const rows = await ctx.sql(pageSql(source, spec.request, parents, withTotal), source.params.values);
  return pagesOf(ctx, spec, source, parents, rows, withTotal, partial, tableShape(ctx.dataSource, spec.entity).map);
}

/** The rows of a page statement (`pageSql`), as read by pg or as JSON, turned into one page per parent. */
function pagesOf<P, T extends ObjectLiteral>(
  ctx: Context,
  spec: PageList<T>,
  source: ListSource,
  parents: readonly P[],
  rows: readonly Record<string, unknown>[],
  withTotal: boolean,
  partial: string[] | null,
  map: RowMapper<T>,
): PageRows<T>[] {
  const { request } = spec;
  const embeds = spec.embeds ?? [];
  const idColumn = source.idExpr.slice(2);
  const byParent = new Map<unknown, Record<string, unknown>[]>();
  const totals = new Map<unknown, number>();
  for (const row of rows) {
    const parent = source.parentExpr ? row.__parent : parents[0];
    if (withTotal) totals.set(parent, row.__total as number);
    // A parent whose page is empty still has its count's row, with no record in it.
    if (row[idColumn] === null) continue;
    let list = byParent.get(parent);
    if (!list) byParent.set(parent, (list = []));
    list.push(row);
  }
  // A record read in part must not stand in for the whole one in later lookups.
  const primed = partial ? undefined : spec.primes?.(ctx);
  return parents.map((parent) => {
    let list = byParent.get(parent) ?? [];
    const overflow = list.length > request.limit;
    list = list.slice(0, request.limit);
    if (request.mode === "last") list.reverse();
    const records = list.map((row) => {
      const record = map(row);
      primed?.prime(record.id as number, record);
      embeds.forEach((embed, index) => embed.prime(ctx, record, embedValue(row, index)));
      return record;
    });
    const cursor = (index: number) =>
      encodeCursor({
        t: source.type,
        f: request.sort.field,
        s: list[index].__sort as string | number,
        i: list[index][idColumn] as string | number,
        b: request.sort.binding,
      });
    return { records, cursor, overflow, total: withTotal ? (totals.get(parent) ?? 0) : undefined };
  });
}

/** The list's source with the columns its page statement reads: the embeds' and, when `partial`, only those of the record. */
function pageSource<T>(spec: PageList<T>, source: ListSource, partial: string[] | null): ListSource {
  source.columns = embedColumns(spec.embeds ?? [], source.params);
  if (partial) source.recordColumns = partial;
  return source;
}

/**
 * What a page reads (its count only when `totalCount` is selected, and only the record columns its
 * nodes' fields need), and the names of the request's loaders of its statements.
 */
interface PageReads {
  withTotal: boolean;
  partial: string[] | null;
  /** The name of the loader of such pages: the page statement's identity (see `statementKey`). */
  loader: string;
  /** The same for the statements of the list's count and of its cursor probes, worked out when first asked for. */
  probes: Map<string, string>;
}

const readsOf = new WeakMap<PageList<unknown>, PageReads>();

/**
 * How the page's rows are read back beyond what its SQL says: the entity they map to, the order
 * (a `last` page is scanned backwards and reversed), what its cursors carry, and the embeds' own.
 */
const pageReading = <T>(spec: PageList<T>, source: ListSource) =>
  JSON.stringify([
    spec.entity.name,
    spec.request.mode,
    source.type,
    spec.request.sort.field,
    spec.request.sort.binding ?? null,
    embedReadings(spec.embeds ?? []),
  ]);

function pageReads<T>(ctx: Context, spec: PageList<T>): PageReads {
  let reads = readsOf.get(spec);
  if (!reads) {
    const withTotal = spec.selection?.fields.has("totalCount") ?? false;
    const partial = spec.selection ? columnsFor(ctx.dataSource, spec.entity, spec.selection.nodeFields) : null;
    const source = pageSource(spec, spec.source(), partial);
    const text = pageSql(source, spec.request, [], withTotal);
    reads = { withTotal, partial, loader: statementKey(text, source.params.values, pageReading(spec, source)), probes: new Map() };
    readsOf.set(spec, reads);
  }
  return reads;
}

/** The request's loader of a list's pages, one page per parent and one statement per batch. */
function pageLoader<P, T extends ObjectLiteral>(ctx: Context, spec: PageList<T>, reads = pageReads(ctx, spec)): DataLoader<P, PageRows<T>> {
  return ctx.batch<P, PageRows<T>>(reads.loader, (parents) => fetchPages(ctx, spec, parents, reads.withTotal, reads.partial));
}

/** The column of an enclosing record that a nested page hangs from, and its value on a record. */
export interface EmbedParent<R> {
  column: string;
  of(record: R): number | string;
}

/** A nested page under a record with an `id` primary key. */
export const BY_ID: EmbedParent<{ id: number }> = { column: "id", of: (record) => record.id };

/**
 * A nested list's page under each record of another statement (alias `e`, hanging from `parent`),
 * as one more JSON column of that statement, primed into the loader `connection` reads the page
 * from: a lookup of one record carries its nested page in its own statement, one statement where
 * there were two, as PostGraphile nests a whole selection. `spec` is the list as `connection` will
 * be asked for it, with its parent left open.
 */
export function pageEmbed<R, T extends ObjectLiteral>(ctx: Context, spec: PageList<T>, parent: EmbedParent<R>): Embed<R> {
  const reads = pageReads(ctx, spec);
  const { withTotal, partial } = reads;
  const shape = tableShape(ctx.dataSource, spec.entity);
  const template = spec.source();
  return {
    reading: pageReading(spec, template),
    sql: (params) => {
      const source = pageSource(spec, spec.source(params), partial);
      return `SELECT COALESCE(json_agg(r), '[]') FROM (${pageSql(source, spec.request, [], withTotal, `(SELECT e.${parent.column} AS parent) AS p`)}) r`;
    },
    prime: (context, record, value) => {
      const key = parent.of(record);
      const [page] = pagesOf(context, spec, template, [key], value as Record<string, unknown>[], withTotal, partial, shape.mapJson);
      pageLoader(context, spec, reads).prime(key, page);
    },
  };
}

/**
 * Serves a list as a connection. Calls for many parents in one request (the same nested list under
 * every operation of a page) are batched into one SQL statement by relation, filter and paging;
 * `totalCount`, and `hasPreviousPage`/`hasNextPage` past a cursor, are one more statement each,
 * only when selected.
 */
export function connection<P extends string | number, T extends ObjectLiteral>(ctx: Context, spec: ConnectionSpec<P, T>): Promise<ConnectionResult<T>> {
  return pageConnection(ctx, spec, spec.parent);
}

/** `connection` for a list kept apart from its parent, so that what is derived from the list is worked out once for every parent (see `listRelation`). */
export async function pageConnection<P extends string | number, T extends ObjectLiteral>(
  ctx: Context,
  spec: PageList<T>,
  parent: P,
): Promise<ConnectionResult<T>> {
  // `{ totalCount }` alone (a count under every parent of a page) reads no page: the count is one
  // statement for every parent, from the maintained counters where the list has them.
  if (spec.selection && !PAGE_FIELDS.some((field) => spec.selection!.fields.has(field)))
    return new PageConnection(ctx, spec, parent, NO_PAGE, pageReads(ctx, spec).probes);
  const reads = pageReads(ctx, spec);
  return new PageConnection(ctx, spec, parent, await pageLoader<P, T>(ctx, spec, reads).load(parent), reads.probes);
}

/** The fields of a connection that need its page of records. */
const PAGE_FIELDS = ["nodes", "edges", "pageInfo"];
/** The page of a connection whose selection reads none of `PAGE_FIELDS`. */
const NO_PAGE: PageRows<never> = {
  records: [],
  cursor: () => {
    throw new Error("no page was read for this connection");
  },
  overflow: false,
};
