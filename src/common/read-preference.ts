import type http from "node:http";

/** The request header by which a client asks to read from the primary: `X-Read-From: primary`. */
export const READ_FROM_HEADER = "x-read-from";

/**
 * Whether a request's reads go to the primary instead of the read replica: read-your-writes for a
 * client that has just written (its write's revision may not have reached the replica yet). Any
 * other value of the header is refused by the caller's edge, so a typo is not silently a replica read.
 */
export function readsFromPrimary(req: http.IncomingMessage): boolean {
  const value = req.headers[READ_FROM_HEADER];
  return typeof value === "string" && value.trim().toLowerCase() === "primary";
}

/** A value of X-Read-From other than `primary` or `replica`: what the client is told (400 BAD_USER_INPUT), else null. */
export function badReadFrom(req: http.IncomingMessage): string | null {
  const value = req.headers[READ_FROM_HEADER];
  if (value === undefined) return null;
  const v = Array.isArray(value) ? value.join(",") : value;
  return /^\s*(primary|replica)\s*$/i.test(v)
    ? null
    : `X-Read-From must be "primary" (read-your-writes) or "replica" (the default), not ${JSON.stringify(v.slice(0, 40))}`;
}
