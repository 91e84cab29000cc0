import type { Context } from "../context";
import { dataset, datasetTracker } from "../modules/dataset";
import type { DatasetState, StateQuery } from "../modules/dataset";
import { poolsOf, queryVia } from "../db/read-routing";
import { readSource } from "../db/request-db";

/** Which dataset a file came from: the release version, the content hash, when it was last loaded. */
export interface DatasetVersion {
  /** The release version, `<version>+modified` when the data differ from the release; null without a release manifest. */
  version: string | null;
  /** `dataset { contentHash }`; null (with the version) only when the hash could not be worked out in the export's time. */
  contentHash: string | null;
  loadedAt: string | null;
}

/**
 * The dataset's version and content hash as `extensions.dataset` states them: from the service's
 * tracker, which works the hash out once per revision (import or curation write) and shares it,
 * never per export. Unlike a GraphQL answer, a file should always name its version, so an export
 * waits for that shared hash up to `waitMs` (what is left of its time limit); null when it takes
 * longer or fails (a dataset too large to hash within the statement timeout), as the GraphQL
 * extension is then left out. With a read replica, the state of the revision the replica held from
 * the export's start to this call (null when a write was replayed in between).
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

/**
 * The tracked state when it is of exactly `revision` (an export's snapshot); "other" when the
 * tracker's is of another revision (a write landed in between); null when it is not to be had.
 * With a read replica, whose replay may lag the primary the tracker follows, the state of the
 * snapshot's own revision instead, worked out in the snapshot (`snapshot`) when not known yet.
 */
export async function trackedStateAt(ctx: Context, revision: string, waitMs: number, snapshot: StateQuery): Promise<DatasetState | "other" | null> {
  const tracker = datasetTracker(ctx.dataSource);
  const known = tracker.known();
  if (known?.revision === revision) return known;
  if (poolsOf(ctx.dataSource).replica) return tracker.stateAt(revision, snapshot, waitMs).catch(() => null);
  const state = await trackedState(ctx, waitMs);
  if (!state) return null;
  return state.revision === revision ? state : "other";
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
