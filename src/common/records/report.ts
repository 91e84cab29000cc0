import { declareRecord, field } from "./declare";
import { companyRefField, dateField, nameField, nullableDateField, recordKeyField, ref, requiredField, recordSourcesField, summaryField } from "./fields";
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
    key: recordKeyField("report", {
      pattern: "publisher-yyyy-mm",
      example: "openai-2024-10",
      shown: "openai-2025-06",
      stix: { object: "report", page: "reports" },
    }),
    title: nameField("title", {
      bundle: { description: "The title as published.", examples: ["Influence and cyber operations: an update"] },
      graphql: "Title as published.",
      exported: "Title.",
    }),
    publisher: companyRefField("publisher_id", true, {
      bundle: { description: "Key of the company that published it.", examples: ["openai"] },
      input: "Publisher's company key.",
      exported: ["Key of the publishing company.", "Name of the publishing company."],
      stix: { note: "`created_by_ref`: the publisher's `identity`" },
    }),
    publishedOn: dateField("published_on", {
      bundle: { description: "Publication date.", examples: ["2024-10-09"] },
      graphql: "Publication date.",
      exported: "Publication date.",
      stix: { property: "published", note: "also `created`" },
    }),
    url: requiredField("url", ref("url"), {
      bundle: { description: "Where it is published.", examples: ["https://openai.com/global-affairs/an-update-on-disrupting-deceptive-uses-of-ai/"] },
      graphql: "Where the report is published.",
      exported: "The publisher's page for the report.",
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
    summary: summaryField({
      bundle: {
        description: "Two or three sentences in our own words.",
        examples: ["OpenAI's update on more than twenty operations it disrupted since May 2024."],
      },
      graphql: "A short summary in our own words.",
      exported: "Summary.",
    }),
    figures: field<FigureRecord[]>({
      nullable: false,
      list: { ordered: false },
      schema: { type: "array", items: ref("figure") },
      bundle: { description: "Headline numbers the report states.", examples: [[{ label: "operations disrupted", value: 20, qualifier: "more than" }]] },
      input: "Headline figures.",
    }),
    sources: recordSourcesField("report", true, {
      bundle: {
        description: "Where the facts come from, the publisher's page first.",
        examples: [[{ url: "https://openai.com/global-affairs/an-update-on-disrupting-deceptive-uses-of-ai/", kind: "PUBLISHER" }]],
      },
      graphql: "Pages the facts about this report come from, typed, the publisher's own page first.",
      stixAfter: "the publisher's page",
    }),
  },
});
