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
      /** The shared answer cache's key (src/http/response-cache.ts): the ETag's inputs and the Accept header. */
      key: string;
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
  if (!cacheableGet(req, url)) return { cacheable: false };
  const settled = await revision.settle();
  if (settled === null) return { cacheable: false }; // a database problem (the answer says so), or a write under the query
  return planAt(req, url, settled);
}

/** Whether a request may be cached at all: an anonymous GET query that does not ask for `rateLimit`. */
export function cacheableGet(req: http.IncomingMessage, url: URL): boolean {
  const query = url.searchParams.get("query");
  return req.method === "GET" && req.headers.authorization === undefined && !!query && !/\brateLimit\b/.test(query);
}

/**
 * The plan of a cacheable request for the answer of exactly `revision`: before the query runs, to
 * look its answer up in the shared answer cache (an answer stored for the revision the reads see
 * now); after, with the settled revision, to tag and store what ran.
 */
export function planAt(req: http.IncomingMessage, url: URL, revision: string): GetCachePlan {
  const key = JSON.stringify([revision, ...["query", "variables", "operationName", "extensions"].map((name) => url.searchParams.get(name) ?? "")]);
  // The shared answer cache keys the same inputs and the Accept header (which picks the media type).
  const answerKey = createHash("sha256")
    .update(JSON.stringify([key, req.headers.accept ?? ""]))
    .digest("base64url");
  return { cacheable: true, etag: `"${createHash("sha256").update(key).digest("base64url").slice(0, 32)}"`, revision, key: answerKey };
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
