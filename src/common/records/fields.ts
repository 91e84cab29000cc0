/**
 * Constructors for the field shapes several records share: the slug key, the typed sources, required
 * text, URLs and dates, nullable dates, texts and counts, and references to companies and countries.
 * Each fills in what the shape fixes (column, schema, nullability, whether a new record needs it, the
 * export column, and the STIX mapping where the kind of field settles it: a name, a summary, a
 * vocabulary's labels, a date's timestamp) and leaves the descriptions, which every record states in
 * its own words, to the declaration; only the key is described from the record's name.
 */
import { field } from "./declare";
import type { FieldDecl, JsonSchema, StixMapping, Typed } from "./declare";
import type { SourceInput } from "./report";
import { companyField } from "./sql";

/** A `$ref` to a shared definition of the bundle schema. */
export const ref = (name: string): JsonSchema => ({ $ref: `#/definitions/${name}` });

/** A schema that also admits null. */
export const orNull = (schema: JsonSchema): JsonSchema => ({ anyOf: [schema, { type: "null" }] });

/** What a record says of a field of a shared shape: everything the shape leaves open. */
type Described = Omit<FieldDecl, "column" | "nullable" | "requiredForNew" | "schema" | "list">;

/** The export column of a field kept in a column of the record's own table, as a bundle gives it. */
export function exportColumn(column: string, description: string, cast = "") {
  return [{ name: column, sql: `e.${column}${cast}`, description }];
}

/** The slug `key` that identifies a record, exported as `key`; only the wording differs between records. */
export function keyField(d: { bundle: FieldDecl["bundle"]; graphql: string; input: string; exported: string; stix: FieldDecl["stix"] }): Typed<string> {
  const { exported, ...rest } = d;
  return field<string>({ column: "key", nullable: false, schema: ref("key"), ...rest, export: exportColumn("key", exported) });
}

/**
 * The key of a record type that becomes a STIX object of its own, described from the record's name.
 * `pattern`: how a key is made, where there is a rule; `shown`: the example the GraphQL description
 * gives; `stix.page`: the record's own page here, which is then its object's first external reference.
 */
export function recordKeyField(
  record: string,
  d: { example: string; shown?: string; pattern?: string; bundle?: string; stix: { object: string; page?: string } },
): Typed<string> {
  const pattern = d.pattern === undefined ? "" : `, \`${d.pattern}\``;
  const page = d.stix.page === undefined ? "" : ` and the first external reference (\`misuse-graph\`, \`${d.stix.page}/<key>\`)`;
  return keyField({
    bundle: { description: d.bundle ?? (d.pattern ? `Slug key \`${d.pattern}\`.` : `Slug key of the ${record}.`), examples: [d.example] },
    graphql: `Stable slug key${pattern}${d.shown === undefined ? "" : `, e.g. \`${d.shown}\``}.`,
    input: `Slug key${pattern}.`,
    exported: `Slug key of the ${record}.`,
    stix: { note: `the id (\`${d.stix.object}--\` UUIDv5 of the key)${page}` },
  });
}

/**
 * A value a new record must give, kept in its own column and exported as it is. `exported`
 * describes the export column; with none the field has none, or the one `export` gives.
 */
export function requiredField(column: string, schema: JsonSchema, d: Described & { exported?: string }): Typed<string> {
  const { exported, ...rest } = d;
  return field<string>({
    column,
    nullable: false,
    requiredForNew: true,
    schema,
    ...rest,
    ...(exported === undefined ? {} : { export: exportColumn(column, exported) }),
  });
}

/** A record's text that a new record must give (see `requiredField`). */
export function textField(column: string, d: Described & { exported?: string }): Typed<string> {
  return requiredField(column, ref("text"), d);
}

/** A record's name (or title), a text a new record must give: its STIX object's `name`. */
export function nameField(column: string, d: Omit<Described, "stix"> & { exported: string }): Typed<string> {
  return textField(column, { ...d, stix: { property: "name" } });
}

/** A record's summary in the project's own words, a text a new record must give: its STIX object's `description`. */
export function summaryField(d: Omit<Described, "stix"> & { exported: string }): Typed<string> {
  return textField("summary", { ...d, stix: { property: "description" } });
}

/** What a record says of a date: its STIX property, if any, is always a timestamp. */
type DateDescribed = Omit<Described, "check" | "stix"> & { exported: string; stix?: { property: string; note?: string } | { note: string } };

/**
 * How a date is checked (a calendar date, not before the date of field `notBefore`), exported (as
 * text) and written to STIX (as a timestamp).
 */
function dated(column: string, d: DateDescribed, notBefore?: string): Described {
  const { exported, stix, ...rest } = d;
  return {
    ...rest,
    check: notBefore === undefined ? { date: true } : { date: true, notBefore },
    export: exportColumn(column, exported, "::text"),
    ...(stix === undefined ? {} : { stix: "property" in stix ? timestamp(stix) : stix }),
  };
}

/** A date's STIX property, written as a timestamp. */
function timestamp({ property, ...note }: { property: string; note?: string }): StixMapping {
  return { property, as: "timestamp", ...note };
}

/** A date a new record must give. */
export function dateField(column: string, d: DateDescribed): Typed<string> {
  return requiredField(column, ref("date"), dated(column, d));
}

/** A date a record may not know (null). */
export function nullableDateField(column: string, d: DateDescribed & { notBefore?: string }): Typed<string | null> {
  const { notBefore, ...rest } = d;
  return field<string | null>({ column, nullable: true, schema: ref("nullableDate"), ...dated(column, rest, notBefore) });
}

/** A free text a record (or a report's disclosure) may leave null. */
export function nullableTextField(column: string, d: Described): Typed<string | null> {
  return field<string | null>({ column, nullable: true, schema: orNull(ref("text")), ...d });
}

/** A bounded integer a report may not state (null). */
function nullableIntegerField(column: string, minimum: number, maximum: number, d: Described): Typed<number | null> {
  return field<number | null>({ column, nullable: true, schema: orNull({ type: "integer", minimum, maximum }), ...d });
}

/** A count a report may not state: a PostgreSQL `int`, not negative, or null. */
export function nullableCountField(column: string, d: Described): Typed<number | null> {
  return nullableIntegerField(column, 0, 2147483647, d);
}

/** A rating on Ben Nimmo's Breakout Scale (1 to 6), kept in `breakout_scale`, or null where none is given. */
export function breakoutScaleField(d: Described): Typed<number | null> {
  return nullableIntegerField("breakout_scale", 1, 6, d);
}

/** The schema of a value of a vocabulary: its values, and what each means (src/common/vocabulary.ts). */
export function vocabularySchema(vocabulary: Record<string, string>): JsonSchema {
  return { enum: Object.keys(vocabulary), enumDescriptions: Object.values(vocabulary) };
}

/** How a vocabulary's values appear in STIX 2.1: as lower-case hyphenated `labels`. */
export const STIX_LABELS = { property: "labels", as: "labels" } as const;

/**
 * A value of a vocabulary that a new record must give, exported as it is, and one of its STIX
 * object's `labels` (`stix.note`: where among them, or where else it shows).
 */
export function vocabularyField(
  column: string,
  vocabulary: Record<string, string>,
  d: Omit<Described, "stix"> & { exported: string; stix?: { note: string } },
): Typed<string> {
  return requiredField(column, vocabularySchema(vocabulary), { ...d, stix: { ...STIX_LABELS, ...d.stix } });
}

/**
 * A stored company a record names by key, kept as its id (column `<name>_id`), checked against the
 * bundle's and the stored companies, and exported as its key and its name (`<name>_key`, `<name>_name`).
 * `required`: a new record must name one; otherwise it may be null.
 */
export function companyRefField<R extends boolean>(
  column: `${string}_id`,
  required: R,
  d: Omit<Described, "write" | "stored" | "check" | "export"> & { exported: [key: string, name: string] },
): Typed<R extends true ? string : string | null> {
  const { exported, ...rest } = d;
  const name = column.replace(/_id$/, "");
  return field({
    column,
    write: "company",
    stored: "c.key",
    nullable: !required,
    ...(required ? { requiredForNew: true } : {}),
    schema: required ? ref("key") : orNull(ref("key")),
    ...rest,
    check: { ref: "companies" },
    export: (["key", "name"] as const).map((of, i) => ({ name: `${name}_${of}`, sql: companyField(of, `e.${column}`), description: exported[i] })),
  });
}

/**
 * A country (ISO alpha-2 code, column `<name>_code`) a record may not have, checked against the
 * stored countries and exported as its code and its name (`<name>_name`).
 */
export function nullableCountryField(column: `${string}_code`, d: Omit<Described, "stored" | "check"> & { exported: string }): Typed<string | null> {
  const { exported, ...rest } = d;
  return field<string | null>({
    column,
    stored: `t.${column}::text`,
    nullable: true,
    schema: orNull(ref("country")),
    ...rest,
    check: { country: true },
    export: [
      { name: column, sql: `e.${column}::text`, description: exported },
      { name: column.replace(/_code$/, "_name"), sql: `(SELECT c.name FROM country c WHERE c.code = e.${column})`, description: "Name of that country." },
    ],
  });
}

/**
 * The typed pages a record's facts come from, kept as JSON in order (the first one leads).
 * `required`: a new record must give at least one (the `sources` definition); otherwise the list may be empty.
 */
export function sourcesField(required: boolean, d: Pick<FieldDecl, "bundle" | "graphql" | "input" | "stix">): Typed<SourceInput[]> {
  return field<SourceInput[]>({
    column: "sources",
    write: "json",
    nullable: false,
    ...(required ? { requiredForNew: true } : {}),
    list: { ordered: true },
    schema: required ? ref("sources") : { type: "array", items: ref("source") },
    ...d,
  });
}

/**
 * A record type's sources, with what its kind settles: the curation input's description (at least
 * one for a new record where `required`) and, in STIX, `external_references` after those `stixAfter` names.
 */
export function recordSourcesField(record: string, required: boolean, d: Pick<FieldDecl, "bundle" | "graphql"> & { stixAfter: string }): Typed<SourceInput[]> {
  const { stixAfter, ...rest } = d;
  return sourcesField(required, {
    ...rest,
    input: required ? `Source URLs (at least one for a new ${record}).` : "Source URLs.",
    stix: { note: `\`external_references\`, after ${stixAfter} (docs/stix.md, Sources)` },
  });
}
