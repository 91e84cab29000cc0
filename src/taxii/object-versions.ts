import { createHash } from "node:crypto";
import type { DataSource } from "typeorm";
import type { GraphQLSchema } from "graphql";
import { createContext } from "../context";
import type { Context } from "../context";
import { poolOf, RequestDb } from "../db/request-db";
import type { RequestDbLimits } from "../db/request-db";
import { REVISION_EXPR, revisionWatch } from "../db/revision";
import { wholeDatasetStixObjects } from "../export";
import type { StixObject } from "../export";

/** One version of one object in the collection. */
export interface ObjectVersion {
  id: string;
  type: string;
  /** The object's `modified`: what TAXII calls its version. */
  version: string;
  /** When the collection first held this version: RFC 3339, UTC, milliseconds. */
  dateAdded: string;
  object: StixObject;
}

/** The collection at one dataset revision: every stored version, in `date_added` order. */
export interface CollectionSnapshot {
  revision: string;
  /** Sorted by date added, then id, then version: the order pages follow. */
  versions: ObjectVersion[];
  /** Each object's versions, oldest first. */
  byId: Map<string, ObjectVersion[]>;
}

/** Holds the advisory lock under which one writer at a time brings the table up to date (any value, fixed). */
const SYNC_LOCK = 7_120_411_233;

const hashOf = (object: StixObject) => createHash("sha256").update(JSON.stringify(object)).digest("hex");
const modifiedOf = (object: StixObject) => String(object.modified);

/**
 * Brings `taxii_object_version` up to the given objects (those of the whole-dataset STIX bundle at
 * `revision`) and returns false, without writing, when the data moved on since (the caller reads
 * again). Under an advisory lock, so replicas take turns: a version (id, modified) not stored yet,
 * or stored with other content, is written with a new `date_added`; versions of objects no longer
 * in the bundle, and versions newer than an object's current one, are removed (an object that
 * comes back is added again). The dates of one write are distinct and after every stored date,
 * one millisecond apart in id order from the time of writing: no two versions tie, so a client
 * may page with `added_after` alone, and millisecond precision survives clients that keep the
 * date as a JavaScript Date (OpenCTI does), which would otherwise fetch again what they have.
 */
async function syncVersions(db: RequestDb, revision: string, objects: StixObject[]): Promise<boolean> {
  // One pooled client for the transaction, under the request's accounting: OVERLOADED when the
  // pool is exhausted, cancelled (and the client closed) when the budget runs out.
  const { client, release } = await db.lease();
  const query = async <T>(text: string, values: unknown[] = []) => (await client.query(text, values)).rows as T[];
  let committed = false;
  try {
    await query("BEGIN");
    await query(`SELECT pg_advisory_xact_lock(${SYNC_LOCK})`);
    const [{ now }] = await query<{ now: string }>(`SELECT ${REVISION_EXPR} AS now`);
    if (now !== revision) {
      await query("ROLLBACK");
      committed = true;
      return false;
    }
    const stored = await query<{ id: string; modified: string; hash: string }>(
      `SELECT stix_id AS id, modified, content_hash AS hash FROM taxii_object_version`,
    );
    const storedHash = new Map(stored.map((row) => [`${row.id} ${row.modified}`, row.hash]));
    const current = new Map(objects.map((object) => [object.id, modifiedOf(object)]));
    const gone = stored.filter((row) => !current.has(row.id) || row.modified > current.get(row.id)!);
    if (gone.length) {
      await query(
        `DELETE FROM taxii_object_version t USING unnest($1::text[], $2::text[]) AS g(id, modified) WHERE t.stix_id = g.id AND t.modified = g.modified`,
        [gone.map((row) => row.id), gone.map((row) => row.modified)],
      );
    }
    const changed = objects
      .map((object) => ({ object, hash: hashOf(object) }))
      .filter(({ object, hash }) => storedHash.get(`${object.id} ${modifiedOf(object)}`) !== hash)
      .map(({ object, hash }, n) => ({ stix_id: object.id, modified: modifiedOf(object), content_hash: hash, object, n }));
    if (changed.length) {
      await query(
        `WITH base AS (
           SELECT greatest(date_trunc('milliseconds', clock_timestamp()), (SELECT max(date_added) FROM taxii_object_version) + interval '1 millisecond') AS at
         )
         INSERT INTO taxii_object_version (stix_id, modified, content_hash, date_added, object)
         SELECT r.stix_id, r.modified, r.content_hash, base.at + r.n * interval '1 millisecond', r.object
         FROM base, json_to_recordset($1::json) AS r(stix_id text, modified text, content_hash text, object json, n int)
         ON CONFLICT (stix_id, modified) DO UPDATE
           SET content_hash = EXCLUDED.content_hash, date_added = EXCLUDED.date_added, object = EXCLUDED.object`,
        [JSON.stringify(changed)],
      );
    }
    await query("COMMIT");
    committed = true;
    return true;
  } catch (error) {
    throw db.explain(error);
  } finally {
    // A transaction left open (a failed or cancelled statement) closes with its connection.
    release(!committed);
  }
}

/** Reads every stored version, in paging order. */
async function readVersions(ctx: Context, revision: string): Promise<CollectionSnapshot> {
  const rows = await ctx.sql<{ id: string; version: string; dateAdded: string; object: StixObject }>(
    `SELECT stix_id AS id, modified AS version, to_char(date_added AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "dateAdded", object
     FROM taxii_object_version ORDER BY date_added, stix_id COLLATE "C", modified COLLATE "C"`,
  );
  const versions = rows.map((row) => ({ ...row, type: row.object.type }));
  const byId = new Map<string, ObjectVersion[]>();
  for (const version of versions) {
    const list = byId.get(version.id);
    if (list) list.push(version);
    else byId.set(version.id, [version]);
  }
  for (const list of byId.values()) list.sort((a, b) => (a.version < b.version ? -1 : a.version > b.version ? 1 : 0));
  return { revision, versions, byId };
}

const snapshots = new WeakMap<DataSource, Promise<CollectionSnapshot>>();

/**
 * The collection as of the dataset's current revision. The first request after a data change
 * builds the whole-dataset bundle, records what it added or changed, and reads the versions back;
 * later requests at the same revision share that snapshot without a statement beyond the revision
 * check (cached by the revision watch). The bundle is read from the primary (never a replica that
 * may lag behind the revision it is recorded under), under `limits` (the export's budget).
 */
export async function collectionSnapshot(dataSource: DataSource, schema: GraphQLSchema, limits: RequestDbLimits): Promise<CollectionSnapshot> {
  const db = new RequestDb(poolOf(dataSource), limits);
  const ctx: Context = createContext(dataSource, null, "taxii", limits, db);
  const watch = revisionWatch(dataSource);
  // The watch's cached revision when it has one; else read under the request's accounting.
  const currentRevision = async () => watch.known() ?? (await ctx.sql<{ revision: string }>(`SELECT ${REVISION_EXPR} AS revision`))[0].revision;
  const revision = await currentRevision();
  const cached = snapshots.get(dataSource);
  if (cached) {
    const snapshot = await cached.catch(() => null);
    if (snapshot?.revision === revision) return snapshot;
  }
  const building = (async () => {
    for (let attempt = 0; ; attempt += 1) {
      const at = attempt === 0 ? revision : await currentRevision();
      const objects = await wholeDatasetStixObjects(ctx, dataSource, schema);
      if (await syncVersions(db, at, objects)) return readVersions(ctx, at);
      // A write landed between reading the revision and the objects: read both again.
      if (attempt >= 4) throw new Error("the dataset kept changing while the TAXII collection was brought up to date");
    }
  })();
  snapshots.set(dataSource, building);
  building.catch(() => {
    if (snapshots.get(dataSource) === building) snapshots.delete(dataSource);
  });
  return building;
}
