import type http from "node:http";
import { GraphQLError } from "graphql";
import { createContext } from "../context";
import type { Context } from "../context";
import { RequestDb, readSource } from "../db/request-db";
import { readsFromPrimary } from "../common/read-preference";
import { readRevision } from "../db/revision";
import { clientAddress } from "../common/client-address";
import { DATABASE_UNAVAILABLE_MESSAGE, isDatabaseUnavailable, statusOfCode } from "../common/error-status";
import { pointsFor, RateLimiter } from "../common/rate-limiter";
import type { RouteDeps } from "../common/route";
import { viewerFromHeader } from "../modules/auth";
import { FilterParameterError } from "./operation-filter-params";
import { ExportParameterError } from "./params";

/** An export that would select more than the service builds in one answer; the client narrows its filter. */
export class ExportTooLargeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ExportTooLargeError";
  }
}

/** One export under way: its request context (its share of the pool and its budget) and its rate charge. */
export interface ExportRun {
  ctx: Context;
  /** The request's share of the pool, which a list export leases its cursor's connection from. */
  db: RequestDb;
  /** Milliseconds left of the export's time limit. */
  remainingMs(): number;
  /** Charges `records` to the client's budget (as a query for as many would cost), or throws RATE_LIMITED; gives the X-RateLimit headers. */
  charge(records: number): Promise<Record<string, string>>;
}

/**
 * What every export answers under, the way a GraphQL request does: a slot among at most
 * `maxConcurrentExports` (beyond them, 503 OVERLOADED, so slow export readers can never hold the
 * connections GraphQL clients need), its own request context with the SQL budget and in-flight
 * cap (the budget is the export's whole time limit), the client's address as `TRUST_PROXY` says,
 * and the shared rate limiter. When the time limit passes after the response started (a reader too
 * slow to take the rows), the response is cut off; the cursor's connection is then closed, not
 * reused, and the slot frees.
 */
export class ExportDiscipline {
  readonly limiter: RateLimiter;
  private running = 0;

  constructor(private readonly deps: RouteDeps) {
    this.limiter = deps.rateLimiter ?? new RateLimiter(deps.config.rateLimit);
  }

  /** Takes a slot for this response (held until it finishes or closes) and builds its context; OVERLOADED when none is free. */
  async begin(req: http.IncomingMessage, res: http.ServerResponse): Promise<ExportRun> {
    const { config, dataSource } = this.deps;
    const most = config.limits.maxConcurrentExports;
    if (this.running >= most) {
      throw new GraphQLError(`${most} export${most === 1 ? " is" : "s are"} running, the most the service runs at once; try again in a moment`, {
        extensions: { code: "OVERLOADED" },
      });
    }
    this.running += 1;
    const limitMs = config.limits.exportTimeLimitMs;
    const deadline = Date.now() + limitMs;
    // Before the first byte, the SQL budget (same deadline) ends the export with an answer; after
    // it, only cutting the response off frees what a slow reader holds.
    const timer = setTimeout(() => {
      if (res.headersSent && !res.writableFinished) res.destroy();
    }, limitMs);
    timer.unref();
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      this.running -= 1;
      clearTimeout(timer);
    };
    res.once("finish", end);
    res.once("close", end);
    const viewer = await viewerFromHeader(dataSource, req.headers.authorization);
    const limits = { budgetMs: limitMs, maxStatementsInFlight: config.limits.maxStatementsInFlight };
    const fromPrimary = readsFromPrimary(req);
    const db = new RequestDb(readSource(dataSource, { primary: fromPrimary }), limits);
    const ctx = createContext(dataSource, viewer, clientAddress(req, config.trustProxy), limits, db);
    // With a read replica, the revision it holds as the export starts: the version it names (dataset-version.ts).
    ctx.revision = await readRevision(dataSource, { fromPrimary, wanted: false });
    return {
      ctx,
      db,
      remainingMs: () => Math.max(0, deadline - Date.now()),
      charge: async (records) => {
        const state = await this.limiter.charge(ctx.client, ctx.viewer !== null, pointsFor(records));
        ctx.rateLimit = state;
        return {
          "x-ratelimit-limit": String(state.limit),
          "x-ratelimit-remaining": String(state.remaining),
          "x-ratelimit-reset": String(Math.floor(state.resetAt.getTime() / 1000)),
        };
      },
    };
  }
}

/** How an export answers an error met before its first byte. */
export interface ExportErrorAnswer {
  status: number;
  code: string;
  message: string;
  /** The query parameter at fault, for 400s. */
  parameter?: string;
  headers: Record<string, string>;
}

/**
 * Sends an error answer the way the CSV/NDJSON exports and the feed do:
 * `{ "error": { "code", "parameter"?, "message" } }` with its status, the route's own headers
 * (CORS) and the answer's (Retry-After, Allow, the rate limit's).
 */
export function sendExportError(res: http.ServerResponse, answer: ExportErrorAnswer, routeHeaders: Record<string, string> = {}): void {
  const { status, code, message, parameter, headers } = answer;
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...routeHeaders, ...headers });
  res.end(JSON.stringify({ error: { code, ...(parameter ? { parameter } : {}), message } }));
}

/** PostgreSQL's SQLSTATE for a statement cancelled (statement_timeout or a cancel request). */
const QUERY_CANCELED = "57014";

/**
 * The one place an export's error becomes its answer, by error class and code: what the client
 * asked wrong is a 4xx (400 naming the parameter, 401/403, 429 with the budget's headers, 400
 * QUERY_TOO_COMPLEX for an export over its time budget), a busy service is 503 OVERLOADED and a
 * lost database 503 DATABASE_UNAVAILABLE (both with Retry-After), anything else a logged 500.
 * `parameterOf` names the parameter behind a service's BAD_USER_INPUT.
 */
export function exportErrorAnswer(error: unknown, parameterOf: (error: GraphQLError) => string | undefined, log: (message: string) => void): ExportErrorAnswer {
  if (error instanceof ExportParameterError || error instanceof FilterParameterError) {
    return { status: 400, code: "BAD_USER_INPUT", message: error.message, parameter: error.parameter, headers: {} };
  }
  if (error instanceof ExportTooLargeError) return { status: 400, code: "EXPORT_TOO_LARGE", message: error.message, parameter: "filter", headers: {} };
  // A statement the budget or the statement timeout cancelled: the export asked for too much.
  const cancelled = (error as { code?: unknown } | null)?.code === QUERY_CANCELED;
  if (error instanceof GraphQLError || cancelled) {
    const code = cancelled ? "QUERY_TOO_COMPLEX" : String((error as GraphQLError).extensions.code ?? "");
    const { message } = error as Error;
    switch (code) {
      case "BAD_USER_INPUT":
        return { status: 400, code, message, parameter: parameterOf(error as GraphQLError), headers: {} };
      case "RATE_LIMITED": {
        const http = (error as GraphQLError).extensions.http as { headers?: Iterable<[string, string]> } | undefined;
        return { status: 429, code, message, headers: Object.fromEntries(http?.headers ?? []) };
      }
      case "UNAUTHENTICATED":
        return { status: 401, code, message, headers: {} };
      case "FORBIDDEN":
        return { status: 403, code, message, headers: {} };
      case "QUERY_TOO_COMPLEX":
        return {
          status: 400,
          code,
          message: "The export ran past its time budget and was cancelled; ask for less (a narrower filter, fewer fields)",
          headers: {},
        };
      case "OVERLOADED":
        return { status: 503, code, message, headers: statusOfCode(code).headers };
    }
  }
  if (isDatabaseUnavailable(error)) {
    const { status, headers } = statusOfCode("DATABASE_UNAVAILABLE");
    return { status, code: "DATABASE_UNAVAILABLE", message: DATABASE_UNAVAILABLE_MESSAGE, headers };
  }
  log(`export failed: ${(error as Error)?.stack ?? error}`);
  return { status: 500, code: "INTERNAL_SERVER_ERROR", message: "Internal server error", headers: {} };
}
