import type { Context } from "../context";
import { dataset, datasetContentHash } from "../modules/dataset";

/** Which dataset a file came from: its content hash (the facts) and when it was last loaded. */
export interface DatasetVersion {
  contentHash: string;
  loadedAt: string | null;
}

/**
 * The version every export states, in an HTTP header and in the NDJSON `_meta` line, so a table
 * saved from a notebook can always be matched to the data it came from.
 */
export async function datasetVersion(ctx: Context): Promise<DatasetVersion> {
  const [contentHash, info] = await Promise.all([datasetContentHash(ctx), dataset(ctx)]);
  return { contentHash, loadedAt: info.loadedAt ? info.loadedAt.toISOString() : null };
}

/** The response headers that carry the dataset version. */
export function versionHeaders(version: DatasetVersion): Record<string, string> {
  return {
    "x-dataset-content-hash": version.contentHash,
    // Until the dataset has a release version of its own, its content hash is its version.
    "x-dataset-version": version.contentHash,
    ...(version.loadedAt ? { "x-dataset-loaded-at": version.loadedAt } : {}),
  };
}
