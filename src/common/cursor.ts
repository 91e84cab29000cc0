import { BadUserInputError } from "./errors";
import { isIsoDate } from "./scalars";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE, OrderDirection } from "./connection";
import type { ConnectionArgs } from "./connection";
import type { SqlParams } from "../db/sql";

/** SQL types of sort keys, ids and parents (`bpchar` for ISO country codes, `float8` for search ranks). */
export type SqlType = "int" | "text" | "date" | "bpchar" | "float8";

/** A way to sort a list: a non-null SQL expression over the list's alias `e`, and its SQL type. */
export interface SortKey {
  field: string;
  /**
   * Written exactly as the keyset index on `(expr, id)` writes it, so pages are index range scans.
   * A key that needs values (a search rank depends on the query text) is a function adding them to
   * the statement's parameters and returning the expression.
   */
  expr: string | ((params: SqlParams) => string);
  type: SqlType;
  /**
   * What else the sort values depend on, when anything does (a search rank: a digest of the search
   * text). Cursors carry it, and a cursor carrying another is refused: its rank means nothing here.
   */
  binding?: string;
}

/** A sort key's SQL expression for one statement, its values (if any) added to that statement's parameters. */
export function sortExpr(sort: SortKey, params: SqlParams): string {
  return typeof sort.expr === "string" ? sort.expr : sort.expr(params);
}

/** What a cursor holds: the list's node type, the ordering field, the row's sort value and id, and the sort key's binding. */
export interface CursorPayload {
  t: string;
  f: string;
  s: string | number;
  i: string | number;
  b?: string;
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

const INT4_MAX = 2_147_483_647;
/** Text PostgreSQL can take as a parameter: no NUL, no lone UTF-16 surrogate, bounded length. */
const SAFE_TEXT = /^(?:[^\u0000\ud800-\udfff]|[\ud800-\udbff][\udc00-\udfff]){0,1000}$/;

/** Whether a cursor value fits its SQL type, so a forged cursor is refused before it reaches SQL. */
function fits(value: unknown, type: SqlType): boolean {
  if (type === "int") return Number.isSafeInteger(value) && Math.abs(value as number) <= INT4_MAX;
  if (type === "float8") return typeof value === "number" && Number.isFinite(value);
  if (typeof value !== "string") return false;
  if (type === "date") return value === "0001-01-01" || (/^\d{4}-\d{2}-\d{2}$/.test(value) && isIsoDate(value));
  if (type === "bpchar") return /^[A-Z]{2}$/.test(value);
  return SAFE_TEXT.test(value);
}

export function encodeCursor(payload: CursorPayload): string {
  return Buffer.from(JSON.stringify(payload), "utf8").toString("base64url");
}

/**
 * Reads a cursor back, refusing anything this list did not hand out: bad encoding, values that do
 * not fit the sort key's or id's SQL type, another list's or ordering's cursor, a cursor of the
 * same ordering bound to something else (a RELEVANCE cursor of another search text). Errors name the argument.
 */
export function decodeCursor(raw: string, argument: string, type: string, sort: SortKey, idType: SqlType): CursorPayload {
  let payload: Partial<CursorPayload> | null = null;
  try {
    if (/^[A-Za-z0-9_-]{1,2000}$/.test(raw)) payload = JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
  } catch {
    payload = null;
  }
  if (!payload || typeof payload !== "object" || typeof payload.t !== "string" || typeof payload.f !== "string") {
    throw new BadUserInputError(`${argument}: not a valid cursor; use a cursor this list returned`);
  }
  if (payload.t !== type || payload.f !== sort.field) {
    throw new BadUserInputError(
      `${argument}: this cursor belongs to another list or ordering (${payload.t.slice(0, 40)} by ${payload.f.slice(0, 40)}); this list is ${type} by ${sort.field}`,
    );
  }
  if (!fits(payload.s, sort.type) || !fits(payload.i, idType)) {
    throw new BadUserInputError(`${argument}: not a valid cursor; use a cursor this list returned`);
  }
  if (payload.b !== sort.binding) {
    throw new BadUserInputError(
      `${argument}: this cursor was returned for another search text; a ${sort.field} cursor pages only through the list of the filter.text it came from`,
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
