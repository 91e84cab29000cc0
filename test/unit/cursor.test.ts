import { describe, expect, it } from "vitest";
import { GraphQLError } from "graphql";
import { OrderDirection } from "../../src/common/connection";
import { decodeCursor, encodeCursor, pageRequest } from "../../src/common/cursor";
import type { SortKey } from "../../src/common/cursor";

// A cursor is the base64url (unpadded) text of the JSON {t: node type, f: ordering field,
// s: sort value, i: id}. The encoded strings below were written by hand from that rule
// (base64url of the JSON text), not produced by the codec.
const BY_NAME: SortKey = { field: "NAME", expr: "e.name", type: "text" };
const BY_FIRST_DISCLOSED: SortKey = { field: "FIRST_DISCLOSED", expr: "e.first_disclosed_on", type: "date" };
const BY_PUBLISHED_ON: SortKey = { field: "PUBLISHED_ON", expr: "e.published_on", type: "date" };

// {"t":"Operation","f":"NAME","s":"Doppelganger","i":42}
const OPERATION_BY_NAME = "eyJ0IjoiT3BlcmF0aW9uIiwiZiI6Ik5BTUUiLCJzIjoiRG9wcGVsZ2FuZ2VyIiwiaSI6NDJ9";
// {"t":"Operation","f":"FIRST_DISCLOSED","s":"2025-02-21","i":42}
const OPERATION_BY_FIRST_DISCLOSED = "eyJ0IjoiT3BlcmF0aW9uIiwiZiI6IkZJUlNUX0RJU0NMT1NFRCIsInMiOiIyMDI1LTAyLTIxIiwiaSI6NDJ9";
// {"t":"Report","f":"PUBLISHED_ON","s":"2025-02-21","i":7}
const REPORT_BY_PUBLISHED_ON = "eyJ0IjoiUmVwb3J0IiwiZiI6IlBVQkxJU0hFRF9PTiIsInMiOiIyMDI1LTAyLTIxIiwiaSI6N30";

/** The error decodeCursor throws for `raw`, to check its code and message together. */
function refusal(raw: string, type: string, sort: SortKey, idType: "int" | "bpchar" = "int", argument = "after"): GraphQLError {
  try {
    decodeCursor(raw, argument, type, sort, idType);
  } catch (error) {
    return error as GraphQLError;
  }
  throw new Error(`the cursor ${raw} was accepted`);
}

const NOT_A_CURSOR = /^after: not a valid cursor; use a cursor this list returned$/;

describe("encodeCursor", () => {
  it("writes the base64url text of the payload's JSON, without padding", () => {
    expect(encodeCursor({ t: "Operation", f: "NAME", s: "Doppelganger", i: 42 })).toBe(OPERATION_BY_NAME);
    expect(encodeCursor({ t: "Report", f: "PUBLISHED_ON", s: "2025-02-21", i: 7 })).toBe(REPORT_BY_PUBLISHED_ON);
  });
});

describe("decodeCursor", () => {
  it("reads back what a list handed out", () => {
    expect(decodeCursor(OPERATION_BY_NAME, "after", "Operation", BY_NAME, "int")).toEqual({ t: "Operation", f: "NAME", s: "Doppelganger", i: 42 });
    expect(decodeCursor(REPORT_BY_PUBLISHED_ON, "before", "Report", BY_PUBLISHED_ON, "int")).toEqual({ t: "Report", f: "PUBLISHED_ON", s: "2025-02-21", i: 7 });
  });

  it("round-trips values with characters outside ASCII", () => {
    for (const s of ["Ночной дозор", "Spamouflage 🐼", "", 'a"b\\c']) {
      const payload = { t: "Operation", f: "NAME", s, i: 1 };
      expect(decodeCursor(encodeCursor(payload), "after", "Operation", BY_NAME, "int")).toEqual(payload);
    }
  });

  it("refuses a cursor of another ordering of the same list, naming both", () => {
    const error = refusal(OPERATION_BY_FIRST_DISCLOSED, "Operation", BY_NAME);
    expect(error.extensions.code).toBe("BAD_USER_INPUT");
    expect(error.message).toBe("after: this cursor belongs to another list or ordering (Operation by FIRST_DISCLOSED); this list is Operation by NAME");
    expect(refusal(OPERATION_BY_NAME, "Operation", BY_FIRST_DISCLOSED).message).toMatch(/\(Operation by NAME\); this list is Operation by FIRST_DISCLOSED$/);
  });

  it("refuses a cursor of another list, even when its ordering has the same name", () => {
    // Report by PUBLISHED_ON handed to an Operation list sorted by a field also called PUBLISHED_ON.
    const error = refusal(REPORT_BY_PUBLISHED_ON, "Operation", BY_PUBLISHED_ON);
    expect(error.extensions.code).toBe("BAD_USER_INPUT");
    expect(error.message).toMatch(/belongs to another list or ordering \(Report by PUBLISHED_ON\); this list is Operation by PUBLISHED_ON/);
  });

  it.each([
    ["not base64url at all", "not a cursor!"],
    ["base64 with padding", `${OPERATION_BY_NAME}=`],
    ["base64url of text that is not JSON", "aGVsbG8"], // "hello"
    ["base64url of a JSON array", "WzEsMl0"], // [1,2]
    ["the empty string", ""],
    ["a cursor longer than 2000 characters", "A".repeat(2001)],
    ["a truncated cursor", OPERATION_BY_NAME.slice(0, 30)],
  ])("refuses %s with BAD_USER_INPUT", (_name, raw) => {
    const error = refusal(raw, "Operation", BY_NAME);
    expect(error.extensions.code).toBe("BAD_USER_INPUT");
    expect(error.message).toMatch(NOT_A_CURSOR);
  });

  it.each([
    // Each forged by hand: the right list and ordering, a value that does not fit its SQL type.
    ["an id beyond int4 (2147483648)", "eyJ0IjoiT3BlcmF0aW9uIiwiZiI6Ik5BTUUiLCJzIjoieCIsImkiOjIxNDc0ODM2NDh9", "Operation", BY_NAME, "int"],
    ["a NUL in a text sort value", "eyJ0IjoiT3BlcmF0aW9uIiwiZiI6Ik5BTUUiLCJzIjoiYVx1MDAwMGIiLCJpIjoxfQ", "Operation", BY_NAME, "int"],
    ["a lone surrogate in a text sort value", "eyJ0IjoiT3BlcmF0aW9uIiwiZiI6Ik5BTUUiLCJzIjoiYVx1ZDgwMGIiLCJpIjoxfQ", "Operation", BY_NAME, "int"],
    [
      "a date that is not in the calendar (2025-02-30)",
      "eyJ0IjoiUmVwb3J0IiwiZiI6IlBVQkxJU0hFRF9PTiIsInMiOiIyMDI1LTAyLTMwIiwiaSI6N30",
      "Report",
      BY_PUBLISHED_ON,
      "int",
    ],
    ["a lower-case country code as id", "eyJ0IjoiQ291bnRyeSIsImYiOiJOQU1FIiwicyI6IkZyYW5jZSIsImkiOiJmciJ9", "Country", BY_NAME, "bpchar"],
  ] as const)("refuses a forged cursor with %s", (_name, raw, type, sort, idType) => {
    const error = refusal(raw, type, sort, idType);
    expect(error.extensions.code).toBe("BAD_USER_INPUT");
    expect(error.message).toMatch(NOT_A_CURSOR);
  });

  it("accepts the same hand-made cursor when its values fit (cursors are checked, not signed)", () => {
    // {"t":"Country","f":"NAME","s":"France","i":"FR"}
    expect(decodeCursor("eyJ0IjoiQ291bnRyeSIsImYiOiJOQU1FIiwicyI6IkZyYW5jZSIsImkiOiJGUiJ9", "after", "Country", BY_NAME, "bpchar")).toEqual({
      t: "Country",
      f: "NAME",
      s: "France",
      i: "FR",
    });
  });

  it("names the argument the cursor came in", () => {
    expect(refusal("garbage!", "Operation", BY_NAME, "int", "before").message).toMatch(/^before: /);
  });
});

describe("pageRequest", () => {
  const request = (args: Record<string, unknown>) => pageRequest(args, "Operation", BY_NAME, OrderDirection.ASC, "int");

  it("defaults to the first 20 and takes first or last from 0 to 100", () => {
    expect(request({})).toMatchObject({ mode: "first", limit: 20, after: null, before: null });
    expect(request({ first: 0 })).toMatchObject({ mode: "first", limit: 0 });
    expect(request({ first: 100 })).toMatchObject({ mode: "first", limit: 100 });
    expect(request({ last: 5, before: OPERATION_BY_NAME })).toMatchObject({ mode: "last", limit: 5, before: { s: "Doppelganger", i: 42 } });
  });

  it.each([
    [{ first: 101 }, "first must be between 0 and 100 (got 101); the page size is capped at 100"],
    [{ last: -1 }, "last must be between 0 and 100 (got -1); the page size is capped at 100"],
    [{ first: 1, last: 1 }, "pass either first or last, not both"],
    [
      { first: 1, after: OPERATION_BY_FIRST_DISCLOSED },
      "after: this cursor belongs to another list or ordering (Operation by FIRST_DISCLOSED); this list is Operation by NAME",
    ],
  ])("refuses %j", (args, message) => {
    expect(() => request(args)).toThrow(message);
  });
});
