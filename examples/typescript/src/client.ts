/**
 * A typed GraphQL call for frontends: the document's result and variables types come from
 * GraphQL Code Generator (src/generated/graphql.ts, generated from schema.graphql), so a field
 * renamed in the schema breaks the build, not the page.
 */
export class MisuseGraphError extends Error {
  constructor(
    message: string,
    readonly code: string | undefined,
    readonly status: number,
  ) {
    super(message);
  }
}

export async function request<TData, TVariables extends Record<string, unknown>>(endpoint: string, document: string, variables: TVariables): Promise<TData> {
  const response = await fetch(endpoint, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/graphql-response+json, application/json" },
    body: JSON.stringify({ query: document, variables }),
  });
  const body = (await response.json()) as { data?: TData; errors?: { message: string; extensions?: { code?: string } }[] };
  if (body.errors?.length) throw new MisuseGraphError(body.errors.map((e) => e.message).join("; "), body.errors[0].extensions?.code, response.status);
  if (!body.data) throw new MisuseGraphError(`HTTP ${response.status} without data`, undefined, response.status);
  return body.data;
}
