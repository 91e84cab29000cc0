import { Args, Ctx, FieldResolver, Root } from "type-graphql";
import type { ClassType } from "type-graphql";
import type { Context } from "../context";
import type { ListRelation } from "./list-relation";
import { Selected } from "./selection";
import type { Selection } from "./selection";

/**
 * The field resolver of a nested list declared with `listRelation`, written once for every such
 * field: put on a property named as the field (the property itself holds nothing), it installs a
 * method of that name taking the record (`@Root`, of class `root`), the context (`@Ctx`), the
 * list's arguments (`@Args`, of the relation's class) and the selection (`@Selected`), and hands
 * them to the relation. Being a member decorator, it keeps the field among the class's other
 * field resolvers in the order they are written. The relation is read when the schema is built
 * (modules declaring relations import each other's resolvers); a property named other than the
 * relation's field is an error then, since the parent's statement looks for the page under it.
 */
export function ListField<R extends object, A>(
  root: ClassType<R>,
  type: () => ClassType,
  relation: () => ListRelation<R, unknown, A>,
  description: string,
): PropertyDecorator {
  return (prototype, name) => {
    const declared = () => {
      const declaration = relation();
      if (declaration.field !== name) throw new Error(`ListField: property ${String(name)} serves the list of field ${declaration.field}`);
      return declaration;
    };
    const resolve = (record: R, ctx: Context, args: A, selection: Selection) => relation().connection(ctx, record, args, selection);
    const descriptor = { value: resolve, writable: true, configurable: true, enumerable: false };
    Object.defineProperty(prototype, name, descriptor);
    // `@Root` reads the record's class from the parameter types the compiler would have emitted.
    Reflect.defineMetadata("design:paramtypes", [root, Object, Object, Object], prototype, name);
    Selected()(prototype, name, 3);
    Args(() => declared().args)(prototype, name, 2);
    Ctx()(prototype, name, 1);
    Root()(prototype, name, 0);
    FieldResolver(type, { description })(prototype, name, descriptor);
  };
}
