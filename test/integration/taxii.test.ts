import { afterAll, beforeAll, describe, expect, it } from "vitest";
import fs from "node:fs";
import path from "node:path";
import { ROOT, startTestApp } from "../helpers/app";
import type { TestApp } from "../helpers/app";
import { readDataset } from "../helpers/dataset";
import { createApp } from "../../src/app";
import { createApiKey, Role } from "../../src/modules/auth";
import { readPoolOf } from "../../src/db/request-db";

/*
 * A TAXII 2.1 client written plainly from the specification (OASIS Standard, 10 June 2021): it
 * finds the API root from the discovery resource, the collection from the API root, and pages
 * with `limit` and `next`. What it gets is compared with the STIX export (/export/stix), the
 * collection's independent source, and with the specification's rules for each resource.
 */
const TAXII = "application/taxii+json;version=2.1";
/** RFC 3339 in UTC, the TAXII timestamp. */
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

let t: TestApp;
let editor: string;
let collectionUrl: string;

interface Answer {
  status: number;
  headers: Headers;
  body: any;
}

async function get(url: string, accept: string | null = TAXII): Promise<Answer> {
  const response = await fetch(new URL(url, t.url), { headers: accept === null ? {} : { accept } });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : null };
}

/** Follows `next` until `more` is false, checking each page's size and date headers; returns every record and the pages' headers. */
async function pageAll(base: string, key: "objects" | "versions", limit: number): Promise<{ records: any[]; pages: Answer[] }> {
  const records: any[] = [];
  const pages: Answer[] = [];
  let next: string | undefined;
  for (;;) {
    const url = new URL(base, t.url);
    url.searchParams.set("limit", String(limit));
    if (next) url.searchParams.set("next", next);
    const answer = await get(url.toString());
    expect(answer.status).toBe(200);
    expect(answer.headers.get("content-type")).toBe(TAXII);
    const page = answer.body[key] ?? [];
    expect(page.length).toBeLessThanOrEqual(limit);
    records.push(...page);
    pages.push(answer);
    if (!answer.body.more) {
      expect(answer.body.next).toBeUndefined();
      return { records, pages };
    }
    expect(typeof answer.body.next).toBe("string");
    expect(page.length).toBe(limit);
    next = answer.body.next;
  }
}

async function exportedObjects(): Promise<any[]> {
  const response = await fetch(new URL("/export/stix", t.url));
  expect(response.status).toBe(200);
  return ((await response.json()) as any).objects;
}

const byId = (objects: any[]) => [...objects].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));

/**
 * The error message resource: `title` required (string); `description`, `error_id`, `error_code`,
 * `http_status`, `external_details` strings and `details` a dictionary, each optional; nothing else.
 */
function errorResourceProblems(body: any): string[] {
  const problems: string[] = [];
  if (typeof body?.title !== "string") problems.push("title is not a string");
  for (const [name, value] of Object.entries(body ?? {})) {
    if (["title", "description", "error_id", "error_code", "http_status", "external_details"].includes(name)) {
      if (typeof value !== "string") problems.push(`${name} is not a string`);
    } else if (name === "details") {
      if (typeof value !== "object" || value === null || Array.isArray(value)) problems.push("details is not a dictionary");
    } else problems.push(`unknown property ${name}`);
  }
  return problems;
}

async function expectError(url: string, status: number, accept: string | null = TAXII): Promise<any> {
  const answer = await get(url, accept);
  expect(answer.status).toBe(status);
  expect(answer.headers.get("content-type")).toBe(TAXII);
  expect(errorResourceProblems(answer.body)).toEqual([]);
  expect(answer.body.http_status).toBe(String(status));
  expect(answer.body.error_code).toMatch(/^[A-Z_]+$/);
  return answer.body;
}

beforeAll(async () => {
  t = await startTestApp();
  editor = (await createApiKey(t.app.dataSource, "taxii editor", Role.EDITOR)).key;
  const discovery = await get("/taxii2/");
  expect(discovery.status).toBe(200);
  const root = await get(discovery.body.api_roots[0]);
  expect(root.body.versions).toContain(TAXII);
  const collections = await get(new URL("collections/", discovery.body.api_roots[0]).toString());
  expect(collections.body.collections).toHaveLength(1);
  collectionUrl = new URL(`collections/${collections.body.collections[0].id}/`, discovery.body.api_roots[0]).toString();
});
afterAll(async () => {
  await t?.close();
});

describe("TAXII 2.1 resources", () => {
  it("serves discovery, the API root and the collection with the properties the specification requires", async () => {
    const discovery = await get("/taxii2/");
    expect(typeof discovery.body.title).toBe("string");
    expect(discovery.body.default).toBe(discovery.body.api_roots[0]);
    const root = await get(discovery.body.api_roots[0]);
    expect(typeof root.body.title).toBe("string");
    expect(Number.isInteger(root.body.max_content_length)).toBe(true);
    const collection = await get(collectionUrl);
    expect(collection.body).toMatchObject({ can_read: true, can_write: false, media_types: ["application/stix+json;version=2.1"] });
    // The id docs/taxii.md gives platforms to configure: it must never change.
    const documented = /collection's id, `([0-9a-f-]{36})`/.exec(fs.readFileSync(path.join(ROOT, "docs/taxii.md"), "utf8"))?.[1];
    expect(collection.body.id).toBe(documented);
    expect((await get("/taxii2/misuse-graph/collections/disclosed-ai-misuse/")).body).toEqual(collection.body);
    expect(typeof collection.body.title).toBe("string");
  });

  it("pages through exactly the objects of /export/stix with limit and next", async () => {
    const expected = await exportedObjects();
    const { records, pages } = await pageAll(`${collectionUrl}objects/`, "objects", 37);
    expect(pages.length).toBe(Math.ceil(expected.length / 37));
    expect(byId(records)).toEqual(byId(expected));
    // Paging with added_after alone (the previous page's X-TAXII-Date-Added-Last) gets each object once too.
    const byDate: any[] = [];
    let after: string | null = null;
    for (;;) {
      const answer = await get(`${collectionUrl}objects/?limit=37${after ? `&added_after=${after}` : ""}`);
      if (!answer.body.objects) break;
      byDate.push(...answer.body.objects);
      after = answer.headers.get("x-taxii-date-added-last");
    }
    expect(byId(byDate)).toEqual(byId(expected));
    // The date headers name the first and last record of each page, pages in date-added order.
    const manifest = await pageAll(`${collectionUrl}manifest/`, "objects", 37);
    const dates = manifest.records.map((r) => r.date_added);
    expect([...dates].sort()).toEqual(dates);
    for (const [i, page] of manifest.pages.entries()) {
      expect(page.headers.get("x-taxii-date-added-first")).toBe(dates[i * 37]);
      expect(page.headers.get("x-taxii-date-added-last")).toBe(dates[Math.min(dates.length, (i + 1) * 37) - 1]);
    }
  });

  it("lists each object's id, version and date added in the manifest", async () => {
    const expected = await exportedObjects();
    const { records } = await pageAll(`${collectionUrl}manifest/`, "objects", 500);
    expect(byId(records).map((r) => [r.id, r.version])).toEqual(byId(expected).map((o) => [o.id, o.modified]));
    for (const record of records) {
      expect(record.date_added).toMatch(TIMESTAMP);
      expect(record.media_type).toBe("application/stix+json;version=2.1");
    }
  });

  it("filters by match[type] and match[id]", async () => {
    const expected = await exportedObjects();
    const types = await pageAll(`${collectionUrl}objects/?match[type]=location,report`, "objects", 1000);
    expect(byId(types.records)).toEqual(byId(expected.filter((o) => o.type === "location" || o.type === "report")));
    const ids = [expected[3].id, expected[expected.length - 1].id];
    const chosen = await pageAll(`${collectionUrl}objects/?match[id]=${ids.join(",")}`, "objects", 1000);
    expect(byId(chosen.records)).toEqual(byId(expected.filter((o) => ids.includes(o.id))));
    const one = await get(`${collectionUrl}objects/${ids[0]}/`);
    expect(one.body.objects).toEqual([expected[3]]);
    expect(await get(`${collectionUrl}objects/?match[spec_version]=2.0`)).toMatchObject({ status: 200, body: { more: false } });
  });

  it("negotiates the media type as the specification says", async () => {
    for (const accept of [TAXII, "application/taxii+json", "*/*", "application/*", "text/html;q=0.9, application/taxii+json;version=2.1", null]) {
      const answer = await get("/taxii2/", accept);
      expect(answer.status, String(accept)).toBe(200);
      expect(answer.headers.get("content-type")).toBe(TAXII);
    }
    for (const accept of ["application/taxii+json;version=2.0", "text/html", "application/stix+json;version=2.1", "application/json"]) {
      await expectError(`${collectionUrl}objects/`, 406, accept);
    }
  });

  it("answers bad requests with the error message resource", async () => {
    expect((await expectError(`${collectionUrl}objects/?limit=0`, 400)).details).toEqual({ parameter: "limit" });
    expect((await expectError(`${collectionUrl}objects/?added_after=yesterday`, 400)).details).toEqual({ parameter: "added_after" });
    expect((await expectError(`${collectionUrl}objects/?next=bogus`, 400)).details).toEqual({ parameter: "next" });
    expect((await expectError(`${collectionUrl}objects/?match[version]=newest`, 400)).details).toEqual({ parameter: "match[version]" });
    expect((await expectError(`${collectionUrl}objects/?color=red`, 400)).details).toEqual({ parameter: "color" });
    await expectError(`${collectionUrl}objects/intrusion-set--00000000-0000-5000-8000-000000000000/`, 404);
    await expectError("/taxii2/misuse-graph/collections/no-such-collection/", 404);
    await expectError("/taxii2/elsewhere/", 404);
    const post = await fetch(new URL(`${collectionUrl}objects/`, t.url), { method: "POST", headers: { accept: TAXII, "content-type": TAXII }, body: "{}" });
    expect(post.status).toBe(403);
    expect(errorResourceProblems(await post.json())).toEqual([]);
  });
});

describe("TAXII 2.1 after a data change", () => {
  it("returns exactly what the change added or changed after added_after, with every version kept", async () => {
    const before = await exportedObjects();
    const manifest = await pageAll(`${collectionUrl}manifest/`, "objects", 1000);
    const lastAdded = manifest.pages[manifest.pages.length - 1].headers.get("x-taxii-date-added-last")!;
    expect(lastAdded).toMatch(TIMESTAMP);
    expect(await get(`${collectionUrl}objects/?added_after=${lastAdded}`)).toMatchObject({ status: 200, body: { more: false } });

    const operation = readDataset().operations.find((o) => o.reportKeys.length > 0)!;
    const mutation = `mutation ($input: OperationInput!) { operationUpsert(input: $input) { result userErrors { message } } }`;
    const response = await fetch(t.url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${editor}` },
      body: JSON.stringify({ query: mutation, variables: { input: { key: operation.key, summary: `${operation.summary} (curated)` } } }),
    });
    expect(((await response.json()) as any).data.operationUpsert).toEqual({ result: "UPDATED", userErrors: [] });

    const after = await exportedObjects();
    const previous = new Map(before.map((o) => [o.id, JSON.stringify(o)]));
    const changed = after.filter((o) => previous.get(o.id) !== JSON.stringify(o));
    expect(changed.length).toBeGreaterThan(0);
    const added = await pageAll(`${collectionUrl}objects/?added_after=${lastAdded}`, "objects", 2);
    expect(byId(added.records)).toEqual(byId(changed));
    // The whole collection is still exactly the export.
    expect(byId((await pageAll(`${collectionUrl}objects/`, "objects", 1000)).records)).toEqual(byId(after));

    // Each changed object keeps its earlier version: versions, first, all and a specific version.
    const object = changed.find((o) => o.type === "intrusion-set")!;
    const old = before.find((o) => o.id === object.id)!;
    const versions = await pageAll(`${collectionUrl}objects/${object.id}/versions/`, "versions", 1);
    expect(versions.records).toEqual([old.modified, object.modified]);
    expect((await get(`${collectionUrl}objects/${object.id}/?match[version]=first`)).body.objects).toEqual([old]);
    expect((await get(`${collectionUrl}objects/${object.id}/?match[version]=${old.modified}`)).body.objects).toEqual([old]);
    expect((await get(`${collectionUrl}objects/${object.id}/`)).body.objects).toEqual([object]);
    const all = await get(`${collectionUrl}objects/?match[id]=${object.id}&match[version]=all`);
    expect(byId(all.body.objects).map((o: any) => o.modified)).toEqual([old.modified, object.modified].sort());
    const firstAndLast = await get(`${collectionUrl}manifest/?match[id]=${object.id}&match[version]=first,last`);
    expect(firstAndLast.body.objects.map((r: any) => r.version).sort()).toEqual([old.modified, object.modified].sort());
  });

  it("drops a deleted record's objects and re-adds the objects that referred to it", async () => {
    const admin = (await createApiKey(t.app.dataSource, "taxii admin", Role.ADMIN)).key;
    const before = await exportedObjects();
    const manifest = await pageAll(`${collectionUrl}manifest/`, "objects", 1000);
    const lastAdded = manifest.pages[manifest.pages.length - 1].headers.get("x-taxii-date-added-last")!;
    const operation = readDataset().operations.filter((o) => o.reportKeys.length > 0)[1];
    const response = await fetch(t.url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${admin}` },
      body: JSON.stringify({ query: `mutation ($key: String!) { operationDelete(input: { key: $key }) { deletedKey } }`, variables: { key: operation.key } }),
    });
    expect(((await response.json()) as any).data.operationDelete.deletedKey).toBe(operation.key);

    const after = await exportedObjects();
    expect(after.length).toBeLessThan(before.length);
    expect(byId((await pageAll(`${collectionUrl}objects/`, "objects", 1000)).records)).toEqual(byId(after));
    const previous = new Map(before.map((o) => [o.id, JSON.stringify(o)]));
    const changed = after.filter((o) => previous.get(o.id) !== JSON.stringify(o));
    expect(changed.some((o) => o.type === "report")).toBe(true);
    expect(byId((await pageAll(`${collectionUrl}objects/?added_after=${lastAdded}`, "objects", 1000)).records)).toEqual(byId(changed));
    const removed = before.find((o) => !after.some((a) => a.id === o.id))!;
    await expectError(`${collectionUrl}objects/${removed.id}/`, 404);
  });

  it("keeps every date added across a restart, and replicas that see a change at once agree on its dates", async () => {
    const manifest = (await pageAll(`${collectionUrl}manifest/`, "objects", 1000)).records;
    // A second service on the same database: a restarted process, or a replica beside this one.
    const replica = await createApp(t.app.config);
    try {
      const replicaCollection = new URL(new URL(collectionUrl).pathname, await replica.listen()).toString();
      expect((await pageAll(`${replicaCollection}manifest/`, "objects", 1000)).records).toEqual(manifest);

      const operation = readDataset().operations.filter((o) => o.reportKeys.length > 0)[2];
      const response = await fetch(t.url, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${editor}` },
        body: JSON.stringify({
          query: `mutation ($input: OperationInput!) { operationUpsert(input: $input) { result } }`,
          variables: { input: { key: operation.key, summary: `${operation.summary} (curated again)` } },
        }),
      });
      expect(((await response.json()) as any).data.operationUpsert.result).toBe("UPDATED");
      const [here, there] = await Promise.all([
        pageAll(`${collectionUrl}manifest/`, "objects", 1000),
        pageAll(`${replicaCollection}manifest/`, "objects", 1000),
      ]);
      expect(there.records).toEqual(here.records);
      const added = here.records.filter((r) => !manifest.some((m) => m.id === r.id && m.version === r.version));
      expect(added.length).toBeGreaterThan(0);
      expect(
        added.every(
          (r) =>
            r.date_added >
            manifest
              .map((m) => m.date_added)
              .sort()
              .at(-1)!,
        ),
      ).toBe(true);
    } finally {
      await replica.close();
    }
  });
});

describe("TAXII 2.1 under the exports' discipline", () => {
  let limited: TestApp;
  const ask = (path: string) => fetch(new URL(path, limited.url), { headers: { accept: TAXII } });
  beforeAll(async () => {
    limited = await startTestApp({ loadDataset: false, env: { DB_POOL_SIZE: "4", RATE_LIMIT_POINTS: "4", RATE_LIMIT_WINDOW_SECONDS: "3600" } });
  });
  afterAll(async () => {
    await limited?.close();
  });

  it("answers 503 OVERLOADED with Retry-After while the pool is exhausted, and serves again once it is not", async () => {
    const pool = readPoolOf(limited.app.dataSource);
    const held = [];
    for (let i = 0; i < (pool.options.max ?? 4); i += 1) held.push(await pool.connect());
    try {
      const busy = await ask("/taxii2/misuse-graph/collections/disclosed-ai-misuse/objects/");
      expect(busy.status).toBe(503);
      expect(Number(busy.headers.get("retry-after"))).toBeGreaterThan(0);
      const body = await busy.json();
      expect(errorResourceProblems(body)).toEqual([]);
      expect(body).toMatchObject({ http_status: "503", error_code: "OVERLOADED" });
    } finally {
      for (const client of held) client.release();
    }
    expect((await ask("/taxii2/misuse-graph/collections/disclosed-ai-misuse/objects/")).status).toBe(200);
  });

  it("charges the client's one budget, shared with GraphQL, and answers 429 as an error resource", async () => {
    // One point went to the last request above (a refused one costs nothing).
    const first = await ask("/taxii2/");
    expect(first.status).toBe(200);
    expect(first.headers.get("x-ratelimit-limit")).toBe("4");
    expect(first.headers.get("x-ratelimit-remaining")).toBe("2");
    expect((await ask("/taxii2/misuse-graph/collections/")).status).toBe(200);
    // One point left: a GraphQL query spends it, and TAXII then finds the budget spent.
    expect((await limited.gql("{ __typename }")).status).toBe(200);
    const refused = await ask("/taxii2/");
    expect(refused.status).toBe(429);
    expect(refused.headers.get("content-type")).toBe(TAXII);
    expect(refused.headers.get("x-ratelimit-remaining")).toBe("0");
    const body = await refused.json();
    expect(errorResourceProblems(body)).toEqual([]);
    expect(body).toMatchObject({ http_status: "429", error_code: "RATE_LIMITED" });
  });
});
