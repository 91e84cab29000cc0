/** The GraphQL endpoint of the service that served the page (same origin, so CSP allows it). */
export const ENDPOINT = "/graphql";

/** A GraphQL error as the service reports it. */
export interface GraphQLErrorBody {
  message: string;
  extensions?: { code?: string };
}

/** Thrown when a query answers with errors; the message names the service's first error and its code. */
export class QueryError extends Error {
  constructor(readonly errors: GraphQLErrorBody[]) {
    super(errors.map((e) => `${e.message}${e.extensions?.code ? ` (${e.extensions.code})` : ""}`).join("; "));
  }
}

/** Posts a query to the service and returns `data`, throwing QueryError on any GraphQL error. */
export async function gql<T>(query: string, variables?: Record<string, unknown>): Promise<T> {
  const response = await fetch(ENDPOINT, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/graphql-response+json, application/json" },
    body: JSON.stringify({ query, variables }),
  });
  const body = (await response.json()) as { data?: T; errors?: GraphQLErrorBody[] };
  if (body.errors?.length) throw new QueryError(body.errors);
  if (!body.data) throw new Error(`The service answered HTTP ${response.status} without data`);
  return body.data;
}

/**
 * A link that opens a query (and its variables) in the playground: `/graphql?query=...`, which the
 * service answers with the playground when a browser asks for a page.
 */
export function playgroundLink(query: string, variables?: Record<string, unknown>): string {
  const params = new URLSearchParams({ query });
  if (variables && Object.keys(variables).length > 0) params.set("variables", JSON.stringify(variables, null, 2));
  return `/graphql?${params.toString()}`;
}

/** Escapes text for HTML. */
export function esc(value: unknown): string {
  return String(value ?? "").replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}
