import { describe, expect, it } from "vitest";
import { keyField, nullableCountryField, nullableDateField, sourcesField, textField } from "../../src/common/records/fields";
import { optionalFields, requiredForNew } from "../../src/common/records/derive";
import { declareRecord } from "../../src/common/records/declare";

const bundle = { description: "A value.", examples: ["x"] };

/** A record made only of constructed fields, as a new record type would be declared. */
const thing = declareRecord({
  table: "thing",
  description: "A thing.",
  fields: {
    key: keyField({ bundle, graphql: "Key.", input: "Key.", exported: "Slug key of the thing.", stix: { note: "the id" } }),
    title: textField("title", { bundle, graphql: "Title.", exported: "Title." }),
    seenOn: nullableDateField("seen_on", { bundle, exported: "When seen." }),
    hidden: nullableDateField("hidden_on", { bundle, exported: "When hidden.", notBefore: "seenOn" }),
    country: nullableCountryField("country_code", { bundle, exported: "ISO code." }),
    sources: sourcesField(false, { bundle }),
  },
});

describe("record field constructors", () => {
  it("make a new record need its text but not its dates, country or (optional) sources", () => {
    expect(requiredForNew(thing)).toEqual(["title"]);
    expect(optionalFields(thing)).toEqual(["seenOn", "hidden", "country", "sources"]);
  });

  it("export each column under its own name, dates and codes as text", () => {
    expect(thing.fields.key.export).toEqual([{ name: "key", sql: "e.key", description: "Slug key of the thing." }]);
    expect(thing.fields.seenOn.export).toEqual([{ name: "seen_on", sql: "e.seen_on::text", description: "When seen." }]);
    expect(thing.fields.country.export?.map((c) => c.name)).toEqual(["country_code", "country_name"]);
  });

  it("check dates as dates, the second not before the first", () => {
    expect(thing.fields.seenOn.check).toEqual({ date: true });
    expect(thing.fields.hidden.check).toEqual({ date: true, notBefore: "seenOn" });
  });

  it("let sources be empty only where a new record need not give them", () => {
    expect(thing.fields.sources.schema).toEqual({ type: "array", items: { $ref: "#/definitions/source" } });
    expect(sourcesField(true, { bundle }).schema).toEqual({ $ref: "#/definitions/sources" });
  });
});
