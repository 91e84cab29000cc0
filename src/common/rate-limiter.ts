import { GraphQLError } from "graphql";
import { HeaderMap } from "@apollo/server";
import { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import type { RateLimiterAbstract } from "rate-limiter-flexible";
import type { RateLimitState } from "../context";

export interface RateLimitConfig {
  /** Points an anonymous client (by IP address) may spend per window. */
  anonymousPoints: number;
  /** Points a client with an API key may spend per window. */
  keyPoints: number;
  windowSeconds: number;
  /** Redis shared by every replica; null keeps the counters in this process. */
  redisUrl?: string | null;
  /** Prefix of the counters' Redis keys (one deployment, or one test, per prefix). */
  redisKeyPrefix?: string;
  /** How long a Redis command may take before it counts as failed (default 500 ms). */
  redisTimeoutMs?: number;
  /** After a Redis failure, how long to count in this process before asking Redis again (default 10 s). */
  redisBreakerSeconds?: number;
}

/** A query's price in points: 1, plus 1 per 100 records it may return (GitHub's normalisation). */
export const pointsFor = (cost: number) => 1 + Math.floor(cost / 100);

/**
 * Fixed-window budgets per client (the API key when there is one, else the IP address), counted by
 * rate-limiter-flexible: in Redis when a URL is configured, so every replica charges one shared
 * budget, else in this process. A client's window starts with its first request.
 *
 * Redis down: the service fails open to per-process limits. Each limiter has an in-memory
 * twin with the same budget. A Redis command that fails or takes longer than its timeout trips a
 * breaker: for `redisBreakerSeconds` every request is counted in this process alone, without
 * asking Redis, and a PING in the background then decides whether Redis is back (else the breaker
 * stays open another interval). So a frozen Redis costs one request one timeout, not every request;
 * the outage and the recovery are logged once each.
 */
export class RateLimiter {
  private readonly anonymous: Limiters;
  private readonly keyed: Limiters;
  private readonly redis: Redis | null;
  private readonly breaker: RedisBreaker | null;

  constructor(
    private readonly config: RateLimitConfig,
    log: (message: string) => void = () => undefined,
  ) {
    const prefix = config.redisKeyPrefix ?? "misuse-graph:rate:";
    this.redis = config.redisUrl ? connectRedis(config.redisUrl, config.redisTimeoutMs ?? 500) : null;
    this.breaker = this.redis ? new RedisBreaker(this.redis, config.redisBreakerSeconds ?? 10, log) : null;
    const make = (points: number, name: string): Limiters => ({
      memory: new RateLimiterMemory({ points, duration: config.windowSeconds, keyPrefix: `${prefix}${name}` }),
      shared: this.redis
        ? new RateLimiterRedis({ storeClient: this.redis, points, duration: config.windowSeconds, keyPrefix: `${prefix}${name}`, rejectIfRedisNotReady: true })
        : null,
    });
    this.anonymous = make(config.anonymousPoints, "anon");
    this.keyed = make(config.keyPoints, "key");
  }

  /**
   * Consumes from the shared budget while the breaker is closed, else (or when Redis fails right
   * now, which trips it) from this process's. Says which limiter answered, and whether it refused.
   */
  private async consume(limiters: Limiters, client: string, points: number): Promise<{ res: RateLimiterRes; refused: boolean; limiter: RateLimiterAbstract }> {
    const attempt = async (limiter: RateLimiterAbstract) => {
      try {
        return { res: await limiter.consume(client, points), refused: false, limiter };
      } catch (error) {
        if (error instanceof RateLimiterRes) return { res: error, refused: true, limiter };
        throw error;
      }
    };
    if (limiters.shared && this.breaker?.closed) {
      try {
        return await attempt(limiters.shared);
      } catch (error) {
        this.breaker.trip(error instanceof Error ? error.message : String(error));
      }
    }
    return attempt(limiters.memory);
  }

  /** Charges `points` to a client, or refuses with RATE_LIMITED (HTTP 429) when the budget is spent. */
  async charge(client: string, keyed: boolean, points: number): Promise<RateLimitState> {
    const limit = keyed ? this.config.keyPoints : this.config.anonymousPoints;
    const limiters = keyed ? this.keyed : this.anonymous;
    const now = Date.now();
    // Windows end on a whole second, so X-RateLimit-Reset and rateLimit.resetAt agree exactly.
    const resetAt = (res: RateLimiterRes) => new Date(Math.ceil((now + res.msBeforeNext) / 1000) * 1000);
    const { res, refused, limiter } = await this.consume(limiters, client, points);
    if (!refused) return { limit, remaining: res.remainingPoints, resetAt: resetAt(res), cost: points };
    // A refused request is not charged: what it added is given back, so cheaper queries still fit.
    await limiter.reward(client, points).catch((error: Error) => (limiter === limiters.shared ? this.breaker?.trip(error.message) : undefined));
    const remaining = Math.max(0, limit - (res.consumedPoints - points));
    const reset = resetAt(res);
    const retryAfter = Math.max(1, Math.ceil((reset.getTime() - now) / 1000));
    throw new GraphQLError(
      `Rate limit exceeded: this query costs ${points} point${points === 1 ? "" : "s"} and ${remaining} of ${limit} remain until ${reset.toISOString()}`,
      {
        extensions: {
          code: "RATE_LIMITED",
          http: {
            status: 429,
            headers: new HeaderMap([
              ["retry-after", String(retryAfter)],
              ["x-ratelimit-limit", String(limit)],
              ["x-ratelimit-remaining", String(remaining)],
              ["x-ratelimit-reset", String(Math.floor(reset.getTime() / 1000))],
            ]),
          },
        },
      },
    );
  }

  /** Whether a Redis is configured (budgets, and what else asks through `withRedis`, are shared by every replica). */
  get sharesRedis(): boolean {
    return this.redis !== null;
  }

  /**
   * Runs a command on the shared Redis under the same breaker as the budgets: undefined, without
   * asking, while the breaker is open or without Redis; a failure trips the breaker and gives undefined.
   */
  async withRedis<T>(command: (redis: Redis) => Promise<T>): Promise<T | undefined> {
    if (!this.redis || !this.breaker?.closed) return undefined;
    try {
      return await command(this.redis);
    } catch (error) {
      this.breaker.trip(error instanceof Error ? error.message : String(error));
      return undefined;
    }
  }

  /** Closes the Redis connection, if any. */
  async close(): Promise<void> {
    this.breaker?.close();
    if (this.redis) this.redis.disconnect();
  }
}

interface Limiters {
  memory: RateLimiterAbstract;
  shared: RateLimiterAbstract | null;
}

/**
 * A Redis client that never makes a request wait for Redis beyond `timeoutMs`: no offline queue,
 * no retried commands, reconnecting in the background (at most every 2 s).
 */
function connectRedis(url: string, timeoutMs: number): Redis {
  return new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: timeoutMs,
    connectTimeout: 2000,
    retryStrategy: (times) => Math.min(times * 200, 2000),
  });
}

/**
 * Whether the rate limits may ask Redis. Closed (asking) until a command fails or the connection
 * reports an error; then open for `seconds`, after which a PING in the background closes it again
 * or keeps it open another interval. No request waits for the PING. Each transition is logged once.
 */
class RedisBreaker {
  closed = true;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(
    private readonly redis: Redis,
    private readonly seconds: number,
    private readonly log: (message: string) => void,
  ) {
    redis.on("error", (error: Error) => this.trip(error.message));
  }

  trip(reason: string): void {
    if (!this.closed || this.stopped) return;
    this.closed = false;
    this.log(`rate limits: Redis unavailable (${reason}); each process limits on its own, asking Redis again every ${this.seconds} s`);
    this.schedule();
  }

  private schedule(): void {
    this.timer = setTimeout(() => {
      this.timer = null;
      this.redis.ping().then(
        () => {
          if (this.stopped || this.closed) return;
          this.closed = true;
          this.log("rate limits: Redis is back; budgets are shared again");
        },
        () => {
          if (!this.stopped) this.schedule();
        },
      );
    }, this.seconds * 1000);
    this.timer.unref();
  }

  close(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }
}
