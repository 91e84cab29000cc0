import { GraphQLError } from "graphql";
import type { GraphQLFormattedError } from "graphql";
import { unwrapResolverError } from "@apollo/server/errors";

/** Codes a client may see as they are; anything else is masked. */
const PUBLIC_CODES = new Set([
  "BAD_USER_INPUT",
  "BAD_REQUEST",
  "NOT_FOUND",
  "GRAPHQL_PARSE_FAILED",
  "GRAPHQL_VALIDATION_FAILED",
  "OPERATION_RESOLUTION_FAILURE",
  "PERSISTED_QUERY_NOT_FOUND",
  "PERSISTED_QUERY_NOT_SUPPORTED",
  "DATABASE_UNAVAILABLE",
  "OVERLOADED",
  "QUERY_TOO_COMPLEX",
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "RATE_LIMITED",
]);

/** What a client is told when the database cannot be reached, wherever that is noticed. */
export const DATABASE_UNAVAILABLE_MESSAGE = "The database is unavailable; try again shortly";

/**
 * Codes that mean "try again later", answered with HTTP 503 and Retry-After so clients and load
 * balancers retry rather than treat them as bad queries. The two stay distinct: an overload (every
 * pooled connection busy) is not an outage.
 */
export const RETRY_LATER_CODES: Record<string, { retryAfterSeconds: number }> = {
  DATABASE_UNAVAILABLE: { retryAfterSeconds: 5 },
  OVERLOADED: { retryAfterSeconds: 1 },
};

/** The HTTP status and headers of an error answered without a status of its own: 503 to retry later, else 500. */
export function statusOfCode(code: unknown): { status: number; headers: Record<string, string> } {
  const retry = typeof code === "string" ? RETRY_LATER_CODES[code] : undefined;
  return retry ? { status: 503, headers: { "retry-after": String(retry.retryAfterSeconds) } } : { status: 500, headers: {} };
}

/** Network and server-state failures that mean "the database is not there right now". */
const UNAVAILABLE_NODE_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EHOSTUNREACH"]);
const UNAVAILABLE_SQLSTATE = /^(08|57P0[1-3]|53300)/;

/** Whether an error means the database cannot be reached right now (connection refused, reset, shut down). */
export function isDatabaseUnavailable(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  if (!e) return false;
  if (typeof e.code === "string" && (UNAVAILABLE_NODE_CODES.has(e.code) || UNAVAILABLE_SQLSTATE.test(e.code))) return true;
  return typeof e.message === "string" && /Connection terminated|connection timeout|timeout exceeded when trying to connect/i.test(e.message);
}

/**
 * The one place errors are shaped for clients, for GraphQL execution (Apollo's formatError) and
 * for the HTTP edge (src/http/edge-error.ts): known codes pass through, a lost database becomes
 * DATABASE_UNAVAILABLE, and everything else is masked as INTERNAL_SERVER_ERROR and logged, so no
 * SQL, stack or internals reach a response.
 */
export function makeFormatError(log: (message: string) => void, includeStack: boolean) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    let code = formatted.extensions?.code;
    // The parser's token cap is a complexity limit, not a syntax error.
    const tokens = /Document contains more th(?:an|at) (\d+) tokens/.exec(formatted.message);
    if (code === "GRAPHQL_PARSE_FAILED" && tokens) {
      code = "QUERY_TOO_COMPLEX";
      formatted = {
        ...formatted,
        message: `The query has more than ${tokens[1]} tokens; the limit is ${tokens[1]}`,
        extensions: { ...formatted.extensions, code },
      };
    }
    // Apollo's own refusals without a code (a persisted query's hash that does not match the
    // query, an unsupported persisted-query version) carry a 4xx status: the request is at fault.
    const own = error instanceof GraphQLError ? error : null;
    const status = (own?.extensions?.http as { status?: number } | undefined)?.status;
    if (own && own.extensions.code === undefined && status !== undefined && status >= 400 && status < 500) {
      code = "BAD_REQUEST";
      formatted = { ...formatted, extensions: { ...formatted.extensions, code } };
    }
    if (typeof code === "string" && PUBLIC_CODES.has(code)) {
      if (includeStack) return formatted;
      const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
      return { ...formatted, extensions };
    }
    const original = unwrapResolverError(error);
    if ((original as { code?: unknown } | null)?.code === "57014") {
      // statement_timeout: the query asked for more work than one request may take.
      return {
        message: "The query took longer than the statement timeout allows; ask for less (smaller pages, fewer nested lists, a narrower filter)",
        path: formatted.path,
        extensions: { code: "QUERY_TOO_COMPLEX" },
      };
    }
    if (isDatabaseUnavailable(original)) {
      return { message: DATABASE_UNAVAILABLE_MESSAGE, path: formatted.path, extensions: { code: "DATABASE_UNAVAILABLE" } };
    }
    log(`internal error: ${original instanceof Error ? (original.stack ?? original.message) : String(original)}`);
    return {
      message: "Internal server error",
      path: formatted.path,
      locations: formatted.locations,
      extensions: { code: "INTERNAL_SERVER_ERROR" },
    };
  };
}
