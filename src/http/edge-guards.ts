import { GraphQLError } from "graphql";
import type { ApolloServerPlugin } from "@apollo/server";

const NUL = /\u0000/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * Finds the first string under `value` holding a NUL character or a lone UTF-16 surrogate (neither
 * can be stored in PostgreSQL text nor encoded as UTF-8), and says where: `variables.input.name`,
 * `query`. Returns null when every string is clean.
 */
export function findBadCharacter(value: unknown, where: string): string | null {
  if (typeof value === "string") {
    const nul = NUL.exec(value);
    if (nul) return `${where} contains a NUL character (U+0000) at index ${nul.index}`;
    const surrogate = LONE_SURROGATE.exec(value);
    if (surrogate) return `${where} contains a lone UTF-16 surrogate (U+${surrogate[0].charCodeAt(0).toString(16).toUpperCase()}) at index ${surrogate.index}`;
    return null;
  }
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findBadCharacter(value[i], `${where}[${i}]`);
      if (found) return found;
    }
    return null;
  }
  if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      const found = findBadCharacter(key, `${where} (a key)`) ?? findBadCharacter(item, `${where}.${key}`);
      if (found) return found;
    }
  }
  return null;
}

/**
 * Checks a GraphQL request's parts as the HTTP layer parsed them (POST body or GET parameters):
 * the message of a 400 BAD_USER_INPUT when a string in them cannot be processed, else null.
 */
export function badCharacterInRequest(body: unknown, search: URLSearchParams): string | null {
  for (const name of ["query", "operationName", "variables", "extensions"]) {
    const raw = search.get(name);
    if (raw === null) continue;
    let value: unknown = raw;
    if (name === "variables" || name === "extensions") {
      try {
        value = JSON.parse(raw);
      } catch {
        // Apollo Server answers malformed JSON parameters itself.
      }
    }
    const found = findBadCharacter(value, name);
    if (found) return found;
  }
  if (typeof body === "string") return findBadCharacter(body, "query");
  if (body !== null && typeof body === "object" && !Array.isArray(body)) {
    for (const [key, value] of Object.entries(body)) {
      const found = findBadCharacter(key, "a body key") ?? findBadCharacter(value, key);
      if (found) return found;
    }
  }
  return null;
}

/**
 * Subscriptions need a streaming transport this service does not offer: an operation of that
 * kind is refused with 400 BAD_REQUEST before it runs, instead of failing inside execution.
 */
export function subscriptionGuardPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation }) {
          if (operation?.operation === "subscription") {
            throw new GraphQLError("Subscriptions are not supported: this API serves queries and mutations over HTTP only", {
              extensions: { code: "BAD_REQUEST", http: { status: 400 } },
            });
          }
        },
      };
    },
  };
}
