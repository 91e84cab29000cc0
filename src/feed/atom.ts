import { XMLBuilder } from "fast-xml-parser";
import { uuidv5 } from "../export";
import type { FeedRecord } from "./feed-data";

const ATOM_NS = "http://www.w3.org/2005/Atom";

/** The feed's id: a URN fixed by name, the same on every server and release (RFC 4287 wants it permanent). */
export const FEED_ID = `urn:uuid:${uuidv5("atom-feed:reports-and-operations")}`;

/** An entry's id, fixed by the record's kind and key: a record keeps its entry id when it is edited. */
export const entryId = (kind: string, key: string) => `urn:uuid:${uuidv5(`atom-entry:${kind}:${key}`)}`;

/** Characters XML 1.0 cannot hold (C0 controls but tab, newline and carriage return; U+FFFE, U+FFFF; lone surrogates). */
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const text = (value: string) => value.replace(NOT_XML, "");

const day = (date: string) => `${date}T00:00:00Z`;
const later = (a: string, b: string | null) => (b && b > a ? b : a);

/** GraphQL documents each entry links to, run as `GET /graphql?query=...&variables=...`. */
const REPORT_QUERY = `query Report($key: String!) {
  report(key: $key) { key title publishedOn url summary publisher { key name } operations(first: 100) { totalCount nodes { key name } } }
}`;
const OPERATION_QUERY = `query Operation($key: String!) {
  operation(key: $key) { key name summary categories actorType firstDisclosedOn origins { country { code name } confidence } reports(first: 20) { nodes { key title publishedOn url publisher { name } } } }
}`;

/**
 * Where an entry is shown in the dashboard: for a report, the operations its publisher disclosed
 * on its publication date (the dashboard's publisher and date filters); for an operation, the
 * same view of the report that first disclosed it, narrowed by a search for the operation's name.
 */
export function dashboardLink(origin: string, record: FeedRecord): string {
  const params = new URLSearchParams({ publisher: record.publisherKey, from: record.published, to: record.published });
  if (record.kind === "operation") params.set("q", record.title);
  return `${origin}/dashboard?${params.toString()}`;
}

/** The GET /graphql URL of the entry's record, with its query and the record's key as variables. */
export function graphqlLink(origin: string, record: FeedRecord): string {
  const query = record.kind === "report" ? REPORT_QUERY : OPERATION_QUERY;
  return `${origin}/graphql?${new URLSearchParams({ query, variables: JSON.stringify({ key: record.key }) }).toString()}`;
}

/**
 * The Atom 1.0 document (RFC 4287) of the feed: an id, title, updated, author, a rel="self" link
 * to itself and a rel="alternate" link to the front page; each entry with its permanent id, title,
 * published and updated dates (a record's date, or its last curation write when later), its
 * authors, a summary, its category (report or operation), a rel="alternate" link to its view in
 * the dashboard, a rel="related" link to its GraphQL query and, for a report, a rel="via" link to
 * the publisher's page.
 */
export function atomFeed(origin: string, records: FeedRecord[], fallbackUpdated: string): string {
  const entries = records.map((record) => {
    const updated = later(day(record.latest), record.auditedAt);
    return {
      id: entryId(record.kind, record.key),
      title: { "@_type": "text", "#text": text(`${record.kind === "report" ? "Report" : "Operation"}: ${record.title}`) },
      published: day(record.published),
      updated,
      author: record.authors.map((name) => ({ name: text(name) })),
      summary: { "@_type": "text", "#text": text(record.summary) },
      category: { "@_term": record.kind, "@_label": record.kind === "report" ? "Threat report" : "Operation" },
      link: [
        { "@_rel": "alternate", "@_type": "text/html", "@_href": dashboardLink(origin, record) },
        { "@_rel": "related", "@_type": "application/json", "@_title": "GraphQL query", "@_href": graphqlLink(origin, record) },
        ...(record.url ? [{ "@_rel": "via", "@_type": "text/html", "@_title": "The publisher's page", "@_href": record.url }] : []),
      ],
    };
  });
  // The newest entry's date; an empty feed takes the given one (when the data were last loaded).
  const updated = entries.length ? entries.map((e) => e.updated).reduce((a, b) => (b > a ? b : a)) : fallbackUpdated;
  const document = {
    "?xml": { "@_version": "1.0", "@_encoding": "utf-8" },
    feed: {
      "@_xmlns": ATOM_NS,
      id: FEED_ID,
      title: { "@_type": "text", "#text": "misuse-graph: new threat reports and operations" },
      subtitle: {
        "@_type": "text",
        "#text": "Disclosed AI misuse: the newest reports of AI companies and the operations they disclosed, each with its sources.",
      },
      updated,
      author: { name: "misuse-graph", uri: `${origin}/` },
      link: [
        { "@_rel": "self", "@_type": "application/atom+xml", "@_href": `${origin}/feed.atom` },
        { "@_rel": "alternate", "@_type": "text/html", "@_href": `${origin}/` },
      ],
      generator: { "@_uri": `${origin}/`, "#text": "misuse-graph" },
      entry: entries,
    },
  };
  const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: "@_", format: true, suppressEmptyNode: true });
  return builder.build(document);
}
