import { GraphQLError } from "graphql";
import { HeaderMap } from "@apollo/server";
import type { ApolloServerPlugin } from "@apollo/server";
import { Redis } from "ioredis";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import type { RateLimiterAbstract } from "rate-limiter-flexible";
import type { Context, RateLimitState } from "../context";

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
}

/** A query's price in points: 1, plus 1 per 100 records it may return (GitHub's normalisation). */
export const pointsFor = (cost: number) => 1 + Math.floor(cost / 100);

/**
 * Fixed-window budgets per client (the API key when there is one, else the IP address), counted by
 * rate-limiter-flexible: in Redis when a URL is configured, so every replica charges one shared
 * budget, else in this process. A client's window starts with its first request.
 *
 * Redis down: the service fails open to per-process limits. Each limiter has an in-memory
 * insurance limiter with the same budget that takes over while Redis does not answer (within
 * 500 ms), so requests are neither refused nor unlimited; each replica then enforces the budget
 * on its own until Redis is back.
 */
export class RateLimiter {
  private readonly anonymous: RateLimiterAbstract;
  private readonly keyed: RateLimiterAbstract;
  private readonly redis: Redis | null;

  constructor(
    private readonly config: RateLimitConfig,
    log: (message: string) => void = () => undefined,
  ) {
    const prefix = config.redisKeyPrefix ?? "misuse-graph:rate:";
    this.redis = config.redisUrl ? connectRedis(config.redisUrl, log) : null;
    const make = (points: number, name: string): RateLimiterAbstract => {
      const memory = new RateLimiterMemory({ points, duration: config.windowSeconds, keyPrefix: `${prefix}${name}` });
      if (!this.redis) return memory;
      return new RateLimiterRedis({
        storeClient: this.redis,
        points,
        duration: config.windowSeconds,
        keyPrefix: `${prefix}${name}`,
        rejectIfRedisNotReady: true,
        insuranceLimiter: memory,
      });
    };
    this.anonymous = make(config.anonymousPoints, "anon");
    this.keyed = make(config.keyPoints, "key");
  }

  /** Charges `points` to a client, or refuses with RATE_LIMITED (HTTP 429) when the budget is spent. */
  async charge(client: string, keyed: boolean, points: number): Promise<RateLimitState> {
    const limit = keyed ? this.config.keyPoints : this.config.anonymousPoints;
    const limiter = keyed ? this.keyed : this.anonymous;
    const now = Date.now();
    // Windows end on a whole second, so X-RateLimit-Reset and rateLimit.resetAt agree exactly.
    const resetAt = (res: RateLimiterRes) => new Date(Math.ceil((now + res.msBeforeNext) / 1000) * 1000);
    try {
      const res = await limiter.consume(client, points);
      return { limit, remaining: res.remainingPoints, resetAt: resetAt(res), cost: points };
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error;
      // A refused request is not charged: what it added is given back, so cheaper queries still fit.
      await limiter.reward(client, points).catch(() => undefined);
      const remaining = Math.max(0, limit - (error.consumedPoints - points));
      const reset = resetAt(error);
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
  }

  /** Closes the Redis connection, if any. */
  async close(): Promise<void> {
    if (this.redis) this.redis.disconnect();
  }
}

/**
 * A Redis client that never makes a request wait for Redis: no offline queue, 500 ms per command,
 * reconnecting in the background (at most every 2 s). Outages are logged once each way.
 */
function connectRedis(url: string, log: (message: string) => void): Redis {
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: 500,
    connectTimeout: 2000,
    retryStrategy: (times) => Math.min(times * 200, 2000),
  });
  let down = false;
  redis.on("error", (error: Error) => {
    if (down) return;
    down = true;
    log(`rate limits: Redis unavailable (${error.message}); each process limits on its own until it is back`);
  });
  redis.on("ready", () => {
    if (down) log("rate limits: Redis is back; budgets are shared again");
    down = false;
  });
  return redis;
}

/**
 * Charges each operation's points once every check that may refuse it has passed (query limits,
 * validation, operation resolution), so a query refused before execution costs nothing. The cost
 * comes from `contextValue.queryCost` (set by the query-limits plugin in didResolveOperation).
 *
 * The charge is made in `responseForOperation`, which Apollo Server calls right before
 * `executionDidStart` and only when every didResolveOperation hook succeeded: it can answer the
 * 429 itself, whereas an error thrown in executionDidStart becomes a 500 in Apollo Server 5.
 * Reports the budget in X-RateLimit-Limit, -Remaining and -Reset headers.
 */
export function rateLimitPlugin(limiter: RateLimiter): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async responseForOperation({ contextValue }) {
          try {
            contextValue.rateLimit = await limiter.charge(contextValue.client, contextValue.viewer !== null, pointsFor(contextValue.queryCost ?? 0));
            return null;
          } catch (error) {
            if (!(error instanceof GraphQLError) || error.extensions.code !== "RATE_LIMITED") throw error;
            const http = error.extensions.http as { status: number; headers: HeaderMap };
            return {
              http: { status: http.status, headers: http.headers },
              body: { kind: "single", singleResult: { errors: [{ message: error.message, extensions: { code: "RATE_LIMITED" } }] } },
            };
          }
        },
        async willSendResponse({ contextValue, response }) {
          const state = contextValue.rateLimit;
          if (!state) return;
          response.http.headers.set("x-ratelimit-limit", String(state.limit));
          response.http.headers.set("x-ratelimit-remaining", String(state.remaining));
          response.http.headers.set("x-ratelimit-reset", String(Math.floor(state.resetAt.getTime() / 1000)));
        },
      };
    },
  };
}
