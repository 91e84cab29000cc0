import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import type http from "node:http";
import path from "node:path";
import type { Route, RouteDeps } from "../common/route";

/**
 * Content-Security-Policy of every page and asset: only this origin, plus exactly what the bundled
 * pages need.
 * - `style-src 'self' 'unsafe-inline'`: GraphiQL's editor (CodeMirror) and ECharts' tooltip write
 *   `style` attributes, which CSP counts as inline styles; no inline script is allowed.
 * - `font-src 'self' data:` / `img-src 'self' data:`: GraphiQL's stylesheet (served by us) embeds its
 *   fonts and lint icons as data: URLs inside the CSS, and the pages' empty icon is `data:,` (so the
 *   browser asks for no /favicon.ico); nothing is fetched from elsewhere.
 * No worker-src: the bundled GraphiQL (CodeMirror 5) starts no workers. The browser tests fail on
 * any CSP violation, which is how each allowance above was found necessary.
 * - `frame-ancestors 'none'`, `base-uri 'none'`, `form-action 'self'`, `object-src 'none'`: not covered
 *   by default-src; no page is framed, rebased, posts elsewhere, or embeds plugins.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self' data:",
  "img-src 'self' data:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join("; ");

const SECURITY_HEADERS: Record<string, string> = {
  "content-security-policy": CONTENT_SECURITY_POLICY,
  "x-content-type-options": "nosniff",
  "referrer-policy": "same-origin",
};

const CONTENT_TYPES: Record<string, string> = {
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".html": "text/html; charset=utf-8",
  ".woff2": "font/woff2",
  ".woff": "font/woff",
  ".ttf": "font/ttf",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".json": "application/json; charset=utf-8",
  ".map": "application/json; charset=utf-8",
  ".md": "text/plain; charset=utf-8",
};

/** Where `npm run build:web` puts the pages: dist/web, seen from src/http (tests) or dist/src/http (built). */
export function webRoot(): string {
  const candidates = [path.resolve(__dirname, "../../web"), path.resolve(__dirname, "../../dist/web")];
  return candidates.find((dir) => existsSync(path.join(dir, "front", "index.html"))) ?? candidates[candidates.length - 1];
}

/**
 * Whether a request for /graphql comes from a browser asking for a page rather than from a GraphQL
 * client: it accepts text/html, and either carries no query or does not accept a GraphQL JSON response
 * (a link `/graphql?query=...` typed in a browser opens the playground with that query, where Apollo
 * would refuse the Accept header). GraphQL GET requests that accept JSON always reach Apollo.
 */
export function wantsPlayground(req: http.IncomingMessage, url: URL): boolean {
  const accept = (req.headers.accept ?? "").toLowerCase();
  if ((req.method !== "GET" && req.method !== "HEAD") || !accept.includes("text/html")) return false;
  return !url.searchParams.has("query") || !/application\/(graphql-response\+)?json/.test(accept);
}

async function send(req: http.IncomingMessage, res: http.ServerResponse, file: string, cacheControl: string): Promise<boolean> {
  let body: Buffer;
  try {
    body = await readFile(file);
  } catch {
    return false;
  }
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    "content-type": CONTENT_TYPES[path.extname(file)] ?? "application/octet-stream",
    "content-length": String(body.length),
    "cache-control": cacheControl,
  });
  res.end(req.method === "HEAD" ? undefined : body);
  return true;
}

function notBuilt(res: http.ServerResponse, page: string): void {
  res.writeHead(503, { ...SECURITY_HEADERS, "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" });
  res.end(`The ${page} is not built: run \`npm run build:web\` (npm start and npm run build do it).\n`);
}

/**
 * Serves the browser pages built from src/web: the front page at `/`, the dashboard at `/dashboard`,
 * GraphiQL at `/graphql` for browsers (unless PLAYGROUND=false), and their hashed assets under
 * `/assets/` with a year's cache. Every response carries the CSP above and nosniff.
 */
export function webRoute({ config }: RouteDeps): Route {
  const root = webRoot();
  const pages: Record<string, string> = { "/": "front", "/dashboard": "dashboard", "/dashboard/": "dashboard" };
  return async (req, res, url) => {
    if (req.method !== "GET" && req.method !== "HEAD") return false;
    let page = pages[url.pathname];
    if (url.pathname === "/graphql" && config.playground && wantsPlayground(req, url)) page = "playground";
    if (page) {
      // Pages are small and name their assets by content hash: revalidate the page, cache the assets.
      if (!(await send(req, res, path.join(root, page, "index.html"), "no-cache"))) notBuilt(res, page === "front" ? "front page" : page);
      return true;
    }
    const asset = /^\/assets\/([\w.-]+)$/.exec(url.pathname);
    if (asset && !asset[1].startsWith(".")) {
      if (await send(req, res, path.join(root, "assets", asset[1]), "public, max-age=31536000, immutable")) return true;
      res.writeHead(404, { ...SECURITY_HEADERS, "content-type": "text/plain; charset=utf-8" });
      res.end(`No asset ${url.pathname}\n`);
      return true;
    }
    return false;
  };
}
