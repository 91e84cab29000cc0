import { Ctx, FieldResolver, Root } from "type-graphql";
import type { ClassType } from "type-graphql";
import type DataLoader from "dataloader";
import type { Context } from "../context";
import { installMethod } from "./install-method";

/**
 * The field resolver of a reference a record holds as a foreign key (a company's headquarters
 * country, a statement's organisation), written once: put on a property named as the field, it
 * installs a method that loads the referenced record with the request's `loader` by the value of
 * the record's (class `root`) property `key`, and answers null where the record has none. The type
 * and the loader are thunks, read when the field resolves: the entity modules import each other in
 * a cycle, and the other module may still be loading when the field is declared.
 */
export function ReferenceField<R extends object, P extends keyof R, T extends object>(
  root: ClassType<R>,
  type: () => ClassType<T>,
  key: P,
  loader: () => (ctx: Context) => DataLoader<NonNullable<R[P]>, T | null>,
  description: string,
): PropertyDecorator {
  return (prototype, name) => {
    const resolve = (record: R, ctx: Context) => {
      const value = record[key];
      return value === null || value === undefined ? null : loader()(ctx).load(value);
    };
    // `@Root` reads the record's class from the parameter types.
    const descriptor = installMethod(prototype, name, resolve, [root, Object]);
    Ctx()(prototype, name, 1);
    Root()(prototype, name, 0);
    FieldResolver(type, { nullable: true, description })(prototype, name, descriptor);
  };
}
