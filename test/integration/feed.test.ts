import { XMLParser, XMLValidator } from "fast-xml-parser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp } from "../helpers/app";
import type { TestApp } from "../helpers/app";
import { readDataset } from "../helpers/dataset";
import { ensureWebBuilt } from "../browser/chromium";
import { createApiKey, Role } from "../../src/modules/auth";

/*
 * The Atom feed, read with a real XML parser and checked against RFC 4287 (The Atom Syndication
 * Format): the elements it requires of a feed and of each entry (section 4.1.1 and 4.1.2), dates as
 * RFC 3339 (3.3), ids as absolute IRIs (4.2.6), and against data/: the newest reports and
 * operations, in the order docs/feed.md gives.
 */
const ATOM_NS = "http://www.w3.org/2005/Atom";
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
/** A tag: URI (RFC 4151) or a urn:uuid: (RFC 4122), the stable kinds of id. */
const STABLE_ID = /^(tag:[^,]+,\d{4}(-\d{2}(-\d{2})?)?:.+|urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;
const ELEMENTS = ["feed", "entry", "author", "link", "category"];

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@_",
  isArray: (name) => ELEMENTS.includes(name) || name === "id" || name === "title" || name === "updated",
});
const dataset = readDataset();
let t: TestApp;

async function readFeed(headers: Record<string, string> = {}): Promise<{ status: number; text: string; response: Response; feed: any }> {
  const response = await fetch(new URL("/feed.atom", t.url), { headers });
  const text = await response.text();
  if (response.status !== 200) return { status: response.status, text, response, feed: null };
  expect(XMLValidator.validate(text)).toBe(true);
  const parsed = parser.parse(text);
  expect(parsed.feed).toHaveLength(1);
  return { status: response.status, text, response, feed: parsed.feed[0] };
}

const textOf = (node: any) => (typeof node === "string" ? node : node["#text"]);
const links = (node: any, rel: string) => (node.link ?? []).filter((l: any) => (l["@_rel"] ?? "alternate") === rel);

/** The newest 50 reports and operations from data/: by publication or first disclosure date, newest first; ties: operations first, then by key. */
function expectedEntries(): { kind: string; key: string; title: string; published: string }[] {
  const published = new Map(dataset.reports.map((r) => [r.key, r.publishedOn as string]));
  const records = [
    ...dataset.operations
      .filter((o) => o.reportKeys.length > 0)
      .map((o) => ({ kind: "operation", key: o.key, title: o.name, published: o.reportKeys.map((k: string) => published.get(k)!).sort()[0] })),
    ...dataset.reports.map((r) => ({ kind: "report", key: r.key, title: r.title, published: r.publishedOn })),
  ];
  const order = (a: (typeof records)[0], b: (typeof records)[0]) =>
    a.published !== b.published ? (a.published < b.published ? 1 : -1) : a.kind !== b.kind ? (a.kind === "operation" ? -1 : 1) : a.key < b.key ? -1 : 1;
  return records.sort(order).slice(0, 50);
}

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

describe("the Atom feed", () => {
  it("is an Atom 1.0 document with what RFC 4287 requires of a feed", async () => {
    const { response, feed } = await readFeed();
    expect(response.headers.get("content-type")).toMatch(/^application\/atom\+xml/);
    expect(feed["@_xmlns"]).toBe(ATOM_NS);
    for (const element of ["id", "title", "updated"]) expect(feed[element], element).toHaveLength(1);
    expect(feed.id[0]).toMatch(STABLE_ID);
    expect(feed.updated[0]).toMatch(RFC3339);
    expect(feed.author.length).toBeGreaterThan(0);
    for (const author of feed.author) expect(typeof author.name).toBe("string");
    expect(links(feed, "self").map((l: any) => l["@_href"])).toEqual([new URL("/feed.atom", t.url).toString()]);
    expect(links(feed, "alternate")).toHaveLength(1);
    // The feed's updated is its newest entry's.
    expect(feed.updated[0]).toBe(
      feed.entry
        .map((e: any) => e.updated[0])
        .sort()
        .at(-1),
    );
  });

  it("holds the newest reports and operations, each entry with what RFC 4287 requires", async () => {
    const { feed } = await readFeed();
    const expected = expectedEntries();
    expect(feed.entry.map((e: any) => textOf(e.title[0]))).toEqual(expected.map((r) => `${r.kind === "report" ? "Report" : "Operation"}: ${r.title}`));
    const ids = new Set<string>();
    for (const [i, entry] of feed.entry.entries()) {
      for (const element of ["id", "title", "updated"]) expect(entry[element], element).toHaveLength(1);
      expect(entry.id[0]).toMatch(STABLE_ID);
      ids.add(entry.id[0]);
      expect(entry.updated[0]).toMatch(RFC3339);
      expect(entry.published).toBe(`${expected[i].published}T00:00:00Z`);
      expect(entry.updated[0] >= entry.published).toBe(true);
      expect(links(entry, "alternate")).toHaveLength(1);
      expect(new URL(links(entry, "alternate")[0]["@_href"]).pathname).toBe("/dashboard");
      expect(entry.category.map((c: any) => c["@_term"])).toEqual([expected[i].kind]);
    }
    expect(ids.size).toBe(feed.entry.length);
  });

  it("links every entry to a GraphQL query that returns its record, and to a dashboard view that shows it", async () => {
    const { feed } = await readFeed();
    const expectedList = expectedEntries();
    for (const [i, entry] of feed.entry.entries()) {
      const expected = expectedList[i];
      const kind = expected.kind;
      const query = await fetch(links(entry, "related")[0]["@_href"], { headers: { accept: "application/json" } });
      expect(query.status).toBe(200);
      const record = ((await query.json()) as any).data[kind];
      expect(record.key).toBe(expected.key);
      // The dashboard link's filters, asked of the API, select the entry's operation, or the report's operations.
      const view = new URL(links(entry, "alternate")[0]["@_href"]).searchParams;
      const filter = {
        publisher: [view.get("publisher")],
        disclosedFrom: view.get("from"),
        disclosedTo: view.get("to"),
        ...(view.get("q") ? { text: view.get("q") } : {}),
      };
      const shown = await t.data(`query ($filter: OperationFilter) { operations(first: 100, filter: $filter) { nodes { key } } }`, { filter });
      const keys = shown.operations.nodes.map((n: any) => n.key).sort();
      if (kind === "report")
        expect(keys).toEqual(
          dataset.operations
            .filter((o) => o.reportKeys.includes(expected.key))
            .map((o) => o.key)
            .sort(),
        );
      else expect(keys).toContain(expected.key);
    }
  });

  it("keeps an entry's id when its record changes, and tells readers it was updated", async () => {
    const before = (await readFeed()).feed;
    const entry = before.entry.find((e: any) => e.category[0]["@_term"] === "report");
    const report = expectedEntries().find((r) => r.kind === "report")!;
    const editor = (await createApiKey(t.app.dataSource, "feed editor", Role.EDITOR)).key;
    const response = await fetch(t.url, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${editor}` },
      body: JSON.stringify({
        query: `mutation ($input: ReportInput!) { reportUpsert(input: $input) { result userErrors { message } } }`,
        variables: { input: { key: report.key, summary: "A curated summary." } },
      }),
    });
    expect(((await response.json()) as any).data.reportUpsert).toEqual({ result: "UPDATED", userErrors: [] });
    const after = (await readFeed()).feed;
    const same = after.entry.find((e: any) => e.id[0] === entry.id[0]);
    expect(same.summary["#text"]).toBe("A curated summary.");
    expect(same.updated[0] > entry.updated[0]).toBe(true);
    expect(after.updated[0]).toBe(same.updated[0]);
  });

  it("answers a reader that already has it with 304", async () => {
    const first = await readFeed();
    const etag = first.response.headers.get("etag")!;
    expect(etag).toBeTruthy();
    expect((await readFeed({ "if-none-match": etag })).status).toBe(304);
  });

  it("answers another method with 405 and the exports' JSON error, naming what is allowed", async () => {
    const response = await fetch(new URL("/feed.atom", t.url), { method: "POST" });
    expect(response.status).toBe(405);
    expect(response.headers.get("allow")).toBe("GET, HEAD");
    expect(response.headers.get("content-type")).toMatch(/^application\/json/);
    const body = await response.json();
    expect(body.error.code).toBe("METHOD_NOT_ALLOWED");
    expect(body.error.message).toContain("/feed.atom");
  });

  it("is linked from the front page's head", async () => {
    await ensureWebBuilt();
    const html = await (await fetch(new URL("/", t.url), { headers: { accept: "text/html" } })).text();
    const head = /<head>([\s\S]*)<\/head>/.exec(html)![1];
    const link = /<link[^>]*rel="alternate"[^>]*>/.exec(head)?.[0] ?? "";
    expect(link).toContain('type="application/atom+xml"');
    expect(link).toContain('href="/feed.atom"');
  });
});
