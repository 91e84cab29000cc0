import DataLoader from "dataloader";
import type { DataSource } from "typeorm";
import type { Viewer } from "../modules/auth/auth.service";

/**
 * What every resolver gets for one request: the data source, and `batch`, which hands out one
 * DataLoader per name for the life of the request (so loaders never outlive it or leak between users).
 */
export interface Context {
  dataSource: DataSource;
  /** The API key behind the request; null for anonymous reads. */
  viewer: Viewer | null;
  batch<K, V>(name: string, load: (keys: readonly K[]) => Promise<(V | Error)[]>): DataLoader<K, V>;
}

/** Builds a fresh request context. */
export function createContext(dataSource: DataSource, viewer: Viewer | null = null): Context {
  const loaders = new Map<string, DataLoader<unknown, unknown>>();
  return {
    dataSource,
    viewer,
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
