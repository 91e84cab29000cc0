import { describe, expect, it } from "vitest";
import { buildSchema } from "graphql";
import { parseFilter } from "../../src/export/params";
import { ParameterError } from "../../src/common/error-answer";

// The one reader of filters from query strings, used by the CSV/NDJSON exports and the STIX bundle.
const schema = buildSchema(`
  enum Category { SCAM INFLUENCE }
  input Filter { category: [Category!], originCountry: [String!], breakoutScaleMin: Int }
  type Query { ok(filter: Filter): Boolean }
`);

const parse = (query: string, options?: { json?: boolean }) => parseFilter(schema, "Filter", new URLSearchParams(query), new Set(["fields"]), options);

/** The ParameterError a query string gives, as its parameter and message. */
function refusal(query: string, options?: { json?: boolean }): { parameter: string; message: string } {
  try {
    parse(query, options);
  } catch (error) {
    expect(error).toBeInstanceOf(ParameterError);
    return { parameter: (error as ParameterError).parameter, message: (error as Error).message };
  }
  throw new Error(`${query} was accepted`);
}

describe("parseFilter", () => {
  it("reads one parameter per field, lists repeated or comma-separated, and says where each came from", () => {
    expect(parse("category=SCAM,INFLUENCE&originCountry=CN&originCountry=RU&breakoutScaleMin=3&fields=key")).toEqual({
      filter: { category: ["SCAM", "INFLUENCE"], originCountry: ["CN", "RU"], breakoutScaleMin: 3 },
      origin: { category: "category", originCountry: "originCountry", breakoutScaleMin: "breakoutScaleMin" },
    });
    expect(parse("")).toEqual({ filter: null, origin: {} });
  });

  it("reads ?filter=<json> unless told not to, when filter is an unknown parameter like any other", () => {
    expect(parse(`filter=${encodeURIComponent('{"category":["SCAM"]}')}`)).toEqual({ filter: { category: ["SCAM"] }, origin: { category: "filter" } });
    const refused = refusal("filter=%7B%7D", { json: false });
    expect(refused.parameter).toBe("filter");
    expect(refused.message).toMatch(/^Unknown parameter "filter": filter fields are category, originCountry, breakoutScaleMin; other parameters are fields$/);
  });

  it("names the parameter of a bad value, leads the message with it and lists an enum's values", () => {
    const refused = refusal("category=NOT_ONE");
    expect(refused.parameter).toBe("category");
    expect(refused.message.startsWith("category: ")).toBe(true);
    expect(refused.message).toMatch(/allowed: SCAM, INFLUENCE$/);
    expect(refusal("breakoutScaleMin=high").parameter).toBe("breakoutScaleMin");
    expect(refusal("breakoutScaleMin=1&breakoutScaleMin=2").parameter).toBe("breakoutScaleMin");
    expect(refusal(`filter=${encodeURIComponent('{"category":["NOT_ONE"]}')}`).parameter).toBe("filter.category.0");
  });
});
