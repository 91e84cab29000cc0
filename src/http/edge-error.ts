import type http from "node:http";
import { GraphQLError } from "graphql";
import type { GraphQLFormattedError } from "graphql";
import { CORS_HEADERS } from "./headers";
import { sendErrorAnswer } from "../common/error-answer";
import { statusOfCode } from "../common/error-status";

/** Shapes an error for clients: the service's formatError, which Apollo also uses for execution errors. */
export type FormatError = (formatted: GraphQLFormattedError, error: unknown) => GraphQLFormattedError;

/**
 * A request the HTTP edge refuses before GraphQL runs (too large, malformed, over a limit, a bad
 * key). It is a GraphQL error with its HTTP status, so it is answered like any other error.
 * `failure` marks requests that count against the address's failure budget.
 */
export class EdgeError extends GraphQLError {
  constructor(
    status: number,
    code: string,
    message: string,
    headers: Record<string, string> = {},
    readonly failure = false,
  ) {
    super(message, { extensions: { code, http: { status, headers: new Map(Object.entries(headers)) } } });
  }
}

/**
 * Answers an error met at the HTTP edge the way errors from GraphQL execution are answered: the
 * body `{ errors: [...] }` shaped by the same formatError (known codes pass, a lost database is
 * DATABASE_UNAVAILABLE, anything else is logged and masked), and the same status per code.
 */
export function sendEdgeError(res: http.ServerResponse, error: unknown, formatError: FormatError): void {
  const extensions = error instanceof GraphQLError ? error.extensions : { code: "INTERNAL_SERVER_ERROR" };
  const { http: head, ...rest } = extensions as { http?: { status?: number; headers?: Map<string, string> } } & Record<string, unknown>;
  const formatted = formatError({ message: error instanceof Error ? error.message : String(error), extensions: rest }, error);
  const byCode = statusOfCode(formatted.extensions?.code);
  const answer = {
    status: head?.status ?? byCode.status,
    code: String(formatted.extensions?.code),
    message: formatted.message,
    headers: { ...byCode.headers, ...Object.fromEntries(head?.headers ?? []) },
  };
  // The body is the formatted error itself, which may carry more than the code (a stack trace in development).
  sendErrorAnswer(res, answer, { body: () => ({ errors: [formatted] }), headers: CORS_HEADERS });
}
