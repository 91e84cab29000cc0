/**
 * Collects positional parameters while a SQL statement is composed, so values never enter SQL
 * text: `params.add(value)` returns the placeholder (`$3`) to write in its place.
 */
export class SqlParams {
  readonly values: unknown[] = [];

  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/*
 * A batch of one key is written with a scalar parameter, not an array of one. PostgreSQL plans a
 * named statement for its values five times, then keeps a generic plan if that is estimated no
 * dearer; with an array parameter the generic plan assumes an array of unknown length and the
 * custom plan of one key always looks cheaper, so a lookup of one record (the most common request)
 * was planned anew on every execution. With a scalar the two estimates agree and the plan is reused.
 */

/** `= ANY($n::type[])` for many values, `= $n::type` for one: a condition on the expression before it (without `type`, PostgreSQL infers it). */
export function inList(params: SqlParams, values: readonly unknown[], type?: string): string {
  const cast = (suffix: string) => (type ? `::${type}${suffix}` : "");
  return values.length === 1 ? `= ${params.add(values[0])}${cast("")}` : `= ANY(${params.add(values)}${cast("[]")})`;
}

/** The values as a relation `p(parent)`: `unnest($n::type[])`, or one row for one value. */
export function parentRows(params: SqlParams, values: readonly unknown[], type: string): string {
  return values.length === 1 ? `(SELECT ${params.add(values[0])}::${type} AS parent) AS p` : `unnest(${params.add(values)}::${type}[]) AS p(parent)`;
}
