import { Arg, Args, Ctx, GraphQLISODateTime, Query, Resolver } from "type-graphql";
import type { Context } from "../../context";
import { ConnectionArgs } from "../../common/connection";
import { DeletionConnection, RecordKind } from "./deletion.entity";
import { deletionsConnection, syncWatermark } from "./sync.service";

/** Incremental sync: what was deleted since a time, and from when to ask next time. */
@Resolver()
export class SyncResolver {
  @Query(() => DeletionConnection, {
    description:
      "Records deleted at or after `since` (tombstones with kind and key), oldest first. With `updatedSince` on the list filters, this lets a local copy be refreshed: ask both from the previous `syncWatermark`.",
  })
  deletions(
    @Ctx() ctx: Context,
    @Args() args: ConnectionArgs,
    @Arg("since", () => GraphQLISODateTime, { description: "Deleted at or after this time (UTC); pass the `syncWatermark` read before the previous sync." })
    since: Date,
    @Arg("kind", () => [RecordKind], { nullable: true, description: "Only deletions of these kinds of record; all kinds when omitted." })
    kind?: RecordKind[] | null,
  ) {
    return deletionsConnection(ctx, args, since, kind);
  }

  @Query(() => GraphQLISODateTime, {
    description:
      "Read this before syncing and pass it as `since` (`updatedSince`, `deletions`) next time: the start of the oldest transaction still open in the database, or now. Writes are stamped with their transaction's start, so asking from this time misses none that commit later; a record may come twice, never be missed.",
  })
  syncWatermark(@Ctx() ctx: Context) {
    return syncWatermark(ctx);
  }
}
