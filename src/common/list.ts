import type { ObjectLiteral } from "typeorm";
import type DataLoader from "dataloader";
import type { Context } from "../context";
import { tableShape } from "../db/rows";
import type { RowMapper } from "../db/rows";
import type { SqlParams } from "../db/sql";
import type { ConnectionResult } from "./connection";
import { encodeCursor, pageRequestKey } from "./cursor";
import type { PageRequest } from "./cursor";
import { embedColumns, embedNames, embedValue, columnsText } from "./embeds";
import type { Embed, EntityClass } from "./embeds";
import { beyondCursorSql, countSql, pageSql } from "./page-sql";
import type { ListSource } from "./page-sql";
import { columnsFor } from "./selection";
import type { Selection } from "./selection";

/** What a module hands to `connection`: the list's SQL and the entity its rows are. */
export interface ConnectionSpec<P, T> {
  /** Names the list and its relation for batching, e.g. `Operation<-report`. */
  name: string;
  entity: EntityClass<T>;
  request: PageRequest;
  /** Stable text of the resolved filter, so only identical lists share a batch. */
  filterKey: string;
  /** Builds the list's SQL, its values added to `params` (fresh parameters when left out). */
  source: (params?: SqlParams) => ListSource;
  parent: P;
  /** A by-id loader to prime with the page's records, so later lookups of them cost nothing. */
  primes?: (ctx: Context) => DataLoader<number, T | null>;
  /** What the query selects under the list: `totalCount` is then counted in the page's statement. */
  selection?: Selection;
  /** Lookups of each record the query will make next, fetched in the page's statement. */
  embeds?: readonly Embed<T>[];
}

interface PageRows<T> {
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
  spec: ConnectionSpec<P, T>,
  parents: readonly P[],
  withTotal: boolean,
  partial: string[] | null,
): Promise<PageRows<T>[]> {
  const source = spec.source();
  source.columns = embedColumns(spec.embeds ?? [], source.params);
  if (partial) source.recordColumns = partial;
  const rows = await ctx.sql(pageSql(source, spec.request, parents, withTotal), source.params.values);
  return pagesOf(ctx, spec, source, parents, rows, withTotal, partial, tableShape(ctx.dataSource, spec.entity).map);
}

/** The rows of a page statement (`pageSql`), as read by pg or as JSON, turned into one page per parent. */
function pagesOf<P, T extends ObjectLiteral>(
  ctx: Context,
  spec: ConnectionSpec<P, T>,
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

/** What a page reads: its count only when `totalCount` is selected, and only the record columns its nodes' fields need. */
interface PageReads {
  withTotal: boolean;
  partial: string[] | null;
  /** The name of the request's loader of such pages: lists that differ in what they read or carry are separate batches. */
  loader: string;
}

function pageReads<P, T>(ctx: Context, spec: ConnectionSpec<P, T>): PageReads {
  const withTotal = spec.selection?.fields.has("totalCount") ?? false;
  const partial = spec.selection ? columnsFor(ctx.dataSource, spec.entity, spec.selection.nodeFields) : null;
  const loader = `page:${spec.name}|${spec.filterKey}|${pageRequestKey(spec.request)}|${embedNames(spec.embeds ?? [])}|${withTotal}|${columnsText(partial)}`;
  return { withTotal, partial, loader };
}

/** The request's loader of a list's pages, one page per parent and one statement per batch. */
function pageLoader<P, T extends ObjectLiteral>(ctx: Context, spec: ConnectionSpec<P, T>, reads = pageReads(ctx, spec)): DataLoader<P, PageRows<T>> {
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
export function pageEmbed<R, T extends ObjectLiteral>(ctx: Context, spec: ConnectionSpec<number | string, T>, parent: EmbedParent<R>): Embed<R> {
  const reads = pageReads(ctx, spec);
  const { withTotal, partial } = reads;
  const embeds = spec.embeds ?? [];
  const shape = tableShape(ctx.dataSource, spec.entity);
  const template = spec.source();
  return {
    name: `(${reads.loader})`,
    sql: (params) => {
      const source = spec.source(params);
      source.columns = embedColumns(embeds, params);
      if (partial) source.recordColumns = partial;
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
export async function connection<P extends string | number, T extends ObjectLiteral>(ctx: Context, spec: ConnectionSpec<P, T>): Promise<ConnectionResult<T>> {
  // `{ totalCount }` alone (a count under every parent of a page) reads no page: the count is one
  // statement for every parent, from the maintained counters where the list has them.
  if (spec.selection && !PAGE_FIELDS.some((field) => spec.selection!.fields.has(field))) return new PageConnection(ctx, spec, NO_PAGE);
  return new PageConnection(ctx, spec, await pageLoader(ctx, spec).load(spec.parent));
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

/**
 * A page as a connection. What a query does not select is never worked out: edges and their
 * cursors, page info, the count and the cursor probes are getters, read only when selected (a page
 * of operations resolves 50 nested connections, most of them asked for `nodes` alone).
 */
class PageConnection<P extends string | number, T extends ObjectLiteral> implements ConnectionResult<T> {
  constructor(
    private readonly ctx: Context,
    private readonly spec: ConnectionSpec<P, T>,
    private readonly page: PageRows<T>,
  ) {}

  get nodes(): T[] {
    return this.page.records;
  }

  get edges(): { cursor: string; node: T }[] {
    const { page } = this;
    return page.records.map((node, index) => ({
      node,
      get cursor() {
        return page.cursor(index);
      },
    }));
  }

  get totalCount(): number | Promise<number> {
    if (this.page.total !== undefined) return this.page.total;
    const name = `count:${this.spec.name}|${this.spec.filterKey}`;
    return this.perParent<number>(name, countSql, (rows, key) => rows.find((row) => String(row.parent) === key)?.n ?? 0);
  }

  get pageInfo(): ConnectionResult<T>["pageInfo"] {
    const { page } = this;
    const { request } = this.spec;
    const first = request.mode === "first";
    const beyond = (side: "after" | "before") => this.beyond(side);
    return {
      get hasNextPage() {
        if (first && page.overflow) return true;
        return request.before ? beyond("before") : false;
      },
      get hasPreviousPage() {
        if (!first && page.overflow) return true;
        return request.after ? beyond("after") : false;
      },
      get startCursor() {
        return page.records.length ? page.cursor(0) : null;
      },
      get endCursor() {
        return page.records.length ? page.cursor(page.records.length - 1) : null;
      },
    };
  }

  /** Whether any row lies on the far side of the request's cursor (see `beyondCursorSql`), for every parent in one statement. */
  private beyond(side: "after" | "before"): Promise<boolean> {
    const { spec } = this;
    const name = `${side}:${spec.name}|${spec.filterKey}|${pageRequestKey(spec.request)}`;
    return this.perParent<boolean>(
      name,
      (source, parents) => beyondCursorSql(source, spec.request, side, parents),
      (rows, key) => rows.some((row) => String(row.parent) === key),
    );
  }

  /** One more fact of this list for every parent in the batch, from one statement (a top-level list has the one parent 0). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each caller reads the rows its own SQL selects
  private perParent<V>(name: string, sql: (source: ListSource, parents: readonly unknown[]) => string, pick: (rows: any[], key: string) => V): Promise<V> {
    const { ctx, spec } = this;
    // Whether the list hangs under parents is a property of the list, not of each call.
    const nested = spec.source().parentExpr !== undefined;
    return ctx
      .batch<P, V>(name, async (parents) => {
        const source = spec.source();
        const rows = await ctx.sql(sql(source, nested ? parents : [0]), source.params.values);
        return parents.map((parent) => pick(rows, String(nested ? parent : 0)));
      })
      .load(spec.parent);
  }
}
