import { spawn, spawnSync } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../helpers/app";
import { readDataset } from "../helpers/dataset";

// Two checkouts on one machine, as the compiled service runs with no DATABASE_URL: each starts its
// own embedded PostgreSQL in its own data folder, and nothing (no port) is shared between them.
const dataset = readDataset();
let dir: string;
const running: ChildProcess[] = [];

function env(pgDir: string, extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: "0", EMBEDDED_PG_DIR: pgDir, NODE_ENV: "test", ...extra };
  delete env.DATABASE_URL;
  delete env.EMBEDDED_PG_PORT;
  return env;
}

interface Run {
  child: ChildProcess;
  /** The URL once it serves, or null when it exited first. */
  url: Promise<string | null>;
  output: () => string;
  exited: Promise<number | null>;
}

function start(pgDir: string, extra: Record<string, string> = {}): Run {
  const child = spawn(process.execPath, ["dist/src/main.js"], { cwd: ROOT, env: env(pgDir, extra), stdio: ["ignore", "pipe", "pipe"] });
  running.push(child);
  let output = "";
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  const url = new Promise<string | null>((resolve) => {
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /serving (http:\/\/\S+\/graphql)/.exec(output);
      if (match) resolve(match[1]);
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    void exited.then(() => resolve(null));
  });
  return { child, url, output: () => output, exited };
}

async function totalCount(url: string): Promise<number> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ query: "{ operations { totalCount } }" }),
  });
  return ((await response.json()) as any).data.operations.totalCount;
}

beforeAll(() => {
  const build = spawnSync(process.execPath, ["scripts/build-if-stale.js"], { cwd: ROOT, encoding: "utf8", timeout: 240_000 });
  expect(build.status, build.stdout + build.stderr).toBe(0);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "mg-side-"));
}, 250_000);

afterAll(async () => {
  for (const child of running) {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      await new Promise((resolve) => child.once("exit", resolve));
    }
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("two checkouts on one machine", () => {
  let first: Run;
  let firstUrl: string;

  it("serve at once, each from its own embedded PostgreSQL on a socket in its own data folder", async () => {
    const a = path.join(dir, "a", "pg");
    const b = path.join(dir, "b", "pg");
    first = start(a);
    const second = start(b);
    const [urlA, urlB] = await Promise.all([first.url, second.url]);
    expect(urlA, first.output()).not.toBeNull();
    expect(urlB, second.output()).not.toBeNull();
    firstUrl = urlA!;
    expect(urlA).not.toBe(urlB);
    expect(await totalCount(urlA!)).toBe(dataset.operations.length);
    expect(await totalCount(urlB!)).toBe(dataset.operations.length);
    expect(first.output()).toContain(`listening on a Unix socket in ${a}`);
    expect(second.output()).toContain(`listening on a Unix socket in ${b}`);
    expect(fs.existsSync(path.join(a, ".s.PGSQL.5432"))).toBe(true);
    expect(fs.existsSync(path.join(b, ".s.PGSQL.5432"))).toBe(true);

    // A command-line tool with the same EMBEDDED_PG_DIR finds that checkout's server, not the other.
    const migrate = spawnSync(process.execPath, ["dist/src/cli/migrate.js"], { cwd: ROOT, env: env(b), encoding: "utf8", timeout: 120_000 });
    expect(migrate.status, migrate.stderr).toBe(0);
    expect(migrate.stderr).toContain(`using the server already running on a Unix socket in ${b} for ${b}`);
  });

  it("refuses a busy PORT before it creates a cluster, naming the variable", async () => {
    const port = new URL(firstUrl).port;
    const fresh = path.join(dir, "c", "pg");
    const third = start(fresh, { PORT: port });
    expect(await third.exited).toBe(1);
    expect(third.output()).toContain(`PORT ${port} is already in use`);
    expect(third.output()).not.toMatch(/initialising a new cluster|migrations/);
    expect(fs.existsSync(fresh)).toBe(false);
  });

  it("removes the cluster folder a failed first start created", async () => {
    // A dataset folder whose bundle does not parse: the start fails after initdb and migrations.
    const badData = path.join(dir, "bad-data");
    fs.mkdirSync(badData);
    fs.writeFileSync(path.join(badData, "broken.json"), "{ not json");
    const fresh = path.join(dir, "d", "pg");
    const failed = start(fresh, { DATA_DIR: badData });
    expect(await failed.exited).toBe(1);
    expect(failed.output()).toMatch(/initialising a new cluster/);
    expect(failed.output()).toMatch(/failed to start/);
    expect(fs.existsSync(fresh)).toBe(false);
    expect(fs.existsSync(`${fresh}.initdb-password`)).toBe(false);
  });
});
