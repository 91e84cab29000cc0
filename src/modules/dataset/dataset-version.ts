import type { DataSource } from "typeorm";
import { REVISION_EXPR, revisionWatch } from "../../db/revision";
import { queryVia } from "../../db/read-routing";
import { readSource } from "../../db/request-db";
import type { Context } from "../../context";
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

/** Runs one statement where a state is worked out (the primary, a replica, an export's snapshot) and gives its rows. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- rows shaped by the statements above
export type StateQuery = (sql: string, values?: unknown[]) => Promise<any[]>;

/** States of other revisions than the primary's kept at once (a lagging replica's, an export's snapshot's). */
const MAX_STATES_AT = 4;

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
  /** States worked out for exactly one revision (`stateAt`), the last few. */
  private readonly states = new Map<string, DatasetState>();
  private readonly statesInflight = new Map<string, { started: number; promise: Promise<DatasetState> }>();

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

  /**
   * The state of exactly `revision`, for an answer read where that revision is what the database
   * holds (a read replica whose replay lags the primary, the revision a request read before and
   * after its query): known when it is the primary's or was read before, else read with `query`,
   * which runs on that database (the primary without one): one row, once per revision, shared.
   * Null when that database holds another revision by then (a write committed or was replayed) or
   * does not answer within `waitMs`.
   */
  async stateAt(revision: string, query?: StateQuery, waitMs?: number): Promise<DatasetState | null> {
    const cached = this.cached;
    if (cached && cached.revision === revision) return cached.state;
    const known = this.states.get(revision);
    if (known) return known;
    let inflight = this.statesInflight.get(revision);
    if (!inflight) {
      const promise = this.compute(revision, query).then((state) => {
        if (this.states.size >= MAX_STATES_AT) this.states.delete(this.states.keys().next().value!);
        this.states.set(state.revision, state);
        return state;
      });
      inflight = { started: Date.now(), promise: promise.finally(() => this.statesInflight.delete(revision)) };
      this.statesInflight.set(revision, inflight);
    }
    const computation = inflight.promise.then((state) => (state.revision === revision ? state : null));
    computation.catch(() => undefined);
    if (waitMs === undefined) return computation;
    const remaining = Math.max(0, waitMs - (Date.now() - inflight.started));
    let timer: NodeJS.Timeout | undefined;
    const gaveUp = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), remaining)));
    try {
      return await Promise.race([computation, gaveUp]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The state for a content hash read with its revision in a snapshot of the caller's own (an export's). */
  stateOf(revision: string, contentHash: string): DatasetState {
    return { version: versionOf(this.release, contentHash), contentHash, revision };
  }

  /** Like `current()`, waiting as long as it takes; for `dataset { version }`. */
  async state(): Promise<DatasetState> {
    return (await this.current())!;
  }

  /**
   * Reads the maintained content hash with `query` (the primary's data source by default, which
   * alone fills `cached`), with its own revision in one statement and so one snapshot: a write
   * committing meanwhile makes the answer newer than the revision the caller saw, never older.
   */
  private async compute(revision: string, query?: StateQuery): Promise<DatasetState> {
    const run: StateQuery = query ?? ((sql, values) => this.dataSource.query(sql, values));
    const [row] = await run(HASH_WITH_REVISION_SQL);
    const state = this.stateOf((row.revision as string | null) ?? revision, row.hash as string);
    if (query === undefined) this.cached = { revision: state.revision, state };
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

/**
 * The state of the data a request reads: with a read replica, of the revision the replica held
 * when the request started (worked out there when it lags the primary); else the primary's.
 */
export async function datasetStateRead(ctx: Context): Promise<DatasetState> {
  const tracker = datasetTracker(ctx.dataSource);
  const before = ctx.revision?.onReplica ? ctx.revision.before : null;
  if (before !== null) {
    const state = await tracker.stateAt(before, (sql, values) => queryVia(readSource(ctx.dataSource), sql, values));
    if (state) return state;
  }
  return tracker.state();
}
