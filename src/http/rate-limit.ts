import { GraphQLError } from "graphql";
import type { ApolloServerPlugin, HeaderMap } from "@apollo/server";
import type { Context } from "../context";
import { pointsFor } from "../common/rate-limiter";
import type { RateLimiter } from "../common/rate-limiter";

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
