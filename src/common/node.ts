import { Field, ID, InterfaceType } from "type-graphql";

/**
 * The Relay Node interface: every record the graph serves has an opaque global ID that `node(id)`
 * and `nodes(ids)` resolve. Implementing classes provide a `nodeId` getter built with toGlobalId.
 */
@InterfaceType({
  description: "A record with a globally unique, opaque ID, resolvable with `node(id)`.",
  resolveType: (value: object) => value.constructor.name,
})
export abstract class Node {
  @Field(() => ID, { name: "id", description: "Opaque global ID; pass it to `node(id)` or `nodes(ids)`." })
  nodeId!: string;
}
