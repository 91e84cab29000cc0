import { GraphQLError } from "graphql";
import type { GraphQLFormattedError } from "graphql";
import { unwrapResolverError } from "@apollo/server/errors";
import { DATABASE_UNAVAILABLE_MESSAGE, isDatabaseUnavailable } from "../common/error-status";

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

/** The parser's token cap is a complexity limit, not a syntax error: QUERY_TOO_COMPLEX naming the cap. */
function tokenCapAsComplexity(formatted: GraphQLFormattedError): GraphQLFormattedError {
  const tokens = /Document contains more th(?:an|at) (\d+) tokens/.exec(formatted.message);
  if (formatted.extensions?.code !== "GRAPHQL_PARSE_FAILED" || !tokens) return formatted;
  return {
    ...formatted,
    message: `The query has more than ${tokens[1]} tokens; the limit is ${tokens[1]}`,
    extensions: { ...formatted.extensions, code: "QUERY_TOO_COMPLEX" },
  };
}

/**
 * Apollo's own refusals without a code (a persisted query's hash that does not match the query, an
 * unsupported persisted-query version) carry a 4xx status: the request is at fault, BAD_REQUEST.
 */
function codelessRefusal(formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError {
  const own = error instanceof GraphQLError ? error : null;
  const status = (own?.extensions?.http as { status?: number } | undefined)?.status;
  if (!own || own.extensions.code !== undefined || status === undefined || status < 400 || status >= 500) return formatted;
  return { ...formatted, extensions: { ...formatted.extensions, code: "BAD_REQUEST" } };
}

/** An error whose code is not public: a statement timeout is QUERY_TOO_COMPLEX, a lost database DATABASE_UNAVAILABLE, anything else logged and masked. */
function maskedError(formatted: GraphQLFormattedError, error: unknown, log: (message: string) => void): GraphQLFormattedError {
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
}

/**
 * The one place errors are shaped for clients, for GraphQL execution (Apollo's formatError) and
 * for the HTTP edge (src/http/edge-error.ts): known codes pass through, a lost database becomes
 * DATABASE_UNAVAILABLE, and everything else is masked as INTERNAL_SERVER_ERROR and logged, so no
 * SQL, stack or internals reach a response.
 */
export function makeFormatError(log: (message: string) => void, includeStack: boolean) {
  return (given: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const formatted = codelessRefusal(tokenCapAsComplexity(given), error);
    const code = formatted.extensions?.code;
    if (typeof code !== "string" || !PUBLIC_CODES.has(code)) return maskedError(formatted, error, log);
    if (includeStack) return formatted;
    const { stacktrace: _stack, ...extensions } = formatted.extensions ?? {};
    return { ...formatted, extensions };
  };
}
