import type { DataSource } from "typeorm";
import { REVISION_EXPR, revisionWatch } from "../../db/revision";
import { queryVia } from "../../db/read-routing";
import { readSource } from "../../db/request-db";
import type { Context } from "../../context";
import { ENTITY_KINDS, storedRecordsSql } from "../../import";
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
 * SQL for the content hash (the same canonical form as `dataset { contentHash }`) together with the
 * revision it belongs to, in one statement and so one snapshot: a write committing meanwhile cannot
 * pair a new revision with an old hash.
 */
const HASH_WITH_REVISION_SQL = `SELECT
    ${REVISION_EXPR} AS revision,
    (SELECT encode(sha256(convert_to(COALESCE(string_agg(kind || ' ' || doc, E'\\n' ORDER BY kind, key COLLATE "C"), ''), 'UTF8')), 'hex')
     FROM (${ENTITY_KINDS.map((kind) => `SELECT '${kind}' AS kind, r.key, row_to_json(r)::text AS doc FROM (${storedRecordsSql(kind, "true")}) r`).join(" UNION ALL ")}) records) AS hash`;

/**
 * Whether the database provably holds exactly the release, without reading every record: no
 * curation write ever, and every import that changed anything imported the release's files.
 * ($1: the release's bundle hash.)
 */
const IS_RELEASE_SQL = `WITH changed AS (
    SELECT bundle_hash FROM dataset_import i
    WHERE EXISTS (SELECT 1 FROM jsonb_each(i.summary) s WHERE (s.value->>'created')::int + (s.value->>'updated')::int > 0))
  SELECT ${REVISION_EXPR} AS revision,
    NOT EXISTS (SELECT 1 FROM audit_entry) AND EXISTS (SELECT 1 FROM changed) AND NOT EXISTS (SELECT 1 FROM changed WHERE bundle_hash <> $1) AS "isRelease"`;

/** PostgreSQL's SQLSTATE for a statement cancelled by statement_timeout. */
const QUERY_CANCELED = "57014";

type Cached = { revision: string; state: DatasetState } | { revision: string; error: Error };

/** Runs one statement where a state is worked out (the primary, a replica, an export's snapshot) and gives its rows. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- rows shaped by the statements above
export type StateQuery = (sql: string, values?: unknown[]) => Promise<any[]>;

/** States of other revisions than the primary's kept at once (a lagging replica's, an export's snapshot's). */
const MAX_STATES_AT = 4;

/**
 * Knows the release the service was started with and which version the database holds now.
 * Each call costs one index lookup (the latest import and audit entry ids, the "revision"); only
 * when the revision changed does it work out the state again: cheaply when the database provably
 * holds the release as imported, else by hashing every record (once per revision, shared by the
 * requests waiting for it). The lookups run outside the request's SQL statement tally: they are
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
    private readonly log: (message: string) => void = () => undefined,
  ) {}

  /**
   * The dataset's version and content hash as of now, never a cached value from an older revision.
   * With `waitMs`, gives up waiting for a full hash after that long and returns null (the hash
   * keeps computing and is cached for the next request): an answer is never delayed for long.
   */
  async current(options: { waitMs?: number } = {}): Promise<DatasetState | null> {
    const revision = await revisionWatch(this.dataSource).revision();
    const cached = this.cached;
    if (cached && cached.revision === revision) {
      if ("error" in cached) throw cached.error;
      return cached.state;
    }
    // Requests that saw the same revision share one computation; it starts after they saw it, so
    // its answer is at or after that revision, never older.
    let inflight = this.inflight.get(revision);
    if (!inflight) {
      inflight = { started: Date.now(), promise: this.compute(revision).finally(() => this.inflight.delete(revision)) };
      this.inflight.set(revision, inflight);
    }
    const computation = inflight.promise;
    if (options.waitMs === undefined) return computation;
    // The wait is shared: requests arriving later wait only for what is left of it, so a slow hash
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
    if (!cached || "error" in cached) return null;
    return revisionWatch(this.dataSource).known() === cached.revision ? cached.state : null;
  }

  /**
   * The state of exactly `revision`, for an answer read where that revision is what the database
   * holds (a read replica whose replay lags the primary, an export's snapshot): known when it is the
   * primary's or was worked out before, else worked out with `query`, which runs on that database
   * (once per revision, shared). Null when `query` sees another revision (replay moved on) or the
   * hash takes longer than `waitMs`.
   */
  async stateAt(revision: string, query: StateQuery, waitMs?: number): Promise<DatasetState | null> {
    const cached = this.cached;
    if (cached && cached.revision === revision && !("error" in cached)) return cached.state;
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

  /** Like `current()`, waiting as long as it takes; for `dataset { version }`. */
  async state(): Promise<DatasetState> {
    return (await this.current())!;
  }

  /** Works the state out with `query` (the primary's data source by default, which alone fills `cached`). */
  private async compute(revision: string, query?: StateQuery): Promise<DatasetState> {
    const primary = query === undefined;
    const run: StateQuery = query ?? ((sql, values) => this.dataSource.query(sql, values));
    const keep = (state: DatasetState) => {
      if (primary) this.cached = { revision: state.revision, state };
      return state;
    };
    if (this.release?.bundleHash) {
      const [row] = await run(IS_RELEASE_SQL, [this.release!.bundleHash]);
      if (row.isRelease) return keep({ version: this.release.version, contentHash: this.release.contentHash, revision: row.revision as string });
    }
    const started = Date.now();
    try {
      // The hash is read with its own revision in one snapshot: a write committing meanwhile makes
      // the answer newer than the revision the caller saw, never older.
      const [row] = await run(HASH_WITH_REVISION_SQL);
      const state = keep({ version: versionOf(this.release, row.hash), contentHash: row.hash as string, revision: row.revision as string });
      const elapsed = Date.now() - started;
      if (elapsed > 2000) this.log(`dataset content hash took ${elapsed} ms (computed once per import or curation write)`);
      return state;
    } catch (error) {
      // Too large to hash within the statement timeout: say so once per revision, not per request.
      if (
        (error as { driverError?: { code?: string }; code?: string }).driverError?.code === QUERY_CANCELED ||
        (error as { code?: string }).code === QUERY_CANCELED
      ) {
        this.log(`dataset content hash gave up after ${Date.now() - started} ms (statement timeout); responses carry no dataset version until the next write`);
        if (primary) this.cached = { revision, error: error as Error };
      }
      throw error;
    }
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
