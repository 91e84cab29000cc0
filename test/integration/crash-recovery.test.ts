import { spawn, spawnSync } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../helpers/app";
import { readDataset } from "../helpers/dataset";

// The compiled service as an operator runs it, with an embedded PostgreSQL of its own in a scratch
// folder, killed from outside the way an OOM killer or a crash would. That PostgreSQL listens on a
// Unix socket in its data folder, so no port is chosen and none can be taken by someone else.
const dataset = readDataset();
let dir: string;
let pgDir: string;
const running: ChildProcess[] = [];

interface Service {
  child: ChildProcess;
  url: string;
  output: () => string;
}

function serviceEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    PORT: "0",
    EMBEDDED_PG_DIR: pgDir,
    NODE_ENV: "test",
    RATE_LIMIT_POINTS: "1000000",
  };
  delete env.DATABASE_URL;
  delete env.EMBEDDED_PG_PORT;
  return env;
}

/** Starts `node dist/src/main.js` and resolves with its URL once it logs that it is serving. */
function startService(): Promise<Service> {
  const child = spawn(process.execPath, ["dist/src/main.js"], { cwd: ROOT, env: serviceEnv(), stdio: ["ignore", "pipe", "pipe"] });
  running.push(child);
  let output = "";
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no "serving" line within 120 s:\n${output}`)), 120_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /serving (http:\/\/\S+\/graphql)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({ child, url: match[1], output: () => output });
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", onData);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`the service exited with ${code}:\n${output}`));
    });
  });
}

const exited = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve(child.exitCode)
    : new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

const postmasterPid = () => Number(fs.readFileSync(path.join(pgDir, "postmaster.pid"), "utf8").split("\n")[0]);

async function ask(url: string, bearer?: string) {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
    body: JSON.stringify({ query: "{ operations { totalCount } }" }),
  });
  return { status: response.status, body: (await response.json()) as any };
}

async function poll<T>(what: string, timeoutMs: number, probe: () => Promise<T | undefined>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

beforeAll(() => {
  // The test runs the compiled service: build it if a source is newer than dist/.
  const build = spawnSync(process.execPath, ["scripts/build-if-stale.js"], { cwd: ROOT, encoding: "utf8", timeout: 240_000 });
  expect(build.status, build.stdout + build.stderr).toBe(0);
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "mg-crash-"));
  pgDir = path.join(dir, "pg");
}, 250_000);

afterAll(async () => {
  for (const child of running) if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
  const pid = fs.existsSync(path.join(pgDir, "postmaster.pid")) ? postmasterPid() : 0;
  if (pid && alive(pid)) process.kill(pid, "SIGINT");
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The service the tests share; a test that needs one and finds none running (or a stopped one) starts it. */
let current: Service | null = null;
async function runningService(): Promise<Service> {
  if (current && current.child.exitCode === null && current.child.signalCode === null) return current;
  current = await startService();
  return current;
}
async function stopService(): Promise<void> {
  if (current && current.child.exitCode === null && current.child.signalCode === null) {
    current.child.kill("SIGTERM");
    await exited(current.child);
  }
  current = null;
}

/** Creates an API key with `npm run apikey`, against the running service's PostgreSQL. */
function createKeyWithCli(name: string) {
  const cli = spawnSync("npm", ["run", "--silent", "apikey", "--", "create", "--name", name, "--role", "editor"], {
    cwd: ROOT,
    env: serviceEnv(),
    encoding: "utf8",
    timeout: 120_000,
  });
  expect(cli.status, cli.stdout + cli.stderr).toBe(0);
  return { cli, key: /^(mg_\S+)$/m.exec(cli.stdout)![1] };
}

const healthOf = async (service: Service) => (await (await fetch(new URL("/healthz", service.url))).json()) as any;

describe("the embedded PostgreSQL under a service that crashes", () => {
  it("keeps a random per-install password in the cluster folder, readable by its owner only", async () => {
    await stopService();
    const service = await runningService();
    const file = path.join(pgDir, "misuse-graph.password");
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    const password = fs.readFileSync(file, "utf8").trim();
    expect(password.length).toBeGreaterThanOrEqual(24);
    const connect = (secret: string) => {
      const client = new pg.Client({ host: pgDir, port: 5432, user: "postgres", password: secret, database: "postgres" });
      return client.connect().then(() => client.end());
    };
    await expect(connect("misuse-graph")).rejects.toThrow(/password authentication failed/);
    await connect(password);
    expect(await healthOf(service)).toEqual({ status: "ok", database: { embedded: true, state: "running", restarts: 0 } });
  });

  it("lets `npm run apikey` create a key through the running service's PostgreSQL, without rebuilding", async () => {
    const service = await runningService();
    const stampBefore = fs.statSync(path.join(ROOT, "dist", ".build-stamp")).mtimeMs;
    const postmaster = postmasterPid();
    const { cli, key } = createKeyWithCli("crash-test");
    expect(cli.stderr).toMatch(/using the server already running/);
    expect(postmasterPid()).toBe(postmaster);
    expect(alive(postmaster)).toBe(true);
    expect(fs.statSync(path.join(ROOT, "dist", ".build-stamp")).mtimeMs).toBe(stampBefore);
    expect((await ask(service.url, key)).status).toBe(200);
  });

  it("after kill -9 of the service, a new start takes over the orphaned PostgreSQL and serves the same data", async () => {
    const crashed = await runningService();
    const { key } = createKeyWithCli("crash-test-takeover");
    const orphan = postmasterPid();
    crashed.child.kill("SIGKILL");
    await exited(crashed.child);
    expect(alive(orphan)).toBe(true); // the PostgreSQL left without its service

    const service = await runningService();
    expect(service.output()).toMatch(/stopping an orphaned server \(pid \d+\)/);
    expect(alive(orphan)).toBe(false);
    const answer = await ask(service.url, key); // the key created before the crash still works
    expect(answer.status).toBe(200);
    expect(answer.body.data.operations.totalCount).toBe(dataset.operations.length);
  });

  it("refuses a second service on the same data folder instead of starting elsewhere", async () => {
    const service = await runningService();
    const second = spawn(process.execPath, ["dist/src/main.js"], { cwd: ROOT, env: serviceEnv(), stdio: ["ignore", "pipe", "pipe"] });
    running.push(second);
    let output = "";
    second.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
    expect(await exited(second)).toBe(1);
    expect(output).toMatch(new RegExp(`in use by process ${service.child.pid}`));
    expect((await ask(service.url)).status).toBe(200);
  });

  it("after kill -9 of its PostgreSQL, restarts it: requests are back to 200 within 10 s, /healthz counts the restart", async () => {
    const service = await runningService();
    const { restarts } = (await healthOf(service)).database;
    const before = postmasterPid();
    process.kill(before, "SIGKILL");
    const killedAt = Date.now();
    const seen = new Set<number>();
    // Backends of the killed postmaster can still answer for a moment (they notice its death on
    // their next wait): only an answer once the restarted cluster has written its pid counts.
    await poll("a 200 answer from the restarted PostgreSQL", 10_000, async () => {
      const { status, body } = await ask(service.url);
      seen.add(status);
      const restarted = fs.existsSync(path.join(pgDir, "postmaster.pid")) && postmasterPid() !== before;
      return restarted && status === 200 && body.data.operations.totalCount === dataset.operations.length ? true : undefined;
    });
    expect(Date.now() - killedAt).toBeLessThan(10_000);
    expect([...seen].filter((status) => status !== 200 && status !== 503)).toEqual([]);
    expect(postmasterPid()).not.toBe(before);
    expect(await healthOf(service)).toEqual({ status: "ok", database: { embedded: true, state: "running", restarts: restarts + 1 } });
    expect((await fetch(new URL("/readyz", service.url))).status).toBe(200);
  });

  it("answers /readyz 503 while PostgreSQL cannot come back, and SIGTERM then still completes", async () => {
    const service = await runningService();
    // The count of completed restarts; the one this test makes never completes.
    const { restarts } = (await healthOf(service)).database;
    const postmaster = postmasterPid();
    process.kill(postmaster, "SIGKILL");
    // A folder where PostgreSQL writes its lock file makes every restart fail ("could not open lock
    // file") until it is gone: the service is deterministically without its database (the first
    // restart waits 250 ms; these two calls take microseconds).
    const lockFile = path.join(pgDir, "postmaster.pid");
    fs.rmSync(lockFile, { force: true });
    fs.mkdirSync(lockFile);
    try {
      const down = await poll("/healthz reporting the database restarting", 5_000, async () => {
        const health = (await (await fetch(new URL("/healthz", service.url))).json()) as any;
        return health.database.state === "restarting" ? health : undefined;
      });
      expect(down).toEqual({ status: "degraded", database: { embedded: true, state: "restarting", restarts } });
      const ready = await fetch(new URL("/readyz", service.url));
      expect(ready.status).toBe(503);
      expect(await ready.json()).toEqual({ status: "not ready", database: "restarting" });
      // A pooled connection to a backend of the killed postmaster can still answer until that
      // backend notices (on a loaded machine, a while): answers are 200 until then, and 503 after.
      const statuses = new Set<number>();
      await poll("a query answered 503 while PostgreSQL cannot come back", 10_000, async () => {
        const { status } = await ask(service.url);
        statuses.add(status);
        return status === 503 ? true : undefined;
      });
      expect([...statuses].filter((status) => status !== 200 && status !== 503)).toEqual([]);
      // Shutdown while PostgreSQL is down and a restart is pending.
      service.child.kill("SIGTERM");
      const code = await Promise.race([exited(service.child), new Promise((resolve) => setTimeout(() => resolve("hung"), 30_000))]);
      expect(code).toBe(0);
    } finally {
      fs.rmSync(lockFile, { recursive: true, force: true });
    }
    expect(alive(postmaster)).toBe(false);
    expect(fs.existsSync(path.join(pgDir, "misuse-graph.owner"))).toBe(false);
  });
});

describe("npm start on an unchanged checkout", () => {
  it("skips the build, serves the existing cluster, and stops on SIGTERM through npm (exec)", async () => {
    // An existing cluster, and no service holding it.
    await runningService();
    await stopService();
    const stamp = path.join(ROOT, "dist", ".build-stamp");
    const stampBefore = fs.statSync(stamp).mtimeMs;
    const pagesStamp = path.join(ROOT, "dist", "web", ".build-stamp");
    const pagesBefore = fs.existsSync(pagesStamp) ? fs.statSync(pagesStamp).mtimeMs : null;
    const started = Date.now();
    const child = spawn("npm", ["start"], { cwd: ROOT, env: serviceEnv(), stdio: ["ignore", "pipe", "pipe"] });
    running.push(child);
    let output = "";
    let builtAt = 0;
    const url = await new Promise<string>((resolve, reject) => {
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (!builtAt && output.includes("> exec node dist/src/main.js")) builtAt = Date.now();
        const match = /serving (http:\/\/\S+\/graphql)/.exec(output);
        if (match) resolve(match[1]);
      };
      child.stdout!.on("data", onData);
      child.stderr!.on("data", onData);
      child.on("exit", (code) => reject(new Error(`npm start exited with ${code}:\n${output}`)));
    });
    // Nothing was rebuilt: neither build's stamp moved (how long the check takes is printed below, not asserted).
    expect(fs.statSync(stamp).mtimeMs).toBe(stampBefore);
    if (pagesBefore !== null) expect(fs.statSync(pagesStamp).mtimeMs).toBe(pagesBefore);
    expect(output).not.toMatch(/initialising a new cluster|loaded the dataset/);
    expect((await ask(url)).body.data.operations.totalCount).toBe(dataset.operations.length);
    console.log(`npm start: build check done after ${builtAt - started} ms, first answer after ${Date.now() - started} ms`);
    child.kill("SIGTERM");
    expect(await exited(child)).toBe(0);
  });
});
