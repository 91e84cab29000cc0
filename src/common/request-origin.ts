import type http from "node:http";

/**
 * The scheme and host a client reached, for absolute URLs in what the service answers (TAXII's
 * discovery resource, the Atom feed's links): `X-Forwarded-Proto` is read only when TRUST_PROXY
 * says a proxy in front sets it.
 */
export function requestOrigin(req: http.IncomingMessage, trustProxy: boolean): string {
  const forwarded = trustProxy
    ? String(req.headers["x-forwarded-proto"] ?? "")
        .split(",")[0]
        .trim()
    : "";
  const proto = forwarded === "https" || forwarded === "http" ? forwarded : "http";
  return `${proto}://${req.headers.host ?? "localhost"}`;
}
