import type { ObjectLiteral } from "typeorm";
import type DataLoader from "dataloader";
import type { Context } from "../context";
import { tableShape } from "../db/rows";
import type { ConnectionResult } from "./connection";
import { encodeCursor, pageRequestKey } from "./cursor";
import type { PageRequest } from "./cursor";
import { beyondCursorSql, countSql, pageSql } from "./page-sql";
import type { ListSource } from "./page-sql";
import { BadUserInputError } from "./errors";
import { truncate } from "./global-id";

type EntityClass<T> = (new () => T) & { name: string };

/**
 * One request-scoped loader per entity and column: `load(value)` gives the row or null, batched
 * into a single `WHERE column = ANY($1)` per tick, results in key order.
 */
export function rowsBy<T extends ObjectLiteral, K extends string | number>(ctx: Context, entity: EntityClass<T>, column: keyof T & string): DataLoader<K, T | null> {
  return ctx.batch<K, T | null>(`${entity.name}.${column}`, async (keys) => {
    const shape = tableShape(ctx.dataSource, entity);
    const databaseColumn = ctx.dataSource.getMetadata(entity).findColumnWithPropertyName(column)!.databaseName;
    const rows = await ctx.sql(`SELECT * FROM ${shape.table} WHERE ${databaseColumn} = ANY($1)`, [[...keys]]);
    const byKey = new Map<K, T>();
    for (const row of rows) {
      const record = shape.map(row);
      byKey.set(record[column] as K, record);
    }
    return keys.map((key) => byKey.get(key) ?? null);
  });
}

/** Loads rows by value in order, dropping none: a value without a row is a broken invariant. */
export async function loadAll<T, K>(loader: DataLoader<K, T | null>, keys: readonly K[]): Promise<T[]> {
  const rows = await loader.loadMany(keys);
  return rows.map((row, index) => {
    if (row instanceof Error) throw row;
    if (row === null) throw new Error(`record ${String(keys[index])} vanished while the request ran`);
    return row;
  });
}

/**
 * Resolves the keys a filter names to record ids through a batch loader. An unknown key is a
 * BAD_USER_INPUT error naming the filter field and every unknown key, never an empty result.
 */
export async function requireIds<T extends { id: number }>(
  loader: DataLoader<string, T | null>,
  keys: readonly string[] | null | undefined,
  path: string,
  noun: string,
): Promise<number[] | undefined> {
  if (!keys || keys.length === 0) return undefined;
  const found = await loader.loadMany(keys);
  const unknown = keys.filter((_, index) => !found[index] || found[index] instanceof Error);
  if (unknown.length > 0) {
    throw new BadUserInputError(`${path}: unknown ${noun} key${unknown.length > 1 ? "s" : ""} ${unknown.map((k) => `"${truncate(k)}"`).join(", ")}`);
  }
  return [...new Set(found.map((record) => (record as T).id))];
}

/** What a module hands to `connection`: the list's SQL and the entity its rows are. */
export interface ConnectionSpec<P, T> {
  /** Names the list and its relation for batching, e.g. `Operation<-report`. */
  name: string;
  entity: EntityClass<T>;
  request: PageRequest;
  /** Stable text of the resolved filter, so only identical lists share a batch. */
  filterKey: string;
  /** Builds the list's SQL (fresh parameters each call). */
  source: () => ListSource;
  parent: P;
  /** A by-id loader to prime with the page's records, so later lookups of them cost nothing. */
  primes?: (ctx: Context) => DataLoader<number, T | null>;
}

interface PageRows<T> {
  records: T[];
  /** The cursor of the i-th record, encoded only when a query asks for it. */
  cursor(index: number): string;
  overflow: boolean;
}

/** One page per parent from one statement (see `pageSql`), records mapped to entities. */
async function fetchPages<P, T extends ObjectLiteral>(ctx: Context, spec: ConnectionSpec<P, T>, parents: readonly P[]): Promise<PageRows<T>[]> {
  const source = spec.source();
  const { request } = spec;
  const rows = await ctx.sql(pageSql(source, request, parents), source.params.values);
  const shape = tableShape(ctx.dataSource, spec.entity);
  const byParent = new Map<unknown, Record<string, unknown>[]>();
  for (const row of rows) {
    const parent = source.parentExpr ? row.__parent : parents[0];
    let list = byParent.get(parent);
    if (!list) byParent.set(parent, (list = []));
    list.push(row);
  }
  const primed = spec.primes?.(ctx);
  return parents.map((parent) => {
    let list = byParent.get(parent) ?? [];
    const overflow = list.length > request.limit;
    list = list.slice(0, request.limit);
    if (request.mode === "last") list.reverse();
    const records = list.map((row) => {
      const record = shape.map(row);
      primed?.prime(record.id as number, record);
      return record;
    });
    const idColumn = source.idExpr.slice(2);
    const cursor = (index: number) => encodeCursor({ t: source.type, f: request.sort.field, s: list[index].__sort as string | number, i: list[index][idColumn] as string | number });
    return { records, cursor, overflow };
  });
}

/** A loader per list for one more fact per parent, run as one statement for all parents and only when asked. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each caller reads the rows its own SQL selects
function perParent<P, V>(ctx: Context, name: string, sql: (parents: readonly P[]) => { text: string; values: unknown[] }, pick: (rows: any[], parent: P) => V) {
  return ctx.batch<P, V>(name, async (parents) => {
    const { text, values } = sql(parents);
    const rows = await ctx.sql(text, values);
    return parents.map((parent) => pick(rows, parent));
  });
}

/**
 * Serves a list as a connection. Calls for many parents in one request (the same nested list under
 * every operation of a page) are batched into one SQL statement by relation, filter and paging;
 * `totalCount`, and `hasPreviousPage`/`hasNextPage` past a cursor, are one more statement each,
 * only when selected.
 */
export async function connection<P extends string | number, T extends ObjectLiteral>(ctx: Context, spec: ConnectionSpec<P, T>): Promise<ConnectionResult<T>> {
  const listKey = `${spec.name}|${spec.filterKey}`;
  const key = `${listKey}|${pageRequestKey(spec.request)}`;
  const page = await ctx.batch<P, PageRows<T>>(`page:${key}`, (parents) => fetchPages(ctx, spec, parents)).load(spec.parent);
  const { request } = spec;
  // Whether the list hangs under parents is a property of the list, not of each call: decided once.
  const nested = spec.source().parentExpr !== undefined;
  const parentsIn = (parents: readonly P[]) => (nested ? parents : [0]);
  const keyOf = (parent: P) => String(nested ? parent : 0);
  const exists = (side: "after" | "before") =>
    perParent<P, boolean>(
      ctx,
      `${side}:${key}`,
      (parents) => {
        const source = spec.source();
        return { text: beyondCursorSql(source, request, side, parentsIn(parents)), values: source.params.values };
      },
      (rows, parent) => rows.some((row) => String(row.parent) === keyOf(parent)),
    ).load(spec.parent);
  const first = request.mode === "first";
  return {
    edges: page.records.map((node, index) => ({
      node,
      get cursor() {
        return page.cursor(index);
      },
    })),
    nodes: page.records,
    get totalCount() {
      return perParent<P, number>(
        ctx,
        `count:${listKey}`,
        (parents) => {
          const source = spec.source();
          return { text: countSql(source, parentsIn(parents)), values: source.params.values };
        },
        (rows, parent) => rows.find((row) => String(row.parent) === keyOf(parent))?.n ?? 0,
      ).load(spec.parent);
    },
    pageInfo: {
      get hasNextPage() {
        if (first && page.overflow) return true;
        return request.before ? exists("before") : false;
      },
      get hasPreviousPage() {
        if (!first && page.overflow) return true;
        return request.after ? exists("after") : false;
      },
      get startCursor() {
        return page.records.length ? page.cursor(0) : null;
      },
      get endCursor() {
        return page.records.length ? page.cursor(page.records.length - 1) : null;
      },
    },
  };
}
