import { createHash } from "node:crypto";
import os from "node:os";
import path from "node:path";
import type { PidFile } from "./postmaster";

/**
 * Where an embedded PostgreSQL listens: a Unix socket in a folder of its own (the default, so any
 * number of checkouts run side by side without choosing ports), or a TCP port on 127.0.0.1.
 */
export type Endpoint = { kind: "socket"; dir: string; port: number } | { kind: "tcp"; host: string; port: number };

/** The port number in the socket's name (`.s.PGSQL.5432`); the folder, not the number, keeps clusters apart. */
const SOCKET_PORT = 5432;
/** Longest socket path the kernel takes (`sun_path` is 108 bytes on Linux, 104 on macOS), less a margin. */
const MAX_SOCKET_PATH = 100;

/**
 * The folder a cluster's socket lives in: its data folder, or, when that path is too long for a
 * socket, a folder under the system's temporary folder named after it. The same data folder always
 * gives the same answer, so the service and the command-line tools meet there.
 */
export function socketDirFor(dataDir: string): string {
  if (Buffer.byteLength(path.join(dataDir, `.s.PGSQL.${SOCKET_PORT}`)) <= MAX_SOCKET_PATH) return dataDir;
  const hash = createHash("sha256").update(path.resolve(dataDir)).digest("hex").slice(0, 16);
  return path.join(os.tmpdir(), `misuse-graph-pg-${hash}`);
}

/** The endpoint a new postmaster gets: the given TCP port, or a socket in the cluster's socket folder. */
export function endpointFor(dataDir: string, port: number | null): Endpoint {
  return port === null ? { kind: "socket", dir: socketDirFor(dataDir), port: SOCKET_PORT } : { kind: "tcp", host: "127.0.0.1", port };
}

/** Where a running postmaster listens, as its lock file says (TCP when it listens on an address). */
export function endpointOf(pidFile: PidFile): Endpoint {
  if (pidFile.listenAddress !== "") return { kind: "tcp", host: pidFile.listenAddress === "*" ? "127.0.0.1" : pidFile.listenAddress, port: pidFile.port };
  return { kind: "socket", dir: pidFile.socketDir, port: pidFile.port };
}

/** `postgres` arguments that make it listen on the endpoint only. */
export function listenFlags(endpoint: Endpoint): string[] {
  return endpoint.kind === "socket"
    ? ["-p", String(endpoint.port), "-c", "listen_addresses=", "-c", `unix_socket_directories=${endpoint.dir}`, "-c", "unix_socket_permissions=0700"]
    : ["-p", String(endpoint.port), "-c", `listen_addresses=${endpoint.host}`, "-c", "unix_socket_directories="];
}

/** node-postgres connection settings for the endpoint. */
export const pgTarget = (endpoint: Endpoint) => ({ host: endpoint.kind === "socket" ? endpoint.dir : endpoint.host, port: endpoint.port });

/** A connection URL for the endpoint; a socket folder goes in the `host` parameter, as libpq and node-postgres read it. */
export function endpointUrl(endpoint: Endpoint, user: string, password: string, database: string): string {
  const credentials = `${encodeURIComponent(user)}:${encodeURIComponent(password)}`;
  if (endpoint.kind === "tcp") return `postgres://${credentials}@${endpoint.host}:${endpoint.port}/${database}`;
  return `postgres://${credentials}@localhost:${endpoint.port}/${database}?host=${encodeURIComponent(endpoint.dir)}`;
}

/** How to name the endpoint in log lines and messages. */
export const describeEndpoint = (endpoint: Endpoint) => (endpoint.kind === "socket" ? `a Unix socket in ${endpoint.dir}` : `${endpoint.host}:${endpoint.port}`);
