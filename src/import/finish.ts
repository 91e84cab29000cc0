import type { SourceRef } from "../common/source";
import { classifySourceUrl } from "../common/source-hosts";
import type { SourceKind } from "../common/source-hosts";
import type { OperationRecord, Problem } from "./bundle";
import { OPERATION_DERIVED, latestOwnValues, latestStated, mergeDisclosures, orderedDisclosures } from "./disclosures";
import type { OperationDerived } from "./disclosures";
import type { DisclosureRecord } from "./disclosures";
import { mergeSources, onlyWeakSources, withPublisherSource } from "./sources";
import type { SourceInput } from "./sources";
import type { AnyRecord, EntityKind as Kind } from "./kinds";

/** What finishing a record needs: reports as this import leaves them, stored reports it refers to, and where warnings go. */
export interface Finisher {
  reports: Map<string, AnyRecord>;
  storedReports: Map<string, { url: string; publishedOn: string }>;
  warnings: Problem[];
  /** Problems only the merged record shows (a value typed twice, an origin left without confidence); the import fails on any. */
  problems: Problem[];
}

/**
 * Merges the typed fields the generic merge leaves alone: sources (one entry per URL, typed),
 * a statement's source kind, and an operation's disclosures (by report; reports a disclosure names
 * join `reportKeys`).
 */
export function mergeTyped(kind: Kind, base: AnyRecord, stored: AnyRecord | undefined, incoming: AnyRecord, replace: boolean): AnyRecord {
  if (kind === "statements") return mergeSourceKind(base, stored, incoming);
  const incomingSources = incoming.sources as SourceInput[] | undefined;
  base.sources = mergeSources((stored?.sources as SourceRef[] | undefined) ?? [], incomingSources ?? [], replace && incomingSources !== undefined);
  if (kind === "operations") mergeOperationDisclosures(base, stored, incoming as unknown as OperationRecord, replace);
  return base;
}

/**
 * A statement's source kind: the one the bundle gives, else the stored one while the URL stays the
 * same, else the kind of the new URL's host.
 */
function mergeSourceKind(base: AnyRecord, stored: AnyRecord | undefined, incoming: AnyRecord): AnyRecord {
  if (incoming.sourceKind !== undefined) base.sourceKind = incoming.sourceKind;
  else if (incoming.sourceUrl !== undefined) {
    base.sourceKind = stored && stored.sourceUrl === incoming.sourceUrl ? stored.sourceKind : classifySourceUrl(incoming.sourceUrl as string);
  }
  return base;
}

/**
 * An operation's disclosures, merged by report; a report a disclosure names joins `reportKeys`, so
 * an operation is always listed under the reports that disclose it.
 */
function mergeOperationDisclosures(base: AnyRecord, stored: AnyRecord | undefined, record: OperationRecord, replace: boolean): void {
  const reportKeys = [...(base.reportKeys as string[])];
  base.reportKeys = reportKeys;
  for (const disclosure of record.disclosures ?? []) if (!reportKeys.includes(disclosure.report)) reportKeys.push(disclosure.report);
  const stated = mergeDisclosures(
    (stored?.disclosures as DisclosureRecord[] | undefined) ?? [],
    record,
    reportKeys,
    replace && record.disclosures !== undefined,
  );
  base.disclosures = [...stated.values()];
}

/**
 * Completes a merged record before it is compared and written: reports and operations get the
 * publisher's page as a source when they list none (the report's URL; for an operation, the URLs of
 * the reports disclosing it); an operation's reports and disclosures are put in report-date order,
 * and its own Breakout Scale, accounts banned and origin confidences become those of its latest
 * disclosure that states them (see `deriveFromDisclosures`). A record supported only by MIRROR or
 * OTHER sources is accepted with a warning.
 */
export function finishRecord(kind: Kind, record: AnyRecord, finisher: Finisher, where: { file: string; path: string }, incoming?: AnyRecord): AnyRecord {
  const warn = (kinds: SourceKind[]) => {
    if (!onlyWeakSources(kinds)) return;
    const noun = { companies: "company", reports: "report", operations: "operation", statements: "statement" }[kind];
    finisher.warnings.push({
      ...where,
      message: `${noun} "${record.key}" is supported only by ${[...new Set(kinds)].join("/") || "no"} sources: cite the publisher's page, press or a government page`,
    });
  };
  if (kind === "statements") {
    warn([record.sourceKind as SourceKind]);
    return record;
  }
  if (kind === "companies") return record;
  const sources = record.sources as SourceRef[];
  warn(sources.map((source) => source.kind));
  if (kind === "reports") return { ...record, sources: withPublisherSource(sources, [record.url as string]) };

  const fact = (key: string) => {
    const report = finisher.reports.get(key);
    return report ? { url: report.url as string, publishedOn: report.publishedOn as string } : finisher.storedReports.get(key);
  };
  const dateOf = (key: string) => fact(key)?.publishedOn ?? "";
  const byReport = new Map((record.disclosures as DisclosureRecord[]).map((d) => [d.report, d]));
  const disclosures = orderedDisclosures(byReport, record.reportKeys as string[], dateOf);
  const reportKeys = disclosures.map((d) => d.report);
  return {
    ...record,
    reportKeys,
    disclosures,
    ...deriveFromDisclosures(record, disclosures, finisher, where, incoming as OperationRecord | undefined),
    sources: withPublisherSource(
      sources,
      reportKeys.map((key) => fact(key)?.url ?? ""),
    ),
  };
}

/**
 * An operation's Breakout Scale, accounts banned and origin confidences, derived from its
 * disclosures (in report-date order): the latest disclosure that states each gives it, so a
 * publisher's re-rating is written once, in the disclosure that makes it. An operation none of
 * whose disclosures states any of them (recorded before disclosures carried values) keeps its own.
 * A bundle record without disclosures (the old format) may still give these values, but one that
 * disagrees with the value its disclosures give is refused rather than silently overridden.
 */
function deriveFromDisclosures(
  record: AnyRecord,
  disclosures: DisclosureRecord[],
  finisher: Finisher,
  where: { file: string; path: string },
  incoming: OperationRecord | undefined,
): Pick<OperationRecord, "origin" | OperationDerived> {
  const problem = (field: string, message: string) => finisher.problems.push({ file: where.file, path: `${where.path}.${field}`, message });
  const derived = latestOwnValues(disclosures, record as Partial<Record<OperationDerived, number | null>>);
  const confidence = latestStated(disclosures, "originConfidence", null);
  const disagrees = (given: unknown, value: unknown) => given !== undefined && given !== null && value !== null && given !== value;
  if (incoming && incoming.disclosures === undefined) {
    for (const field of OPERATION_DERIVED) {
      if (disagrees(incoming[field], derived[field]))
        problem(field, `${field} ${String(incoming[field])} disagrees with ${String(derived[field])}, the latest value "${record.key}"'s disclosures state`);
    }
    incoming.origin?.forEach((o, i) => {
      if (disagrees(o.confidence, confidence))
        problem(`origin[${i}].confidence`, `confidence ${o.confidence} disagrees with ${confidence}, the latest value "${record.key}"'s disclosures state`);
    });
  }
  const origin = ((record.origin as { country: string; confidence?: string }[] | undefined) ?? []).map((o, i) => {
    if (confidence) return { country: o.country, confidence };
    if (!o.confidence) problem(`origin[${i}].confidence`, `origin ${o.country} has no confidence, and no disclosure of "${record.key}" states one`);
    return o;
  });
  return { origin, ...derived };
}
