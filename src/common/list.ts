import type { EntityTarget, ObjectLiteral } from "typeorm";
import { In } from "typeorm";
import type DataLoader from "dataloader";
import type { Context } from "../http/context";
import { fetchPages, pageRequestKey, toConnection } from "./connection";
import type { ConnectionResult, ListSource, PageRequest } from "./connection";
import { BadUserInputError } from "./errors";
import { truncate } from "./global-id";

/**
 * One request-scoped loader per entity and column: `load(value)` gives the row or null, batched
 * into a single `WHERE column IN (...)` per tick, results in key order.
 */
export function rowsBy<T extends ObjectLiteral, K extends string | number>(
  ctx: Context,
  entity: EntityTarget<T> & { name: string },
  column: keyof T & string,
): DataLoader<K, T | null> {
  return ctx.batch<K, T | null>(`${entity.name}.${column}`, async (keys) => {
    const rows = await ctx.dataSource.getRepository(entity).findBy({ [column]: In([...keys]) } as never);
    const byKey = new Map(rows.map((row) => [row[column] as K, row]));
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

/** What a module hands to `connection`: the list's SQL and how to load its nodes by id. */
export interface ConnectionSpec<P, Id, T> {
  /** Names the list and its relation for batching, e.g. `Operation<-report`. */
  name: string;
  request: PageRequest;
  /** Stable text of the resolved filter, so only identical lists share a batch. */
  filterKey: string;
  source: () => ListSource;
  parent: P;
  load: (ids: Id[]) => Promise<T[]>;
}

/**
 * Serves a list as a connection. Calls for many parents in one request (the same nested list under
 * every operation of a page) are batched into one SQL statement by relation, filter and paging.
 */
export async function connection<P extends string | number, Id extends string | number, T>(
  ctx: Context,
  spec: ConnectionSpec<P, Id, T>,
): Promise<ConnectionResult<T>> {
  const key = `${spec.name}|${spec.filterKey}|${pageRequestKey(spec.request)}`;
  const loader = ctx.batch<P, Awaited<ReturnType<typeof fetchPages<P, Id>>>[number]>(key, (parents) =>
    fetchPages<P, Id>(ctx.dataSource, spec.source(), spec.request, parents),
  );
  return toConnection(await loader.load(spec.parent), spec.load);
}
