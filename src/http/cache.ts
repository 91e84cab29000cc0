import { createHash } from "node:crypto";
import type http from "node:http";
import type { DataSource } from "typeorm";
import { revisionWatch, revisionVia } from "../db/revision";
import { readSource } from "../db/request-db";
import { poolsOf } from "../db/read-routing";

/** How long shared caches and browsers may reuse an anonymous GET answer without asking again. */
export const GET_MAX_AGE_SECONDS = 60;

/** What GET caching knows about a request before it runs: its ETag, or that it must not be stored. */
export type GetCachePlan =
  | {
      cacheable: true;
      etag: string;
      /** The dataset revision the ETag names. */
      revision: string;
      /** Whether the revision is still the one the ETag names, read again where the answer's data came from; false: the answer must not be stored. */
      confirm(): Promise<boolean>;
    }
  | { cacheable: false };

/** The dataset's revision (see RevisionWatch): no statement per request while nothing is written. */
export function datasetRevision(dataSource: DataSource): Promise<string> {
  return revisionWatch(dataSource).revision();
}

/**
 * Decides, before a GraphQL request runs, whether its answer may be cached: only anonymous GET
 * queries (no Authorization header), and not those asking for `rateLimit` (which differs per call).
 * The ETag hashes the dataset revision with the query, variables and operation name, so it changes
 * after any write. The revision is read from the database the request reads its data from: with a
 * read replica, on the replica (whose replay may lag behind the primary), per request; otherwise
 * the primary's, kept by the RevisionWatch. It is read before the query runs and again after
 * (`confirm`): only when both agree did the data come from that one revision (a replica replays
 * commits in order, and every write changes the revision), so an ETag never names two bodies; when
 * a write landed in between the answer goes out with `no-store`.
 */
export async function planGetCache(dataSource: DataSource, req: http.IncomingMessage, url: URL, fromPrimary = false): Promise<GetCachePlan> {
  const query = url.searchParams.get("query");
  if (req.method !== "GET" || req.headers.authorization !== undefined || !query || /\brateLimit\b/.test(query)) return { cacheable: false };
  const onReplica = !fromPrimary && poolsOf(dataSource).replica !== null;
  const read = () => (onReplica ? revisionVia(readSource(dataSource)) : datasetRevision(dataSource));
  let revision: string;
  try {
    revision = await read();
  } catch {
    return { cacheable: false }; // the query itself will meet the database problem and say so
  }
  const key = JSON.stringify([revision, ...["query", "variables", "operationName", "extensions"].map((name) => url.searchParams.get(name) ?? "")]);
  return {
    cacheable: true,
    etag: `"${createHash("sha256").update(key).digest("base64url").slice(0, 32)}"`,
    revision,
    confirm: async () => (await read().catch(() => null)) === revision,
  };
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
