import type { AnyRecord, EntityKind as Kind } from "./kinds";

/** A field whose stored value an import replaces. */
export interface FieldChange {
  field: string;
  before: unknown;
  after: unknown;
}

/** Items an import adds to (or, with `replace`, removes from) a stored list. */
export interface ListChange {
  field: string;
  added: unknown[];
  removed: unknown[];
}

/** What an import does to one record of the bundle. */
export interface RecordChange {
  kind: Kind;
  key: string;
  file: string;
  path: string;
  result: "CREATED" | "UPDATED" | "UNCHANGED";
  /** For an update: the fields whose value changes (lists whose items stay the same but move are here too). */
  fields: FieldChange[];
  /** For an update: the lists that gain or lose items. */
  lists: ListChange[];
}

/** A stored operation linked to a report it was not yet disclosed in (a new DISCLOSED_IN edge). */
export interface Redisclosure {
  operation: string;
  report: string;
  /** What that report states about the operation (the edge's values), as it will be stored. */
  disclosure: Record<string, unknown>;
}

/** What an import will do (dry run) or did: per record, and the re-disclosures it links. */
export interface ImportPreview {
  records: RecordChange[];
  redisclosures: Redisclosure[];
}

const text = (value: unknown) => JSON.stringify(value ?? null);

/**
 * Compares a record as stored with the record an import writes: fields whose value changes, with
 * both values, and list items added or removed (matched by their JSON text). Computed from the
 * same records the importer compares and writes, so a preview says exactly what the import does.
 */
export function recordChange(kind: Kind, before: AnyRecord | undefined, after: AnyRecord, where: { file: string; path: string }): RecordChange {
  const change: RecordChange = { kind, key: after.key, ...where, result: before ? "UNCHANGED" : "CREATED", fields: [], lists: [] };
  if (!before) return change;
  for (const field of [...new Set([...Object.keys(before), ...Object.keys(after)])]) {
    if (field === "key" || text(before[field]) === text(after[field])) continue;
    const [was, now] = [before[field], after[field]];
    if (Array.isArray(was) && Array.isArray(now)) {
      const old = new Set(was.map(text));
      const kept = new Set(now.map(text));
      const added = now.filter((item) => !old.has(text(item)));
      const removed = was.filter((item) => !kept.has(text(item)));
      if (added.length > 0 || removed.length > 0) change.lists.push({ field, added, removed });
      else change.fields.push({ field, before: was, after: now });
    } else {
      change.fields.push({ field, before: was ?? null, after: now ?? null });
    }
  }
  if (change.fields.length > 0 || change.lists.length > 0) change.result = "UPDATED";
  return change;
}

/** The new DISCLOSED_IN edges of stored operations, from their record changes. */
export function redisclosures(records: RecordChange[]): Redisclosure[] {
  return records
    .filter((r) => r.kind === "operations" && r.result === "UPDATED")
    .flatMap((r) =>
      (r.lists.find((l) => l.field === "disclosures")?.added ?? []).flatMap((item) => {
        const disclosure = item as Record<string, unknown>;
        const reportKeys = r.lists.find((l) => l.field === "reportKeys")?.added ?? [];
        return reportKeys.includes(disclosure.report) ? [{ operation: r.key, report: String(disclosure.report), disclosure }] : [];
      }),
    );
}

const shown = (value: unknown) => {
  const json = JSON.stringify(value ?? null);
  return json.length > 100 ? `${json.slice(0, 97)}...` : json;
};

/** The preview as text lines for a terminal: one line per record, indented lines for what changes. */
export function formatPreview(preview: ImportPreview): string[] {
  const lines: string[] = [];
  for (const r of preview.records) {
    lines.push(`${r.result.toLowerCase().padEnd(9)} ${r.kind.replace(/ies$/, "y").replace(/s$/, "")} ${r.key} (${r.file}: ${r.path})`);
    for (const f of r.fields) lines.push(`    ${f.field}: ${shown(f.before)} -> ${shown(f.after)}`);
    for (const l of r.lists) {
      for (const item of l.added) lines.push(`    ${l.field} + ${shown(item)}`);
      for (const item of l.removed) lines.push(`    ${l.field} - ${shown(item)}`);
    }
  }
  if (preview.redisclosures.length > 0) {
    lines.push("re-disclosures (operation -> new report):");
    for (const d of preview.redisclosures) lines.push(`    ${d.operation} -> ${d.report}`);
  }
  return lines;
}
