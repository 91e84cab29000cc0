import { ArgsType, Field, Int, ObjectType } from "type-graphql";
import { describedEnum } from "./described-enum";
import type { EnumValue } from "./described-enum";
import type { ClassType } from "type-graphql";

/** The most records one page may hold; `first`/`last` above it are an error, never silently cut. */
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

export const OrderDirection = describedEnum("OrderDirection", "Sort direction.", {
  ASC: "Smallest, earliest or alphabetically first on top.",
  DESC: "Largest, latest or alphabetically last on top.",
});
export type OrderDirection = EnumValue<typeof OrderDirection>;

@ObjectType({ simpleResolvers: true, description: "Where a page sits in its list (Relay cursor connections)." })
export class PageInfo {
  @Field({ description: "Whether more records follow this page." })
  hasNextPage!: boolean;

  @Field({ description: "Whether records precede this page." })
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true, description: "Cursor of the first edge; pass it as `before` for the previous page." })
  startCursor!: string | null;

  @Field(() => String, { nullable: true, description: "Cursor of the last edge; pass it as `after` for the next page." })
  endCursor!: string | null;
}

/** The Relay paging arguments every list takes. */
@ArgsType()
export class ConnectionArgs {
  @Field(() => Int, {
    nullable: true,
    description: `Return the first n records (0 to ${MAX_PAGE_SIZE}; ${DEFAULT_PAGE_SIZE} when neither first nor last is given).`,
  })
  first?: number | null;

  @Field(() => String, { nullable: true, description: "Return records after this cursor (an `endCursor` or edge `cursor`)." })
  after?: string | null;

  @Field(() => Int, { nullable: true, description: `Return the last n records (0 to ${MAX_PAGE_SIZE}).` })
  last?: number | null;

  @Field(() => String, { nullable: true, description: "Return records before this cursor (a `startCursor` or edge `cursor`)." })
  before?: string | null;
}

/**
 * One page of a connection, in the shape the schema serves. `totalCount` and the page-info flags
 * that need another look at the table are getters: the statement behind them runs only when a
 * query selects them.
 */
export interface ConnectionResult<T> {
  edges: { cursor: string; node: T }[];
  nodes: T[];
  pageInfo: { hasNextPage: boolean | Promise<boolean>; hasPreviousPage: boolean | Promise<boolean>; startCursor: string | null; endCursor: string | null };
  readonly totalCount: number | Promise<number>;
}

/**
 * Declares `<Name>Connection` and `<Name>Edge` for a node type. Connections also offer `nodes`,
 * the page's records without cursors, which is what notebooks usually want. The node type is a
 * thunk, read when the schema is built: the entity modules import each other in a cycle, and the
 * class may still be loading when its connection is declared.
 */
export function ConnectionType<T extends object>(nodeType: () => ClassType<T>, name: string, what: string) {
  @ObjectType(`${name}Edge`, { simpleResolvers: true, description: `One ${what} in a page, with its cursor.` })
  class Edge {
    @Field({ description: "Opaque cursor of this edge, for `after` or `before`." })
    cursor!: string;

    @Field(() => nodeType(), { description: `The ${what}.` })
    node!: T;
  }

  @ObjectType(`${name}Connection`, { simpleResolvers: true, description: `A page of ${what} records (Relay cursor connection).` })
  class Connection {
    @Field(() => [Edge], { description: "The page's records with their cursors." })
    edges!: Edge[];

    @Field(() => [nodeType()], { description: "The page's records, without cursors." })
    nodes!: T[];

    @Field(() => PageInfo, { description: "Cursors and whether more records precede or follow." })
    pageInfo!: PageInfo;

    @Field(() => Int, { description: "How many records the whole list holds (all pages, with the filter applied)." })
    totalCount!: number;
  }
  return Connection;
}
