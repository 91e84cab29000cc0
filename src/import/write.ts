import type { EntityManager } from "typeorm";
import type { DisclosureRecord } from "./disclosures";
import type { AnyRecord, EntityKind } from "./kinds";
import { report } from "../common/records/report";
import { company } from "../common/records/company";
import { statement } from "../common/records/statement";
import { operation } from "../common/records/operation";
import { disclosure } from "../common/records/disclosure";
import { origin as originEntry } from "../common/records/origin";
import type { RecordDecl } from "../common/records/declare";
import { fieldsOf, writeColumns } from "../common/records/derive";
import type { WriteColumn } from "../common/records/derive";

/**
 * A column of a record's own table and where its value comes from: a bundle field as it is, as
 * JSON (`json`), or a company key looked up to its id (`company`).
 */
type Column = WriteColumn;

/** Each kind's table and own columns, in one list from which its upsert is built. */
const TABLES: Record<EntityKind, { table: string; columns: Column[] }> = {
  companies: { table: company.table, columns: writeColumns(company) },
  reports: { table: report.table, columns: writeColumns(report) },
  operations: { table: operation.table, columns: writeColumns(operation) },
  statements: { table: statement.table, columns: writeColumns(statement) },
};

/** Inserts or updates (by key) a record's own row and returns its id. */
async function upsertRow(db: EntityManager, kind: EntityKind, record: AnyRecord): Promise<number> {
  const { table, columns } = TABLES[kind];
  const values = columns.map(([, , as], i) => (as === "company" ? `(SELECT id FROM company WHERE key = $${i + 1})` : `$${i + 1}`));
  const updates = columns.filter(([column]) => column !== "key").map(([column]) => `${column} = EXCLUDED.${column}`);
  const [{ id }] = await db.query(
    `INSERT INTO ${table} (${columns.map(([column]) => column).join(", ")}) VALUES (${values.join(", ")})
     ON CONFLICT (key) DO UPDATE SET ${updates.join(", ")} RETURNING id`,
    columns.map(([, field, as]) => (as === "json" ? JSON.stringify(record[field]) : record[field])),
  );
  return id;
}

async function idsByKey(db: EntityManager, table: "company" | "report" | "operation", keys: string[]): Promise<Map<string, number>> {
  const rows: { id: number; key: string }[] = keys.length ? await db.query(`SELECT id, key FROM ${table} WHERE key = ANY($1)`, [keys]) : [];
  return new Map(rows.map((row) => [row.key, row.id]));
}

/** Replaces a record's edge rows in one table: deletes the old ones, inserts the given ones in one statement. */
async function replaceRows(
  db: EntityManager,
  table: string,
  owner: [column: string, id: number],
  columns: [string, string][],
  rows: unknown[][],
): Promise<void> {
  await db.query(`DELETE FROM ${table} WHERE ${owner[0]} = $1`, [owner[1]]);
  if (rows.length === 0) return;
  const all: [string, string][] = [[owner[0], "int"], ...columns];
  const arrays = all.map((_, c) => rows.map((row) => (c === 0 ? owner[1] : row[c - 1])));
  const unnest = all.map(([, type], c) => `$${c + 1}::${type}[]`).join(", ");
  await db.query(`INSERT INTO ${table} (${all.map(([name]) => name).join(", ")}) SELECT * FROM unnest(${unnest})`, arrays);
}

/** Replaces a record's links to records of another kind, given by key, in a table of `<target>_id` rows. */
async function replaceLinks(
  db: EntityManager,
  table: string,
  owner: [column: string, id: number],
  target: "report" | "operation",
  keys: string[],
): Promise<void> {
  const ids = await idsByKey(db, target, keys);
  await replaceRows(
    db,
    table,
    owner,
    [[`${target}_id`, "int"]],
    keys.map((key) => [ids.get(key)]),
  );
}

/** The columns (with their SQL types) of an edge record declared in src/common/records, for `replaceRows`. */
function edgeColumns(decl: RecordDecl): [string, string][] {
  return fieldsOf(decl)
    .filter(([, f]) => f.column)
    .map(([, f]) => [f.column!, f.sqlType!]);
}

/** An edge record's values in its `edgeColumns`: unstated ones null, report keys looked up to ids. */
function edgeRow(decl: RecordDecl, entry: object, reports: Map<string, number>): unknown[] {
  const values = entry as Record<string, unknown>;
  return fieldsOf(decl)
    .filter(([, f]) => f.column)
    .map(([name, f]) => (f.write === "report" ? reports.get(values[name] as string) : (values[name] ?? null)));
}

/** A record's edges, stored in tables of their own beside its row. */
const EDGES: Partial<Record<EntityKind, (db: EntityManager, id: number, record: AnyRecord) => Promise<void>>> = {
  reports: async (db, id, r) => {
    const figures = r.figures as { label: string; value: number; qualifier: string }[];
    await replaceRows(
      db,
      "report_figure",
      ["report_id", id],
      [
        ["position", "int"],
        ["label", "text"],
        ["value", "float8"],
        ["qualifier", "text"],
      ],
      figures.map((f, i) => [i, f.label, f.value, f.qualifier]),
    );
  },
  operations: async (db, id, o) => {
    const reports = await idsByKey(db, "report", o.reportKeys as string[]);
    const disclosures = o.disclosures as DisclosureRecord[];
    await replaceRows(
      db,
      disclosure.table,
      ["operation_id", id],
      edgeColumns(disclosure),
      disclosures.map((d) => edgeRow(disclosure, d, reports)),
    );
    const origin = o.origin as { country: string; confidence: string }[];
    await replaceRows(
      db,
      originEntry.table,
      ["operation_id", id],
      [...edgeColumns(originEntry), ["position", "int"]],
      origin.map((x, i) => [...edgeRow(originEntry, x, reports), i]),
    );
    await replaceRows(
      db,
      "operation_target",
      ["operation_id", id],
      [
        ["country_code", "bpchar"],
        ["position", "int"],
      ],
      (o.targets as string[]).map((code, i) => [code, i]),
    );
    const roles = [
      ["AI_TOOL", o.aiTools],
      ["PLATFORM", o.platforms],
      ["OPERATOR", o.operators],
    ] as [string, string[]][];
    const companies = await idsByKey(
      db,
      "company",
      roles.flatMap(([, keys]) => keys),
    );
    await replaceRows(
      db,
      "operation_company",
      ["operation_id", id],
      [
        ["company_id", "int"],
        ["role", "text"],
        ["position", "int"],
      ],
      roles.flatMap(([role, keys]) => keys.map((key, i) => [companies.get(key), role, i])),
    );
  },
  statements: async (db, id, s) => {
    await replaceLinks(db, "statement_report", ["statement_id", id], "report", s.reportKeys as string[]);
    await replaceLinks(db, "statement_operation", ["statement_id", id], "operation", s.operationKeys as string[]);
  },
};

/** Writes one merged record: its row (by key) and, replacing what was stored, its edges. */
export async function writeRecord(db: EntityManager, kind: EntityKind, record: AnyRecord): Promise<void> {
  const id = await upsertRow(db, kind, record);
  await EDGES[kind]?.(db, id, record);
}

/** Who wrote a record through the API, for its audit entry. */
export interface AuditAs {
  keyId: number;
  keyName: string;
  operation: string;
}

/** Leaves the audit entry of one created or changed record, in the import's transaction. */
export async function writeAuditEntry(
  db: EntityManager,
  audit: AuditAs,
  kind: EntityKind,
  key: string,
  before: AnyRecord | undefined,
  after: AnyRecord,
): Promise<void> {
  await db.query(`INSERT INTO audit_entry (api_key_id, api_key_name, operation, record_kind, record_key, before, after) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
    audit.keyId,
    audit.keyName,
    audit.operation,
    kind,
    key,
    before ? JSON.stringify(before) : null,
    JSON.stringify(after),
  ]);
}
