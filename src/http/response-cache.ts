import { LRUCache } from "lru-cache";
import type { RateLimiter } from "../common/rate-limiter";
import type { GetCachePlan } from "./cache";

/** A stored answer: its body, the points the query was priced at, and the headers it went out with. */
export interface CachedAnswer {
  body: string;
  points: number;
  headers: [name: string, value: string][];
}

/** How long an answer stays stored; it is only ever served for its own revision, so this bounds space, not staleness. */
const ANSWER_TTL_SECONDS = 300;
/** In-process store, without Redis: at most this many bytes of answers. */
const LOCAL_MAX_BYTES = 32 * 1024 * 1024;
/** Headers that belong to one request, never to the stored answer. */
const PER_REQUEST = /^(x-ratelimit-|x-sql-statements$|x-cache$|etag$|cache-control$|vary$|retry-after$)/i;

/**
 * The GET answer cache shared by every instance of the service: an identical anonymous GET query
 * (same query, variables, operation name, extensions and Accept header) at the same dataset
 * revision is answered from the first execution's answer. Only what `planGetCache` marks cacheable
 * is stored (anonymous GET, no `rateLimit`), only answers without errors, and only when the
 * revision of the database the reads went to (the primary or a read replica) did not move while the
 * query ran; the revision is part of the key, so an entry is never served for another one (a
 * revision names the same data on the primary and its read replicas, so they share entries). A hit
 * still charges the client the query's points (429 and the usual refusal when its budget is spent,
 * by executing as usual). In Redis when REDIS_URL is set, under the rate limiter's breaker (Redis
 * down: every request executes); in this process otherwise.
 */
export class AnswerCache {
  private readonly local = new LRUCache<string, CachedAnswer>({
    maxSize: LOCAL_MAX_BYTES,
    sizeCalculation: (answer) => answer.body.length * 2 + 512,
    ttl: ANSWER_TTL_SECONDS * 1000,
  });

  constructor(
    private readonly limiter: RateLimiter,
    private readonly prefix = "misuse-graph:answer:",
  ) {}

  /** The stored answer for a cacheable request, or null (not stored, not cacheable, Redis unavailable). */
  async get(plan: GetCachePlan): Promise<CachedAnswer | null> {
    if (!plan.cacheable) return null;
    if (!this.limiter.sharesRedis) return this.local.get(plan.key) ?? null;
    const raw = await this.limiter.withRedis((redis) => redis.get(this.prefix + plan.key));
    if (!raw) return null;
    try {
      return JSON.parse(raw) as CachedAnswer;
    } catch {
      return null;
    }
  }

  /**
   * Stores a clean answer to a cacheable request under the plan's revision: the one the database
   * that produced it held both before and after the query ran (`planGetCache` settles it there, on
   * the primary or a read replica), so an answer is only ever filed under the data it was read from.
   */
  async set(plan: GetCachePlan, answer: CachedAnswer): Promise<void> {
    if (!plan.cacheable) return;
    const stored = { ...answer, headers: answer.headers.filter(([name]) => !PER_REQUEST.test(name)) };
    if (!this.limiter.sharesRedis) {
      this.local.set(plan.key, stored);
      return;
    }
    await this.limiter.withRedis((redis) => redis.set(this.prefix + plan.key, JSON.stringify(stored), "EX", ANSWER_TTL_SECONDS));
  }
}
