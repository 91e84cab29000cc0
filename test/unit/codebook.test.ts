import "reflect-metadata";
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildSchema } from "graphql";
import { buildAppSchema } from "../../src/schema";
import { readBundle } from "../../src/import";
import { renderCodebook } from "../../src/codebook/codebook";

const ROOT = path.resolve(__dirname, "../..");
const codebook = fs.readFileSync(path.join(ROOT, "docs/codebook.md"), "utf8");

describe("docs/codebook.md", () => {
  it("is what npm run codebook generates from the schema and data/ (run it and commit)", async () => {
    expect(codebook).toBe(renderCodebook(await buildAppSchema(), await readBundle(path.join(ROOT, "data"))));
  }, 30_000);

  it("gives every value of the committed schema's vocabularies with its description, and the six Breakout Scale levels", () => {
    const schema = buildSchema(fs.readFileSync(path.join(ROOT, "schema.graphql"), "utf8"));
    for (const name of ["OperationCategory", "ActorType", "AttributionConfidence", "CompanyKind", "Stance"]) {
      const type = schema.getType(name) as import("graphql").GraphQLEnumType;
      expect(codebook).toContain(`## ${name}`);
      for (const value of type.getValues()) expect(codebook).toContain(`| \`${value.name}\` | ${value.description} |`);
    }
    for (const role of ["AI_TOOL", "PLATFORM", "OPERATOR"]) expect(codebook).toContain(`| \`${role}\` |`);
    for (let level = 1; level <= 6; level++) expect(codebook).toMatch(new RegExp(`^\\| ${level} \\| [^|]+ \\| [^|]+ \\| [^|]+ \\|$`, "m"));
  });
});
