import fs from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp } from "../helpers/app";
import type { TestApp } from "../helpers/app";
import { readDataset } from "../helpers/dataset";
import { stixSpecProblems } from "../helpers/stix-spec";

/**
 * The whole-dataset STIX bundle, fetched over HTTP from the real server with the shipped dataset,
 * against the STIX 2.1 specification (test/helpers/stix-spec.ts) and against the data files: every
 * source the data cites reaches the bundle as a string URL, named as docs/stix.md says.
 *
 * Set STIX_BUNDLE_OUT=<file> to keep the fetched bundle, e.g. to run the OASIS validator on it.
 */

let t: TestApp;
let bundle: any;
const dataset = readDataset();

beforeAll(async () => {
  t = await startTestApp();
  const response = await fetch(`${new URL(t.url).origin}/export/stix`);
  const text = await response.text();
  if (process.env.STIX_BUNDLE_OUT) fs.writeFileSync(process.env.STIX_BUNDLE_OUT, text);
  expect(response.status).toBe(200);
  bundle = JSON.parse(text);
}, 120_000);
afterAll(async () => {
  await t?.close();
});

/** A source as the data files give it: a typed object, or a plain URL in older bundles. */
const urlOf = (source: string | { url: string }) => (typeof source === "string" ? source : source.url);
const kindOf = (source: string | { kind: string }) => (typeof source === "string" ? null : source.kind);
const hostOf = (url: string) => new URL(url).hostname.replace(/^www\./, "");

/** The object of a type that carries a record's key (`<kind>/<key>`, source "misuse-graph"). */
function objectOf(type: string, kind: string, key: string): any {
  const found = bundle.objects.filter(
    (o: any) => o.type === type && (o.external_references ?? []).some((r: any) => r.source_name === "misuse-graph" && r.external_id === `${kind}/${key}`),
  );
  expect(found.length, `${type} ${kind}/${key}`).toBe(1);
  return found[0];
}

describe("the /export/stix bundle against the STIX 2.1 specification", () => {
  it("conforms: every object, property and reference", () => {
    expect(bundle.objects.length).toBeGreaterThan(0);
    expect(stixSpecProblems(bundle)).toEqual([]);
  });

  it("the checker finds each kind of departure (it is not vacuous)", () => {
    const broken = structuredClone(bundle);
    const first = (type: string) => broken.objects.find((o: any) => o.type === type);
    const set = first("intrusion-set");
    const report = first("report");
    const note = first("note");
    const relationship = first("relationship");
    const location = first("location");
    set.external_references[0] = { source_name: "x", url: { url: "https://example.org/", kind: "PRESS" } };
    set.external_references.push({ source_name: "no url, id or description" });
    set.aliases = [];
    report.description = null;
    report.object_refs = [];
    note.modified = "2020-01-01T00:00:00Z";
    delete note.content;
    relationship.target_ref = "location--00000000-0000-4000-8000-000000000000";
    relationship.relationship_type = "Originates_From";
    delete location.country;
    delete location.name;
    first("identity").identity_class = "Organization";
    first("threat-actor").confidence = 101;
    first("tool").custom_thing = "x";
    const problems = stixSpecProblems(broken);
    const expected = [
      `${set.id}.external_references[0].url: must be a string`,
      `${set.id}.external_references[${set.external_references.length - 1}]: needs at least one of description, url, external_id`,
      `${set.id}.aliases: empty list`,
      `${report.id}.description: null`,
      `${report.id}.object_refs: empty list`,
      `${note.id}.modified: must be precise to the millisecond`,
      `${note.id}.content: required by note, missing`,
      `${relationship.id}.target_ref: location--00000000-0000-4000-8000-000000000000 is not in the bundle`,
      `${relationship.id}.relationship_type: must be a-z, 0-9 and hyphens`,
      `${location.id}: a location needs region, country, or latitude and longitude`,
      `.identity_class: must be an open-vocabulary string`,
      `.confidence: must be 0-100, got 101`,
      `.custom_thing: not a property of tool in STIX 2.1`,
    ];
    for (const line of expected)
      expect(
        problems.some((p) => p.startsWith(line) || p.includes(line)),
        `${line}\n${problems.join("\n")}`,
      ).toBe(true);
  });

  it("carries every source URL of the data files as a string url, unchanged", () => {
    const urls = new Set<string>();
    const inBundle = new Set<string>();
    for (const object of bundle.objects) for (const r of object.external_references ?? []) if (typeof r.url === "string") inBundle.add(r.url);
    for (const kind of ["reports", "operations", "companies"] as const) {
      for (const record of dataset[kind]) for (const source of record.sources ?? []) urls.add(urlOf(source));
    }
    for (const report of dataset.reports) urls.add(report.url);
    for (const statement of dataset.statements) urls.add(statement.sourceUrl);
    expect(urls.size).toBeGreaterThan(100);
    expect([...urls].filter((url) => !inBundle.has(url))).toEqual([]);
  });

  it("names each source by what it is (docs/stix.md) and gives a report's own URL once", () => {
    const companies = new Map(dataset.companies.map((c: any) => [c.key, c.name]));
    const publisherNames = new Set(dataset.reports.map((r: any) => companies.get(r.publisher)));
    const publisherOfReportUrl = new Map(dataset.reports.map((r: any) => [r.url, companies.get(r.publisher)]));
    const expectName = (where: string, source: any, reference: any) => {
      const kind = kindOf(source);
      const url = urlOf(source);
      if (kind === "PUBLISHER") {
        expect(publisherNames, `${where} ${url}`).toContain(reference.source_name);
        if (publisherOfReportUrl.has(url)) expect(reference.source_name, `${where} ${url}`).toBe(publisherOfReportUrl.get(url));
      } else if (kind) {
        expect(reference.source_name, `${where} ${url}`).toBe(`${kind.toLowerCase()}: ${hostOf(url)}`);
      }
    };
    const referencesTo = (object: any, url: string) => object.external_references.filter((r: any) => r.url === url);

    for (const report of dataset.reports) {
      const object = objectOf("report", "reports", report.key);
      const own = referencesTo(object, report.url);
      expect(own.length, report.key).toBe(1);
      expect(own[0].source_name, report.key).toBe(companies.get(report.publisher));
      for (const source of report.sources) if (urlOf(source) !== report.url) expectName(report.key, source, referencesTo(object, urlOf(source))[0]);
    }
    for (const operation of dataset.operations) {
      const object = objectOf("intrusion-set", "operations", operation.key);
      for (const source of operation.sources) {
        const found = referencesTo(object, urlOf(source));
        expect(found.length, `${operation.key} ${urlOf(source)}`).toBe(1);
        expectName(operation.key, source, found[0]);
      }
    }
    for (const company of dataset.companies.filter((c: any) => c.sources?.length)) {
      const object = objectOf("identity", "companies", company.key);
      for (const source of company.sources) expectName(company.key, source, referencesTo(object, urlOf(source))[0]);
    }
    // No reference anywhere is named by the generic word the export once used.
    const generic = bundle.objects.flatMap((o: any) => (o.external_references ?? []).filter((r: any) => r.source_name === "source").map(() => o.id));
    expect(generic).toEqual([]);
  });
});
