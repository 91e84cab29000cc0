import type { OperationRecord } from "./bundle";
import { DERIVED_FIELDS, DISCLOSED_VALUES as VALUE_FIELDS } from "../common/records/disclosure";
import type { DisclosureRecord } from "../common/records/disclosure";
import { operation } from "../common/records/operation";

/** What one report stated about an operation: declared in src/common/records/disclosure.ts. */
export type { DisclosureRecord };
export { DERIVED_FIELDS };

/** The operation's own fields that a disclosure's value of the same name gives (its Breakout Scale, accounts banned). */
export type OperationDerived = Extract<(typeof DERIVED_FIELDS)[number], keyof typeof operation.fields>;
export const OPERATION_DERIVED = DERIVED_FIELDS.filter((field): field is OperationDerived => field in operation.fields);

/**
 * The disclosures of an operation after an import, by report key: the stored ones (unless
 * `replace`), with the fields each incoming disclosure states laid over them. An old-format record
 * (no `disclosures`) whose operation has exactly one report gives that report its operation-level
 * Breakout Scale, accounts banned and (when all origins share it) origin confidence.
 */
export function mergeDisclosures(stored: DisclosureRecord[], incoming: OperationRecord, reportKeys: string[], replace: boolean): Map<string, DisclosureRecord> {
  const byReport = new Map<string, DisclosureRecord>();
  if (!replace) for (const disclosure of stored) byReport.set(disclosure.report, { ...disclosure });
  for (const disclosure of incoming.disclosures ?? []) {
    const merged: DisclosureRecord = byReport.get(disclosure.report) ?? { report: disclosure.report };
    for (const field of VALUE_FIELDS) if (disclosure[field] !== undefined) (merged as unknown as Record<string, unknown>)[field] = disclosure[field];
    byReport.set(disclosure.report, merged);
  }
  if (incoming.disclosures === undefined && reportKeys.length === 1) {
    const only: DisclosureRecord = byReport.get(reportKeys[0]) ?? { report: reportKeys[0] };
    for (const field of OPERATION_DERIVED) if (incoming[field] !== undefined) only[field] = incoming[field];
    const confidences = new Set((incoming.origin ?? []).map((origin) => origin.confidence));
    if (confidences.size === 1) only.originConfidence = [...confidences][0];
    byReport.set(reportKeys[0], only);
  }
  return byReport;
}

/** One disclosure per report key, ordered by report date then key, with unstated fields left out. */
export function orderedDisclosures(byReport: Map<string, DisclosureRecord>, reportKeys: string[], dateOf: (key: string) => string): DisclosureRecord[] {
  return [...reportKeys]
    .sort((a, b) => dateOf(a).localeCompare(dateOf(b)) || (a < b ? -1 : a > b ? 1 : 0))
    .map((report) => {
      const given = byReport.get(report);
      const disclosure: DisclosureRecord = { report };
      for (const field of VALUE_FIELDS) {
        const value = given?.[field];
        if (value !== undefined && value !== null) (disclosure as unknown as Record<string, unknown>)[field] = value;
      }
      return disclosure;
    });
}

/**
 * The value of `field` in the latest disclosure (disclosures in report-date order) that states it;
 * `fallback` (the operation's own value) when none does. A bundle may give the operation's own
 * value only where it gives no disclosures (src/import/checks.ts), so the fallback serves
 * operations recorded in the old format, whose reports' values are not known one by one.
 */
export function latestStated<F extends (typeof DERIVED_FIELDS)[number]>(
  disclosures: DisclosureRecord[],
  field: F,
  fallback: DisclosureRecord[F] | null,
): NonNullable<DisclosureRecord[F]> | null {
  for (let i = disclosures.length - 1; i >= 0; i -= 1) {
    const value = disclosures[i][field];
    if (value !== undefined && value !== null) return value as NonNullable<DisclosureRecord[F]>;
  }
  return fallback ?? null;
}

/**
 * An operation record's Breakout Scale, accounts banned and origins as the import stores them: from
 * its disclosures in report-date order where they state them (`finishRecord` does the same on the
 * merged record), else the record's own. For readers of a bundle's files, such as the codebook.
 */
export function derivedValues(
  o: OperationRecord,
  dateOf: (key: string) => string,
): Record<OperationDerived, number | null> & { origin: { country: string; confidence?: string }[] } {
  const byReport = new Map((o.disclosures ?? []).map((d) => [d.report, d]));
  const reportKeys = [...new Set([...(o.reportKeys ?? []), ...byReport.keys()])];
  const disclosures = orderedDisclosures(byReport, reportKeys, dateOf);
  const confidence = latestStated(disclosures, "originConfidence", null);
  return {
    ...latestOwnValues(disclosures, o),
    origin: (o.origin ?? []).map((x) => (confidence ? { country: x.country, confidence } : x)),
  };
}

/** The operation's own derived values (OPERATION_DERIVED): each the latest disclosure's that states it, else the record's own. */
export function latestOwnValues(
  disclosures: DisclosureRecord[],
  own: Partial<Record<OperationDerived, number | null>>,
): Record<OperationDerived, number | null> {
  return Object.fromEntries(OPERATION_DERIVED.map((field) => [field, latestStated(disclosures, field, own[field] ?? null)])) as Record<
    OperationDerived,
    number | null
  >;
}
