import type { ObjectLiteral } from "typeorm";
import type DataLoader from "dataloader";
import type { Context } from "../context";
import { SqlParams } from "../db/sql";
import type { ConnectionArgs, ConnectionResult, OrderDirection } from "./connection";
import { pageRequest } from "./cursor";
import type { SortKey, SqlType } from "./cursor";
import { connection } from "./list";
import type { ConnectionSpec } from "./list";
import type { Embed } from "./embeds";
import { checkSearchText, sortKeyFor } from "./search";
import type { SearchTable } from "./search";
import type { Selection } from "./selection";

/** Where a list hangs: its FROM clause (listed table aliased `e`) and the parent its rows belong to; a top-level list has no `parentExpr` and parent 0. */
export interface ListScope {
  from: string;
  parentExpr?: string;
  /** SQL type of the parents; `int` when left out. */
  parentType?: SqlType;
  parent: number | string;
}

/** The scope of a list over the whole graph: its table, aliased `e`, under no parent. */
export function wholeScope(table: string): ListScope {
  return { from: `${table} e`, parent: 0 };
}

/** The scope of a list whose rows name their parent in a column of their own (`e.<column>`). */
export function columnScope(table: string, column: string, parentType: SqlType, parent: number | string): ListScope {
  return { from: `${table} e`, parentExpr: `e.${column}`, parentType, parent };
}

/**
 * The scope of a list whose rows reach their parent through a link table, aliased `l` and joined
 * on `l.<table>_id`, the parent in `l.<column>`; `on` adds to the join's condition.
 */
export function linkScope(table: string, link: string, column: string, parentType: SqlType, parent: number | string, on = ""): ListScope {
  return { from: `${table} e JOIN ${link} l ON l.${table}_id = e.id${on}`, parentExpr: `l.${column}`, parentType, parent };
}

/** The scopes of a union whose `kind` covers `K` (a scope shared by several kinds is one of each). */
type ScopeOfKind<Scope, K> = Scope extends { kind: infer Kinds } ? (K extends Kinds ? Scope : never) : never;

/** A list's `scope` from one function per kind of scope, so that each list names its scopes rather than switching over them. */
export function scopeByKind<Scope extends { kind: string }>(byKind: { [K in Scope["kind"]]: (scope: ScopeOfKind<Scope, K>) => ListScope }): (
  scope: Scope,
) => ListScope {
  return (scope) => (byKind[scope.kind as Scope["kind"]] as (scope: Scope) => ListScope)(scope);
}

/** The arguments every searchable, ordered and filtered list takes. */
export type ListArgs<Filter> = ConnectionArgs & {
  filter?: (Filter & { text?: string | null }) | null;
  orderBy?: { field: string; direction: OrderDirection } | null;
};

/** What sets one entity's list apart from another's: its orderings, its filter and its scopes. */
export interface ListOf<T, Filter, Resolved, Scope extends { kind: string }> {
  /** GraphQL type of the nodes; names the list's batches and its cursors. */
  type: string;
  entity: (new () => T) & { name: string };
  /** The searched table, for `filter.text` and the RELEVANCE ordering. */
  search: SearchTable;
  sorts: Record<string, SortKey>;
  defaultOrder: { field: string; direction: OrderDirection };
  /** Checks the GraphQL filter and resolves its keys; errors name the field. */
  resolveFilter(ctx: Context, filter: Filter | null | undefined): Promise<Resolved>;
  /** SQL conditions for a resolved filter over the alias `e`. */
  filterSql(filter: Resolved, params: SqlParams): string[];
  scope(scope: Scope): ListScope;
  /**
   * The whole list's count for this filter and scope from something cheaper than counting its rows
   * (see `ListSource.count`), as SQL written with `params`; undefined where there is none.
   */
  count?(filter: Resolved, scope: Scope): ((params: SqlParams) => string) | undefined;
  /** A by-id loader to prime with each page's records. */
  primes: (ctx: Context) => DataLoader<number, T | null>;
}

/**
 * An entity's list as `connection` takes it, ordered, filtered and scoped: the steps every keyed
 * entity's list takes (default order, sort key, paging arguments, filter, scope), written once.
 * `selection` and `embeds` are handed on as they are. Errors in the arguments name them.
 */
export async function listSpec<T extends ObjectLiteral, Filter, Resolved, Scope extends { kind: string }>(
  ctx: Context,
  list: ListOf<T, Filter, Resolved, Scope>,
  args: ListArgs<Filter>,
  scope: Scope,
  selection?: Selection,
  embeds?: readonly Embed<T>[],
): Promise<ConnectionSpec<number | string, T>> {
  const order = args.orderBy ?? list.defaultOrder;
  const sort = sortKeyFor(list.sorts, order.field, list.search, checkSearchText(args.filter?.text, "filter.text"));
  const request = pageRequest(args, list.type, sort, order.direction, "int");
  const filter = await list.resolveFilter(ctx, args.filter);
  const { parent, ...shape } = list.scope(scope);
  const counted = list.count?.(filter, scope);
  return {
    request,
    parent,
    source: (params = new SqlParams()) => {
      const where = list.filterSql(filter, params);
      const count = counted && (() => counted(params));
      return { type: list.type, idExpr: "e.id", idType: "int", ...shape, where, params, count };
    },
    entity: list.entity,
    primes: list.primes,
    selection,
    embeds,
  };
}

/** A page of an entity's list, ordered, filtered and scoped (see `listSpec`, which takes the same arguments). */
export async function listConnection<T extends ObjectLiteral, Filter, Resolved, Scope extends { kind: string }>(
  ...args: Parameters<typeof listSpec<T, Filter, Resolved, Scope>>
): Promise<ConnectionResult<T>> {
  return connection(args[0], await listSpec(...args));
}
