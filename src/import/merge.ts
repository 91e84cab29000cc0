import { mergeTyped } from "./finish";
import type { AnyRecord, EntityKind } from "./kinds";

/** List fields: added to on import (order kept, duplicates dropped) unless `replace`. */
const LIST_FIELDS: Record<EntityKind, string[]> = {
  companies: ["sources"],
  reports: ["figures", "sources"],
  operations: ["aliases", "reportKeys", "disclosures", "categories", "origin", "targets", "aiTools", "platforms", "operators", "sources"],
  statements: ["reportKeys", "operationKeys"],
};

/** Values of optional fields for a record that is new and leaves them out. */
const DEFAULTS: Record<EntityKind, Record<string, unknown>> = {
  companies: { hqCountry: null, website: null, sources: [] },
  reports: { periodFrom: null, periodTo: null, figures: [] },
  operations: {
    aliases: [],
    disclosures: [],
    origin: [],
    targets: [],
    aiTools: [],
    platforms: [],
    operators: [],
    accountsBanned: null,
    breakoutScale: null,
    firstSeen: null,
    lastSeen: null,
  },
  statements: { speakerRole: null, organization: null, country: null, saidOn: null, reportKeys: [], operationKeys: [] },
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

/** A canonical text of a record, to tell whether an import changes it. */
export function canonical(record: AnyRecord): string {
  return JSON.stringify(
    Object.keys(record)
      .sort()
      .map((field) => [field, record[field]]),
  );
}
