import type http from "node:http";
import type { Context } from "../context";
import { REVISION_EXPR } from "../db/revision";
import type { RequestDb } from "../db/request-db";
import { CONTENT_HASH_EXPR, datasetTracker } from "../modules/dataset";
import { datasetVersion, versionHeaders } from "./dataset-version";
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

/** The SELECT a list export streams: the columns asked for, under the selection's WHERE, in the list's stable order. */
export function listExportSql(entity: ExportEntity, columns: Column[], whereSql = ""): string {
  return `SELECT ${columns.map((c) => `${c.sql} AS "${c.name}"`).join(", ")} FROM ${entity.from}${whereSql} ORDER BY ${entity.orderBy}`;
}

/**
 * Writes a list export. The count, the revision and the rows are read in one READ ONLY REPEATABLE
 * READ transaction on one connection leased from the request's share of the pool (one of its
 * statements in flight, under its budget), so the file holds exactly the records of the version it
 * names even while curators write: the content hash is read in that snapshot from the row the
 * writes keep current (never hashed per export); with a read replica the snapshot is the replica's,
 * where that row is replicated like any other. `beforeRows` runs once the count is known and
 * may refuse (the rate limit); it returns extra headers.
 */
export async function writeListExport(
  db: RequestDb,
  ctx: Context,
  job: ListExport,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  headers: Record<string, string>,
  beforeRows: (records: number) => Promise<Record<string, string>>,
  log: (message: string) => void,
): Promise<void> {
  const { entity, format, columns, layout, selection } = job;
  const whereSql = selection.where.length ? ` WHERE ${selection.where.join(" AND ")}` : "";
  const lease = await db.lease();
  const { client } = lease;
  let handedOver = false;
  try {
    // The count, the revision and the maintained content hash from the export's own snapshot: the
    // file names exactly the data it holds, and nothing is hashed per export.
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    const { rows } = await client.query(
      `SELECT (SELECT count(*)::int FROM ${entity.from}${whereSql}) AS n, ${REVISION_EXPR} AS revision, ${CONTENT_HASH_EXPR} AS hash`,
      selection.params.values,
    );
    const records: number = rows[0].n;
    const state = datasetTracker(ctx.dataSource).stateOf(rows[0].revision, rows[0].hash);
    // The load time from the same snapshot: the dataset service's statement, run on this client.
    const snapshot: Context = { ...ctx, sql: async (sql: string, values?: readonly unknown[]) => (await client.query(sql, values as unknown[])).rows };
    const version: DatasetVersion = await datasetVersion(snapshot, state);
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
    const sql = listExportSql(entity, columns, whereSql);
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
