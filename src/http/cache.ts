import { createHash } from "node:crypto";
import type http from "node:http";
import type { DataSource } from "typeorm";
import { revisionWatch } from "../db/revision";

/** How long shared caches and browsers may reuse an anonymous GET answer without asking again. */
export const GET_MAX_AGE_SECONDS = 60;

/** What GET caching knows about a request before it runs: its ETag, or that it must not be stored. */
export type GetCachePlan = { cacheable: true; etag: string; revision: string; key: string } | { cacheable: false };

/** The dataset's revision (see RevisionWatch): no statement per request while nothing is written. */
export function datasetRevision(dataSource: DataSource): Promise<string> {
  return revisionWatch(dataSource).revision();
}

/**
 * Decides, before a GraphQL request runs, whether its answer may be cached: only anonymous GET
 * queries (no Authorization header), and not those asking for `rateLimit` (which differs per call).
 * The ETag hashes the dataset revision with the query, variables and operation name, so it changes
 * after any write. The revision is read before the query runs: a write racing the query can only put
 * newer facts under the older tag, which the next revalidation replaces, never older facts under the
 * newer tag.
 */
export async function planGetCache(dataSource: DataSource, req: http.IncomingMessage, url: URL): Promise<GetCachePlan> {
  const query = url.searchParams.get("query");
  if (req.method !== "GET" || req.headers.authorization !== undefined || !query || /\brateLimit\b/.test(query)) return { cacheable: false };
  let revision: string;
  try {
    revision = await datasetRevision(dataSource);
  } catch {
    return { cacheable: false }; // the query itself will meet the database problem and say so
  }
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
