import type http from "node:http";
import Negotiator from "negotiator";
import { RouteError, errorAnswer, sendErrorAnswer } from "../common/error-answer";
import type { ErrorBody } from "../common/error-answer";

/** The one media type of every TAXII 2.1 request and response body (TAXII 2.1, "Media Types"). */
export const TAXII_MEDIA_TYPE = "application/taxii+json;version=2.1";
/** The media type of the objects the collection holds. */
export const STIX_MEDIA_TYPE = "application/stix+json;version=2.1";

const EXPOSED = "x-taxii-date-added-first, x-taxii-date-added-last, x-ratelimit-limit, x-ratelimit-remaining, x-ratelimit-reset, retry-after";
const BASE_HEADERS = {
  "content-type": TAXII_MEDIA_TYPE,
  "access-control-allow-origin": "*",
  "access-control-expose-headers": EXPOSED,
  "cache-control": "no-store",
};

/**
 * Whether the request's Accept header allows a TAXII 2.1 answer. A client asks for
 * `application/taxii+json;version=2.1`; `application/taxii+json` without a version means the
 * latest (2.1); `*\/*` and `application/*` allow it too, and so does a request without an Accept
 * header. Any other version, or only other media types, cannot be served: 406.
 */
export function acceptsTaxii(req: http.IncomingMessage): boolean {
  if (req.headers.accept === undefined || req.headers.accept.trim() === "") return true;
  return new Negotiator(req).mediaType([TAXII_MEDIA_TYPE]) !== undefined;
}

const STATUS_CODES: Record<number, string> = {
  400: "BAD_USER_INPUT",
  403: "FORBIDDEN",
  404: "NOT_FOUND",
  405: "METHOD_NOT_ALLOWED",
  406: "NOT_ACCEPTABLE",
  429: "RATE_LIMITED",
  503: "OVERLOADED",
};

/** An error answered as the TAXII 2.1 error message resource, with the title the resource requires. */
export class TaxiiError extends RouteError {
  constructor(
    status: number,
    readonly title: string,
    description: string,
    /** Extra headers: Allow, Retry-After, the rate limit's. */
    headers: Record<string, string> = {},
    /** The query parameter at fault, for 400s. */
    parameter?: string,
    /** The service's code for the error (as GraphQL errors and the exports name it); by default the status's. */
    code: string = STATUS_CODES[status] ?? "INTERNAL_SERVER_ERROR",
  ) {
    super(status, code, description, { parameter, headers });
    this.name = "TaxiiError";
  }
}

/** Titles of the errors the service's shared mapping answers (src/common/error-answer.ts), by status. */
const TITLES: Record<number, string> = { 400: "Bad request", 401: "Unauthorized", 403: "Forbidden", 429: "Too many requests", 503: "Service unavailable" };

/** Sends a TAXII resource with its media type and the given headers (date-added, rate limit). */
export function sendTaxii(req: http.IncomingMessage, res: http.ServerResponse, body: object, headers: Record<string, string> = {}): void {
  res.writeHead(200, { ...BASE_HEADERS, ...headers });
  res.end(req.method === "HEAD" ? undefined : JSON.stringify(body));
}

/** The TAXII 2.1 error message resource of an answer, under `title`. */
const taxiiErrorBody =
  (title: string): ErrorBody =>
  ({ status, code, message, parameter }) => ({
    title,
    description: message,
    error_code: code,
    http_status: String(status),
    ...(parameter ? { details: { parameter } } : {}),
  });

/**
 * Sends a thrown error as the TAXII 2.1 error message resource: `title` (required),
 * `description`, `error_code` (the service's code: BAD_USER_INPUT, NOT_FOUND, NOT_ACCEPTABLE,
 * RATE_LIMITED, OVERLOADED, ...), `http_status` (a string, as the specification types it) and
 * `details` naming the query parameter at fault. A TaxiiError answers as it says; anything else
 * through the service's shared mapping (429, 503, 400 over budget, else a logged 500).
 */
export function sendTaxiiError(req: http.IncomingMessage, res: http.ServerResponse, error: unknown, log: (message: string) => void): void {
  const answer = errorAnswer(error, { log });
  const title = error instanceof TaxiiError ? error.title : (TITLES[answer.status] ?? "Internal server error");
  sendErrorAnswer(res, answer, { body: taxiiErrorBody(title), headers: BASE_HEADERS, contentType: TAXII_MEDIA_TYPE, head: req.method === "HEAD" });
}
