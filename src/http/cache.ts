import { createHash } from "node:crypto";
import type http from "node:http";
import type { RequestRevision } from "../db/revision";

/** How long shared caches and browsers may reuse an anonymous GET answer without asking again. */
export const GET_MAX_AGE_SECONDS = 60;

/** What GET caching knows about a request before it runs: its ETag, or that it must not be stored. */
export type GetCachePlan =
  | {
      cacheable: true;
      etag: string;
      /** The dataset revision the ETag names. */
      revision: string;
    }
  | { cacheable: false };

/**
 * Decides whether a GraphQL request's answer may be cached: only anonymous GET queries (no
 * Authorization header), and not those asking for `rateLimit` (which differs per call), and only
 * when the revision its reads saw held still while it ran (`readRevision`). The ETag hashes that
 * revision with the query, variables and operation name, so it changes after any write and never
 * names two bodies; when a write landed under the query, the answer goes out with `no-store`.
 */
export async function planGetCache(req: http.IncomingMessage, url: URL, revision: RequestRevision): Promise<GetCachePlan> {
  const query = url.searchParams.get("query");
  if (req.method !== "GET" || req.headers.authorization !== undefined || !query || /\brateLimit\b/.test(query)) return { cacheable: false };
  const settled = await revision.settle();
  if (settled === null) return { cacheable: false }; // a database problem (the answer says so), or a write under the query
  const key = JSON.stringify([settled, ...["query", "variables", "operationName", "extensions"].map((name) => url.searchParams.get(name) ?? "")]);
  return { cacheable: true, etag: `"${createHash("sha256").update(key).digest("base64url").slice(0, 32)}"`, revision: settled };
}

function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(",").some((tag) => {
    const t = tag.trim();
    return t === "*" || t === etag || t === `W/${etag}`;
  });
}

/**
 * Sets the caching headers of a GraphQL answer and sends `304 Not Modified` when the client already
 * holds it. A successful (200) answer without errors to a cacheable request gets the ETag and
 * `public, max-age=60`; everything else (POST, Authorization, errors) gets `no-store`. Returns true
 * when it has sent the 304 (the caller sends nothing more).
 */
export function applyGetCache(plan: GetCachePlan, req: http.IncomingMessage, res: http.ServerResponse, status: number, body: string | null): boolean {
  res.setHeader("vary", "Accept, Authorization");
  const clean = status === 200 && body !== null && !/"errors"\s*:\s*\[/.test(body);
  if (!plan.cacheable || !clean) {
    res.setHeader("cache-control", "no-store");
    return false;
  }
  res.setHeader("etag", plan.etag);
  res.setHeader("cache-control", `public, max-age=${GET_MAX_AGE_SECONDS}`);
  if (!matches(req.headers["if-none-match"], plan.etag)) return false;
  res.removeHeader("content-type");
  res.removeHeader("content-length");
  res.statusCode = 304;
  res.end();
  return true;
}
