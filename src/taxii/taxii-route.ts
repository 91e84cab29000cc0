import type http from "node:http";
import { requestOrigin } from "../common/request-origin";
import type { Route, RouteDeps } from "../common/route";
import { ExportDiscipline, exportErrorAnswer, uuidv5 } from "../export";
import { collectionSnapshot } from "./object-versions";
import type { CollectionSnapshot, ObjectVersion } from "./object-versions";
import { OBJECT_PARAMETERS, OBJECTS_PARAMETERS, VERSIONS_PARAMETERS, page, parseVersionQuery, selectVersions } from "./taxii-query";
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
    try {
      if (url.pathname === "/taxii2") {
        res.writeHead(301, { location: `${TAXII_PREFIX}${url.search}` });
        res.end();
        return true;
      }
      if (req.method !== "GET" && req.method !== "HEAD") {
        if (req.method === "POST" || req.method === "DELETE") {
          throw new TaxiiError(
            403,
            "Read-only",
            "The collection is read-only (can_write is false): the data change through the curated dataset, not through TAXII",
          );
        }
        throw new TaxiiError(405, "Method not allowed", `${req.method} is not allowed here; TAXII reads are GET`, { allow: "GET, HEAD" });
      }
      if (!acceptsTaxii(req)) {
        throw new TaxiiError(406, "Not acceptable", `This server answers ${TAXII_MEDIA_TYPE} only; the Accept header was "${req.headers.accept}"`);
      }
      await answer(req, res, url);
    } catch (error) {
      if (res.headersSent) {
        res.destroy();
        return true;
      }
      sendTaxiiError(req, res, asTaxiiError(error, deps));
    }
    return true;
  };

  async function answer(req: http.IncomingMessage, res: http.ServerResponse, url: URL): Promise<void> {
    const { charge } = await discipline.begin(req, res);
    const rest = url.pathname.slice(TAXII_PREFIX.length);
    const origin = requestOrigin(req, deps.config.trustProxy);
    if (rest === "") {
      noParameters(url);
      const root = `${origin}${TAXII_PREFIX}${API_ROOT}/`;
      return sendTaxii(req, res, { title: "misuse-graph TAXII server", description: DESCRIPTION, default: root, api_roots: [root] }, await charge(0));
    }
    if (!rest.startsWith(`${API_ROOT}/`)) throw notFound(`No API root at ${url.pathname}; the API root is ${TAXII_PREFIX}${API_ROOT}/`);
    const path = rest.slice(API_ROOT.length + 1);
    if (path === "") {
      noParameters(url);
      const apiRoot = { title: "misuse-graph", description: DESCRIPTION, versions: [TAXII_MEDIA_TYPE], max_content_length: deps.config.limits.maxBodyBytes };
      return sendTaxii(req, res, apiRoot, await charge(0));
    }
    if (path === "collections/") {
      noParameters(url);
      return sendTaxii(req, res, { collections: [COLLECTION] }, await charge(1));
    }
    const match = COLLECTION_PATH.exec(path);
    if (!match) throw notFound(`No TAXII resource at ${url.pathname}`);
    const [, collection, kind, objectId, versions] = match;
    if (collection !== COLLECTION_ID && collection !== COLLECTION_ALIAS) throw notFound(`No collection "${collection}"; the collection is ${COLLECTION_ID}`);
    if (!kind) {
      noParameters(url);
      return sendTaxii(req, res, COLLECTION, await charge(1));
    }
    if (kind === "manifest" && objectId) throw notFound(`No TAXII resource at ${url.pathname}`);
    const snapshot = await collectionSnapshot(deps.dataSource, deps.schema, limits);
    /** The page of versions the query string selects (among `candidates`), charged, each answered as `item` says. */
    const answerPage = async (
      parameters: string[],
      defaultVersion: "last" | "all",
      candidates: ObjectVersion[] | undefined,
      name: "objects" | "versions",
      item: (version: ObjectVersion) => unknown,
    ) => {
      const query = parseVersionQuery(url.searchParams, parameters, defaultVersion);
      const result = page(selectVersions(snapshot, query, candidates), query);
      const headers = { ...result.headers, ...(await charge(result.records.length)) };
      return sendTaxii(req, res, envelope(result, name, result.records.map(item)), headers);
    };
    if (kind === "manifest") {
      return answerPage(OBJECTS_PARAMETERS, "last", undefined, "objects", (v) => ({
        id: v.id,
        date_added: v.dateAdded,
        version: v.version,
        media_type: STIX_MEDIA_TYPE,
      }));
    }
    if (!objectId) return answerPage(OBJECTS_PARAMETERS, "last", undefined, "objects", (v) => v.object);
    const all = objectVersions(snapshot, objectId);
    if (versions) return answerPage(VERSIONS_PARAMETERS, "all", all, "versions", (v) => v.version);
    return answerPage(OBJECT_PARAMETERS, "last", all, "objects", (v) => v.object);
  }
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

/** A thrown error as the TAXII error it answers: the exports' mapping (429, 503, 400 over budget), else a logged 500. */
function asTaxiiError(error: unknown, deps: RouteDeps): TaxiiError {
  if (error instanceof TaxiiError) return error;
  const answer = exportErrorAnswer(error, () => undefined, deps.log);
  const titles: Record<number, string> = { 400: "Bad request", 401: "Unauthorized", 403: "Forbidden", 429: "Too many requests", 503: "Service unavailable" };
  return new TaxiiError(answer.status, titles[answer.status] ?? "Internal server error", answer.message, answer.headers, undefined, answer.code);
}
