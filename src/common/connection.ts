import { ArgsType, Field, Int, ObjectType, registerEnumType } from "type-graphql";
import type { ClassType } from "type-graphql";
import type { DataSource } from "typeorm";
import { BadUserInputError } from "./errors";
import { SqlParams } from "../db/sql";

/** The most records one page may hold; `first`/`last` above it are an error, never silently cut. */
export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;

export enum OrderDirection {
  ASC = "ASC",
  DESC = "DESC",
}

registerEnumType(OrderDirection, {
  name: "OrderDirection",
  description: "Sort direction.",
  valuesConfig: {
    ASC: { description: "Smallest, earliest or alphabetically first on top." },
    DESC: { description: "Largest, latest or alphabetically last on top." },
  },
});

@ObjectType({ description: "Where a page sits in its list (Relay cursor connections)." })
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
  @Field(() => Int, { nullable: true, description: `Return the first n records (0 to ${MAX_PAGE_SIZE}; ${DEFAULT_PAGE_SIZE} when neither first nor last is given).` })
  first?: number | null;

  @Field(() => String, { nullable: true, description: "Return records after this cursor (an `endCursor` or edge `cursor`)." })
  after?: string | null;

  @Field(() => Int, { nullable: true, description: `Return the last n records (0 to ${MAX_PAGE_SIZE}).` })
  last?: number | null;

  @Field(() => String, { nullable: true, description: "Return records before this cursor (a `startCursor` or edge `cursor`)." })
  before?: string | null;
}

/** One page of a connection, in the shape the schema serves. */
export interface ConnectionResult<T> {
  edges: { cursor: string; node: T }[];
  nodes: T[];
  pageInfo: PageInfo;
  totalCount: number;
}

/**
 * Declares `<Name>Connection` and `<Name>Edge` for a node type. Connections also offer `nodes`,
 * the page's records without cursors, which is what notebooks usually want.
 */
export function ConnectionType<T extends object>(nodeType: ClassType<T>, name: string, what: string) {
  @ObjectType(`${name}Edge`, { description: `One ${what} in a page, with its cursor.` })
  class Edge {
    @Field({ description: "Opaque cursor of this edge, for `after` or `before`." })
    cursor!: string;

    @Field(() => nodeType, { description: `The ${what}.` })
    node!: T;
  }

  @ObjectType(`${name}Connection`, { description: `A page of ${what} records (Relay cursor connection).` })
  class Connection {
    @Field(() => [Edge], { description: "The page's records with their cursors." })
    edges!: Edge[];

    @Field(() => [nodeType], { description: "The page's records, without cursors." })
    nodes!: T[];

    @Field(() => PageInfo, { description: "Cursors and whether more records precede or follow." })
    pageInfo!: PageInfo;

    @Field(() => Int, { description: "How many records the whole list holds (all pages, with the filter applied)." })
    totalCount!: number;
  }
  return Connection;
}

/** SQL types of sort keys, ids and parents (`bpchar` for ISO country codes). */
export type SqlType = "int" | "text" | "date" | "bpchar";

/** A way to sort a list: a non-null SQL expression over the list's alias, and its SQL type. */
export interface SortKey {
  field: string;
  expr: string;
  type: SqlType;
}

/** A list to page through: which rows, identified how, grouped under which parents. */
export interface ListSource {
  /** GraphQL type of the nodes; cursors carry it so that one list's cursor is refused by another. */
  type: string;
  /** SQL FROM clause body, e.g. `operation e JOIN operation_report l ON l.operation_id = e.id`. */
  from: string;
  idExpr: string;
  idType: SqlType;
  /** Expression for the parent a row belongs to (nested lists); top-level lists leave it out. */
  parentExpr?: string;
  parentType?: SqlType;
  /** Conditions AND'ed together, with their parameters already in `params`. */
  where: string[];
  params: SqlParams;
}

interface CursorPayload {
  t: string;
  f: string;
  s: string | number;
  i: string | number;
}

/** A validated page request: how many, from where, in which order. */
export interface PageRequest {
  mode: "first" | "last";
  limit: number;
  after: CursorPayload | null;
  before: CursorPayload | null;
  sort: SortKey;
  direction: OrderDirection;
}

/** What the database returned for one parent: ids of one page plus paging facts. */
export interface Page<Id> {
  ids: Id[];
  cursors: string[];
  totalCount: number;
  hasNextPage: boolean;
  hasPreviousPage: boolean;
}

function encodeCursor(payload: CursorPayload): string {
  return Buffer.from(JSON.stringify(payload), "utf8").toString("base64url");
}

function matchesType(value: unknown, type: SqlType): boolean {
  if (type === "int") return Number.isSafeInteger(value);
  if (type === "date") return typeof value === "string" && /^-?\d{4,}-\d{2}-\d{2}$/.test(value);
  return typeof value === "string";
}

function decodeCursor(raw: string, argument: string, type: string, sort: SortKey, idType: SqlType): CursorPayload {
  let payload: Partial<CursorPayload> | null = null;
  try {
    if (/^[A-Za-z0-9_-]{1,2000}$/.test(raw)) payload = JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
  } catch {
    payload = null;
  }
  if (!payload || typeof payload !== "object" || !matchesType(payload.s, sort.type) || !matchesType(payload.i, idType) || typeof payload.t !== "string") {
    throw new BadUserInputError(`${argument}: not a valid cursor; use a cursor this list returned`);
  }
  if (payload.t !== type || payload.f !== sort.field) {
    throw new BadUserInputError(
      `${argument}: this cursor belongs to another list or ordering (${payload.t} by ${payload.f}); this list is ${type} by ${sort.field}`,
    );
  }
  return payload as CursorPayload;
}

/**
 * Checks paging arguments once, at the edge: sizes within 0..100, not both `first` and `last`,
 * cursors that belong to this list and ordering. Errors name the argument and the cap.
 */
export function pageRequest(args: ConnectionArgs, type: string, sort: SortKey, direction: OrderDirection, idType: SqlType): PageRequest {
  for (const name of ["first", "last"] as const) {
    const value = args[name];
    if (value !== null && value !== undefined && (value < 0 || value > MAX_PAGE_SIZE)) {
      throw new BadUserInputError(`${name} must be between 0 and ${MAX_PAGE_SIZE} (got ${value}); the page size is capped at ${MAX_PAGE_SIZE}`);
    }
  }
  const hasFirst = args.first !== null && args.first !== undefined;
  const hasLast = args.last !== null && args.last !== undefined;
  if (hasFirst && hasLast) throw new BadUserInputError("pass either first or last, not both");
  return {
    mode: hasLast ? "last" : "first",
    limit: hasLast ? args.last! : hasFirst ? args.first! : DEFAULT_PAGE_SIZE,
    after: args.after ? decodeCursor(args.after, "after", type, sort, idType) : null,
    before: args.before ? decodeCursor(args.before, "before", type, sort, idType) : null,
    sort,
    direction,
  };
}

/** A stable text form of a page request, for batching loaders by identical arguments. */
export function pageRequestKey(request: PageRequest): string {
  return JSON.stringify([request.mode, request.limit, request.after, request.before, request.sort.field, request.direction]);
}

/**
 * Fetches one page per parent in a single SQL statement, keyset-paginated on (sort, id) so pages stay
 * stable while data changes and deep pages cost no more than the first. Top-level lists are the
 * case of a single parent. Returns a page for every parent, empty where it has no rows.
 */
export async function fetchPages<P extends string | number, Id extends string | number>(
  dataSource: DataSource,
  source: ListSource,
  request: PageRequest,
  parents: readonly P[],
): Promise<Page<Id>[]> {
  const { params } = source;
  const { sort, direction } = request;
  const parentExpr = source.parentExpr ?? "0";
  const parentType = source.parentType ?? "int";
  const ascending = direction === OrderDirection.ASC;
  const windowDirection = (request.mode === "first") === ascending ? "ASC" : "DESC";

  const position = (cursor: CursorPayload) => `(${params.add(cursor.s)}::${sort.type}, ${params.add(cursor.i)}::${source.idType})`;
  const afterCond = request.after ? `(sort, id) ${ascending ? ">" : "<"} ${position(request.after)}` : "true";
  const beforeCond = request.before ? `(sort, id) ${ascending ? "<" : ">"} ${position(request.before)}` : "true";
  const where = [`${parentExpr} = ANY(${params.add(parents)}::${parentType}[])`, ...source.where].join(" AND ");

  const sql = `
    WITH base AS (
      SELECT ${parentExpr} AS parent, ${source.idExpr} AS id, (${sort.expr})::${sort.type} AS sort
      FROM ${source.from}
      WHERE ${where}
    ),
    totals AS (
      SELECT parent, count(*)::int AS total,
             count(*) FILTER (WHERE ${afterCond})::int AS after_count,
             count(*) FILTER (WHERE ${beforeCond})::int AS before_count
      FROM base GROUP BY parent
    ),
    ranked AS (
      SELECT parent, id, sort, row_number() OVER (PARTITION BY parent ORDER BY sort ${windowDirection}, id ${windowDirection}) AS rn
      FROM base WHERE ${afterCond} AND ${beforeCond}
    )
    SELECT t.parent, t.total, t.after_count, t.before_count, r.id, r.sort
    FROM totals t LEFT JOIN ranked r ON r.parent = t.parent AND r.rn <= ${request.limit + 1}
    ORDER BY t.parent, r.rn`;

  const rows: { parent: P; total: number; after_count: number; before_count: number; id: Id | null; sort: string | number | null }[] =
    await dataSource.query(sql, params.values);

  const byParent = new Map<P, typeof rows>();
  const facts = new Map<P, (typeof rows)[number]>();
  for (const row of rows) {
    if (!facts.has(row.parent)) {
      facts.set(row.parent, row);
      byParent.set(row.parent, []);
    }
    if (row.id !== null) byParent.get(row.parent)!.push(row);
  }

  return parents.map((parent) => {
    const fact = facts.get(parent);
    if (!fact) return { ids: [], cursors: [], totalCount: 0, hasNextPage: false, hasPreviousPage: false };
    let list = byParent.get(parent) ?? [];
    const overflow = list.length > request.limit;
    list = list.slice(0, request.limit);
    const excludedBefore = request.after !== null && fact.after_count < fact.total;
    const excludedAfter = request.before !== null && fact.before_count < fact.total;
    if (request.mode === "last") list.reverse();
    return {
      ids: list.map((row) => row.id as Id),
      cursors: list.map((row) => encodeCursor({ t: source.type, f: sort.field, s: row.sort as string | number, i: row.id as Id })),
      totalCount: fact.total,
      hasNextPage: request.mode === "first" ? overflow || excludedAfter : excludedAfter,
      hasPreviousPage: request.mode === "last" ? overflow || excludedBefore : excludedBefore,
    };
  });
}

/** Turns a page of ids into the connection the schema serves, loading nodes through a batch loader. */
export async function toConnection<Id, T>(page: Page<Id>, load: (ids: Id[]) => Promise<T[]>): Promise<ConnectionResult<T>> {
  const nodes = await load(page.ids);
  return {
    edges: nodes.map((node, index) => ({ cursor: page.cursors[index], node })),
    nodes,
    totalCount: page.totalCount,
    pageInfo: {
      hasNextPage: page.hasNextPage,
      hasPreviousPage: page.hasPreviousPage,
      startCursor: page.cursors[0] ?? null,
      endCursor: page.cursors[page.cursors.length - 1] ?? null,
    },
  };
}
