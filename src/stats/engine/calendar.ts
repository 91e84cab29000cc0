import { TimeInterval } from "../stats.enums";

export const UNIT: Record<TimeInterval, string> = { MONTH: "month", QUARTER: "quarter", YEAR: "year" };
export const MONTHS: Record<TimeInterval, number> = { MONTH: 1, QUARTER: 3, YEAR: 12 };
/** The most buckets one series may have (100 years of months). */
export const MAX_BUCKETS = 1200;

/** First day of the calendar bucket holding a date (UTC, no time). */
export function bucketStart(date: string, interval: TimeInterval): string {
  const month = Number(date.slice(5, 7));
  const first = Math.floor((month - 1) / MONTHS[interval]) * MONTHS[interval] + 1;
  return `${date.slice(0, 4)}-${String(first).padStart(2, "0")}-01`;
}

/** First day of the next bucket. */
export function nextBucket(start: string, interval: TimeInterval): string {
  const months = Number(start.slice(0, 4)) * 12 + Number(start.slice(5, 7)) - 1 + MONTHS[interval];
  return `${String(Math.floor(months / 12)).padStart(4, "0")}-${String((months % 12) + 1).padStart(2, "0")}-01`;
}

/** Whole calendar months from one date's month to another's. */
export const monthsBetween = (from: string, to: string) =>
  Number(to.slice(0, 4)) * 12 + Number(to.slice(5, 7)) - (Number(from.slice(0, 4)) * 12 + Number(from.slice(5, 7)));
