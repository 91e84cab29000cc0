import { execFile } from "node:child_process";
import { execFileSync } from "node:child_process";
import { promises as fs } from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";
import { PG_BIN } from "./engines";
import { waitFor } from "./wait";

const run = promisify(execFile);

/**
 * A primary and a streaming hot-standby replica, each a PostgreSQL cluster of its own in a temp
 * folder, on 127.0.0.1 and free ports: for suites that stop a database, pause replay and watch
 * what the service does. As root, the clusters run as the `postgres` user (PostgreSQL refuses root).
 */
export interface ReplicatedPair {
  primaryUrl(database?: string): string;
  replicaUrl(database?: string): string;
  /** Runs SQL on the primary or the replica (a connection per call). */
  sql<T = any>(on: "primary" | "replica", text: string, values?: unknown[]): Promise<T[]>;
  stop(which: "primary" | "replica"): Promise<void>;
  start(which: "primary" | "replica"): Promise<void>;
  /** Waits until the replica has replayed everything the primary has written so far. */
  caughtUp(): Promise<void>;
  close(): Promise<void>;
}

function asPostgres(): { uid?: number; gid?: number } {
  if (os.userInfo().uid !== 0) return {};
  return { uid: Number(execFileSync("id", ["-u", "postgres"]).toString()), gid: Number(execFileSync("id", ["-g", "postgres"]).toString()) };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** Starts a primary with one streaming replica; `database` is created on the primary (and replayed). */
export async function startReplicatedPair(database: string): Promise<ReplicatedPair> {
  const ids = asPostgres();
  const root = await fs.mkdtemp(path.join(os.tmpdir(), "mg-replica-"));
  await fs.chmod(root, 0o755);
  if (ids.uid !== undefined) await fs.chown(root, ids.uid, ids.gid!);
  const dirs = { primary: path.join(root, "primary"), replica: path.join(root, "replica") };
  const ports = { primary: 0, replica: 0 };
  const tool = (name: string, args: string[]) => run(path.join(PG_BIN, name), args, { ...ids, cwd: root, env: { ...process.env, LC_ALL: "C" } });
  const ctl = (which: "primary" | "replica", action: "start" | "stop") =>
    action === "start"
      ? tool("pg_ctl", ["-D", dirs[which], "-l", path.join(root, `${which}.log`), "-w", "-t", "30", "-o", `-p ${ports[which]}`, "start"])
      : tool("pg_ctl", ["-D", dirs[which], "-w", "-t", "30", "-m", "fast", "stop"]);
  /** Starts a cluster on a free port; another process taking the port between the check and the start only costs a retry. */
  const startOnFreePort = async (which: "primary" | "replica") => {
    for (let attempt = 1; ; attempt += 1) {
      ports[which] = await freePort();
      try {
        await ctl(which, "start");
        return;
      } catch (error) {
        if (attempt >= 3) throw error;
      }
    }
  };
  const url = (which: "primary" | "replica", db = database) => `postgres://postgres@127.0.0.1:${ports[which]}/${db}`;

  await tool("initdb", ["-D", dirs.primary, "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"]);
  await fs.appendFile(
    path.join(dirs.primary, "postgresql.conf"),
    [
      "listen_addresses = '127.0.0.1'",
      `unix_socket_directories = '${root}'`,
      "wal_level = replica",
      "max_wal_senders = 4",
      "hot_standby = on",
      "fsync = off",
      "full_page_writes = off",
      "shared_buffers = 32MB",
      "max_connections = 50",
      "",
    ].join("\n"),
  );
  await fs.appendFile(path.join(dirs.primary, "pg_hba.conf"), "host replication all 127.0.0.1/32 trust\n");
  await startOnFreePort("primary");
  const admin = new pg.Client({ connectionString: url("primary", "postgres") });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${database}`);
  await admin.end();
  await tool("pg_basebackup", [
    "-D",
    dirs.replica,
    "-h",
    "127.0.0.1",
    "-p",
    String(ports.primary),
    "-U",
    "postgres",
    "-R",
    "-X",
    "stream",
    "-c",
    "fast",
    "--no-sync",
  ]);
  await startOnFreePort("replica");

  const sql = async (on: "primary" | "replica", text: string, values?: unknown[]) => {
    const client = new pg.Client({ connectionString: url(on) });
    client.on("error", () => undefined);
    await client.connect();
    try {
      return (await client.query(text, values)).rows;
    } finally {
      await client.end();
    }
  };
  const pair: ReplicatedPair = {
    primaryUrl: (db) => url("primary", db),
    replicaUrl: (db) => url("replica", db),
    sql,
    stop: async (which) => {
      await ctl(which, "stop");
    },
    start: async (which) => {
      await ctl(which, "start");
    },
    async caughtUp() {
      const [{ lsn }] = await sql("primary", "SELECT pg_current_wal_lsn()::text AS lsn");
      await waitFor(async () => (await sql("replica", "SELECT pg_last_wal_replay_lsn() >= $1::pg_lsn AS done", [lsn]))[0].done === true, {
        timeoutMs: 20_000,
        what: `the replica replaying up to ${lsn}`,
      });
    },
    async close() {
      for (const which of ["replica", "primary"] as const) {
        await tool("pg_ctl", ["-D", dirs[which], "-w", "-m", "immediate", "stop"]).catch(() => undefined);
      }
      await fs.rm(root, { recursive: true, force: true });
    },
  };
  await pair.caughtUp();
  return pair;
}
