import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { Browser } from "playwright-core";
import { startTestApp } from "../helpers/app";
import type { TestApp } from "../helpers/app";
import { readDataset } from "../helpers/dataset";
import { ensureWebBuilt, guardedPage, launchChromium } from "./chromium";
import { chromium, needs } from "../helpers/engines";
import type { GuardedPage } from "./chromium";
import { ACTOR_TYPE_VOCABULARY, OPERATION_CATEGORY_VOCABULARY } from "../../src/common/vocabulary";

let t: TestApp;
let browser: Browser;
let current: GuardedPage | null = null;

const run = needs("the browser tests (test/browser)", chromium());
const dataset = readDataset();

beforeAll(async () => {
  if (!run) return;
  await ensureWebBuilt();
  [t, browser] = await Promise.all([startTestApp(), launchChromium()]);
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

/** How many operations in data/ carry each value (an operation with two categories counts in both). */
function countsInData(values: (operation: any) => string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const operation of dataset.operations) for (const value of new Set(values(operation))) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}

/** A codebook value as a reader reads it: `STATE_LINKED` is "State linked". */
const label = (value: string) => value.charAt(0) + value.slice(1).toLowerCase().replace(/_/g, " ");

describe.skipIf(!run)("the dashboard's category and actor-type filters", () => {
  it("list every codebook value with its label, its description and how many operations data/ holds for it", async () => {
    current = await guardedPage(browser, new URL(t.url).origin);
    const { page } = current;
    await page.goto(new URL("/dashboard", t.url).href);
    await page.locator('main[data-state="ready"]').waitFor({ timeout: 30_000 });
    const cases: [string, Record<string, string>, Map<string, number>][] = [
      ["#f-category", OPERATION_CATEGORY_VOCABULARY, countsInData((o) => o.categories)],
      ["#f-actorType", ACTOR_TYPE_VOCABULARY, countsInData((o) => [o.actorType])],
    ];
    for (const [select, vocabulary, counts] of cases) {
      const options = await page
        .locator(`${select} option`)
        .evaluateAll((elements) => elements.map((o) => ({ value: (o as HTMLOptionElement).value, text: o.textContent, title: o.getAttribute("title") })));
      expect(options, select).toEqual(
        Object.entries(vocabulary).map(([value, description]) => ({ value, text: `${label(value)} (${counts.get(value) ?? 0})`, title: description })),
      );
      // Every operation has an actor type and at least one category, so the counts are not all zero.
      expect([...counts.values()].reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(dataset.operations.length);
    }
  });
});
