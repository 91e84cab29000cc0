import { afterAll, beforeAll, expect, it } from "vitest";
import { startTestApp } from "../helpers/app";
import type { TestApp } from "../helpers/app";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ loadDataset: false });
});
afterAll(async () => {
  await t?.close();
});

// The request headers browsers' GraphQL clients add, as their documentation names them: Apollo
// Client's client awareness (apollographql-client-name / -version) and CSRF prevention
// (apollo-require-preflight, x-apollo-operation-name); urql and graphql-http set accept to the
// GraphQL-over-HTTP media types, which makes accept a non-safelisted header needing a preflight.
const CLIENT_HEADERS = ["content-type", "accept", "authorization", "apollographql-client-name", "apollographql-client-version", "apollo-require-preflight"];

it("a browser preflight for the headers Apollo Client and urql send is allowed", async () => {
  const response = await fetch(t.url, {
    method: "OPTIONS",
    headers: { origin: "https://newsroom.example", "access-control-request-method": "POST", "access-control-request-headers": CLIENT_HEADERS.join(",") },
  });
  expect(response.status).toBeLessThan(300);
  expect(response.headers.get("access-control-allow-origin")).toBe("*");
  const allowed = (response.headers.get("access-control-allow-headers") ?? "").split(",").map((h) => h.trim().toLowerCase());
  for (const header of CLIENT_HEADERS) expect(allowed, header).toContain(header);
});

it("a cross-origin answer exposes the dataset version and rate-limit headers to the page", async () => {
  const response = await fetch(t.url, {
    method: "POST",
    headers: { origin: "https://newsroom.example", "content-type": "application/json", "apollographql-client-name": "newsroom" },
    body: JSON.stringify({ query: "{ __typename }" }),
  });
  expect(response.status).toBe(200);
  const exposed = (response.headers.get("access-control-expose-headers") ?? "").split(",").map((h) => h.trim().toLowerCase());
  for (const header of ["x-ratelimit-remaining", "retry-after", "x-dataset-version"]) expect(exposed, header).toContain(header);
});
