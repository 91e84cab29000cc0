import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { HtmlTagDescriptor, Plugin } from "vite";

const HEADER_FILE = path.join(path.dirname(fileURLToPath(import.meta.url)), "shared", "site-header.html");

/** What every page's head starts with, ahead of its own title and styles. */
const HEAD: HtmlTagDescriptor[] = [
  { tag: "meta", attrs: { charset: "utf-8" }, injectTo: "head-prepend" },
  { tag: "meta", attrs: { name: "viewport", content: "width=device-width, initial-scale=1" }, injectTo: "head-prepend" },
  // No favicon request: the service has none to serve.
  { tag: "link", attrs: { rel: "icon", href: "data:," }, injectTo: "head-prepend" },
];

/** `<site-header current="/path">page's own header content</site-header>`, as a page writes its place. */
const PLACEHOLDER = /^([ \t]*)<site-header(?:\s+current="([^"]*)")?\s*>([\s\S]*?)<\/site-header>/m;

/** The shared header with the link to `current` marked as the page shown, and the page's own `extra` content last. */
function siteHeader(partial: string, current: string | undefined, extra: string, indent: string): string {
  let html = partial.trimEnd();
  if (current) {
    const link = `<a href="${current}">`;
    if (!html.includes(link)) throw new Error(`site-header: no navigation link to ${current}`);
    html = html.replace(link, `<a href="${current}" aria-current="page">`);
  }
  const own = extra.trim();
  if (own) html = html.replace(/\n<\/header>$/, `\n  ${own}\n</header>`);
  return html.replace(/\n/g, `\n${indent}`);
}

/**
 * The head and site navigation the pages share, written once: each page's `<site-header>` becomes
 * shared/site-header.html, and the charset, viewport and icon tags open its head. It runs before
 * Vite reads the page, so the result is built like any markup the page had written itself.
 */
export function siteChrome(): Plugin {
  return {
    name: "misuse-graph:site-chrome",
    transformIndexHtml: {
      order: "pre",
      handler(html, ctx) {
        const found = PLACEHOLDER.exec(html);
        if (!found) throw new Error(`${ctx.path}: no <site-header> placeholder`);
        const [placeholder, indent, current, extra] = found;
        const header = siteHeader(readFileSync(HEADER_FILE, "utf8"), current, extra, indent);
        return { html: html.replace(placeholder, indent + header), tags: HEAD };
      },
    },
  };
}
