import type { DataSource } from "typeorm";
import { REVISION_EXPR, revisionWatch } from "../../db/revision";
import { versionOf } from "./release";
import type { ReleaseManifest } from "./release";

/** What every answer says about the data it was computed from. */
export interface DatasetState {
  /** The release version, `<version>+modified` after writes since, or null without a release manifest. */
  version: string | null;
  /** `dataset { contentHash }` of the database now. */
  contentHash: string;
  /** The revision (src/db/revision.ts) this state was worked out for, so a reader can match it to its own snapshot. */
  revision: string;
}

/**
 * The dataset's content hash as hex, read from `dataset_digest` (migration MaintainedContentHash):
 * the XOR of every record's SHA-256 over its canonical form (`storedRecordsSql`: keys instead of
 * ids), kept current by the writes themselves, so reading it costs one row whatever the dataset's size.
 */
export const CONTENT_HASH_EXPR = `(SELECT string_agg(lpad(to_hex(substring(d.digest FROM i FOR 64)::bit(64)::bigint), 16, '0'), '' ORDER BY i)
    FROM dataset_digest d, generate_series(1, 256, 64) i)`;

/** The content hash together with the revision it belongs to, in one statement and so one snapshot. */
const HASH_WITH_REVISION_SQL = `SELECT ${REVISION_EXPR} AS revision, ${CONTENT_HASH_EXPR} AS hash`;

type Cached = { revision: string; state: DatasetState };

/**
 * Knows the release the service was started with and which version the database holds now.
 * Each call costs at most one index lookup (the latest import and audit entry ids, the "revision",
 * cached while the revision watch listens); only when the revision changed does it read the
 * maintained content hash again (one row, once per revision, shared by the requests waiting for
 * it): no request ever hashes the dataset. The lookups run outside the request's SQL statement tally: they are
 * the same for every request, not part of the query's shape that `X-SQL-Statements` measures.
 */
export class DatasetVersionTracker {
  private cached: Cached | null = null;
  private readonly inflight = new Map<string, { started: number; promise: Promise<DatasetState> }>();

  constructor(
    private readonly dataSource: DataSource,
    readonly release: ReleaseManifest | null,
  ) {}

  /**
   * The dataset's version and content hash as of now, never a cached value from an older revision.
   * With `waitMs`, gives up waiting after that long and returns null (a database too busy to
   * answer one row in time): an answer is never delayed for long.
   */
  async current(options: { waitMs?: number } = {}): Promise<DatasetState | null> {
    const revision = await revisionWatch(this.dataSource).revision();
    const cached = this.cached;
    if (cached && cached.revision === revision) return cached.state;
    // Requests that saw the same revision share one computation; it starts after they saw it, so
    // its answer is at or after that revision, never older.
    let inflight = this.inflight.get(revision);
    if (!inflight) {
      inflight = { started: Date.now(), promise: this.compute(revision).finally(() => this.inflight.delete(revision)) };
      this.inflight.set(revision, inflight);
    }
    const computation = inflight.promise;
    if (options.waitMs === undefined) return computation;
    // The wait is shared: requests arriving later wait only for what is left of it, so a slow read
    // delays answers by at most `waitMs` in all, not each.
    const remaining = Math.max(0, options.waitMs - (Date.now() - inflight.started));
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), remaining)));
    computation.catch(() => undefined);
    try {
      return await Promise.race([computation, gaveUp]);
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * The state `current()` would give, when it is already known for the revision the watch holds
   * (the common case: nothing written since it was worked out); null when `current()` must look.
   * Synchronous, so that a response's dataset extension costs no statement and no wait.
   */
  known(): DatasetState | null {
    const cached = this.cached;
    if (!cached) return null;
    return revisionWatch(this.dataSource).known() === cached.revision ? cached.state : null;
  }

  /** The state for a content hash read with its revision in a snapshot of the caller's own (an export's). */
  stateOf(revision: string, contentHash: string): DatasetState {
    return { version: versionOf(this.release, contentHash), contentHash, revision };
  }

  /** Like `current()`, waiting as long as it takes; for `dataset { version }`. */
  async state(): Promise<DatasetState> {
    return (await this.current())!;
  }

  private async compute(revision: string): Promise<DatasetState> {
    // The hash is read with its own revision in one snapshot: a write committing meanwhile makes
    // the answer newer than the revision the caller saw, never older.
    const [row] = await this.dataSource.query(HASH_WITH_REVISION_SQL);
    const state = { version: versionOf(this.release, row.hash), contentHash: row.hash as string, revision: row.revision as string };
    this.cached = { revision: row.revision ?? revision, state };
    return state;
  }
}

const trackers = new WeakMap<DataSource, DatasetVersionTracker>();

/** Makes the tracker reachable from resolvers, which see only the request's data source. */
export function registerDatasetTracker(dataSource: DataSource, tracker: DatasetVersionTracker): void {
  trackers.set(dataSource, tracker);
}

/** The tracker of the service that owns this data source. */
export function datasetTracker(dataSource: DataSource): DatasetVersionTracker {
  const tracker = trackers.get(dataSource);
  if (!tracker) throw new Error("no dataset version tracker is registered for this data source");
  return tracker;
}
