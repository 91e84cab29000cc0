import type http from "node:http";
import type { Route, RouteDeps } from "../../common/route";
import { datasetTracker } from "../../modules/dataset";
import { trackedState, versionHeaders } from "../dataset-version";
import { ExportTooLargeError } from "../discipline";
import { RouteError, errorAnswer, graphqlErrorBody, sendErrorAnswer } from "../../common/error-answer";
import type { ErrorAnswer } from "../../common/error-answer";
import type { ExportDiscipline, ExportRun } from "../discipline";
import { parseFilter } from "../params";
import type { OperationFilter } from "../../modules/operation";
import { readStixData } from "./stix-data";
import type { StixData } from "./stix-data";
import { buildStixBundle } from "./stix-bundle";
import type { StixObject } from "./stix-bundle";
import type { Context } from "../../context";
import type { DataSource } from "typeorm";
import type { GraphQLSchema } from "graphql";
import type { RequestDb } from "../../db/request-db";

const CORS = {
  "access-control-allow-origin": "*",
  "access-control-expose-headers":
    "x-dataset-version, x-dataset-content-hash, x-ratelimit-limit, x-ratelimit-remaining, x-ratelimit-reset, retry-after, content-disposition",
};

/**
 * A STIX export's error in the GraphQL response shape. Every filter field is its own parameter
 * here: a service's BAD_USER_INPUT naming `filter.originCountry` names `originCountry`, and its
 * message drops the `filter.` its argument begins with.
 */
function stixErrorAnswer(error: unknown, log: (message: string) => void): ErrorAnswer {
  let argument = "";
  const answer = errorAnswer(error, {
    parameterOf: (e) => {
      argument = typeof e.extensions.argument === "string" ? e.extensions.argument : "";
      return argument.split(".")[1];
    },
    log,
  });
  if (argument.startsWith("filter.") && answer.message.startsWith("filter.")) answer.message = answer.message.slice("filter.".length);
  return answer;
}

/**
 * The bundle's OperationFilter from the query string, one parameter per field (no `?filter=<json>`:
 * every parameter of this export is a filter field), read as the other exports read theirs.
 */
function stixFilter(schema: GraphQLSchema, params: URLSearchParams): OperationFilter {
  return (parseFilter(schema, "OperationFilter", params, new Set(), { json: false }).filter ?? {}) as OperationFilter;
}

/** The filter in one canonical text (fields and values sorted), part of the bundle's id. */
function canonicalFilter(filter: object): string {
  const entries = Object.entries(filter)
    .filter(([, value]) => value !== null && value !== undefined)
    .map(([field, value]) => [field, Array.isArray(value) ? [...value].map(String).sort() : value] as const)
    .sort(([a], [b]) => (a < b ? -1 : 1));
  return JSON.stringify(entries);
}

/** Waits until the response can take more (or is gone). */
const drained = (res: http.ServerResponse) =>
  new Promise<void>((resolve) => {
    const done = () => {
      res.off("drain", done);
      res.off("close", done);
      resolve();
    };
    res.on("drain", done);
    res.on("close", done);
  });

/**
 * Writes the bundle as `JSON.stringify(bundle, null, 2)` would, one object at a time and waiting
 * for the reader, so the service never holds the whole file as one string.
 */
async function writeBundle(res: http.ServerResponse, bundle: { type: string; id: string; objects: object[] }): Promise<void> {
  const indent = (text: string) => `    ${text.replace(/\n/g, "\n    ")}`;
  if (bundle.objects.length === 0) {
    res.end(`${JSON.stringify(bundle, null, 2)}\n`);
    return;
  }
  let chunk = `{\n  "type": ${JSON.stringify(bundle.type)},\n  "id": ${JSON.stringify(bundle.id)},\n  "objects": [\n`;
  for (const [i, object] of bundle.objects.entries()) {
    chunk += indent(JSON.stringify(object, null, 2)) + (i < bundle.objects.length - 1 ? ",\n" : "\n");
    if (chunk.length >= 64 * 1024) {
      if (res.destroyed) return;
      const more = res.write(chunk);
      chunk = "";
      if (!more) await drained(res);
    }
  }
  res.end(`${chunk}  ]\n}\n`);
}

/**
 * The timestamp of objects the data give no date of their own (countries, companies never curated):
 * the release date, else the earliest report's publication date.
 */
export function stixBaseline(dataSource: DataSource, data: StixData): string {
  const earliest = data.reports.map((r) => r.publishedOn).sort()[0];
  return datasetTracker(dataSource).release?.releasedOn ?? earliest ?? "1970-01-01";
}

/**
 * Every object of the unfiltered `/export/stix` bundle, built exactly as that export builds them:
 * what the TAXII collection serves.
 */
export async function wholeDatasetStixObjects(ctx: Context, dataSource: DataSource, schema: GraphQLSchema): Promise<StixObject[]> {
  // The filter of a request without parameters, so that the objects are those /export/stix sends.
  const data = await readStixData(ctx, stixFilter(schema, new URLSearchParams()), async () => undefined);
  return buildStixBundle(data, { baseline: stixBaseline(dataSource, data), bundleName: "whole-dataset" }).objects;
}

/**
 * `GET /export/stix?<OperationFilter fields>`: the selected operations as one STIX 2.1 bundle
 * (see docs/stix.md), with `X-Dataset-Version` (the release) and `X-Dataset-Content-Hash` saying
 * which data it is. Parameters are checked before anything is sent: an unknown one or a bad value
 * is a 400 naming it. It runs under the exports' discipline (a slot, the request's budget, the
 * rate charge of its operations), and a filter selecting more than STIX_MAX_OPERATIONS operations
 * is refused before they are read, since a bundle is built in memory.
 */
export function stixExportRoute(deps: RouteDeps, discipline: ExportDiscipline): Route {
  return async (req, res, url) => {
    if (url.pathname !== "/export/stix") return false;
    let db: RequestDb | undefined;
    try {
      if (req.method !== "GET") {
        throw new RouteError(405, "METHOD_NOT_ALLOWED", `${req.method} is not allowed on /export/stix; use GET`, { headers: { allow: "GET" } });
      }
      const run = await discipline.begin(req, res);
      db = run.db;
      await answerStix(deps, run, res, url);
    } catch (error) {
      if (res.headersSent) {
        res.destroy();
        return true;
      }
      sendErrorAnswer(res, stixErrorAnswer(db ? db.explain(error) : error, deps.log), { body: graphqlErrorBody, headers: CORS });
    }
    return true;
  };
}

/** Reads the filter's operations (refused over STIX_MAX_OPERATIONS before they are read), charges them, and streams their bundle. */
async function answerStix(deps: RouteDeps, run: ExportRun, res: http.ServerResponse, url: URL): Promise<void> {
  const { ctx, charge, remainingMs } = run;
  const filter = stixFilter(deps.schema, url.searchParams);
  const max = deps.config.limits.stixMaxOperations;
  let limitHeaders: Record<string, string> = {};
  const data = await readStixData(ctx, filter, async (operations) => {
    if (operations > max) {
      throw new ExportTooLargeError(
        `The filter selects ${operations} operations; a STIX bundle holds at most ${max}: narrow the filter (e.g. originCountry, category, publishedFrom)`,
      );
    }
    limitHeaders = await charge(operations);
  });
  const state = await trackedState(ctx, remainingMs());
  if (!state) deps.log("STIX export sent without a dataset version: it could not be worked out in the export's time");
  const bundle = buildStixBundle(data, {
    baseline: stixBaseline(deps.dataSource, data),
    bundleName: `${state?.contentHash ?? "unversioned"}:${canonicalFilter(filter)}`,
  });
  res.writeHead(200, {
    "content-type": "application/stix+json;version=2.1; charset=utf-8",
    "content-disposition": `attachment; filename="misuse-graph-${state?.version ?? "unreleased"}.stix.json"`,
    ...versionHeaders({ version: state?.version ?? null, contentHash: state?.contentHash ?? null, loadedAt: null }),
    ...limitHeaders,
    ...CORS,
  });
  await writeBundle(res, bundle);
}
