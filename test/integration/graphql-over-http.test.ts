import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { auditServer } from "graphql-http";
import { startTestApp } from "../helpers/app";
import type { TestApp } from "../helpers/app";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ loadDataset: false });
});
afterAll(async () => {
  await t?.close();
});

describe("GraphQL over HTTP", () => {
  it("passes every MUST of the graphql-http audit suite", async () => {
    const results = await auditServer({ url: t.url });
    const failures = results.filter((result) => result.status !== "ok" && result.name.startsWith("MUST"));
    const details = await Promise.all(
      failures.map(async (f) => `${f.name}: ${f.status === "error" ? f.reason : ""} ${"response" in f ? await f.response.text().catch(() => "") : ""}`),
    );
    expect(details).toEqual([]);
    expect(results.filter((result) => result.status === "ok").length).toBeGreaterThan(20);
  });
});
