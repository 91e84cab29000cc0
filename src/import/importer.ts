import type { DataSource, EntityManager } from "typeorm";
import { revisionWatch } from "../db/revision";
import type { Bundle, Located, Problem } from "./bundle";
import { finishRecord, mergeTyped } from "./finish";
import { sortProblems } from "./problems";
import { recordChange, redisclosures } from "./preview";
import type { ImportPreview, RecordChange } from "./preview";
import { checkBundle } from "./checks";
import type { Known } from "./checks";
import type { Finisher } from "./finish";
import type { DisclosureRecord } from "./disclosures";

export type EntityKind = "companies" | "reports" | "operations" | "statements";
export const ENTITY_KINDS: EntityKind[] = ["companies", "reports", "operations", "statements"];

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
  audit?: { keyId: number; keyName: string; operation: string };
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

/** List fields: added to on import (order kept, duplicates dropped) unless `replace`. */
const LIST_FIELDS: Record<EntityKind, string[]> = {
  companies: ["sources"],
  reports: ["figures", "sources"],
  operations: ["aliases", "reportKeys", "disclosures", "categories", "origin", "targets", "aiTools", "platforms", "operators", "sources"],
  statements: ["reportKeys", "operationKeys"],
};

const DEFAULTS: Record<EntityKind, Record<string, unknown>> = {
  companies: { hqCountry: null, website: null, sources: [] },
  reports: { periodFrom: null, periodTo: null, figures: [] },
  operations: { aliases: [], disclosures: [], origin: [], targets: [], aiTools: [], platforms: [], operators: [], accountsBanned: null, breakoutScale: null, firstSeen: null, lastSeen: null },
  statements: { speakerRole: null, organization: null, country: null, saidOn: null, reportKeys: [], operationKeys: [] },
};

type AnyRecord = { key: string } & Record<string, unknown>;

const emptySummary = (): Record<EntityKind, EntitySummary> => ({
  companies: { created: 0, updated: 0, unchanged: 0 },
  reports: { created: 0, updated: 0, unchanged: 0 },
  operations: { created: 0, updated: 0, unchanged: 0 },
  statements: { created: 0, updated: 0, unchanged: 0 },
});

/**
 * SQL selecting stored records of one kind in bundle shape (keys instead of ids, edges as lists in
 * source order). `where` filters on the record's own table, aliased `t`.
 */
export function storedRecordsSql(kind: EntityKind, where: string): string {
  switch (kind) {
    case "companies":
      return `SELECT t.key, t.name, t.kind, t.hq_country_code::text AS "hqCountry", t.website, t.sources FROM company t WHERE ${where}`;
    case "reports":
      return `SELECT t.key, t.title, c.key AS publisher, t.published_on AS "publishedOn", t.url, t.period_from AS "periodFrom",
          t.period_to AS "periodTo", t.summary, t.sources,
          COALESCE((SELECT json_agg(json_build_object('label', f.label, 'value', f.value, 'qualifier', f.qualifier) ORDER BY f.position)
                    FROM report_figure f WHERE f.report_id = t.id), '[]') AS figures
        FROM report t JOIN company c ON c.id = t.publisher_id WHERE ${where}`;
    case "operations":
      return `SELECT t.key, t.name, t.aliases,
          ARRAY(SELECT r.key FROM operation_report x JOIN report r ON r.id = x.report_id WHERE x.operation_id = t.id ORDER BY r.published_on, r.key COLLATE "C") AS "reportKeys",
          COALESCE((SELECT jsonb_agg(jsonb_strip_nulls(jsonb_build_object('report', r.key, 'nameInReport', x.name_in_report, 'breakoutScale', x.breakout_scale,
                      'accountsBanned', x.accounts_banned, 'originConfidence', x.origin_confidence)) ORDER BY r.published_on, r.key COLLATE "C")
                    FROM operation_report x JOIN report r ON r.id = x.report_id WHERE x.operation_id = t.id), '[]') AS disclosures,
          t.categories, t.actor_type AS "actorType",
          COALESCE((SELECT json_agg(json_build_object('country', x.country_code, 'confidence', x.confidence) ORDER BY x.position)
                    FROM operation_origin x WHERE x.operation_id = t.id), '[]') AS origin,
          ARRAY(SELECT x.country_code::text FROM operation_target x WHERE x.operation_id = t.id ORDER BY x.position) AS targets,
          ARRAY(SELECT c.key FROM operation_company x JOIN company c ON c.id = x.company_id WHERE x.operation_id = t.id AND x.role = 'AI_TOOL' ORDER BY x.position) AS "aiTools",
          ARRAY(SELECT c.key FROM operation_company x JOIN company c ON c.id = x.company_id WHERE x.operation_id = t.id AND x.role = 'PLATFORM' ORDER BY x.position) AS platforms,
          ARRAY(SELECT c.key FROM operation_company x JOIN company c ON c.id = x.company_id WHERE x.operation_id = t.id AND x.role = 'OPERATOR' ORDER BY x.position) AS operators,
          t.accounts_banned AS "accountsBanned", t.breakout_scale AS "breakoutScale", t.first_seen AS "firstSeen", t.last_seen AS "lastSeen",
          t.summary, t.sources
        FROM operation t WHERE ${where}`;
    case "statements":
      return `SELECT t.key, t.speaker, t.speaker_role AS "speakerRole", c.key AS organization, t.country_code::text AS country, t.said_on AS "saidOn",
          t.quote, t.stance,
          ARRAY(SELECT r.key FROM statement_report x JOIN report r ON r.id = x.report_id WHERE x.statement_id = t.id ORDER BY r.key) AS "reportKeys",
          ARRAY(SELECT o.key FROM statement_operation x JOIN operation o ON o.id = x.operation_id WHERE x.statement_id = t.id ORDER BY o.key) AS "operationKeys",
          t.source_url AS "sourceUrl", t.source_kind AS "sourceKind"
        FROM statement t LEFT JOIN company c ON c.id = t.organization_id WHERE ${where}`;
  }
}

/** The stored records of one kind, in bundle shape, for the given keys. */
async function loadStored(db: EntityManager, kind: EntityKind, keys: string[]): Promise<Map<string, AnyRecord>> {
  if (keys.length === 0) return new Map();
  const rows: AnyRecord[] = await db.query(storedRecordsSql(kind, "t.key = ANY($1)"), [keys]);
  return new Map(rows.map((row) => [row.key, row]));
}

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

/** A record as it will be stored: the stored values, overridden by the fields the bundle gives. */
function merge(kind: EntityKind, stored: AnyRecord | undefined, incoming: AnyRecord, replace: boolean): AnyRecord {
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
function canonical(record: AnyRecord): string {
  return JSON.stringify(Object.keys(record).sort().map((field) => [field, record[field]]));
}

async function idsByKey(db: EntityManager, table: "company" | "report" | "operation", keys: string[]): Promise<Map<string, number>> {
  const rows: { id: number; key: string }[] = keys.length ? await db.query(`SELECT id, key FROM ${table} WHERE key = ANY($1)`, [keys]) : [];
  return new Map(rows.map((row) => [row.key, row.id]));
}

/** Inserts edge rows given as parallel arrays, one statement for all of them. */
async function insertRows(db: EntityManager, table: string, columns: [string, string][], rows: unknown[][]): Promise<void> {
  if (rows.length === 0) return;
  const arrays = columns.map((_, c) => rows.map((row) => row[c]));
  const unnest = columns.map(([, type], c) => `$${c + 1}::${type}[]`).join(", ");
  await db.query(`INSERT INTO ${table} (${columns.map(([name]) => name).join(", ")}) SELECT * FROM unnest(${unnest})`, arrays);
}

async function writeCompany(db: EntityManager, c: AnyRecord): Promise<void> {
  await db.query(
    `INSERT INTO company (key, name, kind, hq_country_code, website, sources) VALUES ($1, $2, $3, $4, $5, $6)
     ON CONFLICT (key) DO UPDATE SET name = EXCLUDED.name, kind = EXCLUDED.kind, hq_country_code = EXCLUDED.hq_country_code,
       website = EXCLUDED.website, sources = EXCLUDED.sources`,
    [c.key, c.name, c.kind, c.hqCountry, c.website, JSON.stringify(c.sources)],
  );
}

async function writeReport(db: EntityManager, r: AnyRecord): Promise<void> {
  const [{ id }] = await db.query(
    `INSERT INTO report (key, title, publisher_id, published_on, url, period_from, period_to, summary, sources)
     VALUES ($1, $2, (SELECT id FROM company WHERE key = $3), $4, $5, $6, $7, $8, $9)
     ON CONFLICT (key) DO UPDATE SET title = EXCLUDED.title, publisher_id = EXCLUDED.publisher_id, published_on = EXCLUDED.published_on,
       url = EXCLUDED.url, period_from = EXCLUDED.period_from, period_to = EXCLUDED.period_to, summary = EXCLUDED.summary, sources = EXCLUDED.sources
     RETURNING id`,
    [r.key, r.title, r.publisher, r.publishedOn, r.url, r.periodFrom, r.periodTo, r.summary, JSON.stringify(r.sources)],
  );
  await db.query("DELETE FROM report_figure WHERE report_id = $1", [id]);
  const figures = r.figures as { label: string; value: number; qualifier: string }[];
  await insertRows(
    db,
    "report_figure",
    [["report_id", "int"], ["position", "int"], ["label", "text"], ["value", "float8"], ["qualifier", "text"]],
    figures.map((f, i) => [id, i, f.label, f.value, f.qualifier]),
  );
}

async function writeOperation(db: EntityManager, o: AnyRecord): Promise<void> {
  const [{ id }] = await db.query(
    `INSERT INTO operation (key, name, aliases, categories, actor_type, summary, accounts_banned, breakout_scale, first_seen, last_seen, sources)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
     ON CONFLICT (key) DO UPDATE SET name = EXCLUDED.name, aliases = EXCLUDED.aliases, categories = EXCLUDED.categories,
       actor_type = EXCLUDED.actor_type, summary = EXCLUDED.summary, accounts_banned = EXCLUDED.accounts_banned,
       breakout_scale = EXCLUDED.breakout_scale, first_seen = EXCLUDED.first_seen, last_seen = EXCLUDED.last_seen, sources = EXCLUDED.sources
     RETURNING id`,
    [o.key, o.name, o.aliases, o.categories, o.actorType, o.summary, o.accountsBanned, o.breakoutScale, o.firstSeen, o.lastSeen, JSON.stringify(o.sources)],
  );
  for (const table of ["operation_report", "operation_origin", "operation_target", "operation_company"]) {
    await db.query(`DELETE FROM ${table} WHERE operation_id = $1`, [id]);
  }
  const reports = await idsByKey(db, "report", o.reportKeys as string[]);
  const disclosures = o.disclosures as DisclosureRecord[];
  await insertRows(
    db,
    "operation_report",
    [["operation_id", "int"], ["report_id", "int"], ["name_in_report", "text"], ["breakout_scale", "int2"], ["accounts_banned", "int"], ["origin_confidence", "text"]],
    disclosures.map((d) => [id, reports.get(d.report), d.nameInReport ?? null, d.breakoutScale ?? null, d.accountsBanned ?? null, d.originConfidence ?? null]),
  );
  const origin = o.origin as { country: string; confidence: string }[];
  await insertRows(
    db,
    "operation_origin",
    [["operation_id", "int"], ["country_code", "bpchar"], ["confidence", "text"], ["position", "int"]],
    origin.map((x, i) => [id, x.country, x.confidence, i]),
  );
  await insertRows(
    db,
    "operation_target",
    [["operation_id", "int"], ["country_code", "bpchar"], ["position", "int"]],
    (o.targets as string[]).map((code, i) => [id, code, i]),
  );
  const roles = [["AI_TOOL", o.aiTools], ["PLATFORM", o.platforms], ["OPERATOR", o.operators]] as [string, string[]][];
  const companies = await idsByKey(db, "company", roles.flatMap(([, keys]) => keys));
  await insertRows(
    db,
    "operation_company",
    [["operation_id", "int"], ["company_id", "int"], ["role", "text"], ["position", "int"]],
    roles.flatMap(([role, keys]) => keys.map((key, i) => [id, companies.get(key), role, i])),
  );
}

async function writeStatement(db: EntityManager, s: AnyRecord): Promise<void> {
  const [{ id }] = await db.query(
    `INSERT INTO statement (key, quote, speaker, speaker_role, organization_id, country_code, said_on, stance, source_url, source_kind)
     VALUES ($1, $2, $3, $4, (SELECT id FROM company WHERE key = $5), $6, $7, $8, $9, $10)
     ON CONFLICT (key) DO UPDATE SET quote = EXCLUDED.quote, speaker = EXCLUDED.speaker, speaker_role = EXCLUDED.speaker_role,
       organization_id = EXCLUDED.organization_id, country_code = EXCLUDED.country_code, said_on = EXCLUDED.said_on,
       stance = EXCLUDED.stance, source_url = EXCLUDED.source_url, source_kind = EXCLUDED.source_kind
     RETURNING id`,
    [s.key, s.quote, s.speaker, s.speakerRole, s.organization, s.country, s.saidOn, s.stance, s.sourceUrl, s.sourceKind],
  );
  await db.query("DELETE FROM statement_report WHERE statement_id = $1", [id]);
  await db.query("DELETE FROM statement_operation WHERE statement_id = $1", [id]);
  const reports = await idsByKey(db, "report", s.reportKeys as string[]);
  await insertRows(db, "statement_report", [["statement_id", "int"], ["report_id", "int"]], (s.reportKeys as string[]).map((k) => [id, reports.get(k)]));
  const operations = await idsByKey(db, "operation", s.operationKeys as string[]);
  await insertRows(
    db,
    "statement_operation",
    [["statement_id", "int"], ["operation_id", "int"]],
    (s.operationKeys as string[]).map((k) => [id, operations.get(k)]),
  );
}

const WRITERS: Record<EntityKind, (db: EntityManager, record: AnyRecord) => Promise<void>> = {
  companies: writeCompany,
  reports: writeReport,
  operations: writeOperation,
  statements: writeStatement,
};

class RollbackDryRun extends Error {}

/** Refreshes first disclosure dates and operation_facts for the operations a bundle wrote or whose reports it wrote. */
async function refreshTouchedFacts(db: EntityManager, bundle: Bundle): Promise<void> {
  const keys = (kind: "reports" | "operations") => (bundle[kind] as Located<AnyRecord>[]).map((l) => l.record.key);
  const [{ ids }] = await db.query(
    `SELECT COALESCE(array_agg(DISTINCT id), '{}') AS ids FROM (
       SELECT id FROM operation WHERE key = ANY($1::text[])
       UNION ALL SELECT x.operation_id FROM operation_report x JOIN report r ON r.id = x.report_id WHERE r.key = ANY($2::text[])) touched`,
    [keys("operations"), keys("reports")],
  );
  await db.query("SELECT refresh_first_disclosed($1::int[])", [ids]);
  await db.query("SELECT refresh_operation_facts($1::int[])", [ids]);
}

/**
 * Imports a bundle: validates all of it first (nothing is written if anything is wrong), then
 * upserts by key in one transaction, so an error or crash half-way leaves the database as it was.
 * Fields a record leaves out keep their stored values; list fields are added to unless `replace`.
 * Importing the same bundle twice changes nothing the second time. The result lists every problem
 * in file order, or (also for a dry run) what the import does to each record.
 */
export async function importBundle(dataSource: DataSource, bundle: Bundle, options: ImportOptions = {}): Promise<ImportResult> {
  const summary = emptySummary();
  const warnings: Problem[] = [];
  const changes: RecordChange[] = [];
  const result = (ok: boolean, problems: Problem[]): ImportResult => ({
    ok,
    dryRun: Boolean(options.dryRun),
    problems,
    summary,
    warnings,
    preview: { records: changes, redisclosures: redisclosures(changes) },
  });

  try {
    await dataSource.transaction(async (db) => {
      // Concurrent imports queue here instead of interleaving their upserts; a large bundle may
      // run longer than the service's statement timeout.
      await db.query("SET LOCAL statement_timeout = 0");
      await db.query("SELECT pg_advisory_xact_lock(hashtext('misuse-graph:import'))");
      // Per-statement fact maintenance would recompute an operation once per edge statement; the
      // import defers it and refreshes every operation it touched once, before committing.
      await db.query("SET LOCAL misuse_graph.defer_facts = 'on'");
      const stored = {} as Record<EntityKind, Map<string, AnyRecord>>;
      for (const kind of ENTITY_KINDS) {
        stored[kind] = await loadStored(db, kind, (bundle[kind] as Located<AnyRecord>[]).map((l) => l.record.key));
      }
      // Every stored key, not only those referred to: a wrong one is answered with the closest ones.
      const keysOf = async (table: string) => new Set(((await db.query(`SELECT key FROM ${table}`)) as { key: string }[]).map((row) => row.key));
      const countries: { code: string }[] = await db.query("SELECT code FROM country");
      const allRefs = collectReferences(bundle);
      const known: Known = {
        companies: await keysOf("company"),
        reports: await keysOf("report"),
        operations: await keysOf("operation"),
        statements: new Set(stored.statements.keys()),
        countries: new Set(countries.map((c) => c.code)),
      };
      const problems = sortProblems([...bundle.problems, ...checkBundle(bundle, known)], bundle);
      if (problems.length > 0) throw new InvalidBundle(problems);
      const finisher: Finisher = { reports: stored.reports, storedReports: await reportFacts(db, allRefs.reports), warnings };

      for (const kind of ENTITY_KINDS) {
        for (const { record, file, path } of bundle[kind] as Located<AnyRecord>[]) {
          const before = stored[kind].get(record.key);
          const after = finishRecord(kind, merge(kind, before, record, Boolean(options.replace)), finisher, { file, path });
          const change = recordChange(kind, before, after, { file, path });
          changes.push(change);
          if (before && canonical(before) === canonical(after)) {
            change.result = "UNCHANGED";
            summary[kind].unchanged += 1;
            continue;
          }
          try {
            await WRITERS[kind](db, after);
          } catch (error) {
            throw new InvalidBundle([{ file, path, message: `the database refused it: ${(error as Error).message}` }]);
          }
          if (options.audit) {
            await db.query(
              `INSERT INTO audit_entry (api_key_id, api_key_name, operation, record_kind, record_key, before, after) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
              [options.audit.keyId, options.audit.keyName, options.audit.operation, kind, record.key, before ? JSON.stringify(before) : null, JSON.stringify(after)],
            );
          }
          if (before) change.result = "UPDATED";
          stored[kind].set(record.key, after);
          summary[kind][before ? "updated" : "created"] += 1;
        }
      }
      await refreshTouchedFacts(db, bundle);
      if (options.dryRun) throw new RollbackDryRun();
      await db.query("INSERT INTO dataset_import (source, bundle_hash, summary) VALUES ($1, $2, $3)", [bundle.source, bundle.contentHash, summary]);
    });
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

class InvalidBundle extends Error {
  constructor(readonly problems: Problem[]) {
    super(`${problems.length} problem(s) in the bundle`);
  }
}

/** URL and publication date of stored reports, for operations that refer to reports outside the bundle. */
async function reportFacts(db: EntityManager, keys: string[]): Promise<Map<string, { url: string; publishedOn: string }>> {
  const rows: { key: string; url: string; publishedOn: string }[] = keys.length
    ? await db.query(`SELECT key, url, published_on AS "publishedOn" FROM report WHERE key = ANY($1)`, [keys])
    : [];
  return new Map(rows.map((row) => [row.key, row]));
}

/** Keys the bundle refers to, by kind, to look up among stored records. */
function collectReferences(bundle: Bundle): { companies: string[]; reports: string[]; operations: string[] } {
  const companies = new Set<string>();
  const reports = new Set<string>();
  const operations = new Set<string>();
  for (const { record: r } of bundle.reports) if (r.publisher) companies.add(r.publisher);
  for (const { record: o } of bundle.operations) {
    o.reportKeys?.forEach((k) => reports.add(k));
    o.disclosures?.forEach((d) => reports.add(d.report));
    [...(o.aiTools ?? []), ...(o.platforms ?? []), ...(o.operators ?? [])].forEach((k) => companies.add(k));
  }
  for (const { record: s } of bundle.statements) {
    if (s.organization) companies.add(s.organization);
    s.reportKeys?.forEach((k) => reports.add(k));
    s.operationKeys?.forEach((k) => operations.add(k));
  }
  return { companies: [...companies], reports: [...reports], operations: [...operations] };
}

