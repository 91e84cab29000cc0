import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { bundleFromDocuments } from "../../src/import";

const schema = JSON.parse(fs.readFileSync(path.join(__dirname, "../../src/import/bundle.schema.json"), "utf8"));

/** Every property schema and every enum in the bundle schema, with its place, found by walking the JSON. */
function walk(node: any, at: string, visit: (node: any, at: string, isProperty: boolean) => void, isProperty = false): void {
  if (!node || typeof node !== "object") return;
  visit(node, at, isProperty);
  for (const [name, child] of Object.entries(node.properties ?? {})) walk(child, `${at}.${name}`, visit, true);
  for (const [name, child] of Object.entries(node.definitions ?? {})) walk(child, `#/definitions/${name}`, visit);
  if (node.items) walk(node.items, `${at}[]`, visit);
  (node.anyOf ?? []).forEach((child: any, i: number) => walk(child, `${at}|${i}`, visit));
}

describe("the bundle JSON Schema, as editors see it", () => {
  it("describes every field with a description and examples, and every enum value", () => {
    const missing: string[] = [];
    walk(schema, "", (node, at, isProperty) => {
      if (isProperty && !node.description) missing.push(`${at}: description`);
      if (isProperty && !Array.isArray(node.examples)) missing.push(`${at}: examples`);
      if (node.enum && (node.enumDescriptions?.length !== node.enum.length || node.enumDescriptions.some((d: unknown) => typeof d !== "string" || !d))) {
        missing.push(`${at}: enumDescriptions`);
      }
    });
    expect(missing).toEqual([]);
  });

  it("is the importer's schema: a document with a top-level $schema is accepted, an unknown top-level field is not", () => {
    const ok = bundleFromDocuments("t", [{ file: "a.json", value: { $schema: "./../src/import/bundle.schema.json", batch: "x", companies: [] } }]);
    expect(ok.problems).toEqual([]);
    const typo = bundleFromDocuments("t", [{ file: "a.json", value: { batch: "x", compnies: [] } }]);
    expect(typo.problems).toEqual([{ file: "a.json", path: "", message: 'unknown field "compnies"', hint: "did you mean companies?" }]);
  });
});
