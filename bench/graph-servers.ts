import { readFileSync } from "node:fs";
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import net from "node:net";
import path from "node:path";
import { SESSION_SETTINGS } from "../src/db/data-source";
import type { PostgraphileInstall } from "./postgraphile/install";

/** A GraphQL server the benchmark started as a child process, on loopback. */
export interface ServedGraph {
  name: string;
  endpoint: string;
  /** CPU time the server process has used so far, in ms (user + system); null where /proc is missing. */
  cpuMs(): number | null;
  stop(): Promise<void>;
}

/** A process's CPU time so far in ms, from /proc/<pid>/stat (utime + stime, in clock ticks of 10 ms). */
function processCpuMs(pid: number | undefined): number | null {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    // After "pid (comm) ", utime and stime are the 12th and 13th fields.
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return null;
  }
}

const REPO = path.resolve(__dirname, "../..");

/** Connections each server may hold: the same for both, and misuse-graph's default. */
export const POOL_SIZE = 10;

/** A port that was free a moment ago on 127.0.0.1 (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.once("exit", () => {
      clearTimeout(force);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/**
 * Starts `command` and polls `ready` (bounded by `timeoutMs`) until it answers true; fails with the
 * child's output if it exits first or never gets ready. The child is killed when this process exits.
 */
async function startChild(
  name: string,
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  endpoint: string,
  ready: () => Promise<boolean>,
  timeoutMs = 180_000,
): Promise<ServedGraph> {
  const child = spawn(command, args, { cwd: REPO, env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const keep = (chunk: Buffer) => {
    output = (output + chunk.toString("utf8")).slice(-4000);
  };
  child.stdout!.on("data", keep);
  child.stderr!.on("data", keep);
  const killOnExit = () => child.kill("SIGKILL");
  process.once("exit", killOnExit);
  const deadline = Date.now() + timeoutMs;
  while (!(await ready().catch(() => false))) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode} before it was ready:\n${output}`);
    if (Date.now() > deadline) {
      await stopChild(child);
      throw new Error(`${name} not ready after ${timeoutMs / 1000} s:\n${output}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  return {
    name,
    endpoint,
    cpuMs: () => processCpuMs(child.pid),
    stop: async () => {
      await stopChild(child);
      process.removeListener("exit", killOnExit);
    },
  };
}

/**
 * misuse-graph from dist/ (run `npm run build` first) on the Node binary `node`, over
 * `databaseUrl` with EXECUTION set to `execution`: no dataset loading, no logging, rate limits out of reach, X-SQL-Statements on.
 * Ready once /readyz answers 200, which is after its migrations ran.
 */
export async function startOurs(databaseUrl: string, node: string, execution = "sql"): Promise<ServedGraph> {
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const env = {
    PATH: process.env.PATH,
    DATABASE_URL: databaseUrl,
    HOST: "127.0.0.1",
    PORT: String(port),
    NODE_ENV: "production",
    LOAD_DATASET: "false",
    LOG_LEVEL: "silent",
    DB_POOL_SIZE: String(POOL_SIZE),
    EXPOSE_SQL_STATEMENT_COUNT: "true",
    EXECUTION: execution,
    RATE_LIMIT_POINTS: "1000000000",
    RATE_LIMIT_KEY_POINTS: "1000000000",
  };
  return startChild(
    "misuse-graph",
    node,
    [path.join(REPO, "dist/src/main.js")],
    env,
    `${base}/graphql`,
    async () => (await fetch(`${base}/readyz`)).status === 200,
  );
}

/**
 * PostGraphile v5 (bench/postgraphile/serve.cjs) on the Node 22 binary of the cache folder, with
 * misuse-graph's PostgreSQL session settings (work_mem, jit, parallelism), so both get the same plans.
 */
export async function startPostgraphile(install: PostgraphileInstall, databaseUrl: string): Promise<ServedGraph> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}/graphql`;
  const env = {
    PATH: process.env.PATH,
    NODE_PATH: install.nodeModules,
    NODE_ENV: "production",
    DATABASE_URL: databaseUrl,
    HOST: "127.0.0.1",
    PORT: String(port),
    POOL_SIZE: String(POOL_SIZE),
    PG_SESSION_OPTIONS: SESSION_SETTINGS,
  };
  const ready = async () => {
    const response = await fetch(endpoint, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query: "{ __typename }" }),
    });
    return response.status === 200;
  };
  return startChild(`PostGraphile ${install.version}`, install.node, [path.join(REPO, "bench/postgraphile/serve.cjs")], env, endpoint, ready);
}
