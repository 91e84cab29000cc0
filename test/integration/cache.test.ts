import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp } from "../helpers/app";
import type { TestApp } from "../helpers/app";
import { bundleFromDocuments, importBundle } from "../../src/import";
import { createApiKey, Role } from "../../src/modules/auth";

let t: TestApp;
let editor: string;

beforeAll(async () => {
  t = await startTestApp();
  editor = (await createApiKey(t.app.dataSource, "cache test editor", Role.EDITOR)).key;
});
afterAll(async () => {
  await t?.close();
});

const COUNTS = `{ dataset { counts { operations companies } } }`;
const getUrl = (query: string) => `${t.url}?${new URLSearchParams({ query })}`;
const get = (query: string, headers: Record<string, string> = {}) => fetch(getUrl(query), { headers: { accept: "application/json", ...headers } });

async function companiesInDatabase(): Promise<number> {
  const [{ n }] = await t.sql<{ n: number }>("SELECT count(*)::int AS n FROM company");
  return n;
}

describe("GET answers carry an ETag and are revalidated", () => {
  it("answers an anonymous GET with an ETag and public caching, and 304 for the same If-None-Match", async () => {
    const first = await get(COUNTS);
    expect(first.status).toBe(200);
    const etag = first.headers.get("etag");
    expect(etag).toMatch(/^"[\w-]+"$/);
    expect(first.headers.get("cache-control")).toBe("public, max-age=60");
    const body = (await first.json()) as any;
    expect(body.data.dataset.counts.companies).toBe(await companiesInDatabase());

    const again = await get(COUNTS, { "if-none-match": etag! });
    expect(again.status).toBe(304);
    expect(again.headers.get("etag")).toBe(etag);
    expect(await again.text()).toBe("");

    const other = await get(`{ dataset { counts { reports } } }`, { "if-none-match": etag! });
    expect(other.status).toBe(200);
    expect(other.headers.get("etag")).not.toBe(etag);
  });

  it("gives a new ETag and fresh facts after an import", async () => {
    const before = await get(COUNTS);
    const etag = before.headers.get("etag")!;
    const countBefore = ((await before.json()) as any).data.dataset.counts.companies;

    const bundle = bundleFromDocuments("cache-test", [
      { file: "cache-test.json", value: { companies: [{ key: "cache-test-co", name: "Cache Test Co", kind: "OTHER", hqCountry: "FR" }] } },
    ]);
    const result = await importBundle(t.app.dataSource, bundle);
    expect(result.ok).toBe(true);

    const after = await get(COUNTS, { "if-none-match": etag });
    expect(after.status).toBe(200);
    const newEtag = after.headers.get("etag");
    expect(newEtag).toBeTruthy();
    expect(newEtag).not.toBe(etag);
    const countAfter = ((await after.json()) as any).data.dataset.counts.companies;
    expect(countAfter).toBe(countBefore + 1);
    expect(countAfter).toBe(await companiesInDatabase());
    expect((await get(COUNTS, { "if-none-match": newEtag! })).status).toBe(304);
  });

  it("gives a new ETag after a curation write through the API", async () => {
    const etag = (await get(COUNTS)).headers.get("etag")!;
    const write = await fetch(t.url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${editor}` },
      body: JSON.stringify({
        query: `mutation { companyUpsert(input: { key: "cache-test-api-co", name: "Cache Test API Company", kind: OTHER }) { result } }`,
      }),
    });
    expect(((await write.json()) as any).data.companyUpsert.result).toBe("CREATED");
    const after = await get(COUNTS, { "if-none-match": etag });
    expect(after.status).toBe(200);
    expect(after.headers.get("etag")).not.toBe(etag);
  });
});

describe("what is never cached", () => {
  it("sends no-store for POST, for requests with an API key, and for answers with errors", async () => {
    const post = await fetch(t.url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query: COUNTS }) });
    expect(post.status).toBe(200);
    expect(post.headers.get("cache-control")).toBe("no-store");
    expect(post.headers.get("etag")).toBeNull();

    const keyed = await get(COUNTS, { authorization: `Bearer ${editor}` });
    expect(keyed.status).toBe(200);
    expect(keyed.headers.get("cache-control")).toBe("no-store");
    expect(keyed.headers.get("etag")).toBeNull();

    const notFound = await get(`{ operation(key: "no-such-operation") { name } }`);
    expect(((await notFound.json()) as any).errors[0].extensions.code).toBe("NOT_FOUND");
    expect(notFound.headers.get("cache-control")).toBe("no-store");
    expect(notFound.headers.get("etag")).toBeNull();
  });
});
