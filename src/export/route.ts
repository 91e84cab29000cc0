import { stringify } from "csv-stringify/sync";
import type http from "node:http";
import type { Route, RouteDeps } from "../common/route";
import { resolveOperationFilter } from "../modules/operation";
import { EXPORT_ENTITIES } from "./entities";
import { datasetVersion, trackedState, versionHeaders } from "./dataset-version";
import { ExportDiscipline } from "./discipline";
import type { ExportRun } from "./discipline";
import { RouteError, errorAnswer, plainErrorBody, sendErrorAnswer } from "../common/error-answer";
import { parameterOfServiceError, parseFields, parseFilter, parseLayout } from "./params";
import { operationStatsTable, statsParameterNames } from "./stats";
import type { StatsTable } from "./stats";
import { writeListExport } from "./list-export";
import { stixExportRoute } from "./stix/stix-route";
import type { RequestDb } from "../db/request-db";

/**
 * The export routes (STIX, then lists and statistics), sharing one discipline: one count of
 * exports in progress against MAX_CONCURRENT_EXPORTS, one rate limiter (the TAXII collection
 * shares it too, when src/http/routes.ts hands the same one to both).
 */
export function exportRoutes(deps: RouteDeps, discipline: ExportDiscipline = new ExportDiscipline(deps)): Route[] {
  return [stixExportRoute(deps, discipline), exportRoute(deps, discipline)];
}

const LIST_PATH = /^\/export\/(operations|reports|statements|companies|countries)\.(csv|ndjson)$/;
const STATS_PATH = /^\/export\/stats\/operations\/(by|crossTab|overTime)\/(.+)\.(csv|ndjson)$/;
const STATS_CONTENT_TYPES = { csv: "text/csv; charset=utf-8", ndjson: "application/x-ndjson; charset=utf-8" };
const EXPOSED =
  "x-dataset-version, x-dataset-content-hash, x-dataset-loaded-at, x-total-count, x-ratelimit-limit, x-ratelimit-remaining, x-ratelimit-reset, retry-after, content-disposition";
const BASE_HEADERS = { "access-control-allow-origin": "*", "access-control-expose-headers": EXPOSED, "cache-control": "no-store" };

/** What an export path names: a list in a format, or an operation statistic with its path segments. */
type ExportTarget =
  { kind: "list"; name: string; format: "csv" | "ndjson" } | { kind: "stats"; statistic: string; segments: string[]; format: "csv" | "ndjson" };

/** The export a path and method name; 404 for a path that names none, 405 for a method other than GET or HEAD. */
function exportTarget(req: http.IncomingMessage, url: URL): ExportTarget {
  const list = LIST_PATH.exec(url.pathname);
  const stats = list ? null : STATS_PATH.exec(url.pathname);
  if (!list && !stats) {
    throw new RouteError(404, "NOT_FOUND", `No export ${url.pathname}; try /export/operations.csv or /export/stats/operations/by/CATEGORY.csv`);
  }
  if (req.method !== "GET" && req.method !== "HEAD") throw new RouteError(405, "METHOD_NOT_ALLOWED", "Exports answer GET", { headers: { allow: "GET, HEAD" } });
  if (list) return { kind: "list", name: list[1], format: list[2] as "csv" | "ndjson" };
  const [, statistic, rest, format] = stats!;
  return { kind: "stats", statistic, segments: rest.split("/"), format: format as "csv" | "ndjson" };
}

/**
 * GET /export/<list>.{csv,ndjson} and /export/stats/operations/...: any list or operation
 * statistic as a table, with the list's own filter (as query parameters or `?filter=<json>`).
 * Parameters are checked and the filter resolved before the first byte, so a bad one is a 400
 * naming it; lists then stream from a server-side cursor. Every export runs under `discipline`
 * (src/export/discipline.ts): a slot, the request's budget and in-flight cap, its rate charge.
 */
export function exportRoute(deps: RouteDeps, discipline: ExportDiscipline): Route {
  return async (req, res, url) => {
    if (!url.pathname.startsWith("/export/")) return false;
    /** Filter field -> the parameter that set it, once the filter is read: what a service's BAD_USER_INPUT names. */
    const origin: Record<string, string> = {};
    let db: RequestDb | undefined;
    try {
      const target = exportTarget(req, url);
      const run = await discipline.begin(req, res);
      db = run.db;
      if (target.kind === "list") await answerList(deps, run, target, { req, res, url, origin });
      else await answerStats(deps, run, target, { req, res, url, origin });
    } catch (error) {
      if (res.headersSent) {
        res.destroy();
        return true;
      }
      const answer = errorAnswer(db ? db.explain(error) : error, { parameterOf: (e) => parameterOfServiceError(e, origin), log: deps.log });
      sendErrorAnswer(res, answer, { body: plainErrorBody, headers: BASE_HEADERS });
    }
    return true;
  };
}

/** One export request: what it asked, where it answers, and the filter fields' parameters as they are read. */
interface ExportRequest {
  req: http.IncomingMessage;
  res: http.ServerResponse;
  url: URL;
  origin: Record<string, string>;
}

/** A list export: its columns, layout and filter checked, then its rows streamed from a cursor. */
async function answerList(deps: RouteDeps, run: ExportRun, target: { name: string; format: "csv" | "ndjson" }, request: ExportRequest): Promise<void> {
  const { req, res, url } = request;
  const entity = EXPORT_ENTITIES[target.name];
  const columns = parseFields(url, entity.columns, entity.keyColumn);
  const layout = parseLayout(url, columns, entity.columns);
  const parsed = parseFilter(deps.schema, entity.filterType, url.searchParams, new Set(["fields", "layout"]));
  Object.assign(request.origin, parsed.origin);
  const selection = await entity.select(run.ctx, parsed.filter);
  const job = { entity, format: target.format, columns, layout, filter: parsed.filter, selection };
  await writeListExport(run.db, run.ctx, job, req, res, BASE_HEADERS, run.charge, deps.log);
}

/** A statistic export: its arguments and filter checked, the statistic computed as one table and sent whole. */
async function answerStats(
  deps: RouteDeps,
  run: ExportRun,
  target: { statistic: string; segments: string[]; format: "csv" | "ndjson" },
  request: ExportRequest,
): Promise<void> {
  const { req, res, url } = request;
  const { ctx } = run;
  const { statistic, format } = target;
  const schema = deps.schema;
  const parsed = parseFilter(schema, "OperationFilter", url.searchParams, new Set(statsParameterNames(schema, statistic)));
  Object.assign(request.origin, parsed.origin);
  const resolved = await resolveOperationFilter(ctx, parsed.filter as never);
  const filterType = schema.getType("OperationFilter") as unknown as { getFields(): Record<string, unknown> };
  const table = await operationStatsTable(ctx, schema, statistic, target.segments, url, resolved, new Set(Object.keys(filterType.getFields())));
  const limitHeaders = await run.charge(table.rows.length);
  const version = await datasetVersion(ctx, await trackedState(ctx, run.remainingMs()));
  const meta = { dataset: version, export: `stats/operations/${statistic}`, filter: parsed.filter ?? {}, args: table.args, ...table.totals };
  res.writeHead(200, {
    "content-type": STATS_CONTENT_TYPES[format],
    "x-total-count": String(table.rows.length),
    ...BASE_HEADERS,
    ...versionHeaders(version),
    ...limitHeaders,
  });
  res.end(req.method === "HEAD" ? undefined : statsBody(format, table, meta));
}

/** A statistic's table as CSV, or as NDJSON led by a `_meta` line (the dataset, the export, its filter and arguments, the totals). */
function statsBody(format: "csv" | "ndjson", table: StatsTable, meta: Record<string, unknown>): string {
  if (format === "csv") return stringify(table.rows, { header: true, columns: table.columns, record_delimiter: "unix" });
  const lines = [{ _meta: { ...meta, generatedAt: new Date().toISOString() } }, ...table.rows];
  return lines.map((row) => JSON.stringify(row)).join("\n") + "\n";
}
