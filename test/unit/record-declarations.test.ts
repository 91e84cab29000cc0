import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { report } from "../../src/common/records/report";
import { field } from "../../src/common/records/declare";
import {
  bundleDefinition,
  defaults,
  exportColumns,
  listFields,
  optionalFields,
  requiredForNew,
  storedSelect,
  writeColumns,
} from "../../src/common/records/derive";
import { bundleSchema } from "../../src/common/records/bundle-schema";

/** The report declaration with one more scalar field, as adding a column would make it. */
const withLanguage = {
  ...report,
  fields: {
    ...report.fields,
    language: field<string | null>({
      column: "language_code",
      nullable: true,
      schema: { type: ["string", "null"] },
      bundle: { description: "Language of the report.", examples: ["en"] },
      graphql: "Language of the report, where stated.",
      export: [{ name: "language_code", sql: "e.language_code", description: "Language, where stated." }],
    }),
  },
};

describe("what a record declaration derives", () => {
  it("src/import/bundle.schema.json is what the declarations emit (npm run bundle-schema)", () => {
    const committed = JSON.parse(fs.readFileSync(path.join(__dirname, "../../src/import/bundle.schema.json"), "utf8"));
    expect(bundleSchema()).toEqual(committed);
  });

  it("a new scalar field reaches the bundle schema, the import's columns, defaults and checks, and the export", () => {
    expect((bundleDefinition(withLanguage).properties as Record<string, unknown>).language).toEqual({
      type: ["string", "null"],
      description: "Language of the report.",
      examples: ["en"],
    });
    expect(writeColumns(withLanguage).at(-1)).toEqual(["language_code", "language"]);
    expect(storedSelect(withLanguage)).toMatch(/, t\.language_code AS language$/);
    expect(defaults(withLanguage)).toMatchObject({ language: null });
    expect(optionalFields(withLanguage)).toContain("language");
    expect(requiredForNew(withLanguage)).not.toContain("language");
    expect(listFields(withLanguage)).not.toContain("language");
    expect(exportColumns(withLanguage).at(-1)).toEqual({ name: "language_code", sql: "e.language_code", description: "Language, where stated." });
  });

  it("reads the report's stored columns back under their bundle names", () => {
    expect(storedSelect(report)).toBe(
      't.key, t.title, c.key AS publisher, t.published_on AS "publishedOn", t.url, t.period_from AS "periodFrom", t.period_to AS "periodTo", t.summary, t.sources',
    );
  });
});
