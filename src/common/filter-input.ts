import { Field, InputType, Int } from "type-graphql";
import type { ClassType } from "type-graphql";
import { DateScalar } from "./scalars";
import { SearchableFilter } from "./connection";

/** A GraphQL type as type-graphql's `@Field` takes it. */
type FieldType = Extract<Parameters<typeof Field>[0], () => unknown>;

/** One optional field of a filter: its GraphQL type and description; `V` is its value's TypeScript type. */
export interface FilterField<V> {
  type: FieldType;
  description: string;
  /** Carries `V` only; never set. */
  value?: V;
}

/**
 * A field matching any of the given values of an enum (`() => Region`, `() => Stance`, ...). The enum
 * is a thunk, as in `@Field`: a module loading in the middle of an import cycle holds it only later.
 */
export const anyOf = <E extends Record<string, string>>(values: () => E, description: string): FilterField<E[keyof E][]> => ({
  type: () => [values()],
  description,
});

/** A field matching any of the given keys or codes, which the service resolves (an unknown one is an error). */
export const keys = (description: string): FilterField<string[]> => ({ type: () => [String], description });

/** A date bound. */
export const date = (description: string): FilterField<string> => ({ type: () => DateScalar, description });

/** A whole-number bound. */
export const int = (description: string): FilterField<number> => ({ type: () => Int, description });

/** A field of an input type of its own (a nested condition), the type as a thunk (see `anyOf`). */
export const nested = <T extends object>(type: () => ClassType<T>, description: string): FilterField<T> => ({ type, description });

/** The filter's values as a service reads them: each field optional, absent or null when not given. */
export type FilterValues<S> = { [K in keyof S]?: (S[K] extends FilterField<infer V> ? V : never) | null };

/**
 * A filter input type (`name`): the fields of `base`, if any (such as `SearchableFilter`'s), then
 * each field of `fields`, optional, in the order given. Written once for every list's filter, so that a filter
 * says only what its fields are; returned as a class, typed as the values it carries.
 */
export function FilterInput<B extends object, S extends Record<string, FilterField<unknown>>>(
  name: string,
  description: string,
  fields: S,
  base: (abstract new () => B) | null = null,
): new () => B & FilterValues<S> {
  @InputType(name, { description })
  class Filter extends ((base ?? class {}) as new () => object) {}
  for (const [field, { type, description }] of Object.entries(fields)) {
    Field(type, { nullable: true, description })(Filter.prototype, field);
  }
  return Filter as new () => B & FilterValues<S>;
}

/**
 * The filter of a searchable list (`<type>Filter`): `SearchableFilter`'s fields (full-text search
 * `over` the records' text, matching `text`-wise, and `updatedSince`), then `fields`, described by
 * the rule every list filter follows.
 */
export function ListFilter<S extends Record<string, FilterField<unknown>>>(
  type: string,
  records: string,
  [over, text]: [string, Parameters<typeof SearchableFilter>[2]],
  fields: S,
) {
  const description = `Which ${records} to list. Values within a field are OR'ed, fields are AND'ed; an omitted or empty field does not filter.`;
  return FilterInput(`${type}Filter`, description, fields, SearchableFilter(records, over, text));
}
