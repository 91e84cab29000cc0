import type { Context } from "../context";
import { dataset, datasetTracker } from "../modules/dataset";
import type { DatasetState } from "../modules/dataset";
import { queryVia } from "../db/read-routing";
import { readSource } from "../db/request-db";

/** Which dataset a file came from: the release version, the content hash, when it was last loaded. */
export interface DatasetVersion {
  /** The release version, `<version>+modified` when the data differ from the release; null without a release manifest. */
  version: string | null;
  /** `dataset { contentHash }`; null (with the version) only when it could not be read in the export's time. */
  contentHash: string | null;
  loadedAt: string | null;
}

/**
 * The dataset's version and content hash as `extensions.dataset` states them: from the service's
 * tracker, which reads the maintained hash once per revision (import or curation write) and shares
 * it, never per export. An export waits for it up to `waitMs` (what is left of its time limit);
 * null when the database does not answer in that time, as the GraphQL extension is then left out.
 * With a read replica, the state of the revision the replica held from the export's start to this
 * call, read there (null when a write was replayed in between).
 */
export async function trackedState(ctx: Context, waitMs: number): Promise<DatasetState | null> {
  const tracker = datasetTracker(ctx.dataSource);
  if (ctx.revision?.onReplica) {
    // Read from a replica: the state of the revision it held throughout the export's reads, if it held still.
    const revision = await ctx.revision.settle();
    if (revision === null) return null;
    return tracker.stateAt(revision, (sql, values) => queryVia(readSource(ctx.dataSource), sql, values), waitMs).catch(() => null);
  }
  return tracker.known() ?? (await tracker.current({ waitMs }).catch(() => null));
}

/** An export's version: the tracked state and the last load time (read through `ctx`, so from the export's snapshot when it has one). */
export async function datasetVersion(ctx: Context, state: DatasetState | null): Promise<DatasetVersion> {
  const info = await dataset(ctx);
  return { version: state?.version ?? null, contentHash: state?.contentHash ?? null, loadedAt: info.loadedAt ? info.loadedAt.toISOString() : null };
}

/** The response headers that carry the dataset version: the release in X-Dataset-Version, the hash in a header of its own. */
export function versionHeaders(version: DatasetVersion): Record<string, string> {
  return {
    ...(version.version ? { "x-dataset-version": version.version } : {}),
    ...(version.contentHash ? { "x-dataset-content-hash": version.contentHash } : {}),
    ...(version.loadedAt ? { "x-dataset-loaded-at": version.loadedAt } : {}),
  };
}
