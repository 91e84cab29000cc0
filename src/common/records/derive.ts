import type { ExportColumn, FieldDecl, JsonSchema, RecordDecl, ReferenceDecl } from "./declare";

/** The declared fields, in declaration (bundle) order. */
export function fieldsOf(decl: RecordDecl): [string, FieldDecl][] {
  return Object.entries(decl.fields);
}

/** A field's bundle schema: its type, description and examples, then any annotation of its values. */
function propertySchema(f: FieldDecl): JsonSchema {
  const { enumDescriptions, ...type } = f.schema;
  return { ...type, description: f.bundle.description, examples: f.bundle.examples, ...(enumDescriptions ? { enumDescriptions } : {}) };
}

/** The record's definition in the bundle JSON Schema. */
export function bundleDefinition(decl: RecordDecl): JsonSchema {
  return {
    type: "object",
    additionalProperties: false,
    required: [decl.identity ?? "key"],
    properties: Object.fromEntries(fieldsOf(decl).map(([name, f]) => [name, propertySchema(f)])),
    description: decl.description,
    ...(decl.examples ? { examples: decl.examples } : {}),
  };
}

/** Fields a record must have when its key is new. */
export function requiredForNew(decl: RecordDecl): string[] {
  return fieldsOf(decl)
    .filter(([, f]) => f.requiredForNew)
    .map(([name]) => name);
}

/** Fields a record may leave empty (the key, the fields a new record needs and those the import fills in are not). */
export function optionalFields(decl: RecordDecl): string[] {
  return fieldsOf(decl)
    .filter(([name, f]) => name !== "key" && !f.requiredForNew && !f.filledByImport)
    .map(([name]) => name);
}

/** Values of the optional fields for a new record that leaves them out: null, or an empty list. */
export function defaults(decl: RecordDecl): Record<string, unknown> {
  return Object.fromEntries(
    fieldsOf(decl)
      .filter(([name, f]) => name !== "key" && !f.requiredForNew && !f.filledByImport)
      .map(([name, f]) => [name, f.list ? [] : null]),
  );
}

/** List fields, and those of them whose order means something. */
export function listFields(decl: RecordDecl, which: "all" | "ordered" = "all"): string[] {
  return fieldsOf(decl)
    .filter(([, f]) => f.list && (which === "all" || f.list.ordered))
    .map(([name]) => name);
}

/** A column of the record's own table and how the import writes it from a bundle field. */
export type WriteColumn = [column: string, field: string, as?: "json" | "company" | "report"];

export function writeColumns(decl: RecordDecl): WriteColumn[] {
  return fieldsOf(decl)
    .filter(([, f]) => f.column)
    .map(([name, f]) => (f.write ? [f.column!, name, f.write] : [f.column!, name]));
}

/** SQL select items (over the alias `t`) reading the record's own columns, and fields that say how to read their edges, back in bundle shape. */
export function storedSelect(decl: RecordDecl): string {
  return fieldsOf(decl)
    .filter(([, f]) => f.column || f.stored)
    .map(([name, f]) => {
      const sql = f.stored ?? `t.${f.column}`;
      return sql === `t.${name}` ? sql : `${sql} AS ${/^[a-z_]+$/.test(name) ? name : `"${name}"`}`;
    })
    .join(", ");
}

/** The record's export columns for its declared fields, in declaration order (or `exportOrder`, then the rest, so a new field's columns come last). */
export function exportColumns(decl: RecordDecl | ReferenceDecl): ExportColumn[] {
  const order = ("exportOrder" in decl && decl.exportOrder) || [];
  const named = new Set(order.filter((entry) => typeof entry === "string"));
  return [
    ...order.flatMap((entry) => (typeof entry === "string" ? (decl.fields[entry]?.export ?? []) : [entry])),
    ...Object.entries(decl.fields)
      .filter(([name]) => !named.has(name))
      .flatMap(([, f]) => f.export ?? []),
  ];
}

/**
 * `jsonb_build_object` arguments (over the alias `x`) reading an edge record's columns back in
 * bundle shape, for a record whose entries live in an edge table (an operation's disclosures).
 */
export function storedObject(decl: RecordDecl): string {
  return fieldsOf(decl)
    .filter(([, f]) => f.column)
    .map(([name, f]) => `'${name}', ${f.stored ?? `x.${f.column}`}`)
    .join(", ");
}
