import type { JsonSchema, StixMapping } from "../../common/records/declare";
import { stixDate } from "./stix-id";

/** A vocabulary value as a STIX label: lower case, hyphenated (`INFLUENCE_OPERATION` -> `influence-operation`). */
export const kebab = (value: string) => value.toLowerCase().replace(/_/g, "-");

/** What the STIX export reads of a field's declaration: bundle records and reference records (countries) alike. */
interface StixField {
  column?: string;
  schema?: JsonSchema;
  stix?: StixMapping;
}
type Mapped = StixField & { stix: { property: string; as?: "timestamp" | "labels" | "list" } };

/** The fields a declaration maps onto properties of its STIX object, in declaration order. */
function propertyFields(decl: { fields: Record<string, StixField> }): [string, Mapped][] {
  return Object.entries(decl.fields).filter((entry): entry is [string, Mapped] => Boolean(entry[1].stix?.property));
}

/** Dates and country codes are read as text: STIX writes them as strings, never as a driver's Date. */
function needsText(f: StixField): boolean {
  if (!f.schema) return false;
  const ref = f.schema.$ref ?? (f.schema.anyOf as { $ref?: string }[] | undefined)?.[0]?.$ref;
  return ["#/definitions/date", "#/definitions/nullableDate", "#/definitions/country"].includes(String(ref));
}

/**
 * SQL select items over `alias` reading each field the declaration maps onto a STIX property,
 * named after the field: the STIX export reads what the declarations say it writes, so a field
 * given a STIX property is read and written with no other change.
 */
export function stixSelect(decl: { fields: Record<string, StixField> }, alias: string): string {
  return propertyFields(decl)
    .filter(([, f]) => f.column)
    .map(([name, f]) => `${alias}.${f.column}${needsText(f) ? "::text" : ""} AS "${name}"`)
    .join(", ");
}

/** One field's value as its STIX property holds it, or undefined when the field is empty. */
function stixValue(value: unknown, as: "timestamp" | "labels" | "list" | undefined): unknown {
  if (value === null || value === undefined || (Array.isArray(value) && value.length === 0)) return undefined;
  if (as === "timestamp") return stixDate(String(value));
  if (as === "labels") return (Array.isArray(value) ? value : [value]).map((v) => kebab(String(v)));
  if (as === "list") return Array.isArray(value) ? value : [value];
  return value;
}

/**
 * The properties a record's STIX object takes from its declared fields, in declaration order: an
 * empty field is left out, and fields mapped onto `labels` add to one list.
 */
export function stixProperties(decl: { fields: Record<string, StixField> }, row: Record<string, unknown>): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const [name, f] of propertyFields(decl)) {
    const value = stixValue(row[name], f.stix.as);
    if (value === undefined) continue;
    const { property } = f.stix;
    properties[property] =
      f.stix.as === "labels" && Array.isArray(properties[property]) ? [...(properties[property] as unknown[]), ...(value as unknown[])] : value;
  }
  return properties;
}
