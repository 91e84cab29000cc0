import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp } from "../helpers/app";
import type { TestApp } from "../helpers/app";
import { readDataset } from "../helpers/dataset";
import { bundleFromDocuments, importBundle } from "../../src/import";

/**
 * DATABASE_READ_URL sends the request path's reads to a replica while writes stay on the primary.
 * The "replica" here is a second database loaded with the same data: the test changes each side
 * behind the service's back and sees which one answers.
 */
const dataset = readDataset();
let replica: TestApp;
let t: TestApp;

beforeAll(async () => {
  replica = await startTestApp();
  t = await startTestApp({ env: { DATABASE_READ_URL: replica.databaseUrl } });
});
afterAll(async () => {
  await t?.close();
  await replica?.close();
});

describe("a read replica", () => {
  it("answers queries and statistics from the replica", async () => {
    const report = dataset.reports[0];
    await replica.sql("UPDATE report SET title = 'Read from the replica' WHERE key = $1", [report.key]);
    const { report: read } = await t.data(`query ($key: String!) { report(key: $key) { title } }`, { key: report.key });
    expect(read.title).toBe("Read from the replica");
    const [{ title: primaryTitle }] = await t.sql("SELECT title FROM report WHERE key = $1", [report.key]);
    expect(primaryTitle).toBe(report.title);
    await replica.sql("DELETE FROM operation WHERE key = $1", [dataset.operations[0].key]);
    const { operationStats } = await t.data(`{ operationStats { totals { operations } } }`);
    expect(operationStats.totals.operations).toBe(dataset.operations.length - 1);
  });

  it("writes to the primary", async () => {
    const company = { key: "replica-test-co", name: "Replica Test Co", kind: "OTHER" };
    const result = await importBundle(
      t.app.dataSource,
      bundleFromDocuments("replica-test", [{ file: "replica-test.json", value: { batch: "replica-test", companies: [company] } }]),
    );
    expect(result.problems).toEqual([]);
    expect(await t.sql("SELECT name FROM company WHERE key = $1", [company.key])).toEqual([{ name: company.name }]);
    expect(await replica.sql("SELECT name FROM company WHERE key = $1", [company.key])).toEqual([]);
    const response = await t.gql(`{ company(key: "replica-test-co") { name } }`);
    expect(response.body.errors?.[0].extensions?.code).toBe("NOT_FOUND");
  });
});
