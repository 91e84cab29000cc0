import type http from "node:http";
import { GraphQLError } from "graphql";
import type { GraphQLSchema } from "graphql";
import { stringify } from "csv-stringify/sync";
import { createContext } from "../context";
import type { Context } from "../context";
import type { Route, RouteDeps } from "../http/routes";
import { DATABASE_UNAVAILABLE_MESSAGE, isDatabaseUnavailable, statusOfCode } from "../http/format-error";
import { pointsFor, RateLimiter } from "../http/rate-limit";
import { viewerFromHeader } from "../modules/auth";
import { resolveOperationFilter } from "../modules/operation";
import { buildAppSchema } from "../schema";
import { EXPORT_ENTITIES } from "./entities";
import { datasetVersion, versionHeaders } from "./dataset-version";
import { ExportParameterError, parameterOfFilterError, parseFields, parseFilter, parseLayout } from "./params";
import { operationStatsTable, statsParameterNames } from "./stats";
import { writeListExport } from "./list-export";

/**
 * What the export route needs: the route deps, plus the service's rate limiter when it is passed
 * in (so exports and GraphQL draw on one budget); without it, exports get a limiter of their own
 * with the same configuration.
 */
export type ExportDeps = RouteDeps;

const LIST_PATH = /^\/export\/(operations|reports|statements|companies|countries)\.(csv|ndjson)$/;
const STATS_PATH = /^\/export\/stats\/operations\/(by|crossTab|overTime)\/(.+)\.(csv|ndjson)$/;
const STATS_CONTENT_TYPES = { csv: "text/csv; charset=utf-8", ndjson: "application/x-ndjson; charset=utf-8" };
const EXPOSED =
  "x-dataset-version, x-dataset-content-hash, x-dataset-loaded-at, x-total-count, x-ratelimit-limit, x-ratelimit-remaining, x-ratelimit-reset, retry-after, content-disposition";
const BASE_HEADERS = { "access-control-allow-origin": "*", "access-control-expose-headers": EXPOSED, "cache-control": "no-store" };

function sendError(res: http.ServerResponse, status: number, error: Record<string, unknown>, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...BASE_HEADERS, ...headers });
  res.end(JSON.stringify({ error }));
}

/** Charges an export's rows to the caller's rate-limit budget (as many points as a query of that many records). */
async function charge(limiter: RateLimiter, ctx: Context, rows: number): Promise<Record<string, string>> {
  const state = await limiter.charge(ctx.client, ctx.viewer !== null, pointsFor(rows));
  return {
    "x-ratelimit-limit": String(state.limit),
    "x-ratelimit-remaining": String(state.remaining),
    "x-ratelimit-reset": String(Math.floor(state.resetAt.getTime() / 1000)),
  };
}

/**
 * GET /export/<list>.{csv,ndjson} and /export/stats/operations/...: any list or operation
 * statistic as a table, with the list's own filter (as query parameters or `?filter=<json>`).
 * Parameters are checked and the filter resolved before the first byte, so a bad one is a 400
 * naming it; lists then stream from a server-side cursor.
 */
export function exportRoute(deps: ExportDeps): Route {
  let schema: Promise<GraphQLSchema> | null = null;
  const limiter = deps.rateLimiter ?? new RateLimiter(deps.config.rateLimit);
  const schemaOnce = () => (schema ??= buildAppSchema());

  return async (req, res, url) => {
    if (!url.pathname.startsWith("/export/")) return false;
    const list = LIST_PATH.exec(url.pathname);
    const stats = list ? null : STATS_PATH.exec(url.pathname);
    if (!list && !stats) {
      sendError(res, 404, { code: "NOT_FOUND", message: `No export ${url.pathname}; try /export/operations.csv or /export/stats/operations/by/CATEGORY.csv` });
      return true;
    }
    if (req.method !== "GET" && req.method !== "HEAD") {
      sendError(res, 405, { code: "METHOD_NOT_ALLOWED", message: "Exports answer GET" }, { allow: "GET, HEAD" });
      return true;
    }
    let origin: Record<string, string> = {};
    try {
      const viewer = await viewerFromHeader(deps.dataSource, req.headers.authorization);
      const ctx = createContext(deps.dataSource, viewer, req.socket.remoteAddress ?? "unknown");
      const graphqlSchema = await schemaOnce();
      if (list) {
        const [, name, format] = list as unknown as [string, string, "csv" | "ndjson"];
        const entity = EXPORT_ENTITIES[name];
        const columns = parseFields(url, entity.columns, entity.keyColumn);
        const layout = parseLayout(url, columns, entity.columns);
        const parsed = parseFilter(graphqlSchema, entity.filterType, url, new Set(["fields", "layout"]));
        origin = parsed.origin;
        const selection = await entity.select(ctx, parsed.filter);
        const job = { entity, format, columns, layout, filter: parsed.filter, selection };
        await writeListExport(deps.dataSource, ctx, job, req, res, BASE_HEADERS, (records) => charge(limiter, ctx, records), deps.log);
        return true;
      }
      const [, statistic, rest, format] = stats as unknown as [string, string, string, "csv" | "ndjson"];
      const filterFields = statsParameterNames(graphqlSchema, statistic);
      const parsed = parseFilter(graphqlSchema, "OperationFilter", url, new Set([...filterFields]));
      origin = parsed.origin;
      const resolved = await resolveOperationFilter(ctx, parsed.filter as never);
      const filterType = graphqlSchema.getType("OperationFilter") as unknown as { getFields(): Record<string, unknown> };
      const table = await operationStatsTable(ctx, graphqlSchema, statistic, rest.split("/"), url, resolved, new Set(Object.keys(filterType.getFields())));
      const limitHeaders = await charge(limiter, ctx, table.rows.length);
      const version = await datasetVersion(ctx);
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
      if (error instanceof ExportParameterError) {
        sendError(res, 400, { code: "BAD_USER_INPUT", parameter: error.parameter, message: error.message });
      } else if (error instanceof GraphQLError && error.extensions.code === "BAD_USER_INPUT") {
        const parameter =
          /^(limit|includeOther|from|to|interval|dimension|rows|columns|splitBy|dateAxis)\b/.exec(error.message)?.[1] ??
          parameterOfFilterError(error.message, origin);
        sendError(res, 400, { code: "BAD_USER_INPUT", parameter, message: error.message });
      } else if (error instanceof GraphQLError && error.extensions.code === "RATE_LIMITED") {
        const http = error.extensions.http as { headers?: Iterable<[string, string]> } | undefined;
        sendError(res, 429, { code: "RATE_LIMITED", message: error.message }, Object.fromEntries(http?.headers ?? []));
      } else if (error instanceof GraphQLError && (error.extensions.code === "UNAUTHENTICATED" || error.extensions.code === "FORBIDDEN")) {
        sendError(res, error.extensions.code === "UNAUTHENTICATED" ? 401 : 403, { code: error.extensions.code, message: error.message });
      } else if (isDatabaseUnavailable(error)) {
        const { status, headers } = statusOfCode("DATABASE_UNAVAILABLE");
        sendError(res, status, { code: "DATABASE_UNAVAILABLE", message: DATABASE_UNAVAILABLE_MESSAGE }, headers);
      } else {
        deps.log(`export failed: ${(error as Error).stack ?? error}`);
        sendError(res, 500, { code: "INTERNAL_SERVER_ERROR", message: "Internal server error" });
      }
      return true;
    }
  };
}
