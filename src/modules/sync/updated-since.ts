import type { SqlParams } from "../../db/sql";

/** Description of the `updatedSince` filter field, the same on every list filter. */
export const UPDATED_SINCE = (records: string) =>
  `Only ${records} created or changed (the record or its edges) at or after this time (UTC); for incremental sync, pass the \`syncWatermark\` read before the previous sync.`;

/** The filter value as ISO text (stable in batching keys), or undefined when not given. */
export function updatedSinceIso(value: Date | null | undefined): string | undefined {
  return value ? value.toISOString() : undefined;
}

/** `alias.updated_at >= $n`, or nothing. */
export function updatedSinceSql(iso: string | undefined, params: SqlParams, alias = "e"): string[] {
  return iso ? [`${alias}.updated_at >= ${params.add(iso)}::timestamptz`] : [];
}
