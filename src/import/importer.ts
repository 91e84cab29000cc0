import type { DataSource, EntityManager } from "typeorm";
import { revisionWatch } from "../db/revision";
import type { Bundle, Located, Problem } from "./bundle";
import { finishRecord } from "./finish";
import type { Finisher } from "./finish";
import { ENTITY_KINDS } from "./kinds";
import type { AnyRecord, EntityKind } from "./kinds";
import { canonical, merge, withStoredOrder } from "./merge";
import { recordChange, redisclosures } from "./preview";
import type { ImportPreview, RecordChange } from "./preview";
import { refreshTouchedFacts } from "./refresh";
import { inWriteTurn } from "./turn";
import { loadStored, reportFacts } from "./stored";
import { referencedReports, validateBundle } from "./validate";
import { writeAuditEntry, writeRecord } from "./write";
import type { AuditAs } from "./write";

export interface EntitySummary {
  created: number;
  updated: number;
  unchanged: number;
}

export interface ImportOptions {
  /** Validate and compute the summary, then roll back. */
  dryRun?: boolean;
  /** Lists given in the bundle replace stored lists instead of being added to. */
  replace?: boolean;
  /** Writes through the API: every created or changed record leaves an audit entry in the same transaction. */
  audit?: AuditAs;
}

export interface ImportResult {
  ok: boolean;
  dryRun: boolean;
  problems: Problem[];
  summary: Record<EntityKind, EntitySummary>;
  /** Records the import accepted but flags, e.g. a record supported only by MIRROR or OTHER sources. */
  warnings: Problem[];
  /** Per record what the import does (or, in a dry run, would do); empty when there were problems. */
  preview: ImportPreview;
}

/** The reports stored operations already name: their dates order the disclosures a bundle adds to. */
function storedReportKeys(operations: Map<string, AnyRecord>): string[] {
  return [...operations.values()].flatMap((o) => (o.reportKeys as string[] | undefined) ?? []);
}

const emptySummary = (): Record<EntityKind, EntitySummary> =>
  Object.fromEntries(ENTITY_KINDS.map((kind) => [kind, { created: 0, updated: 0, unchanged: 0 }])) as Record<EntityKind, EntitySummary>;

class RollbackDryRun extends Error {}

class InvalidBundle extends Error {
  constructor(readonly problems: Problem[]) {
    super(`${problems.length} problem(s) in the bundle`);
  }
}

/** Whether a failed write refused the record itself: SQLSTATE class 22 (data exception) or 23 (integrity constraint). */
function refusesRecord(error: unknown): boolean {
  const e = error as { code?: unknown; driverError?: { code?: unknown } } | null;
  const code = e?.driverError?.code ?? e?.code;
  return typeof code === "string" && /^2[23]/.test(code);
}

/**
 * Imports a bundle: validates all of it first (nothing is written if anything is wrong), then
 * upserts by key in one transaction, so an error or crash half-way leaves the database as it was.
 * Fields a record leaves out keep their stored values; list fields are added to unless `replace`.
 * Importing the same bundle twice changes nothing the second time. The result lists every problem
 * in file order, or (also for a dry run) what the import does to each record.
 */
export async function importBundle(dataSource: DataSource, bundle: Bundle, options: ImportOptions = {}): Promise<ImportResult> {
  const tally: Tally = { summary: emptySummary(), warnings: [], changes: [] };
  const result = (ok: boolean, problems: Problem[]): ImportResult => ({
    ok,
    dryRun: Boolean(options.dryRun),
    problems,
    summary: tally.summary,
    warnings: tally.warnings,
    preview: { records: tally.changes, redisclosures: redisclosures(tally.changes) },
  });

  try {
    // Concurrent imports take turns instead of interleaving their upserts.
    await inWriteTurn(dataSource, (db) => writeBundle(db, bundle, options, tally));
  } catch (error) {
    if (error instanceof RollbackDryRun) return result(true, []);
    if (error instanceof InvalidBundle) {
      return { ...result(false, error.problems), summary: emptySummary(), warnings: [], preview: { records: [], redisclosures: [] } };
    }
    throw error;
  }
  // Answers after this one must see the new revision (extensions.dataset, ETags) at once.
  revisionWatch(dataSource).invalidate();
  return result(true, []);
}

/** What an import collects as it goes, for its result: counts per kind, warnings and what it does to each record. */
interface Tally {
  summary: Record<EntityKind, EntitySummary>;
  warnings: Problem[];
  changes: RecordChange[];
}

/**
 * The import inside its write turn: loads the stored records the bundle names, validates, writes
 * each record in kind and file order, refreshes the facts it touched and logs the import. It throws
 * `InvalidBundle` on any problem and `RollbackDryRun` after a dry run, so the transaction rolls back.
 */
async function writeBundle(db: EntityManager, bundle: Bundle, options: ImportOptions, tally: Tally): Promise<void> {
  // Per-statement fact maintenance would recompute an operation once per edge statement; the
  // import defers it and refreshes every operation it touched once, before committing.
  await db.query("SET LOCAL misuse_graph.defer_facts = 'on'");
  const stored = {} as Record<EntityKind, Map<string, AnyRecord>>;
  for (const kind of ENTITY_KINDS) {
    stored[kind] = await loadStored(
      db,
      kind,
      (bundle[kind] as Located<AnyRecord>[]).map((l) => l.record.key),
    );
  }
  const problems = await validateBundle(db, bundle, stored.statements.keys());
  if (problems.length > 0) throw new InvalidBundle(problems);
  const finisher: Finisher = {
    reports: stored.reports,
    storedReports: await reportFacts(db, [...referencedReports(bundle), ...storedReportKeys(stored.operations)]),
    warnings: tally.warnings,
    problems: [],
  };
  for (const kind of ENTITY_KINDS) {
    for (const located of bundle[kind] as Located<AnyRecord>[]) await importRecord(db, kind, located, stored[kind], finisher, options, tally);
  }
  await refreshTouchedFacts(db, bundle);
  if (options.dryRun) throw new RollbackDryRun();
  await db.query("INSERT INTO dataset_import (source, bundle_hash, summary) VALUES ($1, $2, $3)", [bundle.source, bundle.contentHash, tally.summary]);
}

/**
 * Merges one bundle record into its stored version, finishes it and writes it unless nothing
 * changed (with an audit entry when asked); records the change and counts it.
 */
async function importRecord(
  db: EntityManager,
  kind: EntityKind,
  { record, file, path }: Located<AnyRecord>,
  stored: Map<string, AnyRecord>,
  finisher: Finisher,
  options: ImportOptions,
  tally: Tally,
): Promise<void> {
  const before = stored.get(record.key);
  const merged = finishRecord(kind, merge(kind, before, record, Boolean(options.replace)), finisher, { file, path }, record);
  if (finisher.problems.length > 0) throw new InvalidBundle(finisher.problems);
  const after = withStoredOrder(kind, before, merged);
  const change = recordChange(kind, before, after, { file, path });
  tally.changes.push(change);
  if (before && canonical(before) === canonical(after)) {
    change.result = "UNCHANGED";
    tally.summary[kind].unchanged += 1;
    return;
  }
  try {
    await writeRecord(db, kind, after);
  } catch (error) {
    // Only a refusal of the record itself (a data exception or a broken constraint, SQLSTATE
    // classes 22 and 23) is the bundle's fault; a lost connection or a busy server is that failure.
    if (!refusesRecord(error)) throw error;
    throw new InvalidBundle([{ file, path, message: `the database refused it: ${(error as Error).message}` }]);
  }
  if (options.audit) await writeAuditEntry(db, options.audit, kind, record.key, before, after);
  if (before) change.result = "UPDATED";
  stored.set(record.key, after);
  tally.summary[kind][before ? "updated" : "created"] += 1;
}
