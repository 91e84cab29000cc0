import { createHash } from "node:crypto";
import type { Route, RouteDeps } from "../common/route";
import { requestOrigin } from "../common/request-origin";
import { RouteError, errorAnswer, plainErrorBody, sendErrorAnswer } from "../common/error-answer";
import type { ExportDiscipline } from "../export";
import { dataset } from "../modules/dataset";
import { atomFeed } from "./atom";
import { readFeedRecords } from "./feed-data";

export const FEED_PATH = "/feed.atom";
const FEED_TYPE = "application/atom+xml; charset=utf-8";
const CORS = { "access-control-allow-origin": "*" };

/**
 * `GET /feed.atom`: the newest threat reports and operations as an Atom 1.0 feed (docs/feed.md),
 * for feed readers and newsrooms. It runs under the exports' discipline and rate limit like any
 * other file the service sends, and answers a reader that sends the ETag it last got with 304.
 */
export function feedRoute(deps: RouteDeps, discipline: ExportDiscipline): Route {
  return async (req, res, url) => {
    if (url.pathname !== FEED_PATH) return false;
    try {
      if (req.method !== "GET" && req.method !== "HEAD") {
        throw new RouteError(405, "METHOD_NOT_ALLOWED", `${req.method} is not allowed on ${FEED_PATH}; use GET`, { headers: { allow: "GET, HEAD" } });
      }
      const { ctx, charge } = await discipline.begin(req, res);
      const [records, info] = await Promise.all([readFeedRecords(ctx), dataset(ctx)]);
      const limitHeaders = await charge(records.length);
      const fallback = (info.loadedAt ?? new Date(0)).toISOString().replace(/\.\d{3}Z$/, "Z");
      const body = atomFeed(requestOrigin(req, deps.config.trustProxy), records, fallback);
      const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`;
      const headers = { "content-type": FEED_TYPE, etag, "cache-control": "no-cache", ...CORS, ...limitHeaders };
      if (req.headers["if-none-match"]?.split(",").some((tag) => tag.trim() === etag)) {
        res.writeHead(304, headers);
        res.end();
        return true;
      }
      res.writeHead(200, headers);
      res.end(req.method === "HEAD" ? undefined : body);
    } catch (error) {
      if (res.headersSent) {
        res.destroy();
        return true;
      }
      sendErrorAnswer(res, errorAnswer(error, { log: deps.log }), { body: plainErrorBody, headers: CORS });
    }
    return true;
  };
}
