import DataLoader from "dataloader";
import type { DataSource } from "typeorm";
import type { Viewer } from "./modules/auth";
import { RequestDb, readSource } from "./db/request-db";
import type { RequestDbLimits } from "./db/request-db";
import type { RequestRevision } from "./db/revision";

export type { RequestRevision } from "./db/revision";

/** What a client has left in the current window. */
export interface RateLimitState {
  limit: number;
  remaining: number;
  /** When the window ends and the budget refills. */
  resetAt: Date;
  /** Points this request cost. */
  cost: number;
}

/**
 * What every resolver gets for one request: `sql`, the request's share of the read pool (the
 * replica's when DATABASE_READ_URL names one and it answers, else the primary's, see
 * db/read-routing.ts; capped, budgeted, counted); `batch`, which hands out
 * one DataLoader per name for the life of the request (so loaders never outlive it or leak between
 * users); who is asking (`viewer`, `client`) and what the query limits and rate limiter measured.
 * `dataSource` is the primary: for writes and entity metadata, not for the request's reads.
 */
export interface Context {
  dataSource: DataSource;
  /** Statements this request has run through `sql` so far (for the X-SQL-Statements header and the tests that pin it). */
  statementCount(): number;
  /** Runs one read statement for this request and returns its rows. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- a row is shaped by the SQL that selects it; callers name T
  sql<T = any>(text: string, values?: readonly unknown[]): Promise<T[]>;
  /** The API key behind the request; null for anonymous reads. */
  viewer: Viewer | null;
  /** Who rate limits count against: `key:<id>` or `ip:<address>`. */
  client: string;
  /** The operation's measured cost (records it may touch), set by the query limits. */
  queryCost?: number;
  /** The client's budget after this request, set by the rate limiter. */
  rateLimit?: RateLimitState;
  /** The dataset revision the request's reads saw, when the HTTP layer read it (GraphQL requests). */
  revision?: RequestRevision;
  batch<K, V>(name: string, load: (keys: readonly K[]) => Promise<(V | Error)[]>): DataLoader<K, V>;
  /** Sends the rest of the request's reads to the primary: a mutation reads back what it wrote there, not a replica's lagging copy. */
  readFromPrimary(): void;
}

/**
 * Builds a fresh request context. `db` is the request's share of the pool when the caller needs to
 * hold it too (an export leases its cursor's connection from it); by default one of its own.
 */
export function createContext(
  dataSource: DataSource,
  viewer: Viewer | null = null,
  address = "local",
  limits?: RequestDbLimits,
  db: RequestDb = new RequestDb(readSource(dataSource), limits),
): Context {
  const loaders = new Map<string, DataLoader<unknown, unknown>>();
  let counted = 0;
  return {
    dataSource,
    sql: (text, values) => db.query(text, values),
    statementCount: () => counted + db.statements,
    viewer,
    client: viewer ? `key:${viewer.keyId}` : `ip:${address}`,
    batch<K, V>(name: string, load: (keys: readonly K[]) => Promise<(V | Error)[]>): DataLoader<K, V> {
      let loader = loaders.get(name) as DataLoader<K, V> | undefined;
      if (!loader) {
        loader = new DataLoader<K, V>(load, { maxBatchSize: 1000 });
        loaders.set(name, loader as DataLoader<unknown, unknown>);
      }
      return loader;
    },
    readFromPrimary() {
      counted += db.statements;
      db = new RequestDb(readSource(dataSource, { primary: true }), limits);
    },
  };
}
