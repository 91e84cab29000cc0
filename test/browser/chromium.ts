import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, statSync } from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";
import type { Browser, Page } from "playwright-core";
import { ROOT } from "../helpers/app";

/** Where the browser tests leave their screenshots (git-ignored). */
export const ARTIFACTS = path.join(ROOT, "test-artifacts");

/** Debian's Chromium; `.ci/run` installs it when missing. */
export const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

function newestMtime(entry: string): number {
  const stat = statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(entry).map((name) => newestMtime(path.join(entry, name))));
}

/**
 * Builds the pages (`npm run build:web`) when dist/web is missing or older than its sources
 * (src/web, and README.md, whose example queries the playground lists), so `npm test` works on a
 * clean clone and never tests stale pages.
 */
export function ensureWebBuilt(): void {
  const pages = ["front", "dashboard", "playground"].map((p) => path.join(ROOT, "dist", "web", p, "index.html"));
  const built = pages.every((p) => existsSync(p)) ? Math.min(...pages.map((p) => statSync(p).mtimeMs)) : 0;
  const sources = Math.max(newestMtime(path.join(ROOT, "src", "web")), statSync(path.join(ROOT, "README.md")).mtimeMs, statSync(path.join(ROOT, "package-lock.json")).mtimeMs);
  if (built > sources) return;
  const run = spawnSync("npm", ["run", "--silent", "build:web"], { cwd: ROOT, encoding: "utf8" });
  if (run.status !== 0) throw new Error(`npm run build:web failed:\n${run.stdout}\n${run.stderr}`);
}

/** Starts headless Chromium with nothing running in the background that could reach the network. */
export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
  });
}

/** A page that may only talk to `origin`, with a record of what it tried otherwise. */
export interface GuardedPage {
  page: Page;
  /** Every request the page made whose origin is not the server's (they are also aborted). */
  foreign: string[];
  /** Console errors, page errors and CSP violations. */
  problems: string[];
  close(): Promise<void>;
}

/**
 * Opens a page in a fresh context that records every request and aborts any to another origin, so
 * a test can assert the page needs nothing but the service (no CDN, fonts or telemetry).
 * data: URLs (fonts embedded in the served stylesheet) are not requests to anyone and pass.
 */
export async function guardedPage(browser: Browser, origin: string): Promise<GuardedPage> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const foreign: string[] = [];
  const problems: string[] = [];
  const sameOrigin = (url: string) => url.startsWith("data:") || url.startsWith("blob:") || new URL(url).origin === origin;
  page.on("request", (request) => {
    if (!sameOrigin(request.url())) foreign.push(request.url());
  });
  await context.route("**/*", (route) => (sameOrigin(route.request().url()) ? route.continue() : route.abort("blockedbyclient")));
  page.on("console", (message) => {
    if (message.type() === "error") problems.push(message.text());
  });
  page.on("pageerror", (error) => problems.push(error.message));
  return { page, foreign, problems, close: () => context.close() };
}
