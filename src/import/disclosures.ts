import type { OperationRecord } from "./bundle";

/** What one report stated about an operation (the DISCLOSED_IN edge), in stored key order. */
export interface DisclosureRecord {
  report: string;
  nameInReport?: string | null;
  breakoutScale?: number | null;
  accountsBanned?: number | null;
  originConfidence?: string | null;
}

const VALUE_FIELDS = ["nameInReport", "breakoutScale", "accountsBanned", "originConfidence"] as const;

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
    if (incoming.breakoutScale !== undefined) only.breakoutScale = incoming.breakoutScale;
    if (incoming.accountsBanned !== undefined) only.accountsBanned = incoming.accountsBanned;
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

/** The value of `field` in the latest disclosure that states it; `fallback` when none does. */
export function latestStated(disclosures: DisclosureRecord[], field: "breakoutScale" | "accountsBanned", fallback: number | null): number | null {
  for (let i = disclosures.length - 1; i >= 0; i -= 1) {
    const value = disclosures[i][field];
    if (value !== undefined && value !== null) return value;
  }
  return fallback;
}
