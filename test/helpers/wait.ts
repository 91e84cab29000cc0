import { setTimeout as pause } from "node:timers/promises";

export interface WaitOptions {
  /** How long the condition may take to hold before the wait fails. */
  timeoutMs: number;
  /** Pause between two checks. */
  intervalMs?: number;
  /** Names the awaited state in the failure message. */
  what?: string;
}

/**
 * Waits until `condition` holds, checking it again and again up to a bound, so a test waits for a
 * state of the system instead of guessing how long reaching it takes. Resolves with the first
 * value that is neither `undefined` nor `false` (a throwing check counts as "not yet"); rejects,
 * naming `what` and the last error, when the bound passes first.
 */
export async function waitFor<T>(condition: () => T | Promise<T>, options: WaitOptions): Promise<Exclude<T, false | undefined>> {
  const deadline = Date.now() + options.timeoutMs;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await condition();
      if (value !== undefined && value !== false) return value as Exclude<T, false | undefined>;
    } catch (error) {
      lastError = error;
    }
    if (Date.now() >= deadline) {
      const cause = lastError instanceof Error ? `; last error: ${lastError.message}` : "";
      throw new Error(`${options.what ?? "condition"}: not within ${options.timeoutMs} ms${cause}`);
    }
    await pause(options.intervalMs ?? 50);
  }
}
