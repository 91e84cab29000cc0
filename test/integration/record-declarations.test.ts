import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isNonNullType, isObjectType } from "graphql";
import { buildAppSchema } from "../../src/schema";
import { report } from "../../src/common/records/report";
import { startTestApp } from "../helpers/app";
import type { TestApp } from "../helpers/app";

/** Columns of a table that are no record field: its id, its sync stamp and full-text search data. */
const NOT_FIELDS = ["id", "updated_at", "search"];

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ loadDataset: false });
});
afterAll(async () => {
  await t?.close();
});

describe("the report declaration, against the migrated database and the GraphQL schema", () => {
  it("declares every column of the report table, each with the table's nullability", async () => {
    const rows: { column: string; nullable: string }[] = await t.sql(
      `SELECT column_name AS column, is_nullable AS nullable FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1`,
      [report.table],
    );
    const table = new Map(rows.filter((row) => !NOT_FIELDS.includes(row.column)).map((row) => [row.column, row.nullable === "YES"]));
    const declared = new Map(
      Object.values(report.fields)
        .filter((f) => f.column)
        .map((f) => [f.column!, f.nullable]),
    );
    expect(Object.fromEntries(declared)).toEqual(Object.fromEntries(table));
  });

  it("gives the Report type each declared field with the column's nullability", async () => {
    const rows: { column: string; nullable: string }[] = await t.sql(
      `SELECT column_name AS column, is_nullable AS nullable FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'report'`,
    );
    const nullable = new Map(rows.map((row) => [row.column, row.nullable === "YES"]));
    const type = (await buildAppSchema()).getType("Report");
    if (!isObjectType(type)) throw new Error("Report is not an object type");
    const fields = type.getFields();
    const mismatches = Object.entries(report.fields)
      .filter(([, f]) => f.graphql && f.column)
      .filter(([name, f]) => !fields[name] || isNonNullType(fields[name].type) === nullable.get(f.column!))
      .map(([name]) => name);
    expect(mismatches).toEqual([]);
  });
});
