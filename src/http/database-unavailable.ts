import type { ApolloServerPlugin } from "@apollo/server";
import { RETRY_LATER_CODES, statusOfCode } from "./format-error";

/**
 * A response whose errors say the database is unavailable, or that the service is saturated
 * (OVERLOADED), is sent with the status and Retry-After of that code (src/http/format-error.ts),
 * as the HTTP edge answers the same codes.
 */
export function databaseUnavailablePlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          const errors = response.body.kind === "single" ? response.body.singleResult.errors : undefined;
          const code = Object.keys(RETRY_LATER_CODES).find((c) => errors?.some((error) => error.extensions?.code === c));
          if (!code) return;
          const { status, headers } = statusOfCode(code);
          response.http.status = status;
          for (const [name, value] of Object.entries(headers)) response.http.headers.set(name, value);
        },
      };
    },
  };
}
