import { AsyncLocalStorage } from "node:async_hooks";
import type { DataSource } from "typeorm";
import { ENTITY_KINDS, storedRecordsSql } from "../../import/importer";
import { versionOf } from "./release";
import type { ReleaseManifest } from "./release";

/** What every answer says about the data it was computed from. */
export interface DatasetState {
  /** The release version, `<version>+modified` after writes since, or null without a release manifest. */
  version: string | null;
  /** `dataset { contentHash }` of the database now. */
  contentHash: string;
}

/**
 * SQL for the content hash (the same canonical form as `dataset { contentHash }`) together with the
 * revision it belongs to, in one statement and so one snapshot: a write committing meanwhile cannot
 * pair a new revision with an old hash.
 */
const HASH_WITH_REVISION_SQL = `SELECT
    (SELECT COALESCE(max(id), 0) FROM dataset_import) || ':' || (SELECT COALESCE(max(id), 0) FROM audit_entry) AS revision,
    (SELECT encode(sha256(convert_to(COALESCE(string_agg(kind || ' ' || doc, E'\\n' ORDER BY kind, key COLLATE "C"), ''), 'UTF8')), 'hex')
     FROM (${ENTITY_KINDS.map((kind) => `SELECT '${kind}' AS kind, r.key, row_to_json(r)::text AS doc FROM (${storedRecordsSql(kind, "true")}) r`).join(" UNION ALL ")}) records) AS hash`;

/** Every committed import and every curation write raises one of these two numbers. */
const REVISION_SQL = `SELECT (SELECT COALESCE(max(id), 0) FROM dataset_import) || ':' || (SELECT COALESCE(max(id), 0) FROM audit_entry) AS revision`;

/**
 * Knows the release the service was started with and which version the database holds now.
 * The content hash reads every record, so it is cached per revision (the latest import and audit
 * entry ids); each call costs one index lookup to learn whether the cache still holds. The lookups
 * run outside the request's SQL statement tally: they are the same for every request, not part of
 * the query's shape that `X-SQL-Statements` measures.
 */
export class DatasetVersionTracker {
  private cached: { revision: string; state: DatasetState } | null = null;
  /** Runs a function in the context the tracker was built in (start-up: no request, no tally). */
  private readonly outside = AsyncLocalStorage.snapshot();

  constructor(
    private readonly dataSource: DataSource,
    readonly release: ReleaseManifest | null,
  ) {}

  /** The dataset's version and content hash as of now (never a cached value from an older revision). */
  async current(): Promise<DatasetState> {
    const [{ revision }] = await this.outside(() => this.dataSource.query(REVISION_SQL));
    const cached = this.cached;
    if (cached && cached.revision === revision) return cached.state;
    // The hash is read with its own revision in one snapshot, at or after the revision seen above:
    // a write committing in between makes the answer newer, never older.
    const [row] = await this.outside(() => this.dataSource.query(HASH_WITH_REVISION_SQL));
    const state = { version: versionOf(this.release, row.hash), contentHash: row.hash as string };
    this.cached = { revision: row.revision, state };
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
