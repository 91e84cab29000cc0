import http from "node:http";
import net from "node:net";
import { createHash } from "node:crypto";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp } from "../helpers/app";
import type { TestApp } from "../helpers/app";

// Inputs that once answered 500 or INTERNAL_SERVER_ERROR, and answers that misled the client. Each
// expectation comes from the wording or the GraphQL-over-HTTP specification.
let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

async function post(body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(t.url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let json: any = null;
  try {
    json = JSON.parse(text);
  } catch {
    // asserted by the caller through `text`
  }
  return { status: response.status, json, text, headers: response.headers };
}

const b64 = (text: string) => Buffer.from(text, "utf8").toString("base64url");

/** The JSON text of an object (or array) `depth` levels deep (written out: JSON.stringify would recurse that deep). */
function nestedJson(depth: number, array = false): string {
  return array ? `${"[".repeat(depth)}"x"${"]".repeat(depth)}` : `${'{"a":'.repeat(depth)}"x"${"}".repeat(depth)}`;
}

describe("variables nested deeply", () => {
  it.each([
    ["objects", false],
    ["arrays", true],
  ])("5,000 levels of %s are 400 BAD_USER_INPUT naming the variable", async (_, array) => {
    const { status, json } = await post(
      `{"query": "query ($f: OperationFilter) { operations(filter: $f) { totalCount } }", "variables": {"f": ${nestedJson(5000, array)}}}`,
    );
    expect(status).toBe(400);
    expect(json.errors[0].extensions.code).toBe("BAD_USER_INPUT");
    expect(json.errors[0].message).toMatch(/^variables\.f\b.*nested deeper than \d+ levels/);
  });
});

describe("NUL characters inside global IDs", () => {
  // Refused before execution (no data), so the status is the error's 400 even for nullable node.
  it.each([
    ["node, Operation", `{ node(id: "T3BlcmF0aW9uOgB4") { id } }`, /^id: /, 400],
    ["node, Country", `{ node(id: "${b64("Country:\u0000")}") { id } }`, /^id: /, 400],
    ["node, Company", `{ node(id: "${b64("Company:a\u0000b")}") { id } }`, /^id: /, 400],
    ["nodes", `{ nodes(ids: ["${b64("Report:ok")}", "T3BlcmF0aW9uOgB4"]) { id } }`, /^ids\[1\]: /, 400],
  ])("%s: BAD_USER_INPUT naming the argument", async (_, query, argument, status) => {
    const response = await post({ query });
    expect(response.json.errors[0].extensions.code).toBe("BAD_USER_INPUT");
    expect(response.json.errors[0].message).toMatch(argument);
    expect(response.json.errors[0].message).toMatch(/not a valid global ID/);
    expect(response.status).toBe(status);
  });
});

describe("global IDs given by variable or in a fragment", () => {
  it.each([
    ["a variable", { query: "query ($i: ID!) { node(id: $i) { id } }", variables: { i: "T3BlcmF0aW9uOgB4" } }, /^id: /],
    ["a list variable", { query: "query ($i: [ID!]!) { nodes(ids: $i) { id } }", variables: { i: [b64("Report:ok"), "%%"] } }, /^ids\[1\]: /],
    ["a fragment", { query: `query { ...F } fragment F on Query { node(id: "${b64("Statement:\u0000")}") { id } }` }, /^id: /],
  ])("a malformed ID in %s is 400 BAD_USER_INPUT before execution", async (_, body, argument) => {
    const { status, json } = await post(body);
    expect(json.data).toBeUndefined();
    expect(json.errors[0].extensions.code).toBe("BAD_USER_INPUT");
    expect(json.errors[0].message).toMatch(argument);
    expect(status).toBe(400);
  });

  it("a well-formed ID still resolves", async () => {
    const [{ key }] = await t.sql<{ key: string }>("SELECT key FROM operation ORDER BY key LIMIT 1");
    const { status, json } = await post({ query: "query ($i: ID!) { node(id: $i) { ... on Operation { key } } }", variables: { i: b64(`Operation:${key}`) } });
    expect(status).toBe(200);
    expect(json.data.node.key).toBe(key);
  });
});

describe("NUL characters in string literals of the document", () => {
  it.each([
    ["operation(key:)", `{ operation(key: "a\\u0000b") { key } }`, /^key: contains a NUL character \(U\+0000\) at index 1 \(an argument of operation\)$/],
    ["country(code:)", `{ country(code: "U\\u0000") { name } }`, /^code: contains a NUL character \(U\+0000\) at index 1 \(an argument of country\)$/],
    [
      "a list in a filter",
      `{ operations(filter: { report: ["ok", "x\\u0000"] }) { totalCount } }`,
      /^filter\.report\[1\]: contains a NUL character \(U\+0000\) at index 1 \(an argument of operations\)$/,
    ],
  ])("%s: 400 BAD_USER_INPUT naming the argument", async (_, query, message) => {
    const { status, json } = await post({ query });
    expect(status).toBe(400);
    expect(json.errors[0].extensions.code).toBe("BAD_USER_INPUT");
    expect(json.errors[0].message).toMatch(message);
  });
});

describe("timestamps PostgreSQL cannot hold", () => {
  it.each(["0000-01-01T00:00:00Z", "-000001-01-01T00:00:00Z", "+275760-09-13T00:00:00Z"])(
    "updatedSince %s is 400 BAD_USER_INPUT naming the field",
    async (value) => {
      const { status, json } = await post({
        query: "query ($s: DateTimeISO!) { operations(filter: { updatedSince: $s }) { totalCount } }",
        variables: { s: value },
      });
      // A value the scalar itself refuses is a 400 from variable coercion; any other must name updatedSince.
      expect(status).toBe(400);
      expect(["BAD_USER_INPUT"]).toContain(json.errors[0].extensions.code);
      expect(json.errors[0].message).toMatch(/\$s|updatedSince/);
    },
  );

  it("deletions(since: year 0) is 400 BAD_USER_INPUT naming the argument", async () => {
    const { status, json } = await post({ query: `{ deletions(since: "0000-01-01T00:00:00Z") { totalCount } }` });
    expect(status).toBe(400);
    expect(json.errors[0].extensions.code).toBe("BAD_USER_INPUT");
    expect(json.errors[0].message).toMatch(/since/);
  });
});

describe("documents with several operations", () => {
  const two = "query A { __typename } query B { operations(first: 1) { totalCount } }";
  it("without operationName: 400 naming the missing operation name", async () => {
    const { status, json } = await post({ query: two });
    expect(status).toBe(400);
    expect(json.errors[0].extensions.code).toBe("OPERATION_RESOLUTION_FAILURE");
    expect(json.errors[0].message).toMatch(/2 operations; name the one to run in operationName/);
  });

  it("with an operationName the document does not hold: 400", async () => {
    const { status, json } = await post({ query: two, operationName: "C" });
    expect(status).toBe(400);
    expect(json.errors[0].extensions.code).toBe("OPERATION_RESOLUTION_FAILURE");
    expect(json.errors[0].message).toMatch(/"C"/);
  });

  it("with the right operationName: runs that operation", async () => {
    const { status, json } = await post({ query: two, operationName: "B" });
    expect(status).toBe(200);
    expect(json.data.operations.totalCount).toBeGreaterThan(0);
  });

  it("the chosen operation is held to the query limits", async () => {
    let deep = "key";
    for (let i = 0; i < 10; i++) deep = `operations(first: 1) { nodes { reports(first: 1) { nodes { ${deep} } } } }`;
    const { status, json } = await post({ query: `query A { __typename } query B { ${deep} }`, operationName: "B" });
    expect(status).toBe(400);
    expect(json.errors[0].extensions.code).toBe("QUERY_TOO_COMPLEX");
  });
});

describe("persisted queries", () => {
  const query = "{ __typename }";
  const sha = createHash("sha256").update(query).digest("hex");

  it("a hash that does not match the query is 400 BAD_REQUEST", async () => {
    const { status, json } = await post({ query, extensions: { persistedQuery: { version: 1, sha256Hash: "0".repeat(64) } } });
    expect(status).toBe(400);
    expect(json.errors[0].extensions.code).toBe("BAD_REQUEST");
    expect(json.errors[0].message).toMatch(/sha/i);
  });

  it("version 2 is 400 BAD_REQUEST", async () => {
    const { status, json } = await post({ query, extensions: { persistedQuery: { version: 2, sha256Hash: sha } } });
    expect(status).toBe(400);
    expect(json.errors[0].extensions.code).toBe("BAD_REQUEST");
    expect(json.errors[0].message).toMatch(/version/i);
  });

  it("an unknown hash without a query is PERSISTED_QUERY_NOT_FOUND", async () => {
    const { json } = await post({ extensions: { persistedQuery: { version: 1, sha256Hash: "f".repeat(64) } } });
    expect(json.errors[0].extensions.code).toBe("PERSISTED_QUERY_NOT_FOUND");
  });
});

describe("content types", () => {
  it.each(["application/jsonx", "application/json-seq", "application/graphql-response+jsonx"])("%s is not read as JSON: 415", async (type) => {
    const { status, json } = await post({ query: "{ __typename }" }, { "content-type": type });
    expect(status).toBe(415);
    expect(json.errors[0].extensions.code).toBe("BAD_REQUEST");
    expect(json.errors[0].message).toMatch(/content-type/i);
  });

  it("application/json with parameters is read as JSON", async () => {
    const { status, json } = await post({ query: "{ __typename }" }, { "content-type": "application/json; charset=utf-8" });
    expect(status).toBe(200);
    expect(json.data.__typename).toBe("Query");
  });
});

describe("bodies far over the limit", () => {
  /** Declares `declared` bytes, sends up to `send` of them, and reads what the server answers. */
  function oversized(declared: number, send: number): Promise<{ status: number; text: string }> {
    return new Promise((resolve) => {
      const port = Number(new URL(t.url).port);
      const socket = net.connect(port, "127.0.0.1");
      let text = "";
      // A client that writes the whole request before it reads the answer.
      socket.pause();
      socket.on("data", (chunk) => (text += chunk.toString("utf8")));
      socket.on("error", () => undefined);
      socket.on("close", () => resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(text)?.[1] ?? 0), text }));
      socket.on("connect", () => {
        socket.write(`POST /graphql HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${declared}\r\nConnection: close\r\n\r\n`);
        const chunk = Buffer.alloc(64 * 1024, 0x20);
        let sent = 0;
        const pump = () => {
          while (sent < send && !socket.destroyed) {
            const piece = chunk.subarray(0, Math.min(chunk.length, send - sent));
            sent += piece.length;
            if (!socket.write(piece)) return void socket.once("drain", pump);
          }
          socket.resume();
        };
        pump();
      });
    });
  }

  it("a declared 50 MB body gets its 413 before the connection closes, every time", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 11; i++) statuses.push((await oversized(50_000_000, 50_000_000)).status);
    expect(statuses).toEqual(Array(11).fill(413));
  }, 120_000);

  it("node's HTTP client, writing a 50 MB body, reads the 413 every time", async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 3; i++) {
      // A connection of its own each time (agent: false), as a one-off client would open.
      const { status, body } = await new Promise<{ status: number; body: string }>((resolve, reject) => {
        const request = http.request(t.url, { method: "POST", agent: false, headers: { "content-type": "application/json" } }, (response) => {
          let body = "";
          response.on("data", (chunk) => (body += chunk));
          response.on("end", () => resolve({ status: response.statusCode ?? 0, body }));
        });
        request.on("error", reject);
        request.end(Buffer.alloc(50_000_000, 0x20));
      });
      statuses.push(status);
      expect(JSON.parse(body).errors[0].extensions.code).toBe("BAD_REQUEST");
    }
    expect(statuses).toEqual(Array(3).fill(413));
  }, 120_000);
});

describe("a response with data and an error", () => {
  it.each(["application/json", "application/graphql-response+json"])("is HTTP 200 when accepting %s", async (accept) => {
    const [{ code }] = (await t.sql<{ code: string }>("SELECT code FROM country ORDER BY code LIMIT 1")) as { code: string }[];
    // country is nullable: the page size over its cap (refused while running) leaves data { country: null }.
    const query = `query ($c: String!) { operations(first: 1) { totalCount } country(code: $c) { operationsOriginating(first: 1000) { totalCount } } }`;
    const { status, json } = await post({ query, variables: { c: code } }, { accept });
    expect(json.data.operations.totalCount).toBeGreaterThan(0);
    expect(json.data.country).toBeNull();
    expect(json.errors[0].message).toMatch(/first must be between 0 and 100/);
    expect(json.errors[0].extensions.code).toBe("BAD_USER_INPUT");
    expect(status).toBe(200);
  });

  it("stays 400 when data is null", async () => {
    // operations is non-null: its refused page size nulls the whole of data.
    const { status, json } = await post({ query: `{ operations(first: 1000) { totalCount } }` }, { accept: "application/graphql-response+json" });
    expect(json.data).toBeNull();
    expect(status).toBe(400);
  });
});

describe("a request whose budget runs out waiting on a lock", () => {
  it("is 503 OVERLOADED with Retry-After: the server was busy, not the query too big", async () => {
    const budget = await startTestApp({ env: { REQUEST_BUDGET_MS: "300", STATEMENT_TIMEOUT_MS: "60000" } });
    const blocker = new pg.Client({ connectionString: budget.databaseUrl });
    await blocker.connect();
    try {
      await blocker.query("BEGIN");
      await blocker.query("LOCK TABLE report IN ACCESS EXCLUSIVE MODE");
      const response = await budget.gql(`{ reports { totalCount } }`);
      await blocker.query("ROLLBACK");
      expect(response.body.errors?.[0].extensions?.code).toBe("OVERLOADED");
      expect(response.status).toBe(503);
      expect(Number(response.headers.get("retry-after"))).toBeGreaterThan(0);
      expect((await budget.data(`{ reports { totalCount } }`)).reports.totalCount).toBeGreaterThan(0);
    } finally {
      await blocker.end();
      await budget.close();
    }
  });
});

describe("stack traces", () => {
  const failing = `{ node(id: "not-an-id") { id } }`;
  it("are not sent by a service configured like a plain npm start (NODE_ENV unset)", async () => {
    // NODE_ENV "" is read as unset (the helper always passes one).
    const plain = await startTestApp({ loadDataset: false, env: { NODE_ENV: "" } });
    try {
      expect(plain.app.config.env).not.toBe("development");
      const response = await plain.gql(failing);
      expect(response.body.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
      expect(JSON.stringify(response.body)).not.toMatch(/stacktrace/);
    } finally {
      await plain.close();
    }
  });

  it("are sent with NODE_ENV=development", async () => {
    const development = await startTestApp({ loadDataset: false, env: { NODE_ENV: "development" } });
    try {
      const response = await development.gql(failing);
      expect(response.body.errors?.[0].extensions).toHaveProperty("stacktrace");
    } finally {
      await development.close();
    }
  });
});
