import fs from "node:fs";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { ROOT, startTestApp } from "../helpers/app";
import type { TestApp } from "../helpers/app";
import { readDataset } from "../helpers/dataset";
import { ensureWebBuilt, guardedPage, launchChromium } from "./chromium";
import { chromium, needs } from "../helpers/engines";
import type { GuardedPage } from "./chromium";

let t: TestApp;
let browser: Browser;
let origin: string;
let current: GuardedPage | null = null;

const run = needs("the browser tests (test/browser)", chromium());
const dataset = readDataset();

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
afterEach(async () => {
  if (!current) return;
  const { foreign, problems } = current;
  await current.close();
  current = null;
  expect(foreign, "requests to other origins").toEqual([]);
  expect(problems, "console errors, page errors and CSP violations").toEqual([]);
});

async function open(pathname: string): Promise<GuardedPage["page"]> {
  current = await guardedPage(browser, origin);
  await current.page.goto(origin + pathname);
  // The docs links point at the bundled documents once the page's script has run.
  await current.page.locator('a[data-doc="readme"][href^="/assets/"]').first().waitFor();
  return current.page;
}

/** The links of the page's site navigation (the brand link and the nav bar), as absolute URLs. */
const siteLinks = (page: GuardedPage["page"]) =>
  page.locator("header.site a, nav[aria-label='Site'] a").evaluateAll((links) => links.map((a) => (a as HTMLAnchorElement).href));

/** The first line of a Markdown file in the repository: what its served copy must start with. */
const heading = (file: string) => fs.readFileSync(path.join(ROOT, file), "utf8").split("\n")[0];

describe.skipIf(!run)("links between the pages", () => {
  for (const [pathname, others] of [
    ["/", ["/graphql", "/dashboard"]],
    ["/dashboard", ["/", "/graphql"]],
    ["/graphql", ["/", "/dashboard"]],
  ] as const) {
    it(`${pathname} links to ${others.join(" and ")}, the exports and the docs, and every link answers`, async () => {
      const page = await open(pathname);
      const links = (await siteLinks(page)).map((href) => new URL(href));
      const paths = links.map((url) => url.pathname);
      for (const other of others) expect(paths, `${pathname} links to ${other}`).toContain(other);
      const exports = links.find((url) => url.hash === "#exports");
      expect(exports, `${pathname} links to the exports`).toBeDefined();
      const docs = Object.fromEntries(
        await page.locator("a[data-doc]").evaluateAll((as) => as.map((a) => [(a as HTMLAnchorElement).dataset.doc, (a as HTMLAnchorElement).href])),
      );
      expect(Object.keys(docs), `${pathname} links to the README and the API docs`).toEqual(expect.arrayContaining(["readme", "api"]));

      for (const url of new Set(links.filter((u) => !u.pathname.startsWith("/assets/")).map((u) => u.origin + u.pathname))) {
        const response = await fetch(url, { headers: { accept: "text/html" } });
        expect(response.status, url).toBe(200);
        expect(response.headers.get("content-type"), url).toMatch(/^text\/html/);
      }
      const readme = await fetch(docs.readme);
      expect(readme.status).toBe(200);
      expect((await readme.text()).split("\n")[0]).toBe(heading("README.md"));
      const api = await fetch(docs.api);
      expect((await api.text()).split("\n")[0]).toBe(heading("docs/api.md"));
    });
  }

  it("the front page's export list and documentation list answer, each document as the repository holds it", async () => {
    const page = await open("/");
    const exports = await page.locator("#exports a").evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).href));
    expect(exports.length).toBeGreaterThanOrEqual(4);
    for (const href of exports) {
      expect(new URL(href).pathname).toMatch(/^\/export\//);
      const response = await fetch(href);
      expect(response.status, href).toBe(200);
      await response.arrayBuffer();
    }
    const files: Record<string, string> = {
      readme: "README.md",
      api: "docs/api.md",
      notebooks: "docs/notebooks.md",
      operations: "docs/operations.md",
      configuration: "docs/configuration.md",
      codebook: "docs/codebook.md",
    };
    const docs = await page
      .locator("#docs a[data-doc]")
      .evaluateAll((as) => as.map((a) => [(a as HTMLAnchorElement).dataset.doc!, (a as HTMLAnchorElement).href]));
    expect(docs.map(([doc]) => doc).sort()).toEqual(Object.keys(files).sort());
    for (const [doc, href] of docs) {
      const response = await fetch(href);
      expect(response.status, href).toBe(200);
      expect(await response.text(), doc).toBe(fs.readFileSync(path.join(ROOT, files[doc]), "utf8"));
    }
  });

  it("the dashboard's download links export the operations its filters select", async () => {
    const page = await open("/dashboard");
    const main = page.locator("main");
    await page.locator('main[data-state="ready"]').waitFor({ timeout: 30_000 });
    const generation = Number(await main.getAttribute("data-generation"));
    await page.selectOption("#f-originCountry", "CN");
    await expect
      .poll(async () => Number(await main.getAttribute("data-generation")) > generation && (await main.getAttribute("data-state")) === "ready", {
        timeout: 30_000,
      })
      .toBe(true);
    const fromCN = dataset.operations.filter((o) => o.origin.some((x: { country: string }) => x.country === "CN")).map((o) => o.key);
    const csv = await (await fetch(new URL((await page.locator("#export-csv").getAttribute("href"))!, origin))).text();
    const keys = csv
      .trim()
      .split("\n")
      .slice(1)
      .map((line) => line.split(",")[0]);
    expect(keys.sort()).toEqual([...fromCN].sort());
    const stix = (await (await fetch(new URL((await page.locator("#export-stix").getAttribute("href"))!, origin))).json()) as { objects: { type: string }[] };
    expect(stix.objects.filter((o) => o.type === "intrusion-set")).toHaveLength(fromCN.length);
  });
});
