import type { SqlParams } from "../../db/sql";
import { BadUserInputError } from "../../common/errors";

/**
 * A time as ISO text, refused with BAD_USER_INPUT naming `argument` outside years 1 to 9999: the
 * DateTime scalar reads year 0 and six-digit years, which PostgreSQL's timestamptz refuses or
 * reads otherwise.
 */
export function checkedIso(value: Date, argument: string): string {
  const year = value.getUTCFullYear();
  if (year < 1 || year > 9999) {
    throw new BadUserInputError(`${argument}: ${JSON.stringify(value.toISOString())} is out of range; give a time from year 0001 to 9999`, argument);
  }
  return value.toISOString();
}

/** The filter value as ISO text (stable in batching keys), or undefined when not given; out-of-range years are BAD_USER_INPUT. */
export function updatedSinceIso(value: Date | null | undefined): string | undefined {
  return value ? checkedIso(value, "filter.updatedSince") : undefined;
}

/** `alias.updated_at >= $n`, or nothing. */
export function updatedSinceSql(iso: string | undefined, params: SqlParams, alias = "e"): string[] {
  return iso ? [`${alias}.updated_at >= ${params.add(iso)}::timestamptz`] : [];
}
