import { TaxiiError } from "./taxii-http";
import type { CollectionSnapshot, ObjectVersion } from "./object-versions";

/** The most records one page holds, and what a request without `limit` gets. */
export const MAX_PAGE_SIZE = 1000;

/** The parameters each endpoint takes (TAXII 2.1, "Get Objects", "Get Object Manifests", "Get an Object", "Get Object Versions"). */
export const OBJECTS_PARAMETERS = ["added_after", "limit", "next", "match[id]", "match[type]", "match[version]", "match[spec_version]"];
export const OBJECT_PARAMETERS = ["added_after", "limit", "next", "match[version]", "match[spec_version]"];
export const VERSIONS_PARAMETERS = ["added_after", "limit", "next", "match[spec_version]"];

/** RFC 3339 in UTC, as TAXII timestamps are written; the fraction may have any number of digits. */
const TIMESTAMP = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?Z$/;

/** A timestamp with nine fractional digits, so that two of them compare as strings. */
function comparable(timestamp: string): string | null {
  const match = TIMESTAMP.exec(timestamp);
  if (!match || Number.isNaN(Date.parse(`${match[1]}Z`))) return null;
  return `${match[1]}.${(match[2] ?? "").padEnd(9, "0")}Z`;
}

function badParameter(parameter: string, description: string): TaxiiError {
  return new TaxiiError(400, `Invalid ${parameter}`, description, {}, parameter);
}

/** The filters and page of one request, checked. */
export interface VersionQuery {
  addedAfter: string | null;
  limit: number;
  /** The position after which the page starts (date added, id, version). */
  after: [string, string, string] | null;
  ids: Set<string> | null;
  types: Set<string> | null;
  /** `last`, `first`, `all` and specific versions (timestamps), any of which selects a version. */
  versions: { last: boolean; first: boolean; all: boolean; exact: Set<string> };
  /** False when match[spec_version] names no version the collection holds (every object is STIX 2.1). */
  specVersionMatches: boolean;
}

const list = (value: string) => value.split(",").map((item) => item.trim());

/** Refuses a parameter the endpoint does not take, or one given more than once. */
function checkNames(params: URLSearchParams, allowed: string[]): void {
  for (const name of new Set(params.keys())) {
    if (!allowed.includes(name)) throw badParameter(name, `Unknown parameter "${name}"; this endpoint takes ${allowed.join(", ")}`);
    if (params.getAll(name).length > 1) throw badParameter(name, `"${name}" is given more than once; give several values as one comma-separated list`);
  }
}

/** `added_after`: a timestamp, made comparable. */
function addedAfterOf(value: string): string {
  const addedAfter = comparable(value);
  if (!addedAfter) throw badParameter("added_after", `"${value}" is not a timestamp such as 2025-01-31T12:00:00.000Z (RFC 3339, UTC)`);
  return addedAfter;
}

/** `limit`: a positive integer, capped at MAX_PAGE_SIZE. */
function limitOf(value: string): number {
  if (!/^\d{1,9}$/.test(value) || Number(value) < 1) throw badParameter("limit", `limit must be a positive integer; got "${value}"`);
  return Math.min(Number(value), MAX_PAGE_SIZE);
}

/** `match[version]`: any of last, first, all and timestamps. */
function versionsOf(value: string): VersionQuery["versions"] {
  const versions = { last: false, first: false, all: false, exact: new Set<string>() };
  for (const item of list(value)) {
    if (item === "last" || item === "first" || item === "all") versions[item] = true;
    else if (comparable(item)) versions.exact.add(comparable(item)!);
    else throw badParameter("match[version]", `"${item}" is none of last, first, all or a timestamp (RFC 3339, UTC)`);
  }
  return versions;
}

/** `match[spec_version]`: whether it names 2.1, the one version the collection holds. */
function specVersionMatches(value: string): boolean {
  const values = list(value);
  const bad = values.find((v) => !/^\d+\.\d+$/.test(v));
  if (bad !== undefined) throw badParameter("match[spec_version]", `"${bad}" is not a STIX specification version such as 2.1`);
  return values.includes("2.1");
}

/**
 * Reads the query parameters an endpoint takes: an unknown one, a repeated one, or a bad value is
 * a 400 naming it. `match[version]` defaults to `last` and `match[spec_version]` to the latest
 * (2.1), as the specification says; `limit` defaults to, and is capped at, MAX_PAGE_SIZE.
 */
export function parseVersionQuery(params: URLSearchParams, allowed: string[], defaultVersion: "last" | "all"): VersionQuery {
  checkNames(params, allowed);
  const read = <T>(name: string, parse: (value: string) => T, fallback: T): T => {
    const value = params.get(name);
    return value === null ? fallback : parse(value);
  };
  return {
    addedAfter: read("added_after", addedAfterOf, null),
    limit: read("limit", limitOf, MAX_PAGE_SIZE),
    after: read("next", decodeNext, null),
    ids: read("match[id]", (value) => new Set(list(value)), null),
    types: read("match[type]", (value) => new Set(list(value)), null),
    versions: read("match[version]", versionsOf, { last: defaultVersion === "last", first: false, all: defaultVersion === "all", exact: new Set<string>() }),
    specVersionMatches: read("match[spec_version]", specVersionMatches, true),
  };
}

/** The `next` token: where the page ended, opaque to the client. */
export function encodeNext(version: ObjectVersion): string {
  return Buffer.from(JSON.stringify([version.dateAdded, version.id, version.version])).toString("base64url");
}

function decodeNext(token: string): [string, string, string] {
  try {
    const value: unknown = JSON.parse(Buffer.from(token, "base64url").toString("utf8"));
    if (Array.isArray(value) && value.length === 3 && value.every((v) => typeof v === "string") && comparable(value[0])) {
      return value as [string, string, string];
    }
  } catch {
    // Falls through to the 400.
  }
  throw badParameter("next", "next is not a token this server gave; send back the `next` of the previous page unchanged, with the same filters");
}

/** Whether a version comes after the position a `next` token names, in paging order. */
function isAfter(v: ObjectVersion, [dateAdded, id, version]: [string, string, string]): boolean {
  if (v.dateAdded !== dateAdded) return v.dateAdded > dateAdded;
  if (v.id !== id) return v.id > id;
  return v.version > version;
}

/** The versions of the collection a query selects, in paging order (before paging). */
export function selectVersions(snapshot: CollectionSnapshot, query: VersionQuery, candidates: ObjectVersion[] = snapshot.versions): ObjectVersion[] {
  if (!query.specVersionMatches) return [];
  const { last, first, all, exact } = query.versions;
  return candidates.filter((v) => {
    if (query.ids && !query.ids.has(v.id)) return false;
    if (query.types && !query.types.has(v.type)) return false;
    if (query.addedAfter && comparable(v.dateAdded)! <= query.addedAfter) return false;
    if (all || exact.has(comparable(v.version)!)) return true;
    const versions = snapshot.byId.get(v.id)!;
    return (last && versions[versions.length - 1] === v) || (first && versions[0] === v);
  });
}

/** One page of selected versions: the records, whether more follow, and the token to ask for them. */
export function page(
  selected: ObjectVersion[],
  query: VersionQuery,
): { records: ObjectVersion[]; more: boolean; next?: string; headers: Record<string, string> } {
  const rest = query.after ? selected.filter((v) => isAfter(v, query.after!)) : selected;
  const records = rest.slice(0, query.limit);
  const more = rest.length > records.length;
  const headers: Record<string, string> = records.length
    ? { "x-taxii-date-added-first": records[0].dateAdded, "x-taxii-date-added-last": records[records.length - 1].dateAdded }
    : {};
  return { records, more, ...(more ? { next: encodeNext(records[records.length - 1]) } : {}), headers };
}
