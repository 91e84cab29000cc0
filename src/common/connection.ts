import { ArgsType, Field, GraphQLISODateTime, InputType, Int, ObjectType } from "type-graphql";
import { describeEnum, describedEnum } from "./described-enum";
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

/** The description of a name or title order field: the order a reader expects, not code points. */
export function readerOrder(what: string): string {
  return `${what}, as a reader sorts it: case aside, accents counting (ICU root collation).`;
}

/** The description of the RELEVANCE order field of a list that takes `filter.text`. */
export const RELEVANCE_ORDER =
  "How well the record matches `filter.text` (PostgreSQL `ts_rank`; name matches weigh most); needs `filter.text`. Use direction DESC for the best matches first.";

/** How a list sorts: the fields, each described, the order used by default, and what breaks ties. */
export interface OrderSpec<E extends Record<string, string>> {
  /** Said after "What to sort <records> by." in the enum's description. */
  note?: string;
  fields: { [K in keyof E]: string };
  byDefault: { field: E[keyof E]; direction: OrderDirection };
  tiebreak: string;
}

/**
 * Declares a list's sort order: the `<Name>OrderField` enum, its values described in one table, and
 * the `<Name>Order` input of a field and a direction with the list's default order. The fields are a
 * TypeScript enum so that services can name one as a type (`Exclude<Field, Field.RELEVANCE>`).
 */
export function OrderInput<E extends Record<string, string>>(name: string, what: string, fieldEnum: E, spec: OrderSpec<E>) {
  describeEnum(fieldEnum, `${name}OrderField`, `What to sort ${what} by.${spec.note ? ` ${spec.note}` : ""}`, spec.fields);

  @InputType(`${name}Order`, { description: `Sort order for ${what}; ties break on ${spec.tiebreak}.` })
  class Order {
    @Field(() => fieldEnum, { description: "What to sort by." })
    field: E[keyof E] = spec.byDefault.field;

    @Field(() => OrderDirection, { description: "Which way." })
    direction: OrderDirection = spec.byDefault.direction;
  }
  return Order;
}

/** Description of the `updatedSince` filter field, the same on every list filter. */
export const UPDATED_SINCE = (records: string) =>
  `Only ${records} created or changed (the record or its edges) at or after this time (UTC); for incremental sync, pass the \`syncWatermark\` read before the previous sync.`;

/** How `filter.text` matches: in names only, or in prose as well (by word stem). */
const TEXT_MATCHING = {
  names: "whole words match, case-insensitively",
  prose: "names match whole words case-insensitively, prose also by word stem",
};

/**
 * The fields every searchable list's filter has: `text`, a full-text search over `over` (whose text is
 * names only, or prose as well), and `updatedSince` for incremental sync. An entity's filter extends it with
 * fields of its own.
 */
export function SearchableFilter(records: string, over: string, text: keyof typeof TEXT_MATCHING) {
  // Registered so that the entities' filters inherit its fields; no field takes it, so the schema never shows it.
  @InputType()
  abstract class Searchable {
    @Field(() => String, {
      nullable: true,
      description: `Full-text search over ${over} (PostgreSQL, web-search syntax: words are AND'ed, "quoted phrases", \`or\`, \`-word\`); ${TEXT_MATCHING[text]}. 1-200 characters, not blank.`,
    })
    text?: string | null;

    @Field(() => GraphQLISODateTime, { nullable: true, description: UPDATED_SINCE(records) })
    updatedSince?: Date | null;
  }
  return Searchable;
}

/**
 * The arguments of an entity's lists: Relay paging, the entity's filter and its sort order, the same
 * for the root list and for the lists under other records. `byDefault` says the order used when
 * `orderBy` is omitted.
 */
export function FilteredConnectionArgs<F extends object, O extends object>(filter: ClassType<F>, order: ClassType<O>, what: string, byDefault: string) {
  @ArgsType()
  class FilteredArgs extends ConnectionArgs {
    @Field(() => filter, { nullable: true, description: `Which ${what} to list.` })
    filter?: F | null;

    @Field(() => order, { nullable: true, description: `Sort order; ${byDefault} when omitted.` })
    orderBy?: O | null;
  }
  return FilteredArgs;
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
