import { GraphQLError } from "graphql";

/**
 * Input the client can fix: a bad argument, an unknown key in a filter, a page over the cap, a
 * forged cursor. Answered with HTTP 400 (the request, not the server, is at fault). `argument` is
 * the input at fault as a path (`filter.originCountry`, `limit`, `from`), sent as
 * `extensions.argument`, so that callers (the exports naming a query parameter) read it from a
 * field rather than from the message.
 */
export class BadUserInputError extends GraphQLError {
  constructor(
    message: string,
    readonly argument?: string,
  ) {
    super(message, { extensions: { code: "BAD_USER_INPUT", ...(argument ? { argument } : {}), http: { status: 400 } } });
  }
}

/** A lookup by key, code or ID that matches no record. */
export class NotFoundError extends GraphQLError {
  constructor(message: string) {
    super(message, { extensions: { code: "NOT_FOUND" } });
  }
}
