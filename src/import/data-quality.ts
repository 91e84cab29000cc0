import type { Bundle, Located } from "./bundle";
import { report } from "../common/records/report";
import { company } from "../common/records/company";
import { statement } from "../common/records/statement";
import { operation } from "../common/records/operation";
import { optionalFields } from "../common/records/derive";
import { onlyWeakSources, typedSource } from "./sources";
import type { SourceInput } from "./sources";
import { hostOf, isAggregatorUrl } from "../common/source-hosts";
import { disclosureGaps } from "./disclosure-gaps";
import { classifySourceUrl } from "../common/source-hosts";
import type { SourceKind } from "../common/source-hosts";

/** One record named in a finding: its kind, key and where it is in the bundle. */
export interface RecordRef {
  kind: "companies" | "reports" | "operations" | "statements";
  key: string;
  where: string;
}

/** What `npm run data:check` reports about a bundle, computed from the files alone (no database). */
export interface DataQuality {
  /** Per publisher and year of publication: reports, operations they disclose, statements about them. */
  byPublisherYear: { publisher: string; year: string; reports: number; operations: number; statements: number }[];
  /** Per kind and optional field: how many records leave it empty, of how many. */
  emptyFields: { kind: string; field: string; empty: number; total: number }[];
  /** Sources cited, by kind (statement source URLs included). */
  sourcesByKind: Record<SourceKind, number>;
  /** Reports and operations that list no PUBLISHER source. */
  withoutPublisher: RecordRef[];
  /** Aggregator or SEO hosts cited, with the records citing them. */
  aggregatorHosts: { host: string; records: RecordRef[] }[];
  /** Operations whose disclosing reports come from more than one publisher. */
  multiPublisher: { key: string; publishers: string[] }[];
  /** Sources whose stated kind is not the kind of their host (src/common/source-hosts.ts). */
  kindMismatches: { record: RecordRef; url: string; given: SourceKind; byHost: SourceKind }[];
  /** Records (companies and statements too) that cite sources, all of them MIRROR or OTHER. */
  weakOnly: RecordRef[];
  /** Operations disclosed by several reports whose per-report values are not all in their disclosures. */
  disclosureGaps: { record: RecordRef; message: string }[];
}

const OPTIONAL_FIELDS: Record<RecordRef["kind"], string[]> = {
  companies: optionalFields(company),
  reports: optionalFields(report),
  // Disclosures are measured as `disclosureGaps`: an operation with one report needs none.
  operations: optionalFields(operation).filter((field) => field !== "disclosures"),
  statements: optionalFields(statement),
};

const isEmpty = (value: unknown) => value === undefined || value === null || (Array.isArray(value) && value.length === 0);

/** Names a record in a finding: its kind, key and file position. */
const refOf = (kind: RecordRef["kind"], l: Located<{ key: string }>): RecordRef => ({ kind, key: l.record.key, where: `${l.file}: ${l.path}` });

/**
 * Measures a bundle's provenance and coverage: what a curator reviews before a merge. A record
 * "has a PUBLISHER source" only when it lists one: the importer would add the report URL, but the
 * file should say where its facts come from.
 */
export function dataQuality(bundle: Bundle): DataQuality {
  const sources = sourceFindings(bundle);
  const publishers = publisherFindings(bundle);
  return {
    byPublisherYear: publishers.byPublisherYear,
    emptyFields: emptyFields(bundle),
    sourcesByKind: sources.sourcesByKind,
    withoutPublisher: sources.withoutPublisher,
    aggregatorHosts: sources.aggregatorHosts,
    multiPublisher: publishers.multiPublisher,
    kindMismatches: sources.kindMismatches,
    weakOnly: sources.weakOnly,
    disclosureGaps: disclosureGaps(bundle).map(({ located, message }) => ({ record: refOf("operations", located), message })),
  };
}

/**
 * What the bundle's citations say about its provenance: sources by kind, records without a
 * PUBLISHER source, aggregator hosts, kinds that contradict the host, records with weak sources only.
 */
function sourceFindings(bundle: Bundle): Pick<DataQuality, "sourcesByKind" | "withoutPublisher" | "aggregatorHosts" | "kindMismatches" | "weakOnly"> {
  const sourcesByKind: Record<SourceKind, number> = { PUBLISHER: 0, MIRROR: 0, PRESS: 0, GOVERNMENT: 0, OTHER: 0 };
  const withoutPublisher: RecordRef[] = [];
  const aggregators = new Map<string, RecordRef[]>();
  const cite = (ref: RecordRef, url: string) => {
    if (!isAggregatorUrl(url)) return;
    const host = hostOf(url)!;
    aggregators.set(host, [...(aggregators.get(host) ?? []), ref]);
  };
  const kindMismatches: DataQuality["kindMismatches"] = [];
  const weakOnly: RecordRef[] = [];
  const typed = (record: RecordRef, sources: { url: string; kind: SourceKind }[]) => {
    for (const source of sources) {
      sourcesByKind[source.kind] += 1;
      cite(record, source.url);
      const byHost = classifySourceUrl(source.url);
      if (byHost !== source.kind) kindMismatches.push({ record, url: source.url, given: source.kind, byHost });
    }
    if (sources.length > 0 && onlyWeakSources(sources.map((source) => source.kind))) weakOnly.push(record);
  };
  for (const kind of ["companies", "reports", "operations"] as const) {
    for (const l of bundle[kind] as Located<{ key: string; sources?: SourceInput[] }>[]) {
      const sources = (l.record.sources ?? []).map(typedSource);
      typed(refOf(kind, l), sources);
      if (kind !== "companies" && !sources.some((source) => source.kind === "PUBLISHER")) withoutPublisher.push(refOf(kind, l));
    }
  }
  for (const l of bundle.statements) {
    if (!l.record.sourceUrl) continue;
    const url = l.record.sourceUrl;
    typed(refOf("statements", l), [{ url, kind: (l.record.sourceKind as SourceKind | undefined) ?? classifySourceUrl(url) }]);
  }
  const aggregatorHosts = [...aggregators.entries()]
    .map(([host, records]) => ({ host, records }))
    .sort((a, b) => b.records.length - a.records.length || a.host.localeCompare(b.host));
  return { sourcesByKind, withoutPublisher, aggregatorHosts, kindMismatches, weakOnly };
}

/**
 * What the bundle says per publisher: reports, operations and statements per publisher and year
 * of publication, and operations whose disclosing reports come from more than one publisher.
 */
function publisherFindings(bundle: Bundle): Pick<DataQuality, "byPublisherYear" | "multiPublisher"> {
  const reportOf = new Map(bundle.reports.map((l) => [l.record.key, l.record]));
  const cells = new Map<string, { publisher: string; year: string; reports: number; operations: Set<string>; statements: Set<string> }>();
  const cell = (reportKey: string) => {
    const report = reportOf.get(reportKey);
    if (!report?.publisher || !report.publishedOn) return undefined;
    const id = `${report.publisher}\0${report.publishedOn.slice(0, 4)}`;
    if (!cells.has(id))
      cells.set(id, { publisher: report.publisher, year: report.publishedOn.slice(0, 4), reports: 0, operations: new Set(), statements: new Set() });
    return cells.get(id)!;
  };
  for (const { record } of bundle.reports) {
    const c = cell(record.key);
    if (c) c.reports += 1;
  }
  const multiPublisher: DataQuality["multiPublisher"] = [];
  for (const { record } of bundle.operations) {
    const reportKeys = [...new Set([...(record.reportKeys ?? []), ...(record.disclosures ?? []).map((d) => d.report)])];
    for (const key of reportKeys) cell(key)?.operations.add(record.key);
    const publishers = [...new Set(reportKeys.map((key) => reportOf.get(key)?.publisher).filter((p): p is string => Boolean(p)))].sort();
    if (publishers.length > 1) multiPublisher.push({ key: record.key, publishers });
  }
  for (const { record } of bundle.statements) for (const key of record.reportKeys ?? []) cell(key)?.statements.add(record.key);
  const byPublisherYear = [...cells.values()]
    .map((c) => ({ publisher: c.publisher, year: c.year, reports: c.reports, operations: c.operations.size, statements: c.statements.size }))
    .sort((a, b) => a.publisher.localeCompare(b.publisher) || a.year.localeCompare(b.year));
  return { byPublisherYear, multiPublisher };
}

/** Per kind and optional field, how many records leave it empty: where the data is thin. */
function emptyFields(bundle: Bundle): DataQuality["emptyFields"] {
  const counts: DataQuality["emptyFields"] = [];
  for (const kind of ["companies", "reports", "operations", "statements"] as const) {
    const records = (bundle[kind] as unknown as Located<Record<string, unknown>>[]).map((l) => l.record);
    for (const field of OPTIONAL_FIELDS[kind]) counts.push({ kind, field, empty: records.filter((r) => isEmpty(r[field])).length, total: records.length });
  }
  return counts;
}
