import type http from "node:http";
import type { DataSource } from "typeorm";
import type { Context } from "../context";
import { datasetVersion, versionHeaders } from "./dataset-version";
import type { DatasetVersion } from "./dataset-version";
import type { Column } from "./columns";
import type { ExportEntity, Selection } from "./entities";
import { poolOf, streamQuery } from "./stream";
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

/**
 * Writes a list export. The count, the dataset version and the rows are read in one READ ONLY
 * REPEATABLE READ transaction on one pool client, so the file holds exactly the records of the
 * version it names even while curators write. `beforeRows` runs once the count is known and may
 * refuse (the rate limit); it returns extra headers.
 */
export async function writeListExport(
  dataSource: DataSource,
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
  const client = await poolOf(dataSource).connect();
  let handedOver = false;
  try {
    await client.query("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY");
    const { rows: counted } = await client.query(`SELECT count(*)::int AS n FROM ${entity.from}${whereSql}`, selection.params.values);
    const records: number = counted[0].n;
    const limitHeaders = await beforeRows(records);
    // The version from the same snapshot: the dataset service's queries, run on this client.
    const snapshot = { query: async (sql: string, values?: unknown[]) => (await client.query(sql, values)).rows } as unknown as DataSource;
    const version: DatasetVersion = await datasetVersion({ ...ctx, dataSource: snapshot });
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
    await streamQuery(client, sql, selection.params.values, [shapeRows(columns, layout, format === "csv"), writer], res, log);
  } finally {
    if (!handedOver) {
      await client.query("ROLLBACK").catch(() => undefined);
      client.release();
    }
  }
}
