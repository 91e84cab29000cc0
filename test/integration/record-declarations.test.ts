import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isNonNullType, isObjectType } from "graphql";
import { buildAppSchema } from "../../src/schema";
import { report } from "../../src/common/records/report";
import { company } from "../../src/common/records/company";
import { statement } from "../../src/common/records/statement";
import { country } from "../../src/common/records/country";
import { operation } from "../../src/common/records/operation";
import { disclosure } from "../../src/common/records/disclosure";
import type { RecordDecl, ReferenceDecl } from "../../src/common/records/declare";
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

/** Each declaration with its GraphQL type and its table's columns that are no bundle field (kept by the database, or the edge's owner). */
const DECLARATIONS: [string, RecordDecl | ReferenceDecl, string[]][] = [
  ["Report", report, []],
  ["Company", company, []],
  ["Statement", statement, []],
  ["Country", country, []],
  ["Operation", operation, ["first_disclosed_on"]],
  ["Disclosure", disclosure, ["operation_id"]],
];

async function columnsOf(table: string, notFields: string[] = []): Promise<Map<string, boolean>> {
  const rows: { column: string; nullable: string }[] = await t.sql(
    `SELECT column_name AS column, is_nullable AS nullable FROM information_schema.columns WHERE table_schema = 'public' AND table_name = $1`,
    [table],
  );
  return new Map(rows.filter((row) => !NOT_FIELDS.includes(row.column) && !notFields.includes(row.column)).map((row) => [row.column, row.nullable === "YES"]));
}

describe.each(DECLARATIONS)("the %s declaration, against the migrated database and the GraphQL schema", (typeName, decl, notFields) => {
  it("declares every column of its table, each with the table's nullability", async () => {
    const table = await columnsOf(decl.table, notFields);
    const declared = new Map(
      Object.values(decl.fields)
        .filter((f) => f.column)
        .map((f) => [f.column!, f.nullable]),
    );
    expect(Object.fromEntries(declared)).toEqual(Object.fromEntries(table));
  });

  it("gives its GraphQL type each declared field with the column's nullability", async () => {
    const nullable = await columnsOf(decl.table);
    const type = (await buildAppSchema()).getType(typeName);
    if (!isObjectType(type)) throw new Error(`${typeName} is not an object type`);
    const fields = type.getFields();
    const mismatches = Object.entries(decl.fields)
      .filter(([, f]) => f.graphql && f.column)
      .filter(([name, f]) => !fields[name] || isNonNullType(fields[name].type) === nullable.get(f.column!))
      .map(([name]) => name);
    expect(mismatches).toEqual([]);
  });
});
