import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp } from "../helpers/app";
import type { TestApp } from "../helpers/app";
import { ensureWebBuilt } from "../browser/chromium";

// How the service serves its pages over plain HTTP; test/browser/ renders them in Chromium.
let on: TestApp;
let off: TestApp;

beforeAll(async () => {
  await ensureWebBuilt();
  [on, off] = await Promise.all([startTestApp({ loadDataset: false }), startTestApp({ loadDataset: false, env: { PLAYGROUND: "false" } })]);
});
afterAll(async () => {
  await Promise.all([on?.close(), off?.close()]);
});

const base = (t: TestApp) => new URL(t.url).origin;

describe("pages and assets", () => {
  it("serves /, /dashboard and the playground with CSP and nosniff, and never Apollo's CDN page", async () => {
    for (const path of ["/", "/dashboard", "/graphql"]) {
      const response = await fetch(base(on) + path, { headers: { accept: "text/html,application/xhtml+xml,*/*;q=0.8" }, redirect: "manual" });
      expect(response.status, path).toBe(200);
      expect(response.headers.get("content-security-policy"), path).toMatch(/^default-src 'self'; /);
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      const html = await response.text();
      expect(html).not.toMatch(/apollographql\.com|googleapis|gstatic|cdn\./i);
      for (const [, ref] of html.matchAll(/(?:src|href)="([^"]+)"/g)) {
        if (!ref.startsWith("data:")) expect(new URL(ref, base(on)).origin, ref).toBe(base(on));
      }
    }
  });

  it("refuses asset paths outside the build and answers unknown assets with 404", async () => {
    for (const path of ["/assets/..%2f..%2fpackage.json", "/assets/../package.json", "/assets/nothing-here.js"]) {
      const response = await fetch(base(on) + path);
      expect(response.status, path).toBe(404);
      expect(await response.text()).not.toContain('"name": "misuse-graph"');
    }
  });

  it("hands GraphQL GET requests that accept JSON to the API", async () => {
    const response = await fetch(`${on.url}?query=${encodeURIComponent("{ __typename }")}`, {
      headers: { accept: "application/graphql-response+json, text/html" },
    });
    expect(response.headers.get("content-type")).toMatch(/json/);
    expect(((await response.json()) as any).data.__typename).toBe("Query");
  });

  it("with PLAYGROUND=false serves no playground, while / and /dashboard stay", async () => {
    const playground = await fetch(off.url, { headers: { accept: "text/html" } });
    expect(playground.headers.get("content-type") ?? "").not.toMatch(/html/);
    expect(playground.status).toBeGreaterThanOrEqual(400);
    expect((await fetch(base(off) + "/", { headers: { accept: "text/html" } })).status).toBe(200);
    expect((await fetch(base(off) + "/dashboard")).status).toBe(200);
  });
});
