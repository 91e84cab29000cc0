import type http from "node:http";
import type { Context } from "../context";
import { REVISION_EXPR } from "../db/revision";
import { poolsOf } from "../db/read-routing";
import type { RequestDb } from "../db/request-db";
import { datasetVersion, trackedState, trackedStateAt, versionHeaders } from "./dataset-version";
import type { DatasetVersion } from "./dataset-version";
import type { Column } from "./columns";
import type { ExportEntity, Selection } from "./entities";
import { streamQuery } from "./stream";
import { csvWriter, ndjsonWriter, shapeRows } from "./writers";
/** One list export, checked and resolved: what to select and how to write it. */
export interface ListExport {
  entity: ExportEntity;
  format: "csv" | "ndjson";
  columns: Column[];
  layout: "wide" | "long";
  filter: Record<string, unknown> | null;
  selection: Selection;
}

const CONTENT_TYPES = { csv: "text/csv; charset=utf-8", ndjson: "application/x-ndjson; charset=utf-8" };

/** Snapshots an export tries before giving up when writes keep landing between it and the version it names. */
const SNAPSHOT_ATTEMPTS = 3;

/**
 * Writes a list export. The count, the revision and the rows are read in one READ ONLY REPEATABLE
 * READ transaction on one connection leased from the request's share of the pool (one of its
 * statements in flight, under its budget), so the file holds exactly the records of the version it
 * names even while curators write: the version comes from the service's dataset tracker (worked out
 * once per revision, never per export) for the snapshot's own revision; when a write landed in
 * between, the snapshot is taken again (after a few tries, or when the version cannot be had in
 * the export's time, the file goes out without one, as GraphQL answers then do). `beforeRows`
 * runs once the count is known and may refuse (the rate limit); it returns extra headers.
 * `remainingMs` bounds the wait for the version.
 */
export async function writeListExport(
  db: RequestDb,
  ctx: Context,
  job: ListExport,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  headers: Record<string, string>,
  beforeRows: (records: number) => Promise<Record<string, string>>,
  remainingMs: () => number,
  log: (message: string) => void,
): Promise<void> {
  const { entity, format, columns, layout, selection } = job;
  const whereSql = selection.where.length ? ` WHERE ${selection.where.join(" AND ")}` : "";
  // After a write, the version's hash is worked out (once, shared) before a connection is held
  // (with a read replica, in the snapshot instead: the primary's may be of another revision).
  if (!poolsOf(ctx.dataSource).replica) await trackedState(ctx, remainingMs());
  const lease = await db.lease();
  const { client } = lease;
  let handedOver = false;
  try {
    let records = 0;
    let version: DatasetVersion | null = null;
    for (let attempt = 1; version === null; attempt += 1) {
      await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
      const { rows } = await client.query(
        `SELECT (SELECT count(*)::int FROM ${entity.from}${whereSql}) AS n, ${REVISION_EXPR} AS revision`,
        selection.params.values,
      );
      records = rows[0].n;
      const state = await trackedStateAt(ctx, rows[0].revision, remainingMs(), async (sql, values) => (await client.query(sql, values)).rows);
      if (state === "other" && attempt < SNAPSHOT_ATTEMPTS) {
        await client.query("ROLLBACK");
        continue;
      }
      if (state === "other" || state === null)
        log(`export of ${entity.name} sent without a dataset version: it could not be worked out for the export's snapshot`);
      // The load time from the same snapshot: the dataset service's statement, run on this client.
      const snapshot: Context = { ...ctx, sql: async (sql: string, values?: readonly unknown[]) => (await client.query(sql, values as unknown[])).rows };
      version = await datasetVersion(snapshot, state === "other" ? null : state);
    }
    const limitHeaders = await beforeRows(records);
    res.writeHead(200, {
      "content-type": CONTENT_TYPES[format],
      "content-disposition": `attachment; filename="${entity.name}.${format}"`,
      "x-total-count": String(records),
      ...headers,
      ...versionHeaders(version),
      ...limitHeaders,
    });
    if (req.method === "HEAD") {
      res.end();
      return;
    }
    const names = columns.map((c) => c.name);
    const sql = `SELECT ${columns.map((c) => `${c.sql} AS "${c.name}"`).join(", ")} FROM ${entity.from}${whereSql} ORDER BY ${entity.orderBy}`;
    const meta = {
      _meta: { dataset: version, export: entity.name, filter: job.filter ?? {}, fields: names, layout, records, generatedAt: new Date().toISOString() },
    };
    const writer = format === "csv" ? csvWriter(names) : ndjsonWriter(meta);
    handedOver = true;
    await streamQuery(lease, sql, selection.params.values, [shapeRows(columns, layout, format === "csv"), writer], res, log);
  } finally {
    if (!handedOver) {
      const ended = await client.query("ROLLBACK").then(
        () => true,
        () => false,
      );
      lease.release(!ended);
    }
  }
}
