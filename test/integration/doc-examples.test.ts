import fs from "node:fs";
import path from "node:path";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, startTestApp } from "../helpers/app";
import type { TestApp } from "../helpers/app";
import { readDataset } from "../helpers/dataset";

const dataset = readDataset();
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
});
afterAll(async () => {
  await t?.close();
});

const read = (file: string) => fs.readFileSync(path.join(ROOT, file), "utf8");
const DOCS = ["README.md", ...fs.readdirSync(path.join(ROOT, "docs")).map((name) => `docs/${name}`)].filter((file) => file.endsWith(".md"));

/** The fenced blocks of one language in a Markdown text. */
const blocks = (text: string, language: string) => [...text.matchAll(new RegExp("```" + language + "\\n([\\s\\S]*?)```", "g"))].map((m) => m[1]);

const fromCN = dataset.operations.filter((o) => o.origin.some((x: { country: string }) => x.country === "CN"));

describe("the documentation's examples", () => {
  it("every GraphQL example in the README and docs/ runs without errors", async () => {
    let examples = 0;
    for (const file of DOCS) {
      for (const query of blocks(read(file), "graphql")) {
        const response = await t.gql(query);
        expect(response.body.errors, `${file}: ${query}`).toBeUndefined();
        expect(response.body.data, `${file}: ${query}`).toBeTruthy();
        examples += 1;
      }
    }
    expect(examples).toBeGreaterThanOrEqual(8);
  });

  it("the README's GraphQL examples answer what data/ holds", async () => {
    const [list, stats] = blocks(read("README.md"), "graphql");
    const { operations } = await t.data(list);
    expect(operations.totalCount).toBe(dataset.operations.length);
    const names = new Set(dataset.operations.map((o) => o.name));
    for (const edge of operations.edges) expect(names).toContain(edge.node.name);
    const { operationStats } = await t.data(stats);
    expect(operationStats.totals.operations).toBe(fromCN.length);
    const influence = fromCN.filter((o) => o.categories.includes("INFLUENCE_OPERATION")).length;
    const bucket = operationStats.by.buckets.find((b: { key: string }) => b.key === "INFLUENCE_OPERATION");
    expect(bucket?.count ?? 0).toBe(influence);
  });

  it("the README's export examples answer what data/ holds", async () => {
    const urls = blocks(read("README.md"), "sh")
      .flatMap((block) => [...block.matchAll(/curl '([^']+)'/g)].map((m) => m[1]))
      .map((url) => new URL(url));
    expect(urls.length).toBeGreaterThanOrEqual(2);
    for (const url of urls) {
      const response = await fetch(new URL(url.pathname + url.search, t.url));
      expect(response.status, url.href).toBe(200);
      const rows: string[][] = parse(await response.text());
      expect(rows.length, url.href).toBeGreaterThan(1);
      if (url.pathname === "/export/operations.csv") {
        expect(rows[0]).toEqual(["key", ...url.searchParams.get("fields")!.split(",")]);
        expect(
          rows
            .slice(1)
            .map((row) => row[0])
            .sort(),
        ).toEqual(fromCN.map((o) => o.key).sort());
      }
    }
  });
});
