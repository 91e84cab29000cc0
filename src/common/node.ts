import { Field, ID, InterfaceType } from "type-graphql";

/**
 * The Relay Node interface: every record the graph serves has an opaque global ID that `node(id)`
 * and `nodes(ids)` resolve. Implementing classes provide a `nodeId` getter built with toGlobalId.
 */
// No resolveType of our own: type-graphql's default finds the implementing class the value is an
// instance of, synchronously (a custom one is wrapped in an async function, which graphql-jit does not await).
@InterfaceType({ description: "A record with a globally unique, opaque ID, resolvable with `node(id)`." })
export abstract class Node {
  // Read from `nodeId`, not from a property named `id` (the record's number): never a plain
  // property read, whatever the implementing type's `simpleResolvers`.
  @Field(() => ID, { name: "id", simple: false, description: "Opaque global ID; pass it to `node(id)` or `nodes(ids)`." })
  nodeId!: string;
}
