import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp } from "../helpers/app";
import type { TestApp } from "../helpers/app";
import { readReleaseManifest } from "../../src/modules/dataset";
import { DATA_DIR } from "../helpers/app";
import { readDataset } from "../helpers/dataset";
import { createApiKey, Role } from "../../src/modules/auth";

/**
 * Required properties per object type, from the STIX 2.1 specification (OASIS Standard, 10 June
 * 2021): the common properties every SDO and SRO must carry ("Common Properties": type,
 * spec_version, id, created, modified) plus each type's own required properties, as its
 * "Properties" table marks them: Identity (name), Intrusion Set (name), Location (one of region,
 * country, or latitude and longitude), Note (content, object_refs), Report (name, published,
 * object_refs), Threat Actor (name), Tool (name), Relationship (relationship_type, source_ref,
 * target_ref).
 */
const COMMON = ["type", "spec_version", "id", "created", "modified"];
const REQUIRED: Record<string, string[]> = {
  identity: ["name"],
  "intrusion-set": ["name"],
  location: [],
  note: ["content", "object_refs"],
  report: ["name", "published", "object_refs"],
  "threat-actor": ["name"],
  tool: ["name"],
  relationship: ["relationship_type", "source_ref", "target_ref"],
};

/**
 * Relationships the specification defines between the types this export uses, from the
 * "Relationships" table of each SDO: Intrusion Set (attributed-to threat-actor; originates-from
 * location; targets identity, location, vulnerability; uses attack-pattern, infrastructure, malware,
 * tool; compromises/hosts/owns infrastructure) and Threat Actor (attributed-to identity; located-at
 * location; impersonates identity; targets identity, location, vulnerability; uses attack-pattern,
 * infrastructure, malware, tool). Only the pairs among our types are listed.
 */
const ALLOWED = new Set([
  "intrusion-set attributed-to threat-actor",
  "intrusion-set originates-from location",
  "intrusion-set targets identity",
  "intrusion-set targets location",
  "intrusion-set uses tool",
  "threat-actor attributed-to identity",
  "threat-actor located-at location",
  "threat-actor impersonates identity",
  "threat-actor targets identity",
  "threat-actor targets location",
  "threat-actor uses tool",
]);

/** Identifier: `type--UUID` (RFC 4122; these are version 5). Timestamp: RFC 3339 in UTC, milliseconds for created/modified. */
const ID = /^([a-z][a-z0-9-]+[a-z0-9])--[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const TIMESTAMP = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])T([01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3}Z$/;

let t: TestApp;
let origin: string;
const manifest = readReleaseManifest(DATA_DIR)!;

beforeAll(async () => {
  t = await startTestApp();
  origin = new URL(t.url).origin;
}, 120_000);
afterAll(async () => {
  await t?.close();
});

async function exportStix(query = ""): Promise<{ status: number; headers: Headers; text: string; json: any }> {
  const response = await fetch(`${origin}/export/stix${query}`);
  const text = await response.text();
  return { status: response.status, headers: response.headers, text, json: JSON.parse(text) };
}

const keyOf = (object: any, kind: string) =>
  object.external_references.find((r: any) => r.source_name === "misuse-graph" && r.external_id.startsWith(`${kind}/`)).external_id.slice(kind.length + 1);

/** Every reference property (`*_ref`, `*_refs`) of an object, nested ones included. */
function references(value: unknown, into: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((item) => references(item, into));
  else if (value && typeof value === "object") {
    for (const [name, inner] of Object.entries(value)) {
      if (name.endsWith("_ref")) into.push(inner as string);
      else if (name.endsWith("_refs")) into.push(...(inner as string[]));
      else references(inner, into);
    }
  }
  return into;
}

describe("GET /export/stix", () => {
  it("returns one valid STIX 2.1 bundle of the whole dataset", async () => {
    const { status, headers, json: bundle } = await exportStix();
    expect(status).toBe(200);
    expect(headers.get("content-type")).toMatch(/^application\/stix\+json;version=2\.1/);
    expect(headers.get("x-dataset-version")).toBe(manifest.version);
    expect(bundle.type).toBe("bundle");
    expect(bundle.id).toMatch(/^bundle--/);
    expect(bundle.spec_version).toBeUndefined(); // a 2.1 bundle carries none
    const byId = new Map<string, any>(bundle.objects.map((o: any) => [o.id, o]));
    expect(byId.size).toBe(bundle.objects.length);
    for (const object of bundle.objects) {
      const where = `${object.id}`;
      expect(Object.keys(REQUIRED), where).toContain(object.type);
      for (const property of [...COMMON, ...REQUIRED[object.type]]) expect(object[property], `${where}.${property}`).toBeDefined();
      expect(object.spec_version, where).toBe("2.1");
      expect(ID.exec(object.id)?.[1], where).toBe(object.type);
      for (const property of ["created", "modified", "published", "first_seen", "last_seen"]) {
        if (object[property] !== undefined) expect(object[property], `${where}.${property}`).toMatch(TIMESTAMP);
      }
      expect(object.modified >= object.created, where).toBe(true);
      if (object.type === "location") expect(object.country ?? object.region ?? object.latitude, where).toBeDefined();
      if (object.type === "location") expect(object.country, where).toMatch(/^[A-Z]{2}$/);
      if (object.object_refs) expect(object.object_refs.length, where).toBeGreaterThan(0);
      for (const ref of references(object)) {
        expect(ref, `${where} refers to ${ref}`).toMatch(ID);
        expect(byId.has(ref), `${where} refers to ${ref}, which is not in the bundle`).toBe(true);
      }
      for (const reference of object.external_references ?? []) {
        expect(typeof reference.source_name, where).toBe("string");
        expect(reference.url ?? reference.external_id ?? reference.description, where).toBeDefined();
      }
      if (object.type === "relationship") {
        const pair = `${byId.get(object.source_ref).type} ${object.relationship_type} ${byId.get(object.target_ref).type}`;
        expect(ALLOWED.has(pair), `${where}: ${pair} is not a relationship STIX 2.1 defines`).toBe(true);
        if (object.confidence !== undefined) expect(Number.isInteger(object.confidence) && object.confidence >= 0 && object.confidence <= 100).toBe(true);
      }
    }
    // The whole dataset: one intrusion-set per operation, one report per report, one note per statement about anything.
    const [{ operations, reports, statements }] = await t.sql(
      `SELECT (SELECT count(*) FROM operation)::int AS operations, (SELECT count(*) FROM report)::int AS reports,
         (SELECT count(*) FROM statement s WHERE EXISTS (SELECT 1 FROM statement_operation so WHERE so.statement_id = s.id)
            OR EXISTS (SELECT 1 FROM statement_report sr WHERE sr.statement_id = s.id))::int AS statements`,
    );
    const count = (type: string) => bundle.objects.filter((o: any) => o.type === type).length;
    expect(count("intrusion-set")).toBe(operations);
    expect(count("report")).toBe(reports);
    expect(count("note")).toBe(statements);
  });

  it("exports exactly the CN operations for originCountry=CN, with their origins and confidences", async () => {
    const { status, json: bundle } = await exportStix("?originCountry=CN");
    expect(status).toBe(200);
    const expected = await t.sql<{ key: string }>(
      "SELECT DISTINCT o.key FROM operation o JOIN operation_origin x ON x.operation_id = o.id WHERE x.country_code = 'CN' ORDER BY 1",
    );
    const sets = bundle.objects.filter((o: any) => o.type === "intrusion-set");
    expect(sets.map((o: any) => keyOf(o, "operations")).sort()).toEqual(expected.map((row) => row.key).sort());
    expect(sets.length).toBeGreaterThan(0);
    // Reports: exactly those that disclosed a CN operation.
    const disclosing = await t.sql<{ key: string }>(
      `SELECT DISTINCT r.key FROM report r JOIN operation_report x ON x.report_id = r.id JOIN operation o ON o.id = x.operation_id
       WHERE o.key = ANY($1) ORDER BY 1`,
      [expected.map((row) => row.key)],
    );
    expect(
      bundle.objects
        .filter((o: any) => o.type === "report")
        .map((o: any) => keyOf(o, "reports"))
        .sort(),
    ).toEqual(disclosing.map((row) => row.key).sort());

    // originates-from: one per stored origin of those operations, confidence on the documented scale.
    const origins = await t.sql<{ key: string; country: string; confidence: string }>(
      `SELECT o.key, x.country_code::text AS country, x.confidence FROM operation o JOIN operation_origin x ON x.operation_id = o.id
       WHERE o.key = ANY($1) ORDER BY 1, 2`,
      [expected.map((row) => row.key)],
    );
    const scale: Record<string, number> = { CONFIRMED: 90, LIKELY: 70, POSSIBLE: 50 }; // docs/stix.md
    const byId = new Map<string, any>(bundle.objects.map((o: any) => [o.id, o]));
    const exported = bundle.objects
      .filter((o: any) => o.relationship_type === "originates-from")
      .map((r: any) => ({ key: keyOf(byId.get(r.source_ref), "operations"), country: byId.get(r.target_ref).country, confidence: r.confidence }))
      .sort((a: any, b: any) => (a.key + a.country < b.key + b.country ? -1 : 1));
    expect(exported).toEqual(origins.map((o) => ({ key: o.key, country: o.country, confidence: scale[o.confidence] })));
  });

  it("combines filters like the API: the same keys as operations(filter:)", async () => {
    const { json: bundle } = await exportStix("?originCountry=CN,RU&category=INFLUENCE_OPERATION");
    const api = await t.data(
      `{ operations(first: 100, filter: { originCountry: ["CN", "RU"], category: [INFLUENCE_OPERATION] }) { totalCount nodes { key } } }`,
    );
    expect(api.operations.totalCount).toBeLessThanOrEqual(100);
    const keys = bundle.objects.filter((o: any) => o.type === "intrusion-set").map((o: any) => keyOf(o, "operations"));
    expect(keys.sort()).toEqual(api.operations.nodes.map((n: any) => n.key).sort());
  });

  it("gives byte-identical bodies for the same data and filter, however the filter is spelled", async () => {
    const first = await exportStix("?originCountry=CN&originCountry=RU");
    const second = await exportStix("?originCountry=CN&originCountry=RU");
    const commaSeparated = await exportStix("?originCountry=RU,CN");
    expect(second.text).toBe(first.text);
    expect(commaSeparated.text).toBe(first.text);
  });

  it("gives the same bytes from another database loaded from the same release (ids come from keys, not rows)", async () => {
    const other = await startTestApp();
    try {
      const here = await exportStix("?originCountry=CN");
      const there = await fetch(`${new URL(other.url).origin}/export/stix?originCountry=CN`);
      expect(await there.text()).toBe(here.text);
    } finally {
      await other.close();
    }
  }, 120_000);

  it("answers an unknown parameter or a bad value with a 400 naming the parameter", async () => {
    const cases: [string, string][] = [
      ["?origin=CN", "origin"],
      ["?category=NOT_A_CATEGORY", "category"],
      ["?originCountry=XX", "originCountry"],
      ["?breakoutScaleMin=high", "breakoutScaleMin"],
      ["?breakoutScaleMin=9", "breakoutScaleMin"],
      ["?disclosedFrom=2025-02-30", "disclosedFrom"],
      ["?disclosedFrom=2025-01-01&disclosedFrom=2025-02-01", "disclosedFrom"],
    ];
    for (const [query, parameter] of cases) {
      const response = await exportStix(query);
      expect(response.status, query).toBe(400);
      expect(response.json.errors[0].extensions, query).toEqual({ code: "BAD_USER_INPUT", parameter });
      expect(response.json.errors[0].message, query).toContain(parameter);
    }
  });
});

describe("versions of report objects", () => {
  // STIX 2.1, "Versioning": a new version of an object carries a later `modified`. A report's
  // object_refs change when an operation is linked to it, changed while linked, or unlinked.
  it("moves a report's modified whenever its object_refs change", async () => {
    const app = await startTestApp();
    try {
      const editor = (await createApiKey(app.app.dataSource, "stix editor", Role.EDITOR)).key;
      const bundle = async () => {
        const body = (await (await fetch(`${new URL(app.url).origin}/export/stix`)).json()) as any;
        return new Map<string, any>(body.objects.filter((o: any) => o.type === "report").map((o: any) => [o.id, o]));
      };
      const upsert = async (input: Record<string, unknown>) => {
        const response = await fetch(app.url, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${editor}` },
          body: JSON.stringify({ query: `mutation ($input: OperationInput!) { operationUpsert(input: $input) { result } }`, variables: { input } }),
        });
        expect(((await response.json()) as any).data.operationUpsert.result).toBe("UPDATED");
      };
      // Each step must change some report's object_refs and move those reports' modified; reports
      // the operation was never listed in keep theirs. (A report that lists the operation without
      // its refs changing may move too: its operation's record changed.)
      const step = async (before: Map<string, any>, involved: Set<string>, change: () => Promise<void>) => {
        await change();
        const after = await bundle();
        const refsChanged = [...after.values()].filter((r) => JSON.stringify(r.object_refs) !== JSON.stringify(before.get(r.id)?.object_refs));
        expect(refsChanged.length).toBeGreaterThan(0);
        for (const report of after.values()) {
          const old = before.get(report.id);
          if (refsChanged.includes(report)) expect(Date.parse(report.modified), report.name).toBeGreaterThan(Date.parse(old.modified));
          else if (!involved.has(report.name)) expect(report.modified, report.name).toBe(old.modified);
        }
        return after;
      };
      const dataset = readDataset();
      const operation = dataset.operations.find((o) => o.reportKeys.length === 1)!;
      const other = dataset.reports.find((r) => !operation.reportKeys.includes(r.key))!;
      const titles = new Set(dataset.reports.filter((r) => r.key === other.key || operation.reportKeys.includes(r.key)).map((r) => r.title));
      const start = await bundle();
      // Linked to another report: that report's refs gain the operation's objects.
      const linked = await step(start, titles, () => upsert({ key: operation.key, reportKeys: [other.key] }));
      // Unlinked again: they lose them.
      await step(linked, titles, () => upsert({ key: operation.key, reportKeys: operation.reportKeys, replaceLists: true }));
    } finally {
      await app.close();
    }
  });
});
