import { BadUserInputError } from "./errors";

/** The distinct values of a filter field, or undefined where it is omitted or empty and so does not filter. */
export function distinct<T>(values: readonly T[] | null | undefined): T[] | undefined {
  return values && values.length > 0 ? [...new Set(values)] : undefined;
}

/**
 * Refuses a filter whose date range ends before it starts (`from` and `to` name its two fields),
 * as a BAD_USER_INPUT error naming the filter at `path`; dates compare as ISO text.
 */
export function checkDateRange<F extends object>(filter: F, from: keyof F & string, to: keyof F & string, path: string): void {
  const start = filter[from];
  const end = filter[to];
  if (start && end && start > end) throw new BadUserInputError(`${path}: ${from} (${String(start)}) is after ${to} (${String(end)})`, path);
}
