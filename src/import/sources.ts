import type { SourceRef } from "../common/source";
import { classifySourceUrl } from "../common/source-hosts";
import type { SourceKind } from "../common/source-hosts";

import type { SourceInput } from "../common/records/report";
export type { SourceInput };

/** A typed source with its keys in stored order (jsonb's: url, kind, title, archivedUrl) and no empty ones. */
export function sourceRef(url: string, kind: SourceKind, title?: string | null, archivedUrl?: string | null): SourceRef {
  const ref: SourceRef = { url, kind };
  if (title) ref.title = title;
  if (archivedUrl) ref.archivedUrl = archivedUrl;
  return ref;
}

/** A bundle source in typed form; a plain URL is classified by its host. */
export function typedSource(input: SourceInput): SourceRef {
  if (typeof input === "string") return sourceRef(input, classifySourceUrl(input));
  return sourceRef(input.url, input.kind, input.title, input.archivedUrl);
}

/**
 * A record's sources after an import: the stored list (unless `replace`), then the bundle's, one entry
 * per URL. A typed source in the bundle overrides the stored entry for its URL; a plain URL the record
 * already holds keeps the stored entry, so re-importing an old bundle never downgrades curated kinds.
 */
export function mergeSources(stored: SourceRef[], incoming: SourceInput[], replace: boolean): SourceRef[] {
  const byUrl = new Map<string, SourceRef>();
  const storedByUrl = new Map(stored.map((source) => [source.url, source]));
  if (!replace) for (const source of stored) byUrl.set(source.url, source);
  for (const input of incoming) {
    const url = typeof input === "string" ? input : input.url;
    if (typeof input === "string" && storedByUrl.has(url)) byUrl.set(url, byUrl.get(url) ?? storedByUrl.get(url)!);
    else byUrl.set(url, typedSource(input));
  }
  return [...byUrl.values()];
}

/** Kinds that support a fact on their own; a record citing none of them is flagged. */
const SUPPORTING: SourceKind[] = ["PUBLISHER", "PRESS", "GOVERNMENT"];

/** True when none of the sources is the publisher's page, press or a government page. */
export function onlyWeakSources(kinds: SourceKind[]): boolean {
  return !kinds.some((kind) => SUPPORTING.includes(kind));
}

/**
 * Makes sure a report or operation cites the publisher: when its sources hold no PUBLISHER entry, the
 * given report URLs (the report's own, or those of the reports disclosing the operation) are put
 * first as PUBLISHER sources. A report's URL is the publisher's page by definition.
 */
export function withPublisherSource(sources: SourceRef[], reportUrls: string[]): SourceRef[] {
  if (sources.some((source) => source.kind === "PUBLISHER")) return sources;
  const urls = reportUrls.filter((url, index) => url && reportUrls.indexOf(url) === index);
  const rest = sources.filter((source) => !urls.includes(source.url));
  return [...urls.map((url) => sourceRef(url, "PUBLISHER")), ...rest];
}
