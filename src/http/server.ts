import http from "node:http";
import type { ApolloServer } from "@apollo/server";
import type { DataSource } from "typeorm";
import type { Context } from "../context";
import type { Route } from "../common/route";
import type { Readiness, ReadinessRole } from "../db/health";
import type { RequestDbLimits } from "../db/request-db";
import { EdgeError, sendEdgeError } from "./edge-error";
import { badReadFrom } from "../common/read-preference";
import type { FormatError } from "./edge-error";
import { FailureThrottle, capConnectionsPerAddress } from "./failure-throttle";
import { handleGraphQL } from "./graphql-handler";
import type { GraphQLHandlerOptions } from "./graphql-handler";
import { clientAddress } from "../common/client-address";
import { healthRoute } from "./health-route";
import type { DatabaseHealth } from "./health-route";

export interface HttpOptions {
  apollo: ApolloServer<Context>;
  dataSource: DataSource;
  /** Shapes every error answered, at the HTTP edge as in GraphQL execution (the one Apollo is given). */
  formatError: FormatError;
  maxBodyBytes: number;
  exposeSqlStatementCount: boolean;
  /** How the database is doing, for /healthz (an embedded one reports its state and restarts). */
  health?: DatabaseHealth;
  /** Take the client's address from X-Forwarded-For (set only behind a proxy that overwrites it). */
  trustProxy?: boolean;
  /** Failed requests (bad keys, invalid documents) an address may make per minute before a 429. */
  failedRequestsPerMinute?: number;
  /** Open connections one address may hold; more are answered 429 and closed. */
  maxConnectionsPerAddress?: number;
  /** Handlers for paths beside /graphql, tried in order before the 404. */
  routes?: Route[];
  /** Answers /readyz (reads) and /readyz/write: the database of that role answers (on a connection of its own) and is migrated. */
  readiness: (role?: ReadinessRole) => Promise<Readiness>;
  /** How each request may use the connection pool. */
  requestDbLimits: RequestDbLimits;
  /** The shared GET answer cache (src/http/response-cache.ts) and the limiter its hits are charged to. */
  answers?: GraphQLHandlerOptions["answers"];
}

/**
 * The HTTP front of the service, routing only: /healthz and /readyz, the routes beside /graphql,
 * then /graphql (src/http/graphql-handler.ts). Every error, from a handler or the edge, is
 * answered through one path (src/http/edge-error.ts).
 */
export function createHttpServer({
  apollo,
  dataSource,
  formatError,
  maxBodyBytes,
  exposeSqlStatementCount,
  health = () => null,
  trustProxy = false,
  failedRequestsPerMinute = 60,
  maxConnectionsPerAddress = 64,
  routes = [],
  readiness,
  requestDbLimits,
  answers,
}: HttpOptions): http.Server {
  const throttle = new FailureThrottle(failedRequestsPerMinute);
  const graphql = { apollo, dataSource, maxBodyBytes, exposeSqlStatementCount, throttle, requestDbLimits, answers };
  const allRoutes = [healthRoute(health, readiness), ...routes];
  // Node checks header and request timeouts every connectionsCheckingInterval (30 s by default,
  // which let slow clients run up to 30 s past them): every second, they hold to the second.
  const server = http.createServer({ connectionsCheckingInterval: 1000 }, async (req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const address = clientAddress(req, trustProxy);
    try {
      if (overCap(req.socket)) {
        throw new EdgeError(429, "RATE_LIMITED", `Too many open connections from this address (at most ${maxConnectionsPerAddress})`, {
          connection: "close",
          "retry-after": "1",
        });
      }
      const badReadPreference = badReadFrom(req);
      if (badReadPreference) throw new EdgeError(400, "BAD_USER_INPUT", badReadPreference);
      for (const route of allRoutes) {
        if (await route(req, res, url)) return;
      }
      if (url.pathname === "/") {
        res.writeHead(302, { location: "/graphql" });
        return res.end();
      }
      if (url.pathname !== "/graphql") throw new EdgeError(404, "NOT_FOUND", `No route ${url.pathname}; the API is at /graphql`);
      await handleGraphQL(req, res, url, address, graphql);
    } catch (error) {
      if (error instanceof EdgeError && error.failure) await throttle.fail(address);
      if (!res.headersSent) sendEdgeError(res, error, formatError);
      else res.end();
    }
  });
  const overCap = capConnectionsPerAddress(server, maxConnectionsPerAddress, trustProxy);
  return server;
}
