import { describe, expect, it } from "vitest";
import { getMetadataStorage } from "type-graphql";
import { statement } from "../../src/common/records/statement";
import { field } from "../../src/common/records/declare";
import { bundleDefinition, defaults, exportColumns, optionalFields, storedSelect, writeColumns } from "../../src/common/records/derive";
import { declareInputFields } from "../../src/common/records/graphql";

/** The statement declaration with one more field, as adding a column would make it. */
const withTopic = {
  ...statement,
  fields: {
    ...statement.fields,
    topic: field<string | null>({
      column: "topic",
      nullable: true,
      schema: { anyOf: [{ $ref: "#/definitions/text" }, { type: "null" }] },
      bundle: { description: "What the statement is about, in a word.", examples: ["elections"] },
      graphql: "What the statement is about.",
      input: "A word for what it is about, or null.",
      export: [{ name: "topic", sql: "e.topic", description: "What the statement is about." }],
    }),
  },
};

/** The curation input's fields, as type-graphql records them for `target`. */
function inputFields(decl: typeof withTopic | typeof statement): { name: string; nullable: unknown; description?: string }[] {
  class Probe {}
  declareInputFields(
    Probe.prototype,
    decl,
    { stance: () => String, reportKeys: () => [String], operationKeys: () => [String] },
    { keep: "KEEP", list: "LIST" },
  );
  return getMetadataStorage()
    .fields.filter((f) => f.target === Probe)
    .map((f) => ({ name: f.name, nullable: f.typeOptions.nullable, description: f.description }));
}

describe("the statement declaration", () => {
  it("lists the export columns in the statements table's order: the quote second, what it is about last", () => {
    expect(exportColumns(statement).map((c) => c.name)).toEqual([
      "key",
      "quote",
      "speaker",
      "speaker_role",
      "organization_key",
      "organization_name",
      "country_code",
      "country_name",
      "said_on",
      "stance",
      "source_url",
      "source_kind",
      "report_keys",
      "operation_keys",
    ]);
  });

  it("offers every bundle field but the source kind in the curation input, in bundle order", () => {
    expect(inputFields(statement).map((f) => f.name)).toEqual([
      "key",
      "speaker",
      "speakerRole",
      "organization",
      "country",
      "saidOn",
      "quote",
      "stance",
      "reportKeys",
      "operationKeys",
      "sourceUrl",
    ]);
  });

  it("carries a new field to the bundle schema, the import, the export columns and the curation input", () => {
    expect((bundleDefinition(withTopic).properties as Record<string, unknown>).topic).toEqual({
      anyOf: [{ $ref: "#/definitions/text" }, { type: "null" }],
      description: "What the statement is about, in a word.",
      examples: ["elections"],
    });
    expect(Object.keys(bundleDefinition(withTopic).properties as object).at(-1)).toBe("topic");
    expect(writeColumns(withTopic).at(-1)).toEqual(["topic", "topic"]);
    expect(storedSelect(withTopic)).toMatch(/t\.source_kind AS "sourceKind", t\.topic$/);
    expect(defaults(withTopic)).toMatchObject({ topic: null });
    expect(optionalFields(withTopic)).toContain("topic");
    // Fields outside the export order follow it, so a new column comes last in the table.
    expect(exportColumns(withTopic).at(-1)).toEqual({ name: "topic", sql: "e.topic", description: "What the statement is about." });
    expect(exportColumns(withTopic).at(-2)?.name).toBe("operation_keys");
    expect(inputFields(withTopic).at(-1)).toEqual({ name: "topic", nullable: true, description: "A word for what it is about, or null. KEEP" });
  });

  it("gives the import-classified source kind no default and never counts it empty", () => {
    expect(defaults(statement)).not.toHaveProperty("sourceKind");
    expect(optionalFields(statement)).not.toContain("sourceKind");
  });
});
