import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, rmSync, statSync } from "node:fs";
import path from "node:path";
import { chromium } from "playwright-core";
import type { Browser, Page } from "playwright-core";
import { ROOT } from "../helpers/app";

/** Where the browser tests leave their screenshots (git-ignored). */
export const ARTIFACTS = path.join(ROOT, "test-artifacts");

import { CHROMIUM } from "../helpers/engines";

function newestMtime(entry: string): number {
  const stat = statSync(entry);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(entry).map((name) => newestMtime(path.join(entry, name))));
}

function builtAndFresh(): boolean {
  const pages = ["front", "dashboard", "playground"].map((p) => path.join(ROOT, "dist", "web", p, "index.html"));
  if (!pages.every((p) => existsSync(p))) return false;
  const built = Math.min(...pages.map((p) => statSync(p).mtimeMs));
  const sources = Math.max(
    ...["src/web", "docs"].map((dir) => newestMtime(path.join(ROOT, dir))),
    ...["README.md", "package-lock.json"].map((f) => statSync(path.join(ROOT, f)).mtimeMs),
  );
  return built > sources;
}

/**
 * Builds the pages (`npm run build:web`) when dist/web is missing or older than its sources
 * (src/web, README.md and docs/ whose example queries the playground lists and whose pages
 * it links, the lock file), so `npm test`
 * works on a clean clone and never tests stale pages. Test files run in parallel: a lock directory
 * lets one build while the others wait for it.
 */
export async function ensureWebBuilt(): Promise<void> {
  const lock = path.join(ROOT, "dist", ".web-build.lock");
  mkdirSync(path.dirname(lock), { recursive: true });
  const deadline = Date.now() + 170_000;
  for (;;) {
    if (builtAndFresh()) return;
    try {
      mkdirSync(lock);
      break;
    } catch {
      const held = statSync(lock, { throwIfNoEntry: false });
      if (held && Date.now() - held.mtimeMs > 300_000) rmSync(lock, { recursive: true, force: true }); // left by a killed run
      if (Date.now() > deadline) throw new Error(`Waited too long for another test's npm run build:web (${lock})`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
  }
  try {
    if (builtAndFresh()) return;
    const run = spawnSync("npm", ["run", "--silent", "build:web"], { cwd: ROOT, encoding: "utf8", env: { ...process.env, NODE_ENV: "production" } });
    if (run.status !== 0) throw new Error(`npm run build:web failed:\n${run.stdout}\n${run.stderr}`);
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

/** Starts headless Chromium with nothing running in the background that could reach the network. */
export function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) throw new Error(`No Chromium at ${CHROMIUM}: apt-get install -y chromium (or set CHROMIUM_PATH)`);
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
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
