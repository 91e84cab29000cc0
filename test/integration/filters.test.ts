import { afterAll, beforeAll, describe, expect, it } from "vitest";
import worldCountries from "world-countries";
import { startTestApp } from "../helpers/app";
import type { TestApp } from "../helpers/app";
import { readDataset, sorted } from "../helpers/dataset";
import { Reference } from "../helpers/reference";

const dataset = readDataset();
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

/** Every key a filtered list returns, across pages. */
async function keysOf(field: string, filterType: string, filter: object): Promise<string[]> {
  const keys: string[] = [];
  let after: string | null = null;
  for (;;) {
    const { list }: any = await t.data(
      `query ($filter: ${filterType}, $after: String) { list: ${field}(first: 100, after: $after, filter: $filter) { totalCount pageInfo { hasNextPage endCursor } nodes { key } } }`,
      { filter, after },
    );
    keys.push(...list.nodes.map((n: { key: string }) => n.key));
    if (!list.pageInfo.hasNextPage) {
      expect(list.totalCount).toBe(keys.length);
      return sorted(keys);
    }
    after = list.pageInfo.endCursor;
  }
}

/** OperationFilter's meaning, from the same reference the statistics tests use. */
const reference = new Reference(dataset);
const expectedOperations = (filter: Record<string, any>): string[] => sorted(reference.select(filter).map((o) => o.key));

describe("OperationFilter", () => {
  const mostCommon = (values: string[]) => {
    const counts = new Map<string, number>();
    for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
    return [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([v]) => v);
  };
  const ops = dataset.operations;
  const origins = mostCommon(ops.flatMap((o) => o.origin.map((x: any) => x.country)));
  const targets = mostCommon(ops.flatMap((o) => o.targets));
  const tools = mostCommon(ops.flatMap((o) => o.aiTools));
  const platforms = mostCommon(ops.flatMap((o) => o.platforms));
  const operators = mostCommon(ops.flatMap((o) => o.operators));
  const singleFields: [string, unknown][] = [
    ["originCountry", [origins[0]]],
    ["originCountry", [origins[1], origins[2]]],
    ["targetCountry", [targets[0], targets[3]]],
    ["originRegion", ["EUROPE"]],
    ["targetRegion", ["ASIA", "AFRICA"]],
    ["category", ["INFLUENCE_OPERATION"]],
    ["category", ["SCAM", "DECEPTIVE_EMPLOYMENT"]],
    ["actorType", ["CRIMINAL"]],
    ["publisher", ["anthropic"]],
    ["publisher", ["google", "microsoft"]],
    ["report", [dataset.reports[0].key, dataset.reports[5].key]],
    ["aiTool", [tools[1]]],
    ["platform", [platforms[0]]],
    ["operator", [operators[0]]],
    ["breakoutScaleMin", 3],
    ["breakoutScaleMax", 2],
  ];

  it("selects exactly what each field means, computed from the data files", async () => {
    for (const [field, value] of singleFields) {
      const filter = { [field]: value };
      const expected = expectedOperations(filter);
      expect(expected.length, `${field} should select something in the shipped data`).toBeGreaterThan(0);
      expect(await keysOf("operations", "OperationFilter", filter), JSON.stringify(filter)).toEqual(expected);
    }
  });

  it("ANDs fields and applies the disclosure date range to one report", async () => {
    const combos = [
      { originCountry: [origins[0]], category: ["INFLUENCE_OPERATION"] },
      { publisher: ["openai"], disclosedFrom: "2025-01-01", disclosedTo: "2025-12-31" },
      { disclosedFrom: "2025-06-01" },
      { disclosedTo: "2024-12-31", actorType: ["STATE_LINKED"] },
      { targetRegion: ["AMERICAS"], aiTool: [tools[0]], breakoutScaleMin: 2, breakoutScaleMax: 4 },
    ];
    for (const filter of combos) {
      expect(await keysOf("operations", "OperationFilter", filter), JSON.stringify(filter)).toEqual(expectedOperations(filter));
    }
  });

  it("treats an empty list as no filter", async () => {
    expect(await keysOf("operations", "OperationFilter", { category: [] })).toEqual(sorted(ops.map((o) => o.key)));
  });

  it("applies to nested operation lists too", async () => {
    const { country } = await t.data(
      `query ($code: String!) { country(code: $code) { operationsOriginating(first: 100, filter: { category: [CYBER_OPERATION] }) { nodes { key } } } }`,
      { code: origins[0] },
    );
    expect(sorted(country.operationsOriginating.nodes.map((n: { key: string }) => n.key))).toEqual(
      expectedOperations({ originCountry: [origins[0]], category: ["CYBER_OPERATION"] }),
    );
  });

  it("rejects unknown codes and keys, and impossible ranges, naming the field", async () => {
    const cases: [object, RegExp, string][] = [
      [{ originCountry: ["XX"] }, /^filter\.originCountry: unknown country code "XX"/, "filter.originCountry"],
      [{ targetCountry: ["US", "ZZ", "QQ"] }, /^filter\.targetCountry: unknown country codes "ZZ", "QQ"/, "filter.targetCountry"],
      [{ publisher: ["nobody"] }, /^filter\.publisher: unknown company key "nobody"/, "filter.publisher"],
      [{ report: ["openai-1999-01"] }, /^filter\.report: unknown report key "openai-1999-01"/, "filter.report"],
      [{ aiTool: ["no-such-ai"] }, /^filter\.aiTool: unknown company key/, "filter.aiTool"],
      [{ platform: ["no-such-platform"] }, /^filter\.platform: unknown company key/, "filter.platform"],
      [{ operator: ["no-such-operator"] }, /^filter\.operator: unknown company key/, "filter.operator"],
      [{ breakoutScaleMin: 7 }, /^filter\.breakoutScaleMin: the Breakout Scale runs from 1 to 6 \(got 7\)/, "filter.breakoutScaleMin"],
      [{ breakoutScaleMin: 4, breakoutScaleMax: 2 }, /breakoutScaleMin \(4\) is above breakoutScaleMax \(2\)/, "filter"],
      [{ disclosedFrom: "2025-06-01", disclosedTo: "2025-01-01" }, /disclosedFrom \(2025-06-01\) is after disclosedTo \(2025-01-01\)/, "filter"],
    ];
    for (const [filter, message, argument] of cases) {
      const response = await t.gql(`query ($filter: OperationFilter) { operations(filter: $filter) { totalCount } }`, { filter });
      expect(response.body.errors?.[0].extensions?.code, JSON.stringify(filter)).toBe("BAD_USER_INPUT");
      expect(response.body.errors?.[0].message).toMatch(message);
      // The input at fault, as a field rather than inside the message.
      expect((response.body.errors?.[0].extensions as any)?.argument, JSON.stringify(filter)).toBe(argument);
    }
  });

  it("rejects unknown enum values and malformed dates before running anything", async () => {
    for (const filter of [{ category: ["NOT_A_CATEGORY"] }, { originRegion: ["ATLANTIS"] }, { disclosedFrom: "2025-02-30" }, { disclosedTo: "yesterday" }]) {
      const response = await t.gql(`query ($filter: OperationFilter) { operations(filter: $filter) { totalCount } }`, { filter });
      expect(response.body.errors?.[0].extensions?.code, JSON.stringify(filter)).toBe("BAD_USER_INPUT");
      expect(response.statements).toBe(0);
    }
  });
});

describe("ReportFilter, StatementFilter, CompanyFilter, CountryFilter", () => {
  it("filter reports by publisher and date range", async () => {
    const filter = { publisher: ["openai", "google"], publishedFrom: "2025-03-01", publishedTo: "2025-12-31" };
    const expected = dataset.reports
      .filter((r) => filter.publisher.includes(r.publisher) && r.publishedOn >= filter.publishedFrom && r.publishedOn <= filter.publishedTo)
      .map((r) => r.key);
    expect(expected.length).toBeGreaterThan(0);
    expect(await keysOf("reports", "ReportFilter", filter)).toEqual(sorted(expected));
  });

  it("filter statements by each field", async () => {
    const s = dataset.statements;
    const withCountry = s.find((x) => x.country)!;
    const withOperation = s.find((x) => x.operationKeys.length > 0)!;
    const cases: [object, (x: any) => boolean][] = [
      [{ stance: ["DENIAL", "CONDEMNATION"] }, (x) => ["DENIAL", "CONDEMNATION"].includes(x.stance)],
      [{ country: [withCountry.country] }, (x) => x.country === withCountry.country],
      [{ organization: ["openai"] }, (x) => x.organization === "openai"],
      [{ report: [s[0].reportKeys[0]] }, (x) => x.reportKeys.includes(s[0].reportKeys[0])],
      [{ operation: [withOperation.operationKeys[0]] }, (x) => x.operationKeys.includes(withOperation.operationKeys[0])],
      [{ saidFrom: "2025-06-01", saidTo: "2025-12-31" }, (x) => x.saidOn !== null && x.saidOn >= "2025-06-01" && x.saidOn <= "2025-12-31"],
    ];
    for (const [filter, keep] of cases) {
      const expected = sorted(s.filter(keep).map((x) => x.key));
      expect(expected.length, JSON.stringify(filter)).toBeGreaterThan(0);
      expect(await keysOf("statements", "StatementFilter", filter), JSON.stringify(filter)).toEqual(expected);
    }
    const bad = await t.gql(`{ statements(filter: { operation: ["nope"] }) { totalCount } }`);
    expect(bad.body.errors?.[0].message).toMatch(/^filter\.operation: unknown operation key "nope"/);
  });

  it("filter companies by kind and headquarters country", async () => {
    const filter = { kind: ["AI_PROVIDER", "CLOUD"], hqCountry: ["US", "CN"] };
    const expected = dataset.companies.filter((c) => filter.kind.includes(c.kind) && filter.hqCountry.includes(c.hqCountry)).map((c) => c.key);
    expect(expected.length).toBeGreaterThan(0);
    expect(await keysOf("companies", "CompanyFilter", filter)).toEqual(sorted(expected));
  });

  it("filter countries by region", async () => {
    const { countries } = await t.data(`{ countries(filter: { region: [OCEANIA] }) { totalCount } }`);
    expect(countries.totalCount).toBe(worldCountries.filter((c) => c.region === "Oceania").length);
  });
});
