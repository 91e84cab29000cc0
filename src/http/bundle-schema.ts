import { bundleSchema } from "../import";
import type { Route } from "../common/route";

const BODY = `${JSON.stringify(bundleSchema, null, 2)}\n`;
const HEADERS = {
  "content-type": "application/schema+json; charset=utf-8",
  "access-control-allow-origin": "*",
  "cache-control": "public, max-age=3600",
  "x-content-type-options": "nosniff",
};

/**
 * `GET /schema/bundle.json`: the JSON Schema the importer validates bundles with, for editors
 * (VS Code's `json.schemas`, a file's `"$schema"`) to check and complete a bundle while it is
 * written. Readable from any origin; the same file the importer compiles, so the two cannot drift.
 */
export function bundleSchemaRoute(): Route {
  return (req, res, url) => {
    if (url.pathname !== "/schema/bundle.json") return false;
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD", "content-type": "text/plain; charset=utf-8" }).end("use GET\n");
      return true;
    }
    res.writeHead(200, { ...HEADERS, "content-length": Buffer.byteLength(BODY) });
    res.end(req.method === "HEAD" ? undefined : BODY);
    return true;
  };
}
