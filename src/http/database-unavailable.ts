import type { ApolloServerPlugin } from "@apollo/server";
import { RETRY_LATER_CODES, statusOfCode } from "../common/error-status";

/**
 * The HTTP status of a GraphQL answer, set last. A response that carries data (`data` not null)
 * is HTTP 200 whatever its errors say: GraphQL over HTTP requires a 2xx for such a response under
 * application/graphql-response+json, and 200 for any well-formed response under application/json,
 * so a partial answer is never reported as a failed request (a Retry-After of a retry-later code
 * stays). Otherwise, errors saying the database is unavailable, or that the service is saturated
 * (OVERLOADED), are sent with the status and Retry-After of that code (src/common/error-status.ts),
 * as the HTTP edge answers the same codes.
 */
export function databaseUnavailablePlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          if (response.body.kind !== "single") return;
          const { data, errors } = response.body.singleResult;
          const code = Object.keys(RETRY_LATER_CODES).find((c) => errors?.some((error) => error.extensions?.code === c));
          if (code) {
            const { status, headers } = statusOfCode(code);
            response.http.status = status;
            for (const [name, value] of Object.entries(headers)) response.http.headers.set(name, value);
          }
          if (data !== null && data !== undefined) response.http.status = 200;
        },
      };
    },
  };
}
