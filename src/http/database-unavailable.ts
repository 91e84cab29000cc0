import type { ApolloServerPlugin } from "@apollo/server";

/**
 * A response whose errors say the database is unavailable, or that the service is saturated
 * (OVERLOADED: every pooled connection busy), is sent with HTTP 503 and Retry-After, so clients
 * and load balancers retry rather than treat it as a bad query. The two codes stay distinct: an
 * overload is not an outage.
 */
export function databaseUnavailablePlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ response }) {
          const errors = response.body.kind === "single" ? response.body.singleResult.errors : undefined;
          if (errors?.some((error) => error.extensions?.code === "DATABASE_UNAVAILABLE")) {
            response.http.status = 503;
            response.http.headers.set("retry-after", "5");
          } else if (errors?.some((error) => error.extensions?.code === "OVERLOADED")) {
            response.http.status = 503;
            response.http.headers.set("retry-after", "1");
          }
        },
      };
    },
  };
}
