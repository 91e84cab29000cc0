import { declareRecord, field } from "./declare";
import { keyField, nullableDateField, ref, sourcesField, textField } from "./fields";
import type { SourceKind } from "../source-hosts";

/** A headline number a report states. */
export interface FigureRecord {
  label: string;
  value: number;
  qualifier: string;
}

/** A source as a bundle may give it: a plain URL (old bundles) or a typed object. */
export type SourceInput = string | { url: string; kind: SourceKind; title?: string; archivedUrl?: string };

/** Every field of a threat report, said once. */
export const report = declareRecord({
  table: "report",
  description: "A threat report; a new key needs title, publisher, publishedOn, url, summary and sources.",
  stix: {
    object: "report",
    note: 'one per report that disclosed a selected operation (every report without a filter); `report_types: ["threat-report"]`; `object_refs`: the intrusion-sets it disclosed with their relationships and what those point at',
  },
  fields: {
    key: keyField({
      bundle: { description: "Slug key `publisher-yyyy-mm`.", examples: ["openai-2024-10"] },
      graphql: "Stable slug key, `publisher-yyyy-mm`, e.g. `openai-2025-06`.",
      input: "Slug key, `publisher-yyyy-mm`.",
      exported: "Slug key of the report.",
      stix: { note: "the id (`report--` UUIDv5 of the key) and the first external reference (`misuse-graph`, `reports/<key>`)" },
    }),
    title: textField("title", {
      bundle: { description: "The title as published.", examples: ["Influence and cyber operations: an update"] },
      graphql: "Title as published.",
      exported: "Title.",
      stix: { property: "name" },
    }),
    publisher: field<string>({
      column: "publisher_id",
      write: "company",
      stored: "c.key",
      nullable: false,
      requiredForNew: true,
      schema: ref("key"),
      bundle: { description: "Key of the company that published it.", examples: ["openai"] },
      input: "Publisher's company key.",
      check: { ref: "companies" },
      export: [
        { name: "publisher_key", sql: "(SELECT c.key FROM company c WHERE c.id = e.publisher_id)", description: "Key of the publishing company." },
        { name: "publisher_name", sql: "(SELECT c.name FROM company c WHERE c.id = e.publisher_id)", description: "Name of the publishing company." },
      ],
      stix: { note: "`created_by_ref`: the publisher's `identity`" },
    }),
    publishedOn: field<string>({
      column: "published_on",
      nullable: false,
      requiredForNew: true,
      schema: ref("date"),
      bundle: { description: "Publication date.", examples: ["2024-10-09"] },
      graphql: "Publication date.",
      check: { date: true },
      export: [{ name: "published_on", sql: "e.published_on::text", description: "Publication date." }],
      stix: { property: "published", as: "timestamp", note: "also `created`" },
    }),
    url: field<string>({
      column: "url",
      nullable: false,
      requiredForNew: true,
      schema: ref("url"),
      bundle: { description: "Where it is published.", examples: ["https://openai.com/global-affairs/an-update-on-disrupting-deceptive-uses-of-ai/"] },
      graphql: "Where the report is published.",
      export: [{ name: "url", sql: "e.url", description: "The publisher's page for the report." }],
      stix: { note: "the first of `external_references` after our own: the publisher's page, named after the publisher" },
    }),
    periodFrom: nullableDateField("period_from", {
      bundle: { description: "Start of the period it covers, where stated; not after periodTo.", examples: ["2024-05-01"] },
      graphql: "First day of the period the report covers, where it states one.",
      exported: "Start of the period covered, where stated.",
    }),
    periodTo: nullableDateField("period_to", {
      bundle: { description: "End of the period it covers, where stated.", examples: ["2024-09-30"] },
      graphql: "Last day of the period the report covers, where it states one.",
      notBefore: "periodFrom",
      exported: "End of the period covered, where stated.",
    }),
    summary: textField("summary", {
      bundle: {
        description: "Two or three sentences in our own words.",
        examples: ["OpenAI's update on more than twenty operations it disrupted since May 2024."],
      },
      graphql: "A short summary in our own words.",
      exported: "Summary.",
      stix: { property: "description" },
    }),
    figures: field<FigureRecord[]>({
      nullable: false,
      list: { ordered: false },
      schema: { type: "array", items: ref("figure") },
      bundle: { description: "Headline numbers the report states.", examples: [[{ label: "operations disrupted", value: 20, qualifier: "more than" }]] },
      input: "Headline figures.",
    }),
    sources: sourcesField(true, {
      bundle: {
        description: "Where the facts come from, the publisher's page first.",
        examples: [[{ url: "https://openai.com/global-affairs/an-update-on-disrupting-deceptive-uses-of-ai/", kind: "PUBLISHER" }]],
      },
      graphql: "Pages the facts about this report come from, typed, the publisher's own page first.",
      input: "Source URLs (at least one for a new report).",
      stix: { note: "`external_references`, after the publisher's page (docs/stix.md, Sources)" },
    }),
  },
});
