import { mergeTyped } from "./finish";
import type { AnyRecord, EntityKind } from "./kinds";
import { report } from "../common/records/report";
import { company } from "../common/records/company";
import { statement } from "../common/records/statement";
import { operation } from "../common/records/operation";
import { defaults, listFields } from "../common/records/derive";

/**
 * List fields: added to on import (order kept, duplicates dropped) unless `replace`.
 *
 * Order: `sources` is the only list whose order means something (the publisher's page first, then
 * the rest as curated; see withPublisherSource). Every other list here is a set whose stored order
 * is only the order it was first given in: aliases, categories, origins (one per country), targets,
 * AI tools, platforms, operators, figures (each stands on its own label), a statement's report and
 * operation keys, and an operation's report keys and disclosures (stored in report-date order
 * whatever the bundle says). Re-import compares these as sets (`withStoredOrder`), so a bundle that
 * lists them in another order changes nothing, with `replace` too.
 */
const LIST_FIELDS: Record<EntityKind, string[]> = {
  companies: listFields(company),
  reports: listFields(report),
  operations: listFields(operation),
  statements: listFields(statement),
};

/** Values of optional fields for a record that is new and leaves them out. */
const DEFAULTS: Record<EntityKind, Record<string, unknown>> = {
  companies: defaults(company),
  reports: defaults(report),
  operations: defaults(operation),
  statements: defaults(statement),
};

function unionList(kind: EntityKind, field: string, stored: unknown[], incoming: unknown[]): unknown[] {
  if (kind === "operations" && field === "origin") {
    // One origin per country: a later bundle may correct the confidence.
    const byCountry = new Map<string, { country: string; confidence: string }>();
    for (const origin of [...stored, ...incoming] as { country: string; confidence: string }[]) byCountry.set(origin.country, origin);
    return [...byCountry.values()];
  }
  const seen = new Set<string>();
  return [...stored, ...incoming].filter((value) => {
    const id = JSON.stringify(value);
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

/**
 * A record as it will be stored: the stored values, overridden by the fields the bundle gives;
 * list fields are added to unless `replace`.
 */
export function merge(kind: EntityKind, stored: AnyRecord | undefined, incoming: AnyRecord, replace: boolean): AnyRecord {
  const base: AnyRecord = { ...DEFAULTS[kind], ...(stored ?? {}), key: incoming.key };
  for (const [field, value] of Object.entries(incoming)) {
    if (field === "sources" || field === "disclosures" || (kind === "statements" && field === "sourceKind")) {
      continue; // typed: merged by mergeTyped below
    } else if (LIST_FIELDS[kind].includes(field) && !replace && stored) {
      base[field] = unionList(kind, field, (stored[field] as unknown[]) ?? [], value as unknown[]);
    } else if (LIST_FIELDS[kind].includes(field)) {
      base[field] = unionList(kind, field, [], value as unknown[]);
    } else {
      base[field] = value;
    }
  }
  return mergeTyped(kind, base, stored, incoming, replace);
}

/** Lists of the fields above whose order means something. */
const ORDERED_LISTS = [...new Set([company, report, operation, statement].flatMap((decl) => listFields(decl, "ordered")))];

/** A list entry as text with its object keys sorted, so equal entries compare equal however they were written. */
function entryText(value: unknown): string {
  if (value === null || typeof value !== "object") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(entryText).join(",")}]`;
  const object = value as Record<string, unknown>;
  return `{${Object.keys(object)
    .sort()
    .filter((key) => object[key] !== undefined)
    .map((key) => `${JSON.stringify(key)}:${entryText(object[key])}`)
    .join(",")}}`;
}

function sameEntries(a: unknown[], b: unknown[]): boolean {
  if (a.length !== b.length) return false;
  const left = a.map(entryText).sort();
  const right = b.map(entryText).sort();
  return left.every((text, i) => text === right[i]);
}

/**
 * The record with every order-free list that holds the same entries as the stored one given back
 * in the stored order: a permutation of a stored list is no change (nothing is written, no
 * `updatedAt` or sync entry moves), and lists that do change keep the order the import gave them.
 */
export function withStoredOrder(kind: EntityKind, stored: AnyRecord | undefined, record: AnyRecord): AnyRecord {
  if (!stored) return record;
  const out = { ...record };
  for (const field of LIST_FIELDS[kind]) {
    if (ORDERED_LISTS.includes(field)) continue;
    const before = stored[field];
    const after = out[field];
    if (Array.isArray(before) && Array.isArray(after) && sameEntries(before, after)) out[field] = before;
  }
  return out;
}

/** A canonical text of a record, to tell whether an import changes it. */
export function canonical(record: AnyRecord): string {
  return JSON.stringify(
    Object.keys(record)
      .sort()
      .map((field) => [field, record[field]]),
  );
}
