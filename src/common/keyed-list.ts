import type { OrderDirection } from "./connection";
import { keyedRecords } from "./keyed-records";
import type { KeyedRecords } from "./keyed-records";
import type { ListOf } from "./list-connection";
import type { SearchTable } from "./search";

/** What one keyed record type's list says of its own: orderings, filter, scopes and, where there is one, a cheaper count. */
export type ListParts<T, Filter, Resolved, Scope extends { kind: string }> = Pick<
  ListOf<T, Filter, Resolved, Scope>,
  "sorts" | "resolveFilter" | "filterSql" | "scope" | "count"
>;

/** A keyed record type's lookups, and its list made from them. */
export interface KeyedList<T> extends KeyedRecords<T> {
  /**
   * The record type's list as `listSpec` takes it. Its GraphQL type and entity, its search table
   * and the loader its pages prime are the record type's; its default order is the one `order` (an
   * `OrderInput` class) starts with, so the schema's default and the list's cannot drift apart.
   */
  list<Filter, Resolved, Scope extends { kind: string }>(
    order: new () => { field: string; direction: OrderDirection },
    parts: ListParts<T, Filter, Resolved, Scope>,
  ): ListOf<T, Filter, Resolved, Scope>;
}

/**
 * The lookups (see `keyedRecords`) and the list of a keyed record type whose `noun` names its
 * full-text search table and its errors, and, capitalised, its GraphQL type. The type's name is not
 * read from the entity class: a module that loads in the middle of an import cycle holds the class
 * only once the cycle is done, and nothing here may touch it before then.
 */
export function keyedList<T extends { id: number; key: string }>(entity: (new () => T) & { name: string }, noun: SearchTable): KeyedList<T> {
  const records = keyedRecords(entity, noun);
  return {
    ...records,
    list: (order, parts) => ({
      type: noun.charAt(0).toUpperCase() + noun.slice(1),
      entity,
      search: noun,
      defaultOrder: new order(),
      primes: records.byId,
      ...parts,
    }),
  };
}
