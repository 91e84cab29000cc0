import { Field, InputType, Int } from "type-graphql";
import { DateScalar } from "../scalars";
import type { JsonSchema, RecordDecl, RecordOf, ReferenceDecl } from "./declare";

/** A GraphQL type as type-graphql's `@Field` takes it. */
type ReturnTypeFunc = Extract<Parameters<typeof Field>[0], () => unknown>;
type ReturnTypeFuncValue = ReturnType<ReturnTypeFunc>;

/** A GraphQL field's options (description, nullability) as the record declaration says them. */
export function fieldOptions<D extends RecordDecl | ReferenceDecl>(decl: D, name: keyof D["fields"] & string): { description?: string; nullable?: true } {
  const f = decl.fields[name];
  return f.nullable ? { nullable: true, description: f.graphql } : { description: f.graphql };
}

/** The GraphQL scalar of a field whose bundle schema is a shared definition. */
const SCALARS: Record<string, ReturnTypeFuncValue> = { key: String, text: String, url: String, country: String, date: DateScalar, nullableDate: DateScalar };

/** The shared definition a field's bundle schema refers to, directly or as the non-null branch of `anyOf`. */
function definitionOf(schema: JsonSchema): string {
  const ref = schema.$ref ?? (schema.anyOf as JsonSchema[] | undefined)?.[0]?.$ref;
  return String(ref).replace("#/definitions/", "");
}

/** Whether a field's bundle schema is an integer, directly or as the non-null branch of `anyOf`. */
function isInteger(schema: JsonSchema): boolean {
  return ((schema.anyOf as JsonSchema[] | undefined)?.[0] ?? schema).type === "integer";
}

/**
 * Declares a curation input type's fields from a record declaration, in field order: the key as
 * given, every other field optional ("omit to keep the stored value"; lists are added to). `types`
 * names the input type of each list field, and of a field whose values are a GraphQL enum.
 */
export function declareInputFields(
  target: object,
  decl: RecordDecl,
  types: Record<string, () => ReturnTypeFuncValue>,
  notes: { keep: string; list: string },
): void {
  for (const [name, f] of Object.entries(decl.fields)) {
    if (f.notInInput) continue;
    const scalar = isInteger(f.schema) ? Int : SCALARS[definitionOf(f.schema)];
    const type = types[name] ?? (scalar && !f.list ? () => scalar : undefined);
    if (!type) throw new Error(`${decl.table}.${name}: no GraphQL input type`);
    if (name === "key") Field(type, { description: f.input })(target, name);
    else Field(type, { nullable: true, description: [f.input, f.list ? notes.list : notes.keep].filter(Boolean).join(" ") })(target, name);
  }
}

/**
 * A curation input type (`name`) for a record: its fields in declaration order, then
 * `replaceLists`. Returned as a class, for `@Arg(..., () => Input)`, typed as the record it carries.
 */
export function recordInput<D extends RecordDecl>(
  name: string,
  description: string,
  decl: D,
  types: Record<string, () => ReturnTypeFuncValue>,
  notes: { keep: string; list: string },
): new () => RecordOf<D> & { replaceLists: boolean } {
  @InputType(name, { description })
  class Input {}
  declareInputFields(Input.prototype, decl, types, notes);
  Field(() => Boolean, { defaultValue: false, description: "Replace stored lists with the lists given instead of adding to them." })(
    Input.prototype,
    "replaceLists",
  );
  return Input as new () => RecordOf<D> & { replaceLists: boolean };
}
