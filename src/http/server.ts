import http from "node:http";
import type { ApolloServer } from "@apollo/server";
import { HeaderMap } from "@apollo/server";
import type { DataSource } from "typeorm";
import { createContext } from "../context";
import type { Context } from "../context";
import { AuthError, viewerFromHeader } from "../modules/auth";
import { isDatabaseUnavailable } from "./format-error";
import type { Viewer } from "../modules/auth";
import type { Route } from "./routes";
import type { Readiness } from "../db/health";
import type { RequestDbLimits } from "../db/request-db";
import { applyGetCache, planGetCache } from "./cache";
import { badCharacterInRequest } from "./edge-guards";
import { FailureThrottle, capConnectionsPerAddress } from "./failure-throttle";

export interface HttpOptions {
  apollo: ApolloServer<Context>;
  dataSource: DataSource;
  maxBodyBytes: number;
  exposeSqlStatementCount: boolean;
  /** How the database is doing, for /healthz (an embedded one reports its state and restarts). */
  health?: () => { embedded: true; state: string; restarts: number } | null;
  /** Take the client's address from X-Forwarded-For (set only behind a proxy that overwrites it). */
  trustProxy?: boolean;
  /** Failed requests (bad keys, invalid documents) an address may make per minute before a 429. */
  failedRequestsPerMinute?: number;
  /** Open connections one address may hold; more are answered 429 and closed. */
  maxConnectionsPerAddress?: number;
  /** Handlers for paths beside /graphql, tried in order before the 404. */
  routes?: Route[];
  /** Answers /readyz: the database answers (on a connection of its own) and no migration is pending. */
  readiness: () => Promise<Readiness>;
  /** How each request may use the connection pool. */
  requestDbLimits: RequestDbLimits;
}

const CORS_HEADERS: Record<string, string> = {
  "access-control-allow-origin": "*",
  "access-control-allow-methods": "GET, POST, OPTIONS",
  "access-control-allow-headers": "content-type, authorization, apollo-require-preflight, x-apollo-operation-name",
  "access-control-expose-headers": "x-sql-statements, x-ratelimit-limit, x-ratelimit-remaining, x-ratelimit-reset, retry-after",
  "access-control-max-age": "600",
};

function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...CORS_HEADERS, ...headers });
  res.end(JSON.stringify(body));
}

function requestError(res: http.ServerResponse, status: number, message: string): void {
  sendJson(res, status, { errors: [{ message, extensions: { code: "BAD_REQUEST" } }] });
}

class BodyTooLarge extends Error {
  /** Whether the rest of the body was read (the connection could go on) or is still arriving. */
  constructor(readonly drained: boolean) {
    super("body too large");
  }
}

/** The client's address: the socket's peer, or behind a trusted proxy the last X-Forwarded-For hop. */
export function clientAddress(req: http.IncomingMessage, trustProxy: boolean): string {
  const forwarded = trustProxy ? req.headers["x-forwarded-for"] : undefined;
  const last = (Array.isArray(forwarded) ? forwarded.join(",") : forwarded)?.split(",").pop()?.trim();
  return last || req.socket.remoteAddress || "unknown";
}

/**
 * Reads a body of at most `limit` bytes. A longer one (declared, or chunked and found out while
 * reading) is read on and discarded up to `limit` more bytes, so the client is still reading when
 * the 413 comes (closing on unread data makes TCP send a reset that can swallow the answer); past
 * that bound the 413 is sent at once and the connection closed.
 */
function readBody(req: http.IncomingMessage, limit: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers["content-length"]);
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = Number.isFinite(declared) && declared > limit;
    if (tooLarge && declared > 2 * limit) {
      reject(new BodyTooLarge(false));
      req.resume();
      return;
    }
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        tooLarge = true;
        chunks.length = 0;
      }
      if (size > 2 * limit) reject(new BodyTooLarge(false));
      if (!tooLarge) chunks.push(chunk);
    });
    req.on("end", () => (tooLarge ? reject(new BodyTooLarge(true)) : resolve(Buffer.concat(chunks).toString("utf8"))));
    req.on("error", reject);
  });
}

/**
 * The HTTP front of the service: /graphql (GET and POST, per GraphQL over HTTP), /healthz (the
 * process is up) and /readyz (the database answers and is migrated). Bodies are size-capped and
 * parsed here; Apollo Server executes.
 */
export function createHttpServer({
  apollo,
  dataSource,
  maxBodyBytes,
  exposeSqlStatementCount,
  health = () => null,
  trustProxy = false,
  failedRequestsPerMinute = 60,
  maxConnectionsPerAddress = 64,
  routes = [],
  readiness,
  requestDbLimits,
}: HttpOptions): http.Server {
  const throttle = new FailureThrottle(failedRequestsPerMinute);
  // Node checks header and request timeouts every connectionsCheckingInterval (30 s by default,
  // which let slow clients run up to 30 s past them): every second, they hold to the second.
  const server = http.createServer({ connectionsCheckingInterval: 1000 }, async (req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    const address = clientAddress(req, trustProxy);
    try {
      if (overCap(req.socket)) {
        return sendJson(res, 429, { errors: [{ message: `Too many open connections from this address (at most ${maxConnectionsPerAddress})`, extensions: { code: "RATE_LIMITED" } }] }, { connection: "close", "retry-after": "1" });
      }
      // 200 while the process is alive, whatever the database is doing (that is /readyz's answer).
      if (url.pathname === "/healthz") {
        const database = health();
        return sendJson(res, 200, database ? { status: database.state === "running" || database.state === "shared" ? "ok" : "degraded", database } : { status: "ok" });
      }
      if (url.pathname === "/readyz") {
        const state = health()?.state;
        const { ok, body } = state !== undefined && state !== "running" && state !== "shared" ? { ok: false, body: { status: "not ready", database: state } } : await readiness();
        return sendJson(res, ok ? 200 : 503, body);
      }
      for (const route of routes) {
        if (await route(req, res, url)) return;
      }
      if (url.pathname === "/") {
        res.writeHead(302, { location: "/graphql" });
        return res.end();
      }
      if (url.pathname !== "/graphql") return sendJson(res, 404, { error: `No route ${url.pathname}; the API is at /graphql` });
      if (req.method === "OPTIONS") {
        res.writeHead(204, CORS_HEADERS);
        return res.end();
      }

      const waitSeconds = await throttle.blockedFor(address);
      if (waitSeconds > 0) {
        return sendJson(res, 429, { errors: [{ message: `Too many failed requests (unknown API keys or invalid documents) from this address; retry in ${waitSeconds} s`, extensions: { code: "RATE_LIMITED" } }] }, { "retry-after": String(waitSeconds) });
      }

      let body: unknown = undefined;
      if (req.method === "POST") {
        const text = await readBody(req, maxBodyBytes);
        const contentType = req.headers["content-type"] ?? "";
        if (/^application\/(graphql-response\+)?json/i.test(contentType)) {
          try {
            body = text === "" ? undefined : JSON.parse(text);
          } catch (error) {
            await throttle.fail(address);
            return requestError(res, 400, `The request body is not valid JSON: ${(error as Error).message}`);
          }
        } else {
          body = text;
        }
      }

      const badCharacter = badCharacterInRequest(body, url.searchParams);
      if (badCharacter) return sendJson(res, 400, { errors: [{ message: badCharacter, extensions: { code: "BAD_USER_INPUT" } }] });

      let viewer: Viewer | null;
      try {
        viewer = await viewerFromHeader(dataSource, req.headers.authorization);
      } catch (error) {
        if (error instanceof AuthError) {
          await throttle.fail(address);
          return sendJson(res, 401, { errors: [{ message: error.message, extensions: { code: "UNAUTHENTICATED" } }] }, { "www-authenticate": "Bearer" });
        }
        if (isDatabaseUnavailable(error)) {
          return sendJson(res, 503, { errors: [{ message: "The database is unavailable; try again shortly", extensions: { code: "DATABASE_UNAVAILABLE" } }] }, { "retry-after": "5" });
        }
        throw error;
      }

      // GET caching (src/http/cache.ts): decide before the query runs, reading the dataset revision.
      const cachePlan = await planGetCache(dataSource, req, url);
      const headers = new HeaderMap();
      for (const [key, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(", ") : value);
      }
      const context = createContext(dataSource, viewer, clientAddress(req, trustProxy), requestDbLimits);
      const response = await apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: (req.method ?? "GET").toUpperCase(), headers, search: url.search, body },
        context: async () => context,
      });
      for (const [key, value] of response.headers) res.setHeader(key, value);
      for (const [key, value] of Object.entries(CORS_HEADERS)) res.setHeader(key, value);
      if (exposeSqlStatementCount) res.setHeader("x-sql-statements", String(context.statementCount() + (req.headers.authorization ? 1 : 0)));
      // GET caching (src/http/cache.ts): ETag and Cache-Control, or a 304 when the client holds the answer.
      if (applyGetCache(cachePlan, req, res, response.status ?? 200, response.body.kind === "complete" ? response.body.string : null)) return;
      res.statusCode = response.status ?? 200;
      if (response.body.kind === "complete") {
        if (res.statusCode === 400 && /"code":"(GRAPHQL_PARSE_FAILED|GRAPHQL_VALIDATION_FAILED|BAD_REQUEST)"/.test(response.body.string)) await throttle.fail(address);
        return res.end(response.body.string);
      }
      for await (const chunk of response.body.asyncIterator) res.write(chunk);
      res.end();
    } catch (error) {
      if (error instanceof BodyTooLarge) {
        if (!error.drained) res.setHeader("connection", "close");
        return requestError(res, 413, `The request body is larger than ${maxBodyBytes} bytes`);
      }
      if (!res.headersSent) sendJson(res, 500, { errors: [{ message: "Internal server error", extensions: { code: "INTERNAL_SERVER_ERROR" } }] });
      else res.end();
    }
  });
  const overCap = capConnectionsPerAddress(server, maxConnectionsPerAddress, trustProxy);
  return server;
}
