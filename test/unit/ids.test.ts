import { describe, expect, it } from "vitest";
import { fromGlobalId, toGlobalId } from "../../src/common/global-id";
import { isIsoDate } from "../../src/common/scalars";
import { OrderDirection } from "../../src/common/connection";
import { pageRequest } from "../../src/common/cursor";

describe("global IDs", () => {
  it("round-trip and stay opaque", () => {
    const id = toGlobalId("Operation", "sneer-review");
    expect(id).not.toContain("sneer");
    expect(fromGlobalId(id)).toEqual({ type: "Operation", key: "sneer-review" });
  });

  it("refuse unknown types and garbage, naming the argument", () => {
    expect(() => fromGlobalId(Buffer.from("User:1").toString("base64url"), "ids[2]")).toThrow(/^ids\[2\]: .* is not a valid global ID$/);
    expect(() => fromGlobalId("")).toThrow(/not a valid global ID/);
  });
});

describe("dates", () => {
  it("accept real calendar dates only", () => {
    expect(isIsoDate("2024-02-29")).toBe(true);
    expect(isIsoDate("2025-02-29")).toBe(false);
    expect(isIsoDate("2025-13-01")).toBe(false);
    expect(isIsoDate("2025-1-01")).toBe(false);
  });
});

describe("page requests", () => {
  const sort = { field: "NAME", expr: "e.name", type: "text" as const };
  it("default to the first 20 and cap at 100", () => {
    expect(pageRequest({}, "Operation", sort, OrderDirection.ASC, "int")).toMatchObject({ mode: "first", limit: 20 });
    expect(pageRequest({ last: 100 }, "Operation", sort, OrderDirection.ASC, "int")).toMatchObject({ mode: "last", limit: 100 });
    expect(() => pageRequest({ first: 101 }, "Operation", sort, OrderDirection.ASC, "int")).toThrow(/capped at 100/);
  });
});
