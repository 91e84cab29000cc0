import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { getMetadataStorage } from "type-graphql";
import { buildSchema as parseSdl, isInputObjectType } from "graphql";
import { operation } from "../../src/common/records/operation";
import { field } from "../../src/common/records/declare";
import { bundleDefinition, exportColumns, listFields } from "../../src/common/records/derive";
import { recordInput } from "../../src/common/records/graphql";
import { OPERATION_COLUMNS } from "../../src/export/columns";
import { bundleFromDocuments } from "../../src/import";
import { checkBundle } from "../../src/import/checks";

/** The operation declaration with one more list field stored in an edge table, as adding one would make it. */
const withLanguages = {
  ...operation,
  fields: {
    ...operation.fields,
    languages: field<string[]>({
      edge: "operation_language (with position)",
      stored: "ARRAY(SELECT x.language FROM operation_language x WHERE x.operation_id = t.id ORDER BY x.position)",
      nullable: false,
      list: { ordered: false, distinct: true },
      schema: { type: "array", items: { type: "string", pattern: "^[a-z]{2}$" } },
      bundle: { description: "Languages of its content (ISO 639-1).", examples: [["ru", "de"]] },
      input: "ISO 639-1 codes.",
      export: [
        {
          name: "languages",
          sql: "ARRAY(SELECT x.language FROM operation_language x WHERE x.operation_id = e.id ORDER BY x.position)",
          group: "language",
          description: "Languages of its content.",
        },
      ],
    }),
  },
};

const committed = (file: string) => fs.readFileSync(path.join(__dirname, "../..", file), "utf8");

describe("the operation declaration", () => {
  it("a new field reaches the bundle schema, the export columns and the curation input", () => {
    expect((bundleDefinition(withLanguages).properties as Record<string, unknown>).languages).toEqual({
      type: "array",
      items: { type: "string", pattern: "^[a-z]{2}$" },
      description: "Languages of its content (ISO 639-1).",
      examples: [["ru", "de"]],
    });
    // Not named in exportOrder: its columns follow the ordered ones.
    expect(exportColumns(withLanguages).at(-1)?.name).toBe("languages");
    expect(listFields(withLanguages)).toContain("languages");

    const Probe = recordInput(
      "OperationLanguagesProbeInput",
      "A probe.",
      withLanguages,
      // The GraphQL types of list and enum fields are the input's to name; strings serve here.
      { ...Object.fromEntries(listFields(withLanguages).map((name) => [name, () => [String]])), actorType: () => String },
      { keep: "Keep.", list: "Add." },
    );
    const fields = getMetadataStorage().fields.filter((f) => f.target === Probe);
    const languages = fields.find((f) => f.name === "languages");
    expect(languages?.description).toBe("ISO 639-1 codes. Add.");
    expect(languages?.typeOptions.nullable).toBe(true);
    // The disclosures are curated on their own; every other field is in the input.
    expect(fields.map((f) => f.name).sort()).toEqual([...Object.keys(withLanguages.fields).filter((name) => name !== "disclosures"), "replaceLists"].sort());
  });

  it("a list's declared no-repeat rule is checked on import", () => {
    const bundle = bundleFromDocuments("t", [{ file: "a.json", value: { operations: [{ key: "x", targets: ["RU", "RU"] }] } }]);
    const known = {
      companies: new Set<string>(),
      reports: new Set<string>(),
      operations: new Set(["x"]),
      statements: new Set<string>(),
      countries: new Set(["RU"]),
    };
    expect(checkBundle(bundle, known)).toEqual([{ file: "a.json", path: "operations[0].targets[1]", message: '"RU" is listed twice' }]);
  });

  it("is what the committed surfaces show: bundle schema properties, export columns, OperationInput fields", () => {
    const schema = JSON.parse(committed("src/import/bundle.schema.json"));
    expect(Object.keys(schema.definitions.operation.properties)).toEqual(Object.keys(operation.fields));
    const declared = exportColumns(operation).map((c) => c.name);
    expect(OPERATION_COLUMNS.map((c) => c.name)).toEqual([...declared, "sources", "source_kinds"]);
    const input = parseSdl(committed("schema.graphql")).getType("OperationInput");
    expect(isInputObjectType(input)).toBe(true);
    const names = Object.keys(isInputObjectType(input) ? input.getFields() : {}).sort();
    expect(names).toEqual(
      [...Object.keys(operation.fields).filter((name) => operation.fields[name as keyof typeof operation.fields].notInInput !== true), "replaceLists"].sort(),
    );
  });
});
