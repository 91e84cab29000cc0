import type DataLoader from "dataloader";
import type { Context } from "../context";
import { NotFoundError } from "./errors";
import { truncate } from "./global-id";
import { requireIds, rowsBy } from "./embeds";
import type { Embed } from "./embeds";
import { columnsFor } from "./selection";

/** The lookups of a record type with an id and a key, all batched per request. */
export interface KeyedRecords<T> {
  /** Request-scoped loader by id; with `columns` (from `columnsFor`), one that reads only those. */
  byId(ctx: Context, columns?: readonly string[] | null): DataLoader<number, T | null>;
  /** Request-scoped loader by key. */
  byKey(ctx: Context): DataLoader<string, T | null>;
  /**
   * The record with this key, or a NOT_FOUND error; `embeds` ride along in its statement, and with
   * `fields` (what the query selects on it) only the columns they need are read.
   */
  requireKey(ctx: Context, key: string, embeds?: readonly Embed<T>[], fields?: ReadonlySet<string>): Promise<T>;
  /** Keys named in a filter resolved to ids; an unknown key is an error naming the field. */
  requireIds(ctx: Context, keys: readonly string[] | null | undefined, path: string): Promise<number[] | undefined>;
}

/**
 * The lookups every keyed record type (company, report, operation, statement) offers, written
 * once: `noun` is how errors name the type ("company").
 */
export function keyedRecords<T extends { id: number; key: string }>(entity: (new () => T) & { name: string }, noun: string): KeyedRecords<T> {
  const byId = (ctx: Context, columns: readonly string[] | null = null) => rowsBy<T, number>(ctx, entity, "id", [], columns);
  const byKey = (ctx: Context) => rowsBy<T, string>(ctx, entity, "key");
  return {
    byId,
    byKey,
    async requireKey(ctx, key, embeds = [], fields) {
      const columns = fields ? columnsFor(ctx.dataSource, entity, fields) : null;
      const record = await rowsBy<T, string>(ctx, entity, "key", embeds, columns).load(key);
      if (!record) throw new NotFoundError(`No ${noun} with key "${truncate(key)}"`);
      return record;
    },
    requireIds: (ctx, keys, path) => requireIds(byKey(ctx), keys, path, noun),
  };
}
