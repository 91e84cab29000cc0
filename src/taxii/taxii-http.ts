import type http from "node:http";
import Negotiator from "negotiator";

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

/** An error answered as the TAXII 2.1 error message resource. */
export class TaxiiError extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly description: string,
    /** Extra headers: Allow, Retry-After, the rate limit's. */
    readonly headers: Record<string, string> = {},
    /** The query parameter at fault, for 400s. */
    readonly parameter?: string,
    /** The service's code for the error (as GraphQL errors and the exports name it); by default the status's. */
    readonly code: string = STATUS_CODES[status] ?? "INTERNAL_SERVER_ERROR",
  ) {
    super(description);
    this.name = "TaxiiError";
  }
}

/** Sends a TAXII resource with its media type and the given headers (date-added, rate limit). */
export function sendTaxii(req: http.IncomingMessage, res: http.ServerResponse, body: object, headers: Record<string, string> = {}): void {
  res.writeHead(200, { ...BASE_HEADERS, ...headers });
  res.end(req.method === "HEAD" ? undefined : JSON.stringify(body));
}

/**
 * Sends the TAXII 2.1 error message resource: `title` (required), `description`, `error_code`
 * (the service's code: BAD_USER_INPUT, NOT_FOUND, NOT_ACCEPTABLE, RATE_LIMITED, OVERLOADED, ...),
 * `http_status` (a string, as the specification types it) and `details` naming the query
 * parameter at fault.
 */
export function sendTaxiiError(req: http.IncomingMessage, res: http.ServerResponse, error: TaxiiError): void {
  const body = {
    title: error.title,
    description: error.description,
    error_code: error.code,
    http_status: String(error.status),
    ...(error.parameter ? { details: { parameter: error.parameter } } : {}),
  };
  res.writeHead(error.status, { ...BASE_HEADERS, ...error.headers });
  res.end(req.method === "HEAD" ? undefined : JSON.stringify(body));
}
