import type { Bundle } from "../import";
import { classifySourceUrl, hostOf } from "../common/source-hosts";

/** How a source's kind is chosen: by its host alone, from the lists in src/common/source-hosts.ts. */
export const SOURCE_KIND_RULE =
  "A source's kind follows from its host, by the lists in `src/common/source-hosts.ts` and nothing else: the publisher's own sites and repositories are PUBLISHER (openai.com, anthropic.com, Google's and Microsoft's sites, Meta's sites and Meta's threat-research repository on GitHub, its root and its files alike); news outlets doing their own reporting are PRESS; code hosts and web archives copying a publisher's text are MIRROR; government, parliament and intergovernmental hosts are GOVERNMENT; any other host is OTHER. A host not yet listed is added to its list before it is cited. No record (report, operation, statement, company) rests on MIRROR or OTHER sources alone. `npm run data:check` fails on a source whose kind differs from its host's, and on a record whose sources are all MIRROR or OTHER.";

/** The first record by key that cites a source of the kind, with that source's host. */
export function sourceKindExample(bundle: Bundle, kind: string): string | null {
  const cited: { noun: string; key: string; url: string }[] = [];
  for (const [noun, records] of [
    ["company", bundle.companies],
    ["report", bundle.reports],
    ["operation", bundle.operations],
  ] as const) {
    for (const { record } of records)
      for (const source of record.sources ?? []) cited.push({ noun, key: record.key, url: typeof source === "string" ? source : source.url });
  }
  for (const { record } of bundle.statements) if (record.sourceUrl) cited.push({ noun: "statement", key: record.key, url: record.sourceUrl });
  const matching = cited.filter((c) => classifySourceUrl(c.url) === kind).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.url < b.url ? -1 : 1));
  return matching.length ? `${matching[0].noun} \`${matching[0].key}\` cites ${hostOf(matching[0].url)}` : null;
}
