import { Arg, Ctx, ID, Query, Resolver } from "type-graphql";
import type { Context } from "../../context";
import { Node } from "../../common/node";
import { fromGlobalId } from "../../common/global-id";
import { BadUserInputError } from "../../common/errors";
import { loadNode } from "./node.service";

/** Resolves Relay global IDs; lookups of many IDs are batched per type. */
@Resolver()
export class NodeResolver {
  @Query(() => Node, {
    nullable: true,
    description: "The record with this global ID, or null if it no longer exists. A malformed ID is a BAD_USER_INPUT error.",
  })
  node(@Ctx() ctx: Context, @Arg("id", () => ID, { description: "A global ID from an `id` field." }) id: string) {
    const { type, key } = fromGlobalId(id);
    return loadNode(ctx, type, key);
  }

  @Query(() => [Node], {
    nullable: "items",
    description: "The records with these global IDs, in the same order; null where one no longer exists. At most 100 IDs.",
  })
  nodes(@Ctx() ctx: Context, @Arg("ids", () => [ID], { description: "Global IDs from `id` fields (at most 100)." }) ids: string[]) {
    if (ids.length > 100) throw new BadUserInputError(`ids: at most 100 IDs per call (got ${ids.length})`);
    const parsed = ids.map((id, index) => fromGlobalId(id, `ids[${index}]`));
    return Promise.all(parsed.map(({ type, key }) => loadNode(ctx, type, key)));
  }
}
