import type http from "node:http";
import { GraphQLError } from "graphql";
import type { Route, RouteDeps } from "../../http/routes";
import { DATABASE_UNAVAILABLE_MESSAGE, isDatabaseUnavailable, statusOfCode } from "../../http/format-error";
import { datasetTracker } from "../../modules/dataset";
import { FilterParameterError, operationFilterFromParams } from "../operation-filter-params";
import { readStixData } from "./stix-data";
import { buildStixBundle } from "./stix-bundle";

const CORS = { "access-control-allow-origin": "*", "access-control-expose-headers": "x-dataset-version, x-dataset-content-hash, content-disposition" };

function sendError(res: http.ServerResponse, status: number, code: string, message: string, parameter?: string): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...CORS });
  res.end(JSON.stringify({ errors: [{ message, extensions: { code, ...(parameter ? { parameter } : {}) } }] }));
}

/** The filter in one canonical text (fields and values sorted), part of the bundle's id. */
function canonicalFilter(filter: object): string {
  const entries = Object.entries(filter)
    .filter(([, value]) => value !== null && value !== undefined)
    .map(([field, value]) => [field, Array.isArray(value) ? [...value].map(String).sort() : value] as const)
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return JSON.stringify(entries);
}

/**
 * `GET /export/stix?<OperationFilter fields>`: the selected operations as one STIX 2.1 bundle
 * (see docs/stix.md), with `X-Dataset-Version` and `X-Dataset-Content-Hash` saying which data it is.
 * Parameters are checked before anything is sent: an unknown one or a bad value is a 400 naming it.
 */
export function stixExportRoute(deps: RouteDeps): Route {
  return async (req, res, url) => {
    if (url.pathname !== "/export/stix") return false;
    if (req.method !== "GET") {
      res.setHeader("allow", "GET");
      sendError(res, 405, "METHOD_NOT_ALLOWED", `${req.method} is not allowed on /export/stix; use GET`);
      return true;
    }
    try {
      const filter = await operationFilterFromParams(url.searchParams);
      const tracker = datasetTracker(deps.dataSource);
      const data = await readStixData(deps.dataSource, filter);
      const state = await tracker.state();
      const earliest = data.reports.map((r) => r.publishedOn).sort()[0];
      const bundle = buildStixBundle(data, {
        baseline: tracker.release?.releasedOn ?? earliest ?? "1970-01-01",
        bundleName: `${state.contentHash}:${canonicalFilter(filter)}`,
      });
      const body = `${JSON.stringify(bundle, null, 2)}\n`;
      res.writeHead(200, {
        "content-type": "application/stix+json;version=2.1; charset=utf-8",
        "content-disposition": `attachment; filename="misuse-graph-${state.version ?? "unreleased"}.stix.json"`,
        "x-dataset-version": state.version ?? "unreleased",
        "x-dataset-content-hash": state.contentHash,
        ...CORS,
      });
      res.end(body);
    } catch (error) {
      if (error instanceof FilterParameterError) {
        sendError(res, 400, "BAD_USER_INPUT", error.message, error.parameter);
      } else if (error instanceof GraphQLError && error.extensions?.code === "BAD_USER_INPUT") {
        // resolveOperationFilter names the field as `filter.<field>`: the field is the parameter.
        const parameter = /^filter\.?(\w+)?/.exec(error.message)?.[1];
        sendError(res, 400, "BAD_USER_INPUT", error.message.replace(/^filter\./, ""), parameter);
      } else if (isDatabaseUnavailable(error)) {
        const { status, headers } = statusOfCode("DATABASE_UNAVAILABLE");
        for (const [name, value] of Object.entries(headers)) res.setHeader(name, value);
        sendError(res, status, "DATABASE_UNAVAILABLE", DATABASE_UNAVAILABLE_MESSAGE);
      } else {
        deps.log(`STIX export failed: ${(error as Error).message}`);
        sendError(res, 500, "INTERNAL_SERVER_ERROR", "The export failed");
      }
    }
    return true;
  };
}
