import { Field } from "type-graphql";
import { DateScalar } from "../scalars";
import type { RecordDecl } from "./declare";

/** A GraphQL type as type-graphql's `@Field` takes it. */
type ReturnTypeFunc = Extract<Parameters<typeof Field>[0], () => unknown>;
type ReturnTypeFuncValue = ReturnType<ReturnTypeFunc>;

/** A GraphQL field's options (description, nullability) as the record declaration says them. */
export function fieldOptions<D extends RecordDecl>(decl: D, name: keyof D["fields"] & string): { description?: string; nullable?: true } {
  const f = decl.fields[name];
  return f.nullable ? { nullable: true, description: f.graphql } : { description: f.graphql };
}

/** The GraphQL scalar of a field whose bundle schema is a shared definition. */
const SCALARS: Record<string, ReturnTypeFuncValue> = { key: String, text: String, url: String, date: DateScalar, nullableDate: DateScalar };

/**
 * Declares a curation input type's fields from a record declaration, in field order: the key as
 * given, every other field optional ("omit to keep the stored value"; lists are added to). `lists`
 * names the input type of each list field.
 */
export function declareInputFields(
  target: object,
  decl: RecordDecl,
  lists: Record<string, () => ReturnTypeFuncValue>,
  notes: { keep: string; list: string },
): void {
  for (const [name, f] of Object.entries(decl.fields)) {
    const scalar = SCALARS[String(f.schema.$ref).replace("#/definitions/", "")];
    const type = f.list ? lists[name] : () => scalar;
    if (!type || (!f.list && !scalar)) throw new Error(`${decl.table}.${name}: no GraphQL input type`);
    if (name === "key") Field(type, { description: f.input })(target, name);
    else Field(type, { nullable: true, description: [f.input, f.list ? notes.list : notes.keep].filter(Boolean).join(" ") })(target, name);
  }
}
