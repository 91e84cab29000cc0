import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { report } from "../../src/common/records/report";
import { stixProperties, stixSelect } from "../../src/export/stix/stix-properties";
import { STIX_RECORDS, renderStixMapping } from "../../src/export/stix/stix-mapping";

/**
 * The STIX export reads and writes what the record declarations say: a field given a STIX property
 * is selected, written and documented with no other change.
 */
describe("STIX properties from record declarations", () => {
  const withNewField = {
    ...report,
    fields: {
      ...report.fields,
      language: { column: "language", nullable: true, schema: { $ref: "#/definitions/text" }, stix: { property: "lang" } },
      firstSeenOn: {
        column: "first_seen_on",
        nullable: true,
        schema: { $ref: "#/definitions/nullableDate" },
        stix: { property: "x_first_seen", as: "timestamp" as const },
      },
    },
  };

  it("selects a field given a STIX property, dates as text", () => {
    const select = stixSelect(withNewField, "r");
    expect(select).toContain(`r.language AS "language"`);
    expect(select).toContain(`r.first_seen_on::text AS "firstSeenOn"`);
    expect(select).toContain(`r.title AS "title"`);
    // A field with a note only is the builder's: not selected for a property.
    expect(select).not.toContain(`"url"`);
  });

  it("writes it, converted as declared, and leaves empty values out", () => {
    const row = { title: "T", summary: "S", publishedOn: "2025-06-05", language: "en", firstSeenOn: "2025-01-02", url: "https://example.org/" };
    expect(stixProperties(withNewField, row)).toEqual({
      name: "T",
      published: "2025-06-05T00:00:00.000Z",
      description: "S",
      lang: "en",
      x_first_seen: "2025-01-02T00:00:00.000Z",
    });
    expect(stixProperties(withNewField, { ...row, language: null, firstSeenOn: null })).not.toHaveProperty("lang");
  });

  it("adds every field mapped onto labels to one list, in declaration order", () => {
    const decl = { fields: { kind: { stix: { property: "labels", as: "labels" as const } }, tags: { stix: { property: "labels", as: "labels" as const } } } };
    expect(stixProperties(decl, { kind: "AI_PROVIDER", tags: ["SOCIAL_PLATFORM", "X"] })).toEqual({ labels: ["ai-provider", "social-platform", "x"] });
  });

  it("documents it in docs/stix-mapping.md, which is what the declarations say", () => {
    expect(renderStixMapping([["Report", withNewField]])).toContain("| `firstSeenOn` | `x_first_seen` | a STIX timestamp (midnight UTC) |");
    expect(fs.readFileSync("docs/stix-mapping.md", "utf8")).toBe(renderStixMapping());
    for (const [name, decl] of STIX_RECORDS) expect(decl.stix, name).toBeDefined();
  });
});
