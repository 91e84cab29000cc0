import { GraphQLError } from "graphql";
import type { Context } from "../context";
import { dataset, datasetTracker } from "../modules/dataset";
import type { DatasetState } from "../modules/dataset";

/** Which dataset a file came from: the release version, the content hash, when it was last loaded. */
export interface DatasetVersion {
  /** The release version, `<version>+modified` when the data differ from the release; null without a release manifest. */
  version: string | null;
  contentHash: string;
  loadedAt: string | null;
}

/** How long an export waits for the content hash of a database changed since it was last worked out. */
const HASH_WAIT_MS = 3000;

/** The version is not known yet (a write's hash is still being worked out): retry shortly (503). */
export class VersionPendingError extends GraphQLError {
  constructor() {
    super("The dataset changed a moment ago and its version is still being worked out; try again in a moment", {
      extensions: { code: "OVERLOADED" },
    });
  }
}

/**
 * The dataset's version and content hash as `extensions.dataset` states them: from the service's
 * tracker, which works the hash out once per revision (import or curation write) and shares it,
 * never per export. A hash taking longer than HASH_WAIT_MS, or failing, is a VersionPendingError.
 */
export async function trackedState(ctx: Context): Promise<DatasetState> {
  const tracker = datasetTracker(ctx.dataSource);
  const known = tracker.known();
  if (known) return known;
  const state = await tracker.current({ waitMs: HASH_WAIT_MS }).catch(() => null);
  if (!state) throw new VersionPendingError();
  return state;
}

/** The state for exactly `revision` (an export's snapshot), or null when the tracker's state is of another revision. */
export async function trackedStateAt(ctx: Context, revision: string): Promise<DatasetState | null> {
  const tracker = datasetTracker(ctx.dataSource);
  const known = tracker.known();
  if (known?.revision === revision) return known;
  const state = await tracker.current({ waitMs: HASH_WAIT_MS }).catch(() => null);
  if (!state) throw new VersionPendingError();
  return state.revision === revision ? state : null;
}

/** An export's version: the tracked state and the last load time (read through `ctx`, so from the export's snapshot when it has one). */
export async function datasetVersion(ctx: Context, state: DatasetState): Promise<DatasetVersion> {
  const info = await dataset(ctx);
  return { version: state.version, contentHash: state.contentHash, loadedAt: info.loadedAt ? info.loadedAt.toISOString() : null };
}

/** The response headers that carry the dataset version: the release in X-Dataset-Version, the hash in a header of its own. */
export function versionHeaders(version: DatasetVersion): Record<string, string> {
  return {
    ...(version.version ? { "x-dataset-version": version.version } : {}),
    "x-dataset-content-hash": version.contentHash,
    ...(version.loadedAt ? { "x-dataset-loaded-at": version.loadedAt } : {}),
  };
}
