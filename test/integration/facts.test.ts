import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp } from "../helpers/app";
import type { TestApp } from "../helpers/app";
import { readDataset } from "../helpers/dataset";
import type { Dataset } from "../helpers/dataset";
import { COUNTRIES, Reference } from "../helpers/reference";
import { bundleFromDocuments, importBundle } from "../../src/import";

/**
 * operation_facts, operation_count and operation.first_disclosed_on are maintained per changed operation by the
 * database. After each kind of write (create, update, delete, a country's reference data
 * changing), statistics, list counts and first-disclosure ordering must agree with the reference computed from
 * the records as the test changed them in memory.
 */
const DIMENSIONS = [
  "ORIGIN_COUNTRY",
  "ORIGIN_REGION",
  "TARGET_COUNTRY",
  "TARGET_REGION",
  "CATEGORY",
  "ACTOR_TYPE",
  "PUBLISHER",
  "REPORT",
  "AI_TOOL",
  "PLATFORM",
  "BREAKOUT_SCALE",
  "YEAR",
];

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

/** Statistics and first-disclosure order of `app` against the reference computed from `data`. */
async function agree(app: TestApp, data: Dataset, step: string): Promise<void> {
  const reference = new Reference(data);
  const fields = DIMENSIONS.map((d) => `${d}: by(dimension: ${d}, limit: 500) { buckets { kind key count } }`).join("\n");
  const { operationStats, operations } = await app.data(`{
    operationStats { totals { operations disclosures reports accountsBanned operationsStatingAccountsBanned } ${fields} }
    operations(first: 100, orderBy: { field: FIRST_DISCLOSED, direction: ASC }) { nodes { key firstDisclosedOn } }
  }`);
  const ops = reference.select({});
  expect(operationStats.totals, step).toEqual(reference.totals(ops));
  for (const dimension of DIMENSIONS) {
    expect(operationStats[dimension].buckets, `${step}: ${dimension}`).toEqual(reference.distribution(ops, dimension, 500, true).buckets);
  }
  const firstDisclosed = new Map(data.operations.map((o) => [o.key, reference.firstDisclosed(o)]));
  for (const node of operations.nodes) expect(node.firstDisclosedOn, `${step}: ${node.key}`).toBe(firstDisclosed.get(node.key));
  const dates = operations.nodes.map((node: { firstDisclosedOn: string }) => node.firstDisclosedOn);
  expect(dates, `${step}: ordered by first disclosure`).toEqual([...dates].sort());
  await countsAgree(app, reference, step);
}

/**
 * `totalCount` of the lists whose count the database keeps per value (no filter; one actor type,
 * category, origin or target country or region, every value there is, so that a count gone back
 * to 0 is checked too; several actor types; every country's own lists), and of one it counts (two
 * categories), against the reference's selection.
 */
async function countsAgree(app: TestApp, reference: Reference, step: string): Promise<void> {
  const enumValues = async (type: string): Promise<string[]> =>
    (await app.data(`{ __type(name: "${type}") { enumValues { name } } }`)).__type.enumValues.map((v: { name: string }) => v.name);
  const [actorTypes, categories, regions] = await Promise.all([enumValues("ActorType"), enumValues("OperationCategory"), enumValues("Region")]);
  const codes = [...COUNTRIES.keys()];
  const values: Record<string, string[]> = {
    actorType: actorTypes,
    category: categories,
    originRegion: regions,
    targetRegion: regions,
    originCountry: codes,
    targetCountry: codes,
  };
  const filters: Record<string, string[]>[] = [{}, { actorType: ["STATE_LINKED", "CRIMINAL"] }, { category: ["INFLUENCE_OPERATION", "SCAM"] }];
  for (const [field, all] of Object.entries(values)) for (const value of all) filters.push({ [field]: [value] });
  const strings = new Set(["originCountry", "targetCountry"]);
  const literal = (field: string, list: string[]) => `[${list.map((v) => (strings.has(field) ? JSON.stringify(v) : v)).join(", ")}]`;
  let matched = 0;
  for (let start = 0; start < filters.length; start += 15) {
    const chunk = filters.slice(start, start + 15);
    const aliases = chunk.map((filter, i) => {
      const args = Object.entries(filter).map(([field, list]) => `${field}: ${literal(field, list)}`);
      return `c${i}: operations(first: 1${args.length ? `, filter: { ${args.join(", ")} }` : ""}) { totalCount }`;
    });
    const counted = await app.data(`{ ${aliases.join("\n")} }`);
    chunk.forEach((filter, i) => {
      const expected = reference.select(filter).length;
      matched += expected;
      expect(counted[`c${i}`].totalCount, `${step}: ${JSON.stringify(filter)}`).toBe(expected);
    });
  }
  expect(matched, `${step}: the filters match operations`).toBeGreaterThan(0);
  let after: string | null = null;
  let seen = 0;
  do {
    const { countries }: any = await app.data(
      `query($after: String) { countries(first: 100, after: $after) { pageInfo { hasNextPage endCursor } nodes { code
        operationsOriginating(first: 1) { totalCount } operationsTargeting(first: 1) { totalCount } } } }`,
      { after },
    );
    for (const country of countries.nodes) {
      expect(country.operationsOriginating.totalCount, `${step}: ${country.code} origin`).toBe(reference.select({ originCountry: [country.code] }).length);
      expect(country.operationsTargeting.totalCount, `${step}: ${country.code} target`).toBe(reference.select({ targetCountry: [country.code] }).length);
    }
    seen += countries.nodes.length;
    after = countries.pageInfo.hasNextPage ? countries.pageInfo.endCursor : null;
  } while (after);
  expect(seen, `${step}: every country's own lists`).toBe(COUNTRIES.size);
}

async function load(app: TestApp, document: Record<string, unknown>): Promise<void> {
  const result = await importBundle(app.app.dataSource, bundleFromDocuments("facts-test", [{ file: "facts-test.json", value: document }]));
  expect(result.problems).toEqual([]);
}

const shipped = readDataset();
const existingReport = shipped.reports[0];
const publisher = existingReport.publisher;
const aiTool = shipped.operations.find((o) => o.aiTools.length > 0)!.aiTools[0];
const NEW_REPORT = {
  key: "facts-test-2019-01",
  title: "Facts test report",
  publisher,
  publishedOn: "2019-01-15",
  url: "https://example.org/facts-test-report",
  summary: "A report written by the facts test.",
  figures: [],
  sources: ["https://example.org/facts-test-report"],
};
const NEW_OPERATION = {
  key: "facts-test-operation",
  name: "Facts test operation",
  aliases: [],
  reportKeys: [NEW_REPORT.key, existingReport.key],
  categories: ["SCAM"],
  actorType: "CRIMINAL",
  origin: [{ country: "BR", confidence: "LIKELY" }],
  targets: ["AR"],
  aiTools: [aiTool],
  platforms: [],
  operators: [],
  accountsBanned: 12,
  breakoutScale: 2,
  firstSeen: null,
  lastSeen: null,
  summary: "An operation written by the facts test.",
  sources: ["https://example.org/facts-test-report"],
};

describe("maintained statistics agree with the reference after every kind of write", () => {
  it("after loading the shipped data", async () => {
    await agree(t, readDataset(), "loaded");
  });

  // The steps build on each other, so they are one test, on a database of its own.
  it("after creating a report and an operation, updating them, and deleting the operation", async () => {
    const own = await startTestApp();
    const data = readDataset();
    try {
      await load(own, { batch: "facts-test", reports: [NEW_REPORT], operations: [NEW_OPERATION] });
      data.reports.push({ ...NEW_REPORT });
      data.operations.push(structuredClone(NEW_OPERATION));
      await agree(own, data, "created a report and an operation disclosed by it and by an existing report");

      const secondReport = data.reports.find((r) => r.key !== existingReport.key && r.key !== NEW_REPORT.key)!;
      await load(own, {
        batch: "facts-test",
        reports: [{ key: NEW_REPORT.key, publishedOn: "2027-03-01" }],
        operations: [
          { key: NEW_OPERATION.key, actorType: "STATE_LINKED", breakoutScale: 5, accountsBanned: 40, targets: ["CL"], reportKeys: [secondReport.key] },
        ],
      });
      data.reports.find((r) => r.key === NEW_REPORT.key)!.publishedOn = "2027-03-01";
      const op = data.operations.find((o) => o.key === NEW_OPERATION.key)!;
      Object.assign(op, { actorType: "STATE_LINKED", breakoutScale: 5, accountsBanned: 40 });
      op.targets.push("CL");
      op.reportKeys.push(secondReport.key);
      await agree(own, data, "updated an operation's fields and edges and moved a report's date");

      await own.sql("DELETE FROM operation WHERE key = $1", [NEW_OPERATION.key]);
      data.operations.splice(
        data.operations.findIndex((o) => o.key === NEW_OPERATION.key),
        1,
      );
      await agree(own, data, "deleted the operation");
    } finally {
      await own.close();
    }
  });

  it("after a country's reference data changes region", async () => {
    const data = readDataset();
    const code = data.operations.find((o) => o.origin.length > 0)!.origin[0].country;
    const country = COUNTRIES.get(code)!;
    const region = country.region;
    const other = region === "AFRICA" ? "OCEANIA" : "AFRICA";
    await t.sql("UPDATE country SET region = $1 WHERE code = $2", [other, code]);
    country.region = other;
    try {
      await agree(t, data, "country refreshed");
    } finally {
      country.region = region;
      await t.sql("UPDATE country SET region = $1 WHERE code = $2", [region, code]);
    }
    await agree(t, data, "country restored");
  });
});
