import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp } from "../helpers/app";
import type { TestApp } from "../helpers/app";
import { readDataset, sorted } from "../helpers/dataset";

const dataset = readDataset();
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

/** The oracle: records with the word, as a whole word in any case, in any of the fields (plain regex over data/*.json). */
const hasWord = (word: string, ...values: unknown[]) => new RegExp(`\\b${word}\\b`, "i").test(values.flat().join(" \n "));
const keysWith = (records: any[], word: string, fields: string[]) => sorted(records.filter((r) => hasWord(word, ...fields.map((f) => r[f]))).map((r) => r.key));

/** Every key a list returns, page by page in the server's order, checking totalCount. */
async function listKeys(field: string, filterType: string, filter: object, orderBy?: object, first = 100): Promise<string[]> {
  const keys: string[] = [];
  let after: string | null = null;
  const orderArg = orderBy
    ? `, orderBy: ${JSON.stringify(orderBy)
        .replace(/"(\w+)":/g, "$1:")
        .replace(/"([A-Z_]+)"/g, "$1")}`
    : "";
  for (;;) {
    const { list }: any = await t.data(
      `query ($filter: ${filterType}, $after: String) { list: ${field}(first: ${first}, after: $after, filter: $filter${orderArg}) { totalCount pageInfo { hasNextPage endCursor } nodes { key } } }`,
      { filter, after },
    );
    keys.push(...list.nodes.map((n: { key: string }) => n.key));
    if (!list.pageInfo.hasNextPage) {
      expect(list.totalCount).toBe(keys.length);
      return keys;
    }
    after = list.pageInfo.endCursor;
  }
}

const OPERATION_FIELDS = ["name", "aliases", "summary"];
const RELEVANCE_DESC = { field: "RELEVANCE", direction: "DESC" };

describe("operations(filter: { text })", () => {
  it("finds an operation through an alias (Kimsuky) and by name (Spamouflage), and every summary mentioning them", async () => {
    const byAlias = dataset.operations.filter((o) => o.aliases.some((a: string) => a.toLowerCase() === "kimsuky"));
    expect(byAlias.length).toBeGreaterThan(0);
    const kimsuky = await listKeys("operations", "OperationFilter", { text: "Kimsuky" });
    for (const o of byAlias) expect(kimsuky).toContain(o.key);
    expect(sorted(kimsuky)).toEqual(keysWith(dataset.operations, "kimsuky", OPERATION_FIELDS));

    const byName = dataset.operations.filter((o) => o.name.toLowerCase() === "spamouflage");
    expect(byName.length).toBe(1);
    const spamouflage = await listKeys("operations", "OperationFilter", { text: "spamouflage" });
    expect(spamouflage).toContain(byName[0].key);
    expect(sorted(spamouflage)).toEqual(keysWith(dataset.operations, "spamouflage", OPERATION_FIELDS));
  });

  it("ranks name and alias matches before summary-only matches with RELEVANCE", async () => {
    for (const word of ["Kimsuky", "spamouflage"]) {
      const named = keysWith(dataset.operations, word, ["name", "aliases"]);
      const summaryOnly = keysWith(dataset.operations, word, OPERATION_FIELDS).filter((key) => !named.includes(key));
      expect(named.length, word).toBeGreaterThan(0);
      expect(summaryOnly.length, `${word} should also appear in some other operation's summary`).toBeGreaterThan(0);
      const ranked = await listKeys("operations", "OperationFilter", { text: word }, RELEVANCE_DESC);
      expect(sorted(ranked.slice(0, named.length)), word).toEqual(named);
      expect(sorted(ranked.slice(named.length)), word).toEqual(summaryOnly);
    }
  });

  it("pages through RELEVANCE order with cursors: pages of 2 give the same order as one page", async () => {
    const word = "China";
    const expected = keysWith(dataset.operations, word, OPERATION_FIELDS);
    expect(expected.length).toBeGreaterThan(4);
    const whole = await listKeys("operations", "OperationFilter", { text: word }, RELEVANCE_DESC);
    expect(sorted(whole)).toEqual(expected);
    expect(await listKeys("operations", "OperationFilter", { text: word }, RELEVANCE_DESC, 2)).toEqual(whole);
    const ascending = await listKeys("operations", "OperationFilter", { text: word }, { field: "RELEVANCE", direction: "ASC" }, 3);
    expect(ascending).toEqual([...whole].reverse());
  });

  it("ranks and pages nested lists too (a report's operations)", async () => {
    const word = "China";
    const matching = dataset.operations.filter((o) => hasWord(word, ...OPERATION_FIELDS.map((f) => o[f])));
    const perReport = dataset.reports
      .map((r) => ({ key: r.key, ops: sorted(matching.filter((o) => o.reportKeys.includes(r.key)).map((o) => o.key)) }))
      .sort((a, b) => b.ops.length - a.ops.length)[0];
    expect(perReport.ops.length).toBeGreaterThan(2);
    const walk = async (first: number) => {
      const keys: string[] = [];
      let after: string | null = null;
      for (;;) {
        const { report }: any = await t.data(
          `query ($k: String!, $after: String) { report(key: $k) { operations(first: ${first}, after: $after, filter: { text: "${word}" }, orderBy: { field: RELEVANCE, direction: DESC }) {
            totalCount pageInfo { hasNextPage endCursor } nodes { key } } } }`,
          { k: perReport.key, after },
        );
        keys.push(...report.operations.nodes.map((n: { key: string }) => n.key));
        expect(report.operations.totalCount).toBe(perReport.ops.length);
        if (!report.operations.pageInfo.hasNextPage) return keys;
        after = report.operations.pageInfo.endCursor;
      }
    };
    const whole = await walk(100);
    expect(sorted(whole)).toEqual(perReport.ops);
    expect(await walk(1)).toEqual(whole);
  });

  it("applies the same text filter to statistics and exports", async () => {
    const expected = keysWith(dataset.operations, "kimsuky", OPERATION_FIELDS);
    const { operationStats } = await t.data(`query ($filter: OperationFilter) { operationStats(filter: $filter) { totals { operations } } }`, {
      filter: { text: "Kimsuky" },
    });
    expect(operationStats.totals.operations).toBe(expected.length);
    const response = await fetch(`${t.url.replace(/\/graphql$/, "")}/export/operations.ndjson?text=Kimsuky`);
    expect(response.status).toBe(200);
    const [meta, ...records] = (await response.text())
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line));
    expect(meta._meta.filter).toEqual({ text: "Kimsuky" });
    expect(sorted(records.map((record) => record.key))).toEqual(expected);
    const blank = await fetch(`${t.url.replace(/\/graphql$/, "")}/export/companies.ndjson?text=%20`);
    expect(blank.status).toBe(400);
    expect(await blank.text()).toMatch(/filter\.text/);
  });
});

describe("text filters on reports, statements and companies", () => {
  const cases: [field: string, filterType: string, records: any[], word: string, fields: string[]][] = [
    ["reports", "ReportFilter", dataset.reports, "malware", ["title", "summary"]],
    ["statements", "StatementFilter", dataset.statements, "China", ["quote", "speaker"]],
    ["companies", "CompanyFilter", dataset.companies, "ministry", ["name"]],
  ];

  it("return exactly the records whose fields contain the word", async () => {
    for (const [field, filterType, records, word, fields] of cases) {
      const expected = keysWith(records, word, fields);
      expect(expected.length, `${field}: ${word} should occur in the data`).toBeGreaterThan(1);
      expect(expected.length, `${field}: ${word} should not occur everywhere`).toBeLessThan(records.length);
      expect(sorted(await listKeys(field, filterType, { text: word })), field).toEqual(expected);
    }
  });

  it("rank reports and statements by RELEVANCE, paging with cursors", async () => {
    for (const [field, filterType, records, word, fields] of cases.slice(0, 2)) {
      const whole = await listKeys(field, filterType, { text: word }, RELEVANCE_DESC);
      expect(sorted(whole), field).toEqual(keysWith(records, word, fields));
      expect(await listKeys(field, filterType, { text: word }, RELEVANCE_DESC, 1), field).toEqual(whole);
    }
  });
});

describe("bad search input", () => {
  const lists: [string, string][] = [
    ["operations", "OperationFilter"],
    ["reports", "ReportFilter"],
    ["statements", "StatementFilter"],
    ["companies", "CompanyFilter"],
  ];

  it("refuses empty, blank, over-long and unstorable text naming filter.text", async () => {
    for (const [field, filterType] of lists) {
      for (const text of ["", "   \t", "x".repeat(201), "China\u0000", "\ud800"]) {
        const response = await t.gql(`query ($filter: ${filterType}) { ${field}(filter: $filter) { totalCount } }`, { filter: { text } });
        expect(response.body.errors?.[0].extensions?.code, `${field} ${JSON.stringify(text)}`).toBe("BAD_USER_INPUT");
        expect(response.body.errors?.[0].message).toMatch(/(^|\.)filter\.text[: ]/);
      }
    }
    // A NUL written in the document itself (not a variable) reaches the filter's own check.
    const inline = await t.gql(`{ operations(filter: { text: "China\\u0000" }) { totalCount } }`);
    expect(inline.body.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
    expect(inline.body.errors?.[0].message).toMatch(/^filter\.text: .*NUL/);
    const longest = await t.gql(`{ operations(filter: { text: "${"x".repeat(200)}" }) { totalCount } }`);
    expect(longest.body.data?.operations.totalCount).toBe(0);
  });

  it("refuses RELEVANCE without filter.text, and a forged RELEVANCE cursor", async () => {
    for (const [field] of lists.slice(0, 3)) {
      const response = await t.gql(`{ ${field}(orderBy: { field: RELEVANCE, direction: DESC }) { totalCount } }`);
      expect(response.body.errors?.[0].extensions?.code, field).toBe("BAD_USER_INPUT");
      expect(response.body.errors?.[0].message).toMatch(/^orderBy\.field: RELEVANCE/);
    }
    const forged = Buffer.from(JSON.stringify({ t: "Operation", f: "RELEVANCE", s: "0.5", i: 1 })).toString("base64url");
    const response = await t.gql(
      `query ($after: String) { operations(filter: { text: "China" }, orderBy: { field: RELEVANCE }, after: $after) { totalCount } }`,
      {
        after: forged,
      },
    );
    expect(response.body.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
    expect(response.body.errors?.[0].message).toMatch(/^after: not a valid cursor/);
  });

  it("refuses a RELEVANCE cursor of one search text for another, naming after or before", async () => {
    const page = (filterType: string, field: string, text: string, cursors: { after?: string; before?: string }) =>
      t.gql(
        `query ($text: String!, $after: String, $before: String) { list: ${field}(first: 2, after: $after, before: $before, filter: { text: $text }, orderBy: { field: RELEVANCE, direction: DESC }) {
          pageInfo { hasNextPage endCursor } nodes { key } } }`,
        { text, ...cursors },
      );
    for (const [field, filterType, first, second] of [
      ["operations", "OperationFilter", "China", "Russia"],
      ["reports", "ReportFilter", "operations", "influence"],
      ["statements", "StatementFilter", "China", "AI"],
    ] as const) {
      const start = await page(filterType, field, first, {});
      const cursor: string = start.body.data!.list.pageInfo.endCursor;
      expect(start.body.data!.list.pageInfo.hasNextPage, `${field}: "${first}" has a second page`).toBe(true);
      // The same text (with other spacing) takes its own cursor, both ways.
      expect((await page(filterType, field, `  ${first} `, { after: cursor })).body.errors).toBeUndefined();
      expect((await page(filterType, field, first, { before: cursor })).body.errors).toBeUndefined();
      for (const argument of ["after", "before"] as const) {
        for (const other of [second, `${first} ${second}`, `-${first}`]) {
          const response = await page(filterType, field, other, { [argument]: cursor });
          expect(response.body.errors?.[0].extensions?.code, `${field} ${argument} "${other}"`).toBe("BAD_USER_INPUT");
          expect(response.body.errors?.[0].message).toMatch(new RegExp(`^${argument}: this cursor was returned for another search text`));
          expect(response.body.data ?? null).toBeNull();
        }
      }
    }
  });

  it("refuses bad text in statistics too", async () => {
    const response = await t.gql(`{ operationStats(filter: { text: " " }) { totals { operations } } }`);
    expect(response.body.errors?.[0].extensions?.code).toBe("BAD_USER_INPUT");
    expect(response.body.errors?.[0].message).toMatch(/^filter\.text: /);
  });
});
