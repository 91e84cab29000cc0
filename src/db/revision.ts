import pg from "pg";
import type { Pool } from "pg";
import type { DataSource } from "typeorm";
import { poolOf, readSource } from "./request-db";
import { poolsOf, readRouting } from "./read-routing";
import type { ReadSource } from "./read-routing";

/** The channel the database notifies when the dataset's revision changes (migration RevisionNotify). */
export const REVISION_CHANNEL = "misuse_graph_revision";

/**
 * The dataset's revision: it changes with every import (a `dataset_import` row) and every curation
 * write (an `audit_entry` row, in the write's own transaction). Counts as well as maximum ids, so a
 * transaction that commits after a later-numbered one still changes it.
 */
export const REVISION_EXPR = `((SELECT count(*) || ':' || coalesce(max(id), 0) FROM dataset_import) || '/' || (SELECT count(*) || ':' || coalesce(max(id), 0) FROM audit_entry))`;
const REVISION_SQL = `SELECT ${REVISION_EXPR} AS revision`;

/**
 * Knows the dataset's revision without a statement per request. Triggers on `dataset_import` and
 * `audit_entry` NOTIFY when a write commits (whichever process or replica made it); the watch
 * LISTENs on a connection of its own and forgets its cached revision on each notification, so the
 * next caller reads it again. While that connection is down, every call reads the revision (no
 * caching), so a lost notification can never leave a stale revision in use.
 */
export class RevisionWatch {
  private cached: string | null = null;
  /** Raised by every notification: a read that started before one must not be cached after it. */
  private generation = 0;
  private listener: pg.Client | null = null;
  private closed = false;

  constructor(private readonly dataSource: DataSource) {}

  /** Starts listening; failures leave the watch uncached (and retried on the next call). */
  async start(): Promise<void> {
    if (this.closed || this.listener) return;
    const client = new pg.Client(poolOf(this.dataSource).options as pg.ClientConfig);
    const drop = (error?: unknown) => {
      // The listener's connection is the primary's pulse: losing it is an outage, logged once.
      if (!this.closed) readRouting(this.dataSource).markDown("primary", error);
      if (this.listener === client) this.listener = null;
      this.cached = null;
      this.generation += 1;
      client.end().catch(() => undefined);
    };
    client.on("error", drop);
    client.on("end", drop);
    client.on("notification", () => {
      this.generation += 1;
      this.cached = null;
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${REVISION_CHANNEL}`);
      this.listener = client;
      this.generation += 1;
      this.cached = null;
      readRouting(this.dataSource).markUp("primary");
    } catch (error) {
      drop(error);
    }
  }

  /**
   * Forgets the cached revision at once: for writes committed by this process, whose own
   * notification arrives a moment later (writes by other processes are seen within milliseconds of
   * their commit, when their notification arrives).
   */
  invalidate(): void {
    this.generation += 1;
    this.cached = null;
  }

  /** The cached revision, when the listener is up and nothing was written since it was read; else null (call `revision()`). */
  known(): string | null {
    return this.listener ? this.cached : null;
  }

  /** The current revision: cached while the listener is up and nothing was written since. */
  async revision(): Promise<string> {
    if (this.listener && this.cached !== null) return this.cached;
    if (!this.listener && !this.closed) void this.start();
    const generation = this.generation;
    const [{ revision }] = await this.dataSource.query(REVISION_SQL);
    if (this.listener && generation === this.generation) this.cached = revision;
    return revision;
  }

  async close(): Promise<void> {
    this.closed = true;
    const listener = this.listener;
    this.listener = null;
    await listener?.end().catch(() => undefined);
  }
}

/** A standby's replay position with the revision it held there, per pool: while replay stands still, so does the revision. */
const replayed = new WeakMap<Pool, { lsn: string; revision: string }>();

/**
 * The revision as the database behind `source` sees it, read there now: on a read replica, the
 * revision of what it has replayed, which is what its answers hold. On a standby the replay
 * position is read first (a function call, no table read) and the revision only when replay moved
 * since it was last read; positions only grow while the server runs, so a revision read after a
 * position is never filed under an older position that could be seen again. (On a primary the
 * position is null and the revision is read every time.)
 */
export async function revisionVia(source: ReadSource): Promise<string> {
  const { client, pool } = await source.connect();
  let failed = false;
  try {
    // The server's start time with it: after a restart, replay may pass through old positions again.
    const [{ lsn }] = (await client.query("SELECT pg_last_wal_replay_lsn()::text || ' ' || pg_postmaster_start_time()::text AS lsn")).rows;
    const known = replayed.get(pool);
    if (lsn !== null && known !== undefined && known.lsn === lsn) return known.revision;
    const [{ revision }] = (await client.query(REVISION_SQL)).rows;
    if (lsn !== null) replayed.set(pool, { lsn, revision });
    return revision;
  } catch (error) {
    failed = true;
    throw error;
  } finally {
    client.release(failed);
  }
}

/** The dataset revision one request's reads saw (`readRevision`). */
export interface RequestRevision {
  /** Whether the reads go to a read replica (then the revision is read there, per request). */
  onReplica: boolean;
  /** Read before the query ran; null when it could not be read. */
  before: string | null;
  /** Reads it again (once): the revision when it held still while the query ran, else null. */
  settle(): Promise<string | null>;
}

/**
 * The dataset revision one request's reads see, read where they go: with a read replica (and
 * reads not sent to the primary), on the replica (whose replay may lag the primary), per request,
 * before the query runs and again after (`settle`); otherwise the primary's, kept by the
 * RevisionWatch. Only when both reads agree did the data come from that one revision (a replica
 * replays commits in order, and every write changes the revision); then `settle` gives it, else
 * null, and neither an ETag nor a dataset version is given to the answer.
 */
export async function readRevision(dataSource: DataSource, options: { fromPrimary: boolean; wanted: boolean }): Promise<RequestRevision> {
  const onReplica = !options.fromPrimary && poolsOf(dataSource).replica !== null;
  const read = () => (onReplica ? revisionVia(readSource(dataSource)) : datasetRevision(dataSource));
  // On the primary it is read only when `wanted` (a GET that may be cached): the version comes from the tracker.
  const before = onReplica || options.wanted ? await read().catch(() => null) : null;
  let settled: Promise<string | null> | null = null;
  return {
    onReplica,
    before,
    settle: () =>
      (settled ??=
        before === null
          ? Promise.resolve(null)
          : read().then(
              (after) => (after === before ? before : null),
              () => null,
            )),
  };
}

/** The dataset's revision on the primary (see RevisionWatch): no statement per request while nothing is written. */
export function datasetRevision(dataSource: DataSource): Promise<string> {
  return revisionWatch(dataSource).revision();
}

const watches = new WeakMap<DataSource, RevisionWatch>();

/** The revision watch of the service that owns this data source (created on first use). */
export function revisionWatch(dataSource: DataSource): RevisionWatch {
  let watch = watches.get(dataSource);
  if (!watch) {
    watch = new RevisionWatch(dataSource);
    watches.set(dataSource, watch);
  }
  return watch;
}
