import { describe, expect, it } from "vitest";
import { GraphQLError } from "graphql";
import { ParameterError, RouteError, errorAnswer, graphqlErrorBody, plainErrorBody } from "../../src/common/error-answer";
import { BadUserInputError } from "../../src/common/errors";

// The answers the routes beside /graphql give (docs/exports.md, docs/taxii.md): each mapping by
// error class and code, including those no integration test reaches (401, 403, a cancelled
// statement, an unknown error), and the parameter read from the error's fields.
const logged: string[] = [];
const log = (message: string) => logged.push(message);

describe("errorAnswer", () => {
  it("answers a RouteError as it says, with its parameter and headers", () => {
    const error = new RouteError(405, "METHOD_NOT_ALLOWED", "use GET", { headers: { allow: "GET" } });
    expect(errorAnswer(error, { log })).toEqual({ status: 405, code: "METHOD_NOT_ALLOWED", message: "use GET", headers: { allow: "GET" } });
    expect(errorAnswer(new ParameterError("limit", "limit must be a number"), { log })).toEqual({
      status: 400,
      code: "BAD_USER_INPUT",
      message: "limit must be a number",
      parameter: "limit",
      headers: {},
    });
  });

  it("names the parameter of a service's BAD_USER_INPUT from its argument field, never its message", () => {
    const error = new BadUserInputError("nothing here names a parameter", "filter.originCountry");
    const answer = errorAnswer(error, { log, parameterOf: (e) => String(e.extensions.argument).split(".")[1] });
    expect(answer).toEqual({ status: 400, code: "BAD_USER_INPUT", message: "nothing here names a parameter", parameter: "originCountry", headers: {} });
    expect(errorAnswer(error, { log }).parameter).toBeUndefined();
  });

  it("maps the codes a client can act on to their statuses", () => {
    const cases: [string, number, Record<string, string>][] = [
      ["UNAUTHENTICATED", 401, {}],
      ["FORBIDDEN", 403, {}],
      ["OVERLOADED", 503, { "retry-after": "1" }],
    ];
    for (const [code, status, headers] of cases) {
      const answer = errorAnswer(new GraphQLError(`a ${code}`, { extensions: { code } }), { log });
      expect(answer, code).toEqual({ status, code, message: `a ${code}`, headers });
    }
  });

  it("passes the rate limit's headers on with a 429", () => {
    const http = { status: 429, headers: new Map([["retry-after", "30"]]) };
    const answer = errorAnswer(new GraphQLError("spent", { extensions: { code: "RATE_LIMITED", http } }), { log });
    expect(answer).toEqual({ status: 429, code: "RATE_LIMITED", message: "spent", headers: { "retry-after": "30" } });
  });

  it("answers a cancelled statement and QUERY_TOO_COMPLEX as an export over its time budget", () => {
    const cancelled = Object.assign(new Error("canceling statement due to user request"), { code: "57014" });
    for (const error of [cancelled, new GraphQLError("budget", { extensions: { code: "QUERY_TOO_COMPLEX" } })]) {
      const answer = errorAnswer(error, { log });
      expect(answer.status).toBe(400);
      expect(answer.code).toBe("QUERY_TOO_COMPLEX");
      expect(answer.message).toMatch(/time budget/);
    }
  });

  it("answers a lost database with 503 and Retry-After, and masks and logs anything else", () => {
    const refused = Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
    expect(errorAnswer(refused, { log })).toMatchObject({ status: 503, code: "DATABASE_UNAVAILABLE", headers: { "retry-after": "5" } });
    logged.length = 0;
    const answer = errorAnswer(new Error("SELECT secret FROM somewhere"), { log });
    expect(answer).toEqual({ status: 500, code: "INTERNAL_SERVER_ERROR", message: "Internal server error", headers: {} });
    expect(logged.join("\n")).toContain("SELECT secret");
    // A GraphQL error with a code no route passes on is internal too.
    expect(errorAnswer(new GraphQLError("x", { extensions: { code: "SOMETHING_ELSE" } }), { log }).status).toBe(500);
  });
});

describe("error bodies", () => {
  const answer = { status: 400, code: "BAD_USER_INPUT", message: "bad", parameter: "limit", headers: {} };
  it("writes the exports' shape and the GraphQL shape", () => {
    expect(plainErrorBody(answer)).toEqual({ error: { code: "BAD_USER_INPUT", parameter: "limit", message: "bad" } });
    expect(graphqlErrorBody(answer)).toEqual({ errors: [{ message: "bad", extensions: { code: "BAD_USER_INPUT", parameter: "limit" } }] });
    expect(plainErrorBody({ ...answer, parameter: undefined })).toEqual({ error: { code: "BAD_USER_INPUT", message: "bad" } });
  });
});
