import type http from "node:http";
import { requestOrigin } from "../common/request-origin";
import type { Route, RouteDeps } from "../common/route";
import { ExportDiscipline, uuidv5 } from "../export";
import type { ExportRun } from "../export";
import type { RequestDbLimits } from "../db/request-db";
import { collectionSnapshot } from "./object-versions";
import type { CollectionSnapshot, ObjectVersion } from "./object-versions";
import { OBJECT_PARAMETERS, OBJECTS_PARAMETERS, VERSIONS_PARAMETERS, page, parseVersionQuery, selectVersions } from "./taxii-query";
import type { VersionQuery } from "./taxii-query";
import { STIX_MEDIA_TYPE, TAXII_MEDIA_TYPE, TaxiiError, acceptsTaxii, sendTaxii, sendTaxiiError } from "./taxii-http";

/** Where the discovery resource is, and the one API root's name under it. */
export const TAXII_PREFIX = "/taxii2/";
const API_ROOT = "misuse-graph";
/** The collection's alias, and its id: a UUID fixed by that name, the same on every server and release. */
export const COLLECTION_ALIAS = "disclosed-ai-misuse";
export const COLLECTION_ID = uuidv5(`taxii-collection:${COLLECTION_ALIAS}`);

const COLLECTION = {
  id: COLLECTION_ID,
  title: "Disclosed AI misuse",
  description:
    "Every object of the whole-dataset STIX 2.1 export (/export/stix): operations as intrusion sets, the AI companies' threat reports, the companies, countries, AI tools, operators and statements they name, and the relationships between them.",
  alias: COLLECTION_ALIAS,
  can_read: true,
  can_write: false,
  media_types: [STIX_MEDIA_TYPE],
};

const noParameters = (url: URL) => {
  const name = [...url.searchParams.keys()][0];
  if (name !== undefined) throw new TaxiiError(400, `Invalid ${name}`, `This endpoint takes no parameters; got "${name}"`, {}, name);
};

const notFound = (what: string) => new TaxiiError(404, "Not found", what);

/** The paths under the collection: `objects/`, `manifest/`, `objects/{id}/`, `objects/{id}/versions/`. */
const COLLECTION_PATH = /^collections\/([^/]+)\/(?:(objects|manifest)\/(?:([^/]+)\/(?:(versions)\/)?)?)?$/;

/**
 * TAXII 2.1 at `/taxii2/` (docs/taxii.md): discovery, one API root, one read-only collection that
 * holds the objects of the whole-dataset STIX export, with every version the service has served
 * and when each was added (src/taxii/object-versions.ts). Every request is an anonymous read under
 * the exports' discipline (`discipline`: a slot among MAX_CONCURRENT_EXPORTS, the export budget,
 * the client's rate-limit budget charged for the records it returns), answers
 * `application/taxii+json;version=2.1` (406 when the Accept header allows no such answer), and
 * reports errors as the specification's error message resource.
 */
export function taxiiRoute(deps: RouteDeps, discipline: ExportDiscipline): Route {
  const limits = { budgetMs: deps.config.limits.exportTimeLimitMs, maxStatementsInFlight: deps.config.limits.maxStatementsInFlight };
  return async (req, res, url) => {
    if (url.pathname !== "/taxii2" && !url.pathname.startsWith(TAXII_PREFIX)) return false;
    if (url.pathname === "/taxii2") {
      res.writeHead(301, { location: `${TAXII_PREFIX}${url.search}` });
      res.end();
      return true;
    }
    try {
      refuseUnservable(req);
      const { charge } = await discipline.begin(req, res);
      await answer({ deps, limits, req, res, url, charge });
    } catch (error) {
      if (res.headersSent) {
        res.destroy();
        return true;
      }
      sendTaxiiError(req, res, error, deps.log);
    }
    return true;
  };
}

/** Refuses what no TAXII resource here answers: writes (403, the collection is read-only), other methods (405), and an Accept header that allows no TAXII 2.1 answer (406). */
function refuseUnservable(req: http.IncomingMessage): void {
  if (req.method === "POST" || req.method === "DELETE") {
    throw new TaxiiError(403, "Read-only", "The collection is read-only (can_write is false): the data change through the curated dataset, not through TAXII");
  }
  if (req.method !== "GET" && req.method !== "HEAD") {
    throw new TaxiiError(405, "Method not allowed", `${req.method} is not allowed here; TAXII reads are GET`, { allow: "GET, HEAD" });
  }
  if (!acceptsTaxii(req)) {
    throw new TaxiiError(406, "Not acceptable", `This server answers ${TAXII_MEDIA_TYPE} only; the Accept header was "${req.headers.accept}"`);
  }
}

/** One TAXII read under way: the route's settings, the request and the charge of the export discipline's slot it holds. */
interface TaxiiRequest {
  deps: RouteDeps;
  limits: RequestDbLimits;
  req: http.IncomingMessage;
  res: http.ServerResponse;
  url: URL;
  charge: ExportRun["charge"];
}

/** Sends a resource that takes no parameters, charged as `records` records. */
async function sendResource(t: TaxiiRequest, body: object, records: number): Promise<void> {
  noParameters(t.url);
  sendTaxii(t.req, t.res, body, await t.charge(records));
}

/** Answers the discovery resource, the API root, the collections, or a path under the collection. */
async function answer(t: TaxiiRequest): Promise<void> {
  const rest = t.url.pathname.slice(TAXII_PREFIX.length);
  if (rest === "") {
    const root = `${requestOrigin(t.req, t.deps.config.trustProxy)}${TAXII_PREFIX}${API_ROOT}/`;
    return sendResource(t, { title: "misuse-graph TAXII server", description: DESCRIPTION, default: root, api_roots: [root] }, 0);
  }
  if (!rest.startsWith(`${API_ROOT}/`)) throw notFound(`No API root at ${t.url.pathname}; the API root is ${TAXII_PREFIX}${API_ROOT}/`);
  const path = rest.slice(API_ROOT.length + 1);
  if (path === "") {
    const maxContentLength = t.deps.config.limits.maxBodyBytes;
    return sendResource(t, { title: "misuse-graph", description: DESCRIPTION, versions: [TAXII_MEDIA_TYPE], max_content_length: maxContentLength }, 0);
  }
  if (path === "collections/") return sendResource(t, { collections: [COLLECTION] }, 1);
  return answerCollection(t, path);
}

/** The collection, its objects or manifest, one object's versions or the object itself. */
async function answerCollection(t: TaxiiRequest, path: string): Promise<void> {
  const match = COLLECTION_PATH.exec(path);
  if (!match) throw notFound(`No TAXII resource at ${t.url.pathname}`);
  const [, collection, kind, objectId, versions] = match;
  if (collection !== COLLECTION_ID && collection !== COLLECTION_ALIAS) throw notFound(`No collection "${collection}"; the collection is ${COLLECTION_ID}`);
  if (!kind) return sendResource(t, COLLECTION, 1);
  if (kind === "manifest" && objectId) throw notFound(`No TAXII resource at ${t.url.pathname}`);
  const snapshot = await collectionSnapshot(t.deps.dataSource, t.deps.schema, t.limits);
  const params = t.url.searchParams;
  if (kind === "manifest") {
    const manifest = (v: ObjectVersion) => ({ id: v.id, date_added: v.dateAdded, version: v.version, media_type: STIX_MEDIA_TYPE });
    return sendPage(t, snapshot, parseVersionQuery(params, OBJECTS_PARAMETERS, "last"), undefined, "objects", manifest);
  }
  if (!objectId) return sendPage(t, snapshot, parseVersionQuery(params, OBJECTS_PARAMETERS, "last"), undefined, "objects", (v) => v.object);
  const all = objectVersions(snapshot, objectId);
  if (versions) return sendPage(t, snapshot, parseVersionQuery(params, VERSIONS_PARAMETERS, "all"), all, "versions", (v) => v.version);
  return sendPage(t, snapshot, parseVersionQuery(params, OBJECT_PARAMETERS, "last"), all, "objects", (v) => v.object);
}

/** One page of the versions a query selects (among `candidates`, by default the whole collection), charged per record, as an envelope of `name`. */
async function sendPage(
  t: TaxiiRequest,
  snapshot: CollectionSnapshot,
  query: VersionQuery,
  candidates: ObjectVersion[] | undefined,
  name: "objects" | "versions",
  item: (version: ObjectVersion) => unknown,
): Promise<void> {
  const result = page(selectVersions(snapshot, query, candidates), query);
  const headers = { ...result.headers, ...(await t.charge(result.records.length)) };
  sendTaxii(t.req, t.res, envelope(result, name, result.records.map(item)), headers);
}

const DESCRIPTION =
  "Disclosed AI misuse from the AI companies' threat reports, as STIX 2.1: operations, reports, companies, countries and statements, each with its sources.";

/** An object's versions in paging order; 404 when the collection does not hold the object. */
function objectVersions(snapshot: CollectionSnapshot, encodedId: string) {
  let id = encodedId;
  try {
    id = decodeURIComponent(encodedId);
  } catch {
    // Not percent-encoded text: no object has such an id.
  }
  if (!snapshot.byId.has(id)) throw notFound(`The collection holds no object "${id}"`);
  return snapshot.versions.filter((v) => v.id === id);
}

/** The envelope (or versions) resource: `more`, `next` when more follow, and the records unless there are none. */
function envelope(result: { more: boolean; next?: string }, name: "objects" | "versions", records: unknown[]) {
  return { more: result.more, ...(result.next ? { next: result.next } : {}), ...(records.length ? { [name]: records } : {}) };
}
