import type { ObjectLiteral } from "typeorm";
import type DataLoader from "dataloader";
import type { Context } from "../context";
import { recordColumnsSql, tableShape } from "../db/rows";
import { SqlParams, inList } from "../db/sql";
import { BadUserInputError } from "./errors";
import { truncate } from "./global-id";
import { statementKey } from "./statement-key";

/** An entity class, as TypeORM and the loaders name it. */
export type EntityClass<T> = (new () => T) & { name: string };

/**
 * Something a query will ask of each record next, fetched in the record's own statement as one
 * more column (a scalar subquery over the alias `e`, usually JSON) and handed to the loader that
 * would otherwise run a statement for it. A lookup folded into its parent's statement, as
 * PostGraphile folds a whole selection.
 */
export interface Embed<T> {
  /** Scalar subquery over the record's alias `e`; a function when it needs values, which it adds to the statement's parameters. */
  sql: string | ((params: SqlParams) => string);
  /** Primes the loader that would fetch this for `record`, with the column's value. */
  prime(ctx: Context, record: T, value: unknown): void;
  /**
   * What `prime` makes of the column beyond what its SQL says (how a nested page is read back: its
   * order, its cursors), so that it is part of the statement's identity; left out when the SQL says it all.
   */
  reading?: string;
}

/**
 * The embeds as columns of a statement. Columns are named by position (`__0`, `__1`, read back with
 * `embedValue`), not by the embed's name: PostgreSQL cuts names at 63 bytes, and a name that
 * spells out a column list or a page's arguments can be longer.
 */
export const embedColumns = <T>(embeds: readonly Embed<T>[], params: SqlParams) =>
  embeds.map((embed, index) => `(${typeof embed.sql === "string" ? embed.sql : embed.sql(params)}) AS "__${index}"`);
export const embedValue = (row: Record<string, unknown>, index: number) => row[`__${index}`];
/** What the embeds' `prime` make of their columns beyond their SQL, for a statement's identity (see `statementKey`). */
export const embedReadings = <T>(embeds: readonly Embed<T>[]) =>
  embeds.some((embed) => embed.reading) ? JSON.stringify(embeds.map((embed) => embed.reading ?? null)) : "";

const columnTexts = new WeakMap<readonly string[], string>();
/** A column list (from `columnsFor`, whose arrays are kept) as text, joined once per list: what caches of embeds are keyed by. */
export function columnsText(columns: readonly string[] | null): string {
  if (!columns) return "*";
  let text = columnTexts.get(columns);
  if (text === undefined) columnTexts.set(columns, (text = columns.join(",")));
  return text;
}

/** What one `rowsBy` loader reads: records of `entity` by `column`, with `embeds` and, when given, only `columns`. */
interface RowsLookup<T> {
  entity: EntityClass<T>;
  column: keyof T & string;
  embeds: readonly Embed<T>[];
  columns: readonly string[] | null;
}

/** The statement of a `rowsBy` batch: the record's columns and the embeds' over `e`, for the given keys. */
function rowsSql<T extends ObjectLiteral>(ctx: Context, lookup: RowsLookup<T>, params: SqlParams, keys: readonly unknown[]): string {
  const { entity, column, embeds, columns } = lookup;
  const databaseColumn = ctx.dataSource.getMetadata(entity).findColumnWithPropertyName(column)!.databaseName;
  const selected = [recordColumnsSql("e", columns), ...embedColumns(embeds, params)].join(", ");
  return `SELECT ${selected} FROM ${tableShape(ctx.dataSource, entity).table} e WHERE e.${databaseColumn} ${inList(params, keys)}`;
}

/** Stands for "every column" where a column list keys a cache. */
const ALL_COLUMNS: readonly string[] = [];
/** `rowsBy` names without embeds, by entity, column and column list (arrays `columnsFor` keeps): a lookup of a record is the hottest path there is. */
const rowsKeys = new WeakMap<object, Map<string, WeakMap<readonly string[], string>>>();

function rowsKey<T extends ObjectLiteral>(ctx: Context, lookup: RowsLookup<T>) {
  const { entity, column, embeds, columns } = lookup;
  const name = () => {
    const params = new SqlParams();
    return statementKey(rowsSql(ctx, lookup, params, []), params.values, embedReadings(embeds));
  };
  if (embeds.length > 0) return name();
  let byColumn = rowsKeys.get(entity);
  if (!byColumn) rowsKeys.set(entity, (byColumn = new Map()));
  let byColumns = byColumn.get(column);
  if (!byColumns) byColumn.set(column, (byColumns = new WeakMap()));
  let key = byColumns.get(columns ?? ALL_COLUMNS);
  if (key === undefined) byColumns.set(columns ?? ALL_COLUMNS, (key = name()));
  return key;
}

/**
 * One request-scoped loader per entity and column: `load(value)` gives the row or null, batched
 * into a single `WHERE column = ANY($1)` per tick, results in key order. `embeds` ride along in
 * the same statement. With `columns` (from `columnsFor`), only those are read: such a loader is one
 * of its own, so a record read in part never stands in for the whole one.
 */
export function rowsBy<T extends ObjectLiteral, K extends string | number>(
  ctx: Context,
  entity: EntityClass<T>,
  column: keyof T & string,
  embeds: readonly Embed<T>[] = [],
  columns: readonly string[] | null = null,
): DataLoader<K, T | null> {
  const lookup: RowsLookup<T> = { entity, column, embeds, columns };
  return ctx.batch<K, T | null>(rowsKey(ctx, lookup), async (keys) => {
    const shape = tableShape(ctx.dataSource, entity);
    const params = new SqlParams();
    const rows = await ctx.sql(rowsSql(ctx, lookup, params, keys), params.values);
    const byKey = new Map<K, T>();
    for (const row of rows) {
      const record = shape.map(row);
      embeds.forEach((embed, index) => embed.prime(ctx, record, embedValue(row, index)));
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
  // A lookup that failed (a busy pool, a lost database) is that failure, not an unknown key.
  const failed = found.find((row) => row instanceof Error);
  if (failed) throw failed;
  const unknown = keys.filter((_, index) => !found[index]);
  if (unknown.length > 0) {
    throw new BadUserInputError(`${path}: unknown ${noun} key${unknown.length > 1 ? "s" : ""} ${unknown.map((k) => `"${truncate(k)}"`).join(", ")}`, path);
  }
  return [...new Set(found.map((record) => (record as T).id))];
}
