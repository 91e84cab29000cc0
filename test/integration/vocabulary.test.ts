import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isEnumType } from "graphql";
import { startTestApp } from "../helpers/app";
import type { TestApp } from "../helpers/app";
import { buildAppSchema } from "../../src/schema";
import { VOCABULARIES } from "../../src/common/vocabulary";
import { bundleSchema } from "../../src/import";

let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ loadDataset: false });
});
afterAll(async () => {
  await t?.close();
});

type ListName = keyof typeof VOCABULARIES;
const values = (name: ListName) => Object.keys(VOCABULARIES[name]).sort();

/** Each CHECK constraint that restricts a column to a codebook list, with the list it must equal. */
const CONSTRAINTS: [string, ListName][] = [
  ["company_kind_check", "companyKind"],
  ["operation_categories_check", "category"],
  ["operation_actor_type_check", "actorType"],
  ["operation_origin_confidence_check", "confidence"],
  ["operation_report_origin_confidence_check", "confidence"],
  ["operation_company_role_check", "companyRole"],
  ["statement_stance_check", "stance"],
  ["statement_source_kind_check", "sourceKind"],
  ["company_sources_check", "sourceKind"],
  ["report_sources_check", "sourceKind"],
  ["operation_sources_check", "sourceKind"],
];

describe("one vocabulary list", () => {
  it("the database CHECK constraints allow exactly the codebook's values", async () => {
    const rows: { name: string; def: string }[] = await t.sql(
      `SELECT conname AS name, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE contype = 'c' AND conname = ANY($1)`,
      [CONSTRAINTS.map(([name]) => name)],
    );
    expect(rows.map((row) => row.name).sort()).toEqual(CONSTRAINTS.map(([name]) => name).sort());
    for (const [name, list] of CONSTRAINTS) {
      const def = rows.find((row) => row.name === name)!.def;
      // Quoted upper-case words: SQL literals ('X'::text) and jsonpath strings ("X").
      const allowed = [...new Set([...def.matchAll(/['"]([A-Z][A-Z_]+)['"]/g)].map((m) => m[1]))].sort();
      expect({ name, allowed }).toEqual({ name, allowed: values(list) });
    }
  });

  it("the GraphQL enums have exactly the codebook's values and descriptions", async () => {
    const schema = await buildAppSchema();
    const enums: [string, ListName][] = [
      ["OperationCategory", "category"],
      ["ActorType", "actorType"],
      ["AttributionConfidence", "confidence"],
      ["CompanyKind", "companyKind"],
      ["Stance", "stance"],
      ["SourceKind", "sourceKind"],
    ];
    for (const [typeName, list] of enums) {
      const type = schema.getType(typeName);
      if (!isEnumType(type)) throw new Error(`${typeName} is not an enum in the schema`);
      const described = Object.fromEntries(type.getValues().map((value) => [value.name, value.description]));
      expect({ typeName, described }).toEqual({ typeName, described: { ...VOCABULARIES[list] } });
    }
  });

  it("the bundle JSON Schema enums have exactly the codebook's values", () => {
    const d = bundleSchema.definitions as any;
    const enums: [string, unknown, ListName][] = [
      ["company.kind", d.company.properties.kind.enum, "companyKind"],
      ["operation.categories", d.operation.properties.categories.items.enum, "category"],
      ["operation.actorType", d.operation.properties.actorType.enum, "actorType"],
      ["operation.origin.confidence", d.operation.properties.origin.items.properties.confidence.enum, "confidence"],
      ["operation.disclosures.originConfidence", d.operation.properties.disclosures.items.properties.originConfidence.anyOf[0].enum, "confidence"],
      ["statement.stance", d.statement.properties.stance.enum, "stance"],
      ["sourceKind", d.sourceKind.enum, "sourceKind"],
    ];
    for (const [where, listed, list] of enums) expect({ where, listed: [...(listed as string[])].sort() }).toEqual({ where, listed: values(list) });
  });
});
