import DataLoader from "dataloader";
import type { DataSource } from "typeorm";
import type { Viewer } from "../modules/auth/auth.service";
import type { RateLimitState } from "./rate-limit";

/**
 * What every resolver gets for one request: the data source, and `batch`, which hands out one
 * DataLoader per name for the life of the request (so loaders never outlive it or leak between users).
 */
export interface Context {
  dataSource: DataSource;
  /** The API key behind the request; null for anonymous reads. */
  viewer: Viewer | null;
  /** Who rate limits count against: `key:<id>` or `ip:<address>`. */
  client: string;
  /** The operation's measured cost (records it may return), set by the query limits. */
  queryCost?: number;
  /** The client's budget after this request, set by the rate limiter. */
  rateLimit?: RateLimitState;
  batch<K, V>(name: string, load: (keys: readonly K[]) => Promise<(V | Error)[]>): DataLoader<K, V>;
}

/** Builds a fresh request context. */
export function createContext(dataSource: DataSource, viewer: Viewer | null = null, address = "local"): Context {
  const loaders = new Map<string, DataLoader<unknown, unknown>>();
  return {
    dataSource,
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
  };
}
