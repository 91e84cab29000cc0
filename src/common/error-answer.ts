import type http from "node:http";
import { GraphQLError } from "graphql";
import { DATABASE_UNAVAILABLE_MESSAGE, isDatabaseUnavailable, statusOfCode } from "./error-status";

/**
 * How a route answers an error: status, the service's code (the one GraphQL errors carry), the
 * message, the query parameter at fault (400s) and extra headers (Allow, Retry-After, the rate
 * limit's). Every route beside /graphql (exports, STIX, TAXII, the feed) builds one with
 * `errorAnswer` and sends it with `sendErrorAnswer`, each in its own body shape.
 */
export interface ErrorAnswer {
  status: number;
  code: string;
  message: string;
  /** The query parameter at fault, for 400s. */
  parameter?: string;
  headers: Record<string, string>;
}

/**
 * A refusal a route raises knowing its whole answer (a 404, a 405, an export over its size), so
 * that the route's one catch answers it like any other error. `parameter` names the query
 * parameter at fault as a field, so no caller reads it back out of the message.
 */
export class RouteError extends Error {
  readonly parameter?: string;
  readonly headers: Record<string, string>;

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    options: { parameter?: string; headers?: Record<string, string> } = {},
  ) {
    super(message);
    this.name = "RouteError";
    this.parameter = options.parameter;
    this.headers = options.headers ?? {};
  }
}

/** A query parameter the client can fix: 400 BAD_USER_INPUT naming it, before any row is sent. */
export class ParameterError extends RouteError {
  declare readonly parameter: string;

  constructor(parameter: string, message: string) {
    super(400, "BAD_USER_INPUT", message, { parameter });
    this.name = "ParameterError";
  }
}

/** PostgreSQL's SQLSTATE for a statement cancelled (statement_timeout or a cancel request). */
const QUERY_CANCELED = "57014";

/** What a route's answer says when its statements ran past its time budget and were cancelled. */
export const OVER_BUDGET_MESSAGE = "The export ran past its time budget and was cancelled; ask for less (a narrower filter, fewer fields)";

/** The status of each code a GraphQL error may carry into a route's answer; other codes are internal errors. */
const STATUS_OF_CODE: Record<string, number> = {
  BAD_USER_INPUT: 400,
  QUERY_TOO_COMPLEX: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  RATE_LIMITED: 429,
  OVERLOADED: 503,
};

/** How `errorAnswer` names the parameter behind a service's BAD_USER_INPUT, and where it logs what it masks. */
export interface ErrorAnswerOptions {
  /** The query parameter behind a GraphQL BAD_USER_INPUT, from its `extensions.argument`. */
  parameterOf?: (error: GraphQLError) => string | undefined;
  log: (message: string) => void;
}

/** The answer to a GraphQL error whose code a route passes on, or null for a code it does not. */
function answerOfCode(error: GraphQLError, code: string, options: ErrorAnswerOptions): ErrorAnswer | null {
  const status = STATUS_OF_CODE[code];
  if (status === undefined) return null;
  const answer: ErrorAnswer = { status, code, message: error.message, headers: {} };
  if (code === "BAD_USER_INPUT") answer.parameter = options.parameterOf?.(error);
  if (code === "QUERY_TOO_COMPLEX") answer.message = OVER_BUDGET_MESSAGE;
  if (code === "OVERLOADED") answer.headers = statusOfCode(code).headers;
  if (code === "RATE_LIMITED") {
    const head = error.extensions.http as { headers?: Iterable<[string, string]> } | undefined;
    answer.headers = Object.fromEntries(head?.headers ?? []);
  }
  return answer;
}

/**
 * The one mapping from a thrown error to a route's answer, by error class and code, never by
 * message: a RouteError answers as it says; a GraphQL error with a code the client can act on
 * keeps it (400 BAD_USER_INPUT naming the parameter, 401, 403, 429 with the budget's headers, 400
 * QUERY_TOO_COMPLEX, 503 OVERLOADED with Retry-After); a statement the budget cancelled is
 * QUERY_TOO_COMPLEX; a lost database is 503 DATABASE_UNAVAILABLE; anything else a logged 500.
 */
export function errorAnswer(error: unknown, options: ErrorAnswerOptions): ErrorAnswer {
  if (error instanceof RouteError) {
    const { status, code, message, parameter, headers } = error;
    return { status, code, message, ...(parameter !== undefined ? { parameter } : {}), headers };
  }
  if ((error as { code?: unknown } | null)?.code === QUERY_CANCELED) {
    return { status: 400, code: "QUERY_TOO_COMPLEX", message: OVER_BUDGET_MESSAGE, headers: {} };
  }
  if (error instanceof GraphQLError) {
    const answer = answerOfCode(error, String(error.extensions.code ?? ""), options);
    if (answer) return answer;
  }
  if (isDatabaseUnavailable(error)) {
    const { status, headers } = statusOfCode("DATABASE_UNAVAILABLE");
    return { status, code: "DATABASE_UNAVAILABLE", message: DATABASE_UNAVAILABLE_MESSAGE, headers };
  }
  options.log(`export failed: ${(error as Error)?.stack ?? error}`);
  return { status: 500, code: "INTERNAL_SERVER_ERROR", message: "Internal server error", headers: {} };
}

/** A body shape: how one kind of route writes an answer. */
export type ErrorBody = (answer: ErrorAnswer) => unknown;

/** The CSV/NDJSON exports' and the feed's body: `{ "error": { "code", "parameter"?, "message" } }`. */
export const plainErrorBody: ErrorBody = ({ code, parameter, message }) => ({ error: { code, ...(parameter ? { parameter } : {}), message } });

/** The GraphQL response shape, which the STIX export answers in: `{ "errors": [{ "message", "extensions": { "code", "parameter"? } }] }`. */
export const graphqlErrorBody: ErrorBody = ({ code, parameter, message }) => ({
  errors: [{ message, extensions: { code, ...(parameter ? { parameter } : {}) } }],
});

/** Where and how `sendErrorAnswer` writes: the body shape, the route's own headers (CORS) and media type, and whether the request was a HEAD. */
export interface ErrorWriting {
  body: ErrorBody;
  headers?: Record<string, string>;
  contentType?: string;
  head?: boolean;
}

/**
 * The one writer of error answers beside /graphql: the answer's status, the media type, the
 * route's headers and then the answer's own, and the body in the route's shape (none for HEAD).
 */
export function sendErrorAnswer(res: http.ServerResponse, answer: ErrorAnswer, writing: ErrorWriting): void {
  const contentType = writing.contentType ?? "application/json; charset=utf-8";
  res.writeHead(answer.status, { "content-type": contentType, ...writing.headers, ...answer.headers });
  res.end(writing.head ? undefined : JSON.stringify(writing.body(answer)));
}
