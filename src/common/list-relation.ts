import type { ObjectLiteral } from "typeorm";
import type { Context } from "../context";
import type { ConnectionResult } from "./connection";
import type { Embed } from "./embeds";
import { BadUserInputError } from "./errors";
import { pageConnection, pageEmbed } from "./list";
import type { EmbedParent, PageList } from "./list";
import { listSpec } from "./list-connection";
import type { ListArgs, ListOf } from "./list-connection";
import type { ArgsClass, Selection } from "./selection";

/** A list under each record of another type, as its module declares it once (see `listRelation`). */
export interface ListRelationDeclaration<R, T, Filter, Resolved, Scope extends { kind: string }, A extends ListArgs<Filter>> {
  /** The field of the record's type that serves the list (`Operation.reports`: "reports"). */
  field: string;
  /** The class the field's arguments coerce to, as its resolver declares them. */
  args: ArgsClass<A>;
  /** The column of the record the list hangs from, and its value on a record. */
  parent: EmbedParent<R>;
  list: ListOf<T, Filter, Resolved, Scope>;
  /** The list's scope under such a record, its parent left open (the page hangs from `parent`). */
  scope: Scope;
  /** What each listed record's statement carries for what the query selects on the nodes (`selection` is the connection's). */
  embeds?: (ctx: Context, selection: Selection) => Embed<T>[];
}

/** A list under each record of another type: the field resolver's call and the page carried by the record's own statement. */
export interface ListRelation<R, T, A> {
  /** The field of the record's type that serves the list, as declared. */
  field: string;
  /** The class the field's arguments coerce to, as declared. */
  args: ArgsClass<A>;
  /** The page under one record, as the field's resolver serves it. */
  connection(ctx: Context, record: R, args: A, selection: Selection): Promise<ConnectionResult<T>>;
  /**
   * The page the field selected on a record (`selection` is the record's) will ask for, as one more
   * column of the record's own statement, primed into the loader `connection` reads: null when the
   * field is not selected once or its arguments are refused (the field then reports the error itself).
   */
  embed(ctx: Context, selection: Selection): Promise<Embed<R> | null>;
  /** The same under each record of a connection (`selection` is the connection's). */
  nodesEmbed(ctx: Context, selection: Selection): Promise<Embed<R> | null>;
}

/**
 * Declares a nested list once (the field, its arguments, the column it hangs from, the list and its
 * scope) and derives from it what used to be wired by hand in three places: the field resolver's
 * call, the page carried in the parent's statement, and the priming that joins the two. The list
 * under every record of a request is built once per selection and arguments (the same for every
 * parent but the parent), so what is derived from it (its statement's identity) is worked out
 * once, not once per parent.
 */
export function listRelation<R, T extends ObjectLiteral, Filter, Resolved, Scope extends { kind: string }, A extends ListArgs<Filter>>(
  declaration: ListRelationDeclaration<R, T, Filter, Resolved, Scope, A>,
): ListRelation<R, T, A> {
  const { field, args: argsClass, parent, list, scope } = declaration;
  // Per request, per selection and per arguments (as JSON: a field resolver's arguments are a new object for every parent).
  const lists = new WeakMap<Context, WeakMap<Selection, Map<string, Promise<PageList<T>>>>>();
  const pageList = (ctx: Context, args: A, selection: Selection): Promise<PageList<T>> => {
    let bySelection = lists.get(ctx);
    if (!bySelection) lists.set(ctx, (bySelection = new WeakMap()));
    let byArgs = bySelection.get(selection);
    if (!byArgs) bySelection.set(selection, (byArgs = new Map()));
    const key = JSON.stringify(args);
    let built = byArgs.get(key);
    if (!built) byArgs.set(key, (built = listSpec(ctx, list, args, scope, selection, declaration.embeds?.(ctx, selection) ?? [])));
    return built;
  };
  const embedOf = async (ctx: Context, args: A | null, selection: Selection): Promise<Embed<R> | null> => {
    if (!args) return null;
    try {
      return pageEmbed<R, T>(ctx, await pageList(ctx, args, selection), parent);
    } catch (error) {
      if (error instanceof BadUserInputError) return null;
      throw error;
    }
  };
  return {
    field,
    args: argsClass,
    connection: async (ctx, record, args, selection) => pageConnection(ctx, await pageList(ctx, args, selection), parent.of(record)),
    embed: (ctx, selection) => embedOf(ctx, selection.argsOf(field, argsClass), selection.under(field)),
    nodesEmbed: (ctx, selection) => embedOf(ctx, selection.nodeArgsOf(field, argsClass), selection.underNodes(field)),
  };
}
