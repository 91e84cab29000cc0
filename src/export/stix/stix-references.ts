import type { SourceRef } from "../../common/source";
import { hostOf } from "../../common/source-hosts";
import type { PublisherPages } from "./stix-data";

/** One entry of `external_references`: the source's name, and where it is or what it is called. */
export interface ExternalReference {
  source_name: string;
  url?: string;
  description?: string;
  external_id?: string;
}

/** Names the publisher whose own page a URL is, or null when that cannot be told. */
export type PublisherOf = (url: string) => string | null;

/**
 * Tells a PUBLISHER page's publisher by its host: the publisher whose reports (their URLs and their
 * PUBLISHER sources) are on that host, else the one whose website is that host or a parent of it;
 * null when no publisher, or more than one, fits.
 */
export function publisherByHost(publishers: PublisherPages[]): PublisherOf {
  const byHost = new Map<string, Set<string>>();
  const websites: { host: string; name: string }[] = [];
  for (const publisher of publishers) {
    for (const url of publisher.urls) {
      const host = hostOf(url);
      if (host) byHost.set(host, (byHost.get(host) ?? new Set()).add(publisher.name));
    }
    const site = publisher.website ? hostOf(publisher.website) : null;
    if (site) websites.push({ host: site, name: publisher.name });
  }
  return (url) => {
    const host = hostOf(url);
    if (!host) return null;
    let names = byHost.get(host) ?? new Set<string>();
    if (names.size === 0) names = new Set(websites.filter((w) => host === w.host || host.endsWith(`.${w.host}`)).map((w) => w.name));
    return names.size === 1 ? [...names][0] : null;
  };
}

/**
 * Renders a record's sources as `external_references`, the one rendering every object type uses
 * (docs/stix.md, "Sources"). Each source becomes `{ source_name, url, description? }`: `url` its URL
 * unchanged, `description` its title where recorded, and `source_name` what the source is: for a
 * PUBLISHER page the publisher's name (`publisherOf`, else `publisher: <host>`), for any other kind
 * the kind in lower case and the host, e.g. `press: reuters.com`, `government: oecd.ai`. A web-archive
 * copy (`archivedUrl`) follows its source as a mirror. A URL is given once, at its first mention.
 */
export function externalReferences(sources: SourceRef[], publisherOf: PublisherOf): ExternalReference[] {
  const seen = new Set<string>();
  const references: ExternalReference[] = [];
  const add = (reference: ExternalReference & { url: string }) => {
    if (seen.has(reference.url)) return;
    seen.add(reference.url);
    references.push(reference);
  };
  for (const source of sources) {
    const host = hostOf(source.url) ?? source.url;
    const name = source.kind === "PUBLISHER" ? (publisherOf(source.url) ?? `publisher: ${host}`) : `${source.kind.toLowerCase()}: ${host}`;
    add({ source_name: name, url: source.url, ...(source.title ? { description: source.title } : {}) });
    if (source.archivedUrl) {
      add({
        source_name: `mirror: ${hostOf(source.archivedUrl) ?? source.archivedUrl}`,
        url: source.archivedUrl,
        description: `Archived copy of ${source.url}`,
      });
    }
  }
  return references;
}

/** Our own reference to a record, first in every object's `external_references`: `misuse-graph`, `<kind>/<key>`. */
export const ownReference = (kind: string, key: string): ExternalReference => ({ source_name: "misuse-graph", external_id: `${kind}/${key}` });
