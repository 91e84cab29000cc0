import { Arg, Args, Ctx, Query, Resolver } from "type-graphql";
import type { ClassType } from "type-graphql";
import type { Context } from "../context";
import { Selected } from "./selection";
import type { Selection } from "./selection";
import { installMethod } from "./install-method";

/**
 * The resolver of a keyed record type (company, report, operation, statement) and its root query by
 * slug key, written once: the class it decorates resolves fields of `type()`, and the query `name`
 * (`company` for `Company`) hands the context, the `key` argument and the selection to `load`,
 * which throws NOT_FOUND when there is no such record. Class decorators apply from the bottom up:
 * written nearest the class, this query comes before a `ListQuery` above it. The type is a thunk,
 * as type-graphql's own decorators take it: in an import cycle the class is not there yet when the
 * resolver is decorated.
 */
export function KeyedResolver<T extends object>(
  name: string,
  type: () => ClassType<T>,
  keyDescription: string,
  load: (ctx: Context, key: string, selection: Selection) => Promise<T>,
): ClassDecorator {
  return (target) => {
    const { prototype } = target;
    const descriptor = installMethod(prototype, name, load, [Object, String, Object]);
    Selected()(prototype, name, 2);
    Arg("key", () => String, { description: keyDescription })(prototype, name, 1);
    Ctx()(prototype, name, 0);
    Query(type, { nullable: true, description: `The ${name} with this key; a NOT_FOUND error when there is none.` })(prototype, name, descriptor);
    Resolver(type)(target);
  };
}

/**
 * The root query `field` of a record type's list, written once for every list: on the record type's
 * resolver class, it hands the context, the list's arguments (`@Args` of class `args`) and the
 * selection to `load`. The class's own queries (member decorators) come before it in the schema.
 */
export function ListQuery<A extends object>(
  field: string,
  type: () => ClassType,
  args: ClassType<A>,
  load: (ctx: Context, args: A, selection: Selection) => Promise<unknown>,
  description: string,
): ClassDecorator {
  return ({ prototype }) => {
    const descriptor = installMethod(prototype, field, load, [Object, args, Object]);
    Selected()(prototype, field, 2);
    Args(() => args)(prototype, field, 1);
    Ctx()(prototype, field, 0);
    Query(type, { description })(prototype, field, descriptor);
  };
}
