import { GraphQLError } from "graphql";
import { HeaderMap } from "@apollo/server";
import type { ApolloServerPlugin } from "@apollo/server";
import type { Context } from "./context";

export interface RateLimitConfig {
  /** Points an anonymous client (by IP address) may spend per window. */
  anonymousPoints: number;
  /** Points a client with an API key may spend per window. */
  keyPoints: number;
  windowSeconds: number;
}

/** What a client has left in the current window. */
export interface RateLimitState {
  limit: number;
  remaining: number;
  /** When the window ends and the budget refills. */
  resetAt: Date;
  /** Points this request cost. */
  cost: number;
}

/** A query's price in points: 1, plus 1 per 100 records it may return (GitHub's normalisation). */
export const pointsFor = (cost: number) => 1 + Math.floor(cost / 100);

/**
 * In-process fixed-window budgets per client: the API key when there is one, else the IP address.
 * One instance serves one process; replicas behind a load balancer would keep the same counters
 * in a shared store (Redis INCRBY with an expiry per window) instead of this Map.
 */
export class RateLimiter {
  private readonly windows = new Map<string, { start: number; used: number }>();

  constructor(private readonly config: RateLimitConfig, private readonly now: () => number = Date.now) {}

  /** Charges `points` to a client, or refuses with RATE_LIMITED (HTTP 429) when the budget is spent. */
  charge(client: string, keyed: boolean, points: number): RateLimitState {
    const limit = keyed ? this.config.keyPoints : this.config.anonymousPoints;
    const windowMs = this.config.windowSeconds * 1000;
    const now = this.now();
    let window = this.windows.get(client);
    if (!window || now - window.start >= windowMs) {
      // A client's window starts with its first request, so budgets do not all reset at once.
      window = { start: now - (now % 1000), used: 0 };
      this.windows.set(client, window);
      if (this.windows.size > 100_000) this.prune(now, windowMs);
    }
    const resetAt = new Date(window.start + windowMs);
    if (window.used + points > limit) {
      const retryAfter = Math.max(1, Math.ceil((resetAt.getTime() - now) / 1000));
      throw new GraphQLError(`Rate limit exceeded: this query costs ${points} point${points === 1 ? "" : "s"} and ${limit - window.used} of ${limit} remain until ${resetAt.toISOString()}`, {
        extensions: {
          code: "RATE_LIMITED",
          http: {
            status: 429,
            headers: new HeaderMap([
              ["retry-after", String(retryAfter)],
              ["x-ratelimit-limit", String(limit)],
              ["x-ratelimit-remaining", String(limit - window.used)],
              ["x-ratelimit-reset", String(Math.floor(resetAt.getTime() / 1000))],
            ]),
          },
        },
      });
    }
    window.used += points;
    return { limit, remaining: limit - window.used, resetAt, cost: points };
  }

  private prune(now: number, windowMs: number): void {
    for (const [client, window] of this.windows) if (now - window.start >= windowMs) this.windows.delete(client);
  }
}

/**
 * Charges each operation's points once it is parsed and measured (after the query limits), and
 * reports the budget in X-RateLimit-Limit, -Remaining and -Reset headers.
 */
export function rateLimitPlugin(limiter: RateLimiter): ApolloServerPlugin<Context> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ contextValue }) {
          contextValue.rateLimit = limiter.charge(contextValue.client, contextValue.viewer !== null, pointsFor(contextValue.queryCost ?? 0));
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
