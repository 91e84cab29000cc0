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
