import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { startTestApp } from "../helpers/app";
import type { TestApp } from "../helpers/app";
import { ARTIFACTS, ensureWebBuilt, guardedPage, launchChromium } from "./chromium";
import { chromium, needs } from "../helpers/engines";
import type { GuardedPage } from "./chromium";

let t: TestApp;
let browser: Browser;
let origin: string;
let current: GuardedPage | null = null;

const run = needs("the browser tests (test/browser)", chromium());

beforeAll(async () => {
  if (!run) return;
  await ensureWebBuilt();
  [t, browser] = await Promise.all([startTestApp(), launchChromium()]);
  origin = new URL(t.url).origin;
});
afterAll(async () => {
  await browser?.close();
  await t?.close();
});

/** Opens a guarded page; after each test, every request must have stayed on the server's origin. */
async function open(pathname: string): Promise<GuardedPage> {
  current = await guardedPage(browser, origin);
  await current.page.goto(origin + pathname);
  return current;
}
afterEach(async () => {
  if (!current) return;
  const { foreign, problems } = current;
  await current.close();
  current = null;
  expect(foreign, "requests to other origins").toEqual([]);
  expect(problems, "console errors, page errors and CSP violations").toEqual([]);
});

async function sqlCount(table: string): Promise<number> {
  const [{ n }] = await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
  return n;
}

const shot = (name: string) => path.join(ARTIFACTS, `${name}.png`);

describe.skipIf(!run)("the playground at /graphql", () => {
  it("is served to browsers with its assets from the service, under a strict CSP", async () => {
    const response = await fetch(t.url, { headers: { accept: "text/html" } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toMatch(/^text\/html/);
    expect(response.headers.get("content-security-policy")).toMatch(/^default-src 'self'/);
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    const html = await response.text();
    const refs = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1]).filter((r) => !r.startsWith("data:"));
    expect(refs.some((r) => r.endsWith(".js"))).toBe(true);
    for (const ref of refs) {
      expect(new URL(ref, t.url).origin).toBe(origin);
      if (!ref.startsWith("/assets/")) continue;
      const asset = await fetch(new URL(ref, t.url));
      expect(asset.status, ref).toBe(200);
      expect(asset.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    }
    // A GraphQL client's GET still reaches the API.
    const json = await fetch(`${t.url}?query=${encodeURIComponent("{ dataset { counts { reports } } }")}`, { headers: { accept: "application/json" } });
    expect(((await json.json()) as any).data.dataset.counts.reports).toBe(await sqlCount("report"));
  });

  it("loads GraphiQL and runs { dataset { counts { operations } } }", async () => {
    const { page } = await open("/graphql");
    await page.locator(".graphiql-container").waitFor();
    await page.locator(".graphiql-query-editor .CodeMirror").getByText("operations").first().waitFor();
    await page.locator(".graphiql-execute-button").click();
    const operations = await sqlCount("operation");
    await expect.poll(() => page.locator(".graphiql-response").innerText(), { timeout: 15_000 }).toMatch(new RegExp(`"operations":\\s*${operations}\\b`));
    await page.getByRole("button", { name: "Show Documentation Explorer" }).click();
    await page.locator(".graphiql-doc-explorer").getByText("Query", { exact: true }).first().waitFor();
    await page.screenshot({ path: shot("playground") });
  });

  it("opens a query passed in the URL, as the dashboard's links do, and lists the README's examples", async () => {
    const { page } = await open(`/graphql?query=${encodeURIComponent("{ dataset { counts { statements } } }")}`);
    await page.locator(".graphiql-query-editor .CodeMirror").getByText("statements").first().waitFor();
    await page.locator(".graphiql-execute-button").click();
    const statements = await sqlCount("statement");
    await expect.poll(() => page.locator(".graphiql-response").innerText(), { timeout: 15_000 }).toMatch(new RegExp(`"statements":\\s*${statements}\\b`));
    await page.getByRole("button", { name: "Show Examples" }).click();
    const examples = page.locator(".pg-examples button");
    expect(await examples.count()).toBeGreaterThanOrEqual(5);
    await examples.first().click();
    await page.locator(".graphiql-query-editor .CodeMirror").getByText("totalCount").first().waitFor();
  });
});

describe.skipIf(!run)("the front page at /", () => {
  it("shows the live counts, the content hash, the newest reports and the vocabularies from the schema", async () => {
    const { page } = await open("/");
    const counts = page.locator("#dataset");
    await counts.locator('[data-count="operations"]').waitFor();
    for (const [key, table] of [
      ["operations", "operation"],
      ["reports", "report"],
      ["statements", "statement"],
      ["companies", "company"],
    ]) {
      const text = await counts.locator(`[data-count="${key}"]`).innerText();
      expect(Number(text.replace(/,/g, "")), key).toBe(await sqlCount(table));
    }
    const hash = (await t.data(`{ dataset { contentHash } }`)).dataset.contentHash;
    expect(await page.locator('[data-field="contentHash"]').innerText()).toBe(hash);

    const newest = await t.sql<{ title: string; name: string }>(
      `SELECT r.title, c.name FROM report r JOIN company c ON c.id = r.publisher_id ORDER BY r.published_on DESC, r.id DESC LIMIT 1`,
    );
    const firstRow = page.locator("#reports tbody tr").first();
    await expect.poll(() => firstRow.innerText()).toContain(newest[0].title);
    expect(await firstRow.innerText()).toContain(newest[0].name);

    const categories = await page.locator('dl[data-enum="OperationCategory"] dt').allInnerTexts();
    const schema = await t.data(`{ __type(name: "OperationCategory") { enumValues { name } } }`);
    expect(categories).toEqual(schema.__type.enumValues.map((v: { name: string }) => v.name));
    await page.screenshot({ path: shot("front"), fullPage: true });
  });
});

/** The category chart's data table, as key -> count. */
async function categoryChart(page: GuardedPage["page"]): Promise<Record<string, number>> {
  const rows = await page
    .locator("#by-category-table tbody tr")
    .evaluateAll((trs) => trs.map((tr) => [tr.getAttribute("data-key")!, Number(tr.querySelector("td")!.textContent)] as const));
  return Object.fromEntries(rows);
}

async function categoryStats(filter: Record<string, unknown>): Promise<Record<string, number>> {
  const data = await t.data(
    `query ($filter: OperationFilter) { operationStats(filter: $filter) { by(dimension: CATEGORY, limit: 20) { buckets { key count } } } }`,
    { filter },
  );
  return Object.fromEntries(data.operationStats.by.buckets.map((b: { key: string; count: number }) => [b.key, b.count]));
}

describe.skipIf(!run)("the dashboard at /dashboard", () => {
  it("updates every chart and the URL on a filter, agrees with operationStats, and restores the filter from the URL", async () => {
    const { page } = await open("/dashboard");
    const main = page.locator("main");
    await page.locator('main[data-state="ready"]').waitFor({ timeout: 30_000 });
    expect(await page.locator("#by-category .canvas svg").count()).toBe(1);
    const unfiltered = await categoryChart(page);
    expect(unfiltered).toEqual(await categoryStats({}));
    const originBefore = await page.locator("#by-origin-table tbody").textContent();
    const generation = Number(await main.getAttribute("data-generation"));

    await page.selectOption("#f-originCountry", "CN");
    await expect.poll(() => page.url()).toContain("origin=CN");
    await expect
      .poll(async () => Number(await main.getAttribute("data-generation")) > generation && (await main.getAttribute("data-state")) === "ready", {
        timeout: 30_000,
      })
      .toBe(true);

    const filtered = await categoryChart(page);
    expect(filtered).toEqual(await categoryStats({ originCountry: ["CN"] }));
    expect(filtered).not.toEqual(unfiltered);
    expect(await page.locator("#by-origin-table tbody").textContent()).not.toBe(originBefore);
    const [{ n: chinese }] = await t.sql<{ n: number }>(`SELECT count(DISTINCT operation_id)::int AS n FROM operation_origin WHERE country_code = 'CN'`);
    expect(Number(await page.locator("#operations-count").innerText())).toBe(chinese);
    const link = await page.locator("#by-category a.playground-link").getAttribute("href");
    expect(new URL(link!, origin).searchParams.get("variables")).toContain('"CN"');
    await page.screenshot({ path: shot("dashboard-filtered"), fullPage: true });

    // The URL alone restores the view.
    await page.goto(page.url());
    await page.locator('main[data-state="ready"]').waitFor({ timeout: 30_000 });
    expect(await page.locator("#f-originCountry").evaluate((s: HTMLSelectElement) => Array.from(s.selectedOptions, (o) => o.value))).toEqual(["CN"]);
    expect(await categoryChart(page)).toEqual(filtered);
  });

  it("says under each chart what it counts, and the heatmap's legend shows numbers", async () => {
    const { page } = await open("/dashboard");
    await page.locator('main[data-state="ready"]').waitFor({ timeout: 30_000 });
    const [{ n: operations }] = await t.sql<{ n: number }>(`SELECT count(*)::int AS n FROM operation`);
    for (const id of ["by-origin", "by-category", "by-ai-tool", "by-platform", "by-publisher"]) {
      const note = await page.locator(`#${id}-counts`).innerText();
      expect(note, id).toContain("counts once in each");
      expect(note, id).toContain(`${operations} operations selected`);
    }
    expect(await page.locator("#over-time-counts").innerText()).toContain("first disclosed");
    const { operationStats } = await t.data(`{ operationStats { crossTab(rows: ORIGIN_COUNTRY, columns: CATEGORY) { cells { count } } } }`);
    const max = Math.max(...operationStats.crossTab.cells.map((c: { count: number }) => c.count));
    expect(await page.locator("#origin-by-category .canvas svg").textContent()).toContain(`${max} operations`);
    await page.locator("#origin-by-category").screenshot({ path: shot("dashboard-heatmap") });
    await page.locator("#by-category").screenshot({ path: shot("dashboard-by-category") });
  });
});
