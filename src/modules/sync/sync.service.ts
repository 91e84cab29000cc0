import type { Context } from "../../context";
import { OrderDirection } from "../../common/connection";
import type { ConnectionArgs, ConnectionResult } from "../../common/connection";
import { pageRequest } from "../../common/cursor";
import type { SortKey } from "../../common/cursor";
import { connection } from "../../common/list";
import { SqlParams } from "../../db/sql";
import { Deletion } from "./deletion.entity";
import { checkedIso } from "./updated-since";
import type { RecordKind } from "./deletion.entity";

/**
 * Tombstones are paged by id: the list is a fixed set (`deleted_at >= since`), and resuming later
 * goes by the watermark, not by a cursor.
 */
const SORT: SortKey = { field: "ID", expr: "e.id", type: "int" };

/** A page of tombstones of records deleted at or after `since`, optionally of some kinds only. */
export function deletionsConnection(
  ctx: Context,
  args: ConnectionArgs,
  since: Date,
  kinds: readonly RecordKind[] | null | undefined,
): Promise<ConnectionResult<Deletion>> {
  const request = pageRequest(args, "Deletion", SORT, OrderDirection.ASC, "int");
  const kind = kinds?.length ? [...new Set(kinds)] : undefined;
  const sinceIso = checkedIso(since, "since");
  return connection(ctx, {
    request,
    parent: 0,
    source: (params = new SqlParams()) => {
      const where = [`e.deleted_at >= ${params.add(sinceIso)}::timestamptz`];
      if (kind) where.push(`e.kind = ANY(${params.add(kind)}::text[])`);
      return { type: "Deletion", from: "deletion e", idExpr: "e.id", idType: "int", where, params };
    },
    entity: Deletion,
  });
}

/**
 * The time from which the next sync must ask (`updatedSince`, `deletions(since:)`) so that it
 * misses no write: the start of the oldest transaction still open, or now. A write is stamped with
 * its transaction's start (`now()`), and becomes visible only when it commits, so a transaction
 * that started before this read but commits after it carries a stamp earlier than now; waiting
 * for it to be older than the watermark is what makes the watermark safe. Asking again from it may
 * return a record twice, never miss one. Sessions of other database roles are only seen with the
 * `pg_read_all_stats` role; the importer and the service normally share one role.
 */
export async function syncWatermark(ctx: Context): Promise<Date> {
  const [row] = await ctx.sql(
    `SELECT least(now(), (SELECT min(xact_start) FROM pg_stat_activity WHERE datname = current_database() AND backend_type = 'client backend' AND xact_start IS NOT NULL)) AS watermark`,
    [],
  );
  return row.watermark as Date;
}
