/**
 * The shape of a record declaration: each field of a record type said once (its column, its GraphQL
 * description and nullability, its bundle schema, whether a list's order means something, its import
 * check and its export columns). The importer, the exports, the bundle JSON Schema and the GraphQL
 * types take what they need from it (see ./derive.ts).
 */

/** A JSON Schema fragment, as written into the bundle schema. */
export type JsonSchema = Record<string, unknown>;

/** What the import checks about a field's value beyond the schema. */
export type FieldCheck =
  /** A real calendar date, inside the range facts are dated in. */
  | { date: true; notBefore?: string }
  /** A key (each key, for a list) that must resolve to a record of this kind (in the bundle or the database). */
  | { ref: "companies" | "reports" | "operations" }
  /** An ISO 3166-1 alpha-2 code of a stored country. */
  | { country: true };

/** One column of an export table, as SQL over the entity alias `e`. */
export interface ExportColumn {
  name: string;
  sql: string;
  description: string;
  /** Set for multi-valued columns: the edge group whose values the column lists (see src/export/columns.ts). */
  group?: string;
}

export interface FieldDecl {
  /** Column of the record's own table; absent for fields stored in edge tables. */
  column?: string;
  /** How the import writes the column: as it is, as JSON, or a company key looked up to its id. */
  write?: "json" | "company" | "report";
  /** For a field with no `column`: the edge table (and rows) the import writes it to, in src/import/write.ts. */
  edge?: string;
  /** SQL type of the column, for records written many at a time (`unnest` of typed arrays). */
  sqlType?: string;
  /** SQL (over the table alias `t`) reading it back in bundle shape; `t.<column>` when left out; a list kept in edge tables gives its own. */
  stored?: string;
  /** May be null (in a bundle, in GraphQL, in the column). */
  nullable: boolean;
  /** A record not yet stored must give it. */
  requiredForNew?: boolean;
  /** The import fills it in when a bundle leaves it out, so it has no default and is never "empty". */
  filledByImport?: true;
  /** A list: merged by adding to the stored one unless `replace`; `ordered` when its order means something. */
  list?: {
    ordered: boolean;
    /** A bundle may not repeat an entry (`true`), or an entry's value of this property (e.g. `country`). */
    distinct?: true | string;
    /** The entries are records declared on their own (their checks apply to each entry). */
    entries?: RecordDecl;
  };
  /** The bundle JSON Schema of the value (a `$ref` to a shared definition, or inline). */
  schema: JsonSchema;
  /** What the field holds, for a bundle's author (bundle schema). */
  bundle: { description: string; examples: unknown[] };
  /** The GraphQL field's description, where the record type has the field. */
  graphql?: string;
  /** The curation input's description, where it says more than "omit to keep the stored value". */
  input?: string;
  /** Left out of the curation input: only a bundle gives it. */
  notInInput?: true;
  /** Applied to the value, or to each entry of a list. */
  check?: FieldCheck;
  /** The field's columns in the record's export table. */
  export?: ExportColumn[];
  /** How the field appears in STIX 2.1: a property src/export/stix writes from the declaration, or a note on where the builder puts it. */
  stix?: StixMapping;
}

/**
 * How a field appears in STIX 2.1. With `property`, src/export/stix reads the field's column and
 * writes it as that property of the record's object (`as`: a date as a STIX timestamp, a value or
 * list as lower-case hyphenated `labels`, a value as a one-item list); an empty value is left out.
 * With `note` alone, the builder renders the field itself (ids, references, relationships) and the
 * note says where; docs/stix.md's table is generated from both.
 */
export type StixMapping = { property: string; as?: "timestamp" | "labels" | "list"; note?: string } | { property?: undefined; note: string };

export interface RecordDecl<F extends Record<string, FieldDecl> = Record<string, FieldDecl>> {
  /** The record's own table. */
  table: string;
  /** The bundle schema's description of one record, and examples of one. */
  description: string;
  examples?: unknown[];
  /** The field that identifies a record (required in a bundle); `key` unless said. */
  identity?: string;
  /**
   * Order of the export table's columns, where it is not field order: field names, and columns of
   * no bundle field (derived in SQL). Fields with export columns not named here follow, in field order.
   */
  exportOrder?: (string | ExportColumn)[];
  /** Fields in bundle order; `key` first. */
  fields: F;
  /** The STIX 2.1 object a record becomes, and what else the builder adds to it. */
  stix?: { object: string; note: string };
}

/** A record declaration, with its field names kept as literal types. */
export function declareRecord<F extends Record<string, FieldDecl>>(
  decl: RecordDecl<F> & { exportOrder?: ((keyof F & string) | ExportColumn)[] },
): RecordDecl<F> {
  return decl;
}

/** What a field of a reference record type (kept from a maintained package, never in a bundle) declares. */
export type ReferenceFieldDecl = Pick<FieldDecl, "column" | "nullable" | "graphql" | "export" | "stix">;

/** A record type kept from a maintained package: its own table and the fields it serves, no bundle or import part. */
export interface ReferenceDecl<F extends Record<string, ReferenceFieldDecl> = Record<string, ReferenceFieldDecl>> {
  table: string;
  /** Fields in table order. */
  fields: F;
  /** The STIX 2.1 object a record becomes, and what else the builder adds to it. */
  stix?: { object: string; note: string };
}

/** A reference record declaration, with its field names kept as literal types. */
export function declareReference<F extends Record<string, ReferenceFieldDecl>>(decl: ReferenceDecl<F>): ReferenceDecl<F> {
  return decl;
}

/** A field declaration that also carries the TypeScript type of its value in a bundle. */
export type Typed<T> = FieldDecl & { readonly value?: T };

/** Declares a field whose value in a bundle has type `T`. */
export function field<T>(decl: FieldDecl): Typed<T> {
  return decl;
}

/** A record of a declaration as a bundle gives it: its key, and any of its other fields. */
export type RecordOf<D extends RecordDecl> = { key: string } & { [K in keyof D["fields"]]?: D["fields"][K] extends Typed<infer T> ? T : unknown };
