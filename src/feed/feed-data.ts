import type { Context } from "../context";

/** How many entries the feed holds: the newest reports and operations together. */
export const FEED_SIZE = 50;

/** One entry's facts, read from the database. */
export interface FeedRecord {
  kind: "report" | "operation";
  key: string;
  title: string;
  summary: string;
  /** The report's publication date, or the operation's first disclosure date (YYYY-MM-DD). */
  published: string;
  /** The report's own date, or the operation's latest disclosure date (YYYY-MM-DD). */
  latest: string;
  /** The last curation write to the record (RFC 3339), or null. */
  auditedAt: string | null;
  /** The publisher of the report, or of the report that first disclosed the operation. */
  publisherKey: string;
  /** The report's publisher, or the publishers of every report that disclosed the operation. */
  authors: string[];
  /** The report's own page; null for operations. */
  url: string | null;
}

const AUDITED = (kind: string, key: string) =>
  `(SELECT to_char(max(a.at) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') FROM audit_entry a WHERE a.record_kind = '${kind}' AND a.record_key = ${key})`;

/**
 * The newest FEED_SIZE reports and operations, newest first: reports by publication date,
 * operations by their first disclosure (an operation no report disclosed has no date and is left
 * out), ties by kind (operations first) and key, so the same data always give the same feed.
 * Two statements, whatever the dataset's size.
 */
export async function readFeedRecords(ctx: Context): Promise<FeedRecord[]> {
  const [reports, operations] = await Promise.all([
    ctx.sql<FeedRecord>(
      `SELECT 'report' AS kind, r.key, r.title, r.summary, r.published_on::text AS published, r.published_on::text AS latest,
          ${AUDITED("reports", "r.key")} AS "auditedAt", c.key AS "publisherKey", ARRAY[c.name] AS authors, r.url
       FROM report r JOIN company c ON c.id = r.publisher_id
       ORDER BY r.published_on DESC, r.key COLLATE "C" LIMIT $1`,
      [FEED_SIZE],
    ),
    ctx.sql<FeedRecord>(
      `SELECT 'operation' AS kind, o.key, o.name AS title, o.summary, d.first::text AS published, d.last::text AS latest,
          ${AUDITED("operations", "o.key")} AS "auditedAt", d.publishers[1] AS "publisherKey", d.authors, NULL AS url
       FROM operation o
       CROSS JOIN LATERAL (
         SELECT min(r.published_on) AS first, max(r.published_on) AS last,
                array_agg(c.key ORDER BY r.published_on, r.key COLLATE "C") AS publishers,
                array_agg(DISTINCT c.name ORDER BY c.name) AS authors
         FROM operation_report x JOIN report r ON r.id = x.report_id JOIN company c ON c.id = r.publisher_id
         WHERE x.operation_id = o.id
       ) d
       WHERE d.first IS NOT NULL
       ORDER BY d.first DESC, o.key COLLATE "C" LIMIT $1`,
      [FEED_SIZE],
    ),
  ]);
  return [...operations, ...reports].sort((a, b) => (a.published !== b.published ? (a.published < b.published ? 1 : -1) : 0)).slice(0, FEED_SIZE);
}
