import type http from "node:http";
import { GraphQLError } from "graphql";
import { createContext } from "../context";
import type { Context } from "../context";
import { RequestDb, readSource } from "../db/request-db";
import { readsFromPrimary } from "../common/read-preference";
import { readRevision } from "../db/revision";
import { clientAddress } from "../common/client-address";
import { RouteError } from "../common/error-answer";
import { pointsFor, RateLimiter } from "../common/rate-limiter";
import type { RouteDeps } from "../common/route";
import { viewerFromHeader } from "../modules/auth";

/** An export that would select more than the service builds in one answer: 400 EXPORT_TOO_LARGE, the client narrows its filter. */
export class ExportTooLargeError extends RouteError {
  constructor(message: string) {
    super(400, "EXPORT_TOO_LARGE", message, { parameter: "filter" });
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
