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
