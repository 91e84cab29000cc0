import { registerEnumType } from "type-graphql";
import { enumOf, enumValuesConfig } from "./vocabulary";
import type { Vocabulary } from "./vocabulary";

/** The values of an enum object that `describedEnum` returns, as a type (`"A" | "B"`). */
export type EnumValue<E> = E[keyof E];

/**
 * Declares a GraphQL enum from one table of its values and their descriptions, and returns it as an
 * enum-like object (`{ A: "A", ... }`) for code to name the values by. Every enum of the schema has a
 * description on each value; with the table, a value and its description are written once, together,
 * and a value cannot be left undescribed. Vocabularies of the codebook (common/vocabulary.ts) are such
 * tables already.
 */
export function describedEnum<V extends Vocabulary>(name: string, description: string, values: V): { readonly [K in keyof V]: K } {
  const enumObject = enumOf(values);
  describeEnum(enumObject as Record<string, string>, name, description, values);
  return enumObject;
}

/**
 * Gives an existing TypeScript enum its GraphQL name, description and value descriptions, for enums
 * whose members code names as types (`Exclude<Field, Field.RELEVANCE>`). The table must describe
 * exactly the enum's members.
 */
export function describeEnum<E extends Record<string, string>>(enumObject: E, name: string, description: string, values: { [K in keyof E]: string }): E {
  registerEnumType<object>(enumObject, { name, description, valuesConfig: enumValuesConfig(values) });
  return enumObject;
}

/**
 * Declares several GraphQL enums from one table, each under its name with its description and the
 * table of its values, as `describedEnum` declares one; for a module whose enums sit together.
 */
export function describedEnums<T extends Record<string, readonly [string, Vocabulary]>>(
  enums: T,
): { readonly [N in keyof T]: { readonly [K in keyof T[N][1]]: K } } {
  return Object.fromEntries(Object.entries(enums).map(([name, [description, values]]) => [name, describedEnum(name, description, values)])) as {
    readonly [N in keyof T]: { readonly [K in keyof T[N][1]]: K };
  };
}
