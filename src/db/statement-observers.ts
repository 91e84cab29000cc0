import type { Pool } from "pg";

/** Who is told each statement's text, per pool: tests that keep the SQL a query runs (none in service). */
const observers = new WeakMap<Pool, (text: string) => void>();

/** Tells `observer` the text of every statement a RequestDb sends through `pool` (as sent: parameters stay placeholders). */
export function observeStatements(pool: Pool, observer: (text: string) => void): void {
  observers.set(pool, observer);
}

/** The observer of `pool`'s statements, if a test set one. */
export function statementObserver(pool: Pool): ((text: string) => void) | undefined {
  return observers.get(pool);
}
