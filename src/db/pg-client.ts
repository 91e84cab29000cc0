import { createHash } from "node:crypto";
import pg from "pg";
import type { Pool, PoolClient } from "pg";
import { backendKey, nameQuery, preparedStatements, rawConnection } from "./pg-internals";

/*
 * What the request path does with one pooled pg client beyond sending SQL: named prepared
 * statements, recovery from plans a migration made stale, PostgreSQL's cancel request, and the
 * look at whether statements wait on locks.
 */
/** Named statements one connection keeps prepared at most; beyond it statements are planned each time. */
const MAX_PREPARED_PER_CONNECTION = 500;
/** Statement names by SQL text, so a repeated shape is not hashed again (bounded; cleared when full). */
const names = new Map<string, string>();
const MAX_NAMED_TEXTS = 5000;

/**
 * The name pg sends the statement under: each connection parses and plans a statement shape once
 * and reuses the plan (the service's SQL comes in a bounded number of shapes, values always as
 * parameters). Undefined (an unnamed statement, planned each time) once the connection already
 * holds its quota of prepared shapes.
 */
function statementName(client: PoolClient, text: string): string | undefined {
  const parsed = preparedStatements(client);
  let name = names.get(text);
  if (name === undefined) {
    name = `mg_${createHash("sha1").update(text).digest("base64url")}`;
    if (names.size >= MAX_NAMED_TEXTS) names.clear();
    names.set(text, name);
  }
  if (parsed[name] === undefined && Object.keys(parsed).length >= MAX_PREPARED_PER_CONNECTION) return undefined;
  return name;
}

/**
 * Runs one statement on `client` and gives its rows. The statement goes to pg as a query object
 * built from its text (with the name set after): handed a config object instead, pg copies it
 * property by property on every call, and wraps its result in a second promise; on the request
 * path, that was a measurable share of a small query's cost.
 */
export function run(client: PoolClient, text: string, values: readonly unknown[]): Promise<Record<string, unknown>[]> {
  return new Promise((resolve, reject) => {
    const query = new pg.Query(text, values as unknown[], (error, result) => (error ? reject(error) : resolve(result.rows)));
    nameQuery(query, statementName(client, text));
    client.query(query);
  });
}

export const ignore = () => undefined;

/**
 * PostgreSQL refuses to run a prepared statement whose result columns changed since it was
 * prepared (a migration altered a table it reads, under a running service): SQLSTATE 0A000,
 * "cached plan must not change result type".
 */
export function isStalePlan(error: unknown): boolean {
  return (error as { code?: string }).code === "0A000" && /cached plan must not change result type/.test((error as Error).message);
}

/**
 * Forgets every statement `client` has prepared, on the server and in pg's bookkeeping, so the
 * next use of each shape prepares it anew against the tables as they are now.
 */
export async function forgetPrepared(client: PoolClient): Promise<void> {
  await client.query("DEALLOCATE ALL");
  const prepared = preparedStatements(client);
  for (const name of Object.keys(prepared)) delete prepared[name];
}

/** How long a cancel request may take to reach the server before its socket is given up. */
const CANCEL_TIMEOUT_MS = 5000;

/**
 * Sends PostgreSQL's cancel request for the statement `client` is running, over a new socket (the
 * protocol's CancelRequest needs no pool slot and no authentication), to the server the pool
 * connects to. Written with pg's connection rather than `Client.cancel`, which reads
 * `Client.activeQuery` (deprecated in pg 8.23, warning once per process). The request arrives
 * after a connect, when the statement may have ended: the caller closes a client it cancelled
 * instead of returning it to the pool, so a late cancel cannot reach another request's statement.
 */
export function cancelRunning(pool: Pool, client: PoolClient): void {
  const { processID, secretKey } = backendKey(client);
  const { connection, host, port } = rawConnection(pool.options as pg.ClientConfig);
  connection.on("error", ignore);
  connection.on("connect", () => connection.cancel(processID, secretKey));
  connection.stream.setTimeout(CANCEL_TIMEOUT_MS, () => connection.stream.destroy());
  connection.stream.unref();
  // A host starting with "/" is the directory of PostgreSQL's Unix socket.
  if (host?.startsWith("/")) connection.connect(`${host}/.s.PGSQL.${port}`);
  else connection.connect(port, host);
}

/** How long the check of what a request's statements wait on may take (connecting included). */
const LOCK_CHECK_TIMEOUT_MS = 1000;

/**
 * Whether any of these clients' statements is waiting for a lock (pg_stat_activity), asked over a
 * connection of its own to the server the pool connects to, so that a full pool cannot hold it up.
 */
export async function waitingOnLocks(pool: Pool, clients: readonly PoolClient[]): Promise<boolean> {
  if (clients.length === 0) return false;
  const pids = clients.map((client) => backendKey(client).processID);
  const checker = new pg.Client({ ...(pool.options as pg.ClientConfig), connectionTimeoutMillis: LOCK_CHECK_TIMEOUT_MS, query_timeout: LOCK_CHECK_TIMEOUT_MS });
  checker.on("error", ignore);
  try {
    await checker.connect();
    const { rows } = await checker.query("SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = ANY($1::int[]) AND wait_event_type = 'Lock'", [pids]);
    return (rows[0] as { n: number }).n > 0;
  } finally {
    checker.end().catch(ignore);
  }
}
