import { stringify } from "csv-stringify/sync";
import type { Route, RouteDeps } from "../common/route";
import { resolveOperationFilter } from "../modules/operation";
import { EXPORT_ENTITIES } from "./entities";
import { datasetVersion, trackedState, versionHeaders } from "./dataset-version";
import { ExportDiscipline, exportErrorAnswer, sendExportError } from "./discipline";
import { parameterOfServiceError, parseFields, parseFilter, parseLayout } from "./params";
import { operationStatsTable, statsParameterNames } from "./stats";
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
    const list = LIST_PATH.exec(url.pathname);
    const stats = list ? null : STATS_PATH.exec(url.pathname);
    if (!list && !stats) {
      const message = `No export ${url.pathname}; try /export/operations.csv or /export/stats/operations/by/CATEGORY.csv`;
      sendExportError(res, { status: 404, code: "NOT_FOUND", message, headers: {} }, BASE_HEADERS);
      return true;
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      sendExportError(res, { status: 405, code: "METHOD_NOT_ALLOWED", message: "Exports answer GET", headers: { allow: "GET, HEAD" } }, BASE_HEADERS);
      return true;
    }
    let origin: Record<string, string> = {};
    let db: RequestDb | undefined;
    try {
      const begun = await discipline.begin(req, res);
      const { ctx, charge, remainingMs } = begun;
      db = begun.db;
      const graphqlSchema = deps.schema;
      if (list) {
        const [, name, format] = list as unknown as [string, string, "csv" | "ndjson"];
        const entity = EXPORT_ENTITIES[name];
        const columns = parseFields(url, entity.columns, entity.keyColumn);
        const layout = parseLayout(url, columns, entity.columns);
        const parsed = parseFilter(graphqlSchema, entity.filterType, url, new Set(["fields", "layout"]));
        origin = parsed.origin;
        const selection = await entity.select(ctx, parsed.filter);
        const job = { entity, format, columns, layout, filter: parsed.filter, selection };
        await writeListExport(db, ctx, job, req, res, BASE_HEADERS, charge, deps.log);
        return true;
      }
      const [, statistic, rest, format] = stats as unknown as [string, string, string, "csv" | "ndjson"];
      const filterFields = statsParameterNames(graphqlSchema, statistic);
      const parsed = parseFilter(graphqlSchema, "OperationFilter", url, new Set([...filterFields]));
      origin = parsed.origin;
      const resolved = await resolveOperationFilter(ctx, parsed.filter as never);
      const filterType = graphqlSchema.getType("OperationFilter") as unknown as { getFields(): Record<string, unknown> };
      const table = await operationStatsTable(ctx, graphqlSchema, statistic, rest.split("/"), url, resolved, new Set(Object.keys(filterType.getFields())));
      const limitHeaders = await charge(table.rows.length);
      const version = await datasetVersion(ctx, await trackedState(ctx, remainingMs()));
      const body =
        format === "csv"
          ? stringify(table.rows, { header: true, columns: table.columns, record_delimiter: "unix" })
          : [
              {
                _meta: {
                  dataset: version,
                  export: `stats/operations/${statistic}`,
                  filter: parsed.filter ?? {},
                  args: table.args,
                  ...table.totals,
                  generatedAt: new Date().toISOString(),
                },
              },
              ...table.rows,
            ]
              .map((row) => JSON.stringify(row))
              .join("\n") + "\n";
      res.writeHead(200, {
        "content-type": STATS_CONTENT_TYPES[format],
        "x-total-count": String(table.rows.length),
        ...BASE_HEADERS,
        ...versionHeaders(version),
        ...limitHeaders,
      });
      res.end(req.method === "HEAD" ? undefined : body);
      return true;
    } catch (error) {
      if (res.headersSent) {
        res.destroy();
        return true;
      }
      sendExportError(
        res,
        exportErrorAnswer(db ? db.explain(error) : error, (e) => parameterOfServiceError(e, origin), deps.log),
        BASE_HEADERS,
      );
      return true;
    }
  };
}
