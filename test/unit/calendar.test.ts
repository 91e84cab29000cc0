import { describe, expect, it } from "vitest";
import { MAX_BUCKETS, bucketStart, nextBucket } from "../../src/stats/engine";
import { TimeInterval } from "../../src/stats/stats.enums";

// Buckets are calendar months, quarters (Jan-Mar, Apr-Jun, Jul-Sep, Oct-Dec) and years, in UTC
// dates written YYYY-MM-DD; a bucket is named by its first day. Every expectation below is read off
// a calendar. (The API has no week interval, so there are no ISO weeks to check.)

describe("bucketStart", () => {
  it.each([
    // date, month, quarter, year
    ["2025-01-01", "2025-01-01", "2025-01-01", "2025-01-01"],
    ["2025-01-31", "2025-01-01", "2025-01-01", "2025-01-01"],
    ["2025-02-28", "2025-02-01", "2025-01-01", "2025-01-01"],
    ["2024-02-29", "2024-02-01", "2024-01-01", "2024-01-01"],
    ["2025-03-31", "2025-03-01", "2025-01-01", "2025-01-01"],
    ["2025-04-01", "2025-04-01", "2025-04-01", "2025-01-01"],
    ["2025-06-30", "2025-06-01", "2025-04-01", "2025-01-01"],
    ["2025-07-01", "2025-07-01", "2025-07-01", "2025-01-01"],
    ["2025-09-30", "2025-09-01", "2025-07-01", "2025-01-01"],
    ["2025-10-01", "2025-10-01", "2025-10-01", "2025-01-01"],
    ["2025-11-15", "2025-11-01", "2025-10-01", "2025-01-01"],
    ["2025-12-31", "2025-12-01", "2025-10-01", "2025-01-01"],
    ["0999-05-17", "0999-05-01", "0999-04-01", "0999-01-01"],
  ])("puts %s in month %s, quarter %s, year %s", (date, month, quarter, year) => {
    expect(bucketStart(date, TimeInterval.MONTH)).toBe(month);
    expect(bucketStart(date, TimeInterval.QUARTER)).toBe(quarter);
    expect(bucketStart(date, TimeInterval.YEAR)).toBe(year);
  });

  it("puts New Year's Eve and New Year's Day in different buckets of every interval", () => {
    for (const interval of [TimeInterval.MONTH, TimeInterval.QUARTER, TimeInterval.YEAR]) {
      expect(bucketStart("2024-12-31", interval)).not.toBe(bucketStart("2025-01-01", interval));
    }
    expect(bucketStart("2024-12-31", TimeInterval.QUARTER)).toBe("2024-10-01");
    expect(bucketStart("2025-01-01", TimeInterval.QUARTER)).toBe("2025-01-01");
  });
});

describe("nextBucket", () => {
  it.each([
    ["2025-01-01", TimeInterval.MONTH, "2025-02-01"],
    ["2025-11-01", TimeInterval.MONTH, "2025-12-01"],
    ["2025-12-01", TimeInterval.MONTH, "2026-01-01"],
    ["2025-01-01", TimeInterval.QUARTER, "2025-04-01"],
    ["2025-07-01", TimeInterval.QUARTER, "2025-10-01"],
    ["2025-10-01", TimeInterval.QUARTER, "2026-01-01"],
    ["2025-01-01", TimeInterval.YEAR, "2026-01-01"],
    ["1999-01-01", TimeInterval.YEAR, "2000-01-01"],
    ["0999-12-01", TimeInterval.MONTH, "1000-01-01"],
  ])("after %s by %s comes %s", (start, interval, next) => {
    expect(nextBucket(start, interval)).toBe(next);
  });

  it("walks a year in 12 months, 4 quarters or 1 year, each step the start of its own bucket", () => {
    const steps = (interval: TimeInterval) => {
      const starts: string[] = [];
      for (let start = "2024-01-01"; start < "2025-01-01"; start = nextBucket(start, interval)) starts.push(start);
      return starts;
    };
    expect(steps(TimeInterval.MONTH)).toEqual([
      "2024-01-01",
      "2024-02-01",
      "2024-03-01",
      "2024-04-01",
      "2024-05-01",
      "2024-06-01",
      "2024-07-01",
      "2024-08-01",
      "2024-09-01",
      "2024-10-01",
      "2024-11-01",
      "2024-12-01",
    ]);
    expect(steps(TimeInterval.QUARTER)).toEqual(["2024-01-01", "2024-04-01", "2024-07-01", "2024-10-01"]);
    expect(steps(TimeInterval.YEAR)).toEqual(["2024-01-01"]);
  });
});

describe("MAX_BUCKETS", () => {
  it("is 100 years of months, as the API documents", () => {
    expect(MAX_BUCKETS).toBe(100 * 12);
  });
});
