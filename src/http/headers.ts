import type http from "node:http";

/**
 * CORS headers of every /graphql answer: any origin may read the API (it has no cookies). The
 * allowed request headers include those GraphQL clients send on their own: Apollo Client's client
 * awareness (`apollographql-client-name`, `-version`) and CSRF-prevention headers, and `accept`
 * with the GraphQL-over-HTTP media types that urql and graphql-http ask for.
 */
export const CORS_HEADERS: Record<string, string> = {
  "access-control-allow-origin": "*",
  "access-control-allow-methods": "GET, POST, OPTIONS",
  "access-control-allow-headers":
    "accept, content-type, authorization, apollo-require-preflight, x-apollo-operation-name, apollographql-client-name, apollographql-client-version, if-none-match",
  "access-control-expose-headers":
    "x-sql-statements, x-ratelimit-limit, x-ratelimit-remaining, x-ratelimit-reset, retry-after, etag, x-dataset-version, x-dataset-content-hash",
  "access-control-max-age": "600",
};

/** Sends a JSON answer with the CORS headers. */
export function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json; charset=utf-8", ...CORS_HEADERS, ...headers });
  res.end(JSON.stringify(body));
}
