import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { isAlive, isPostmasterOf, readPidFile, removeStalePidFile, stopPostmaster } from "./postmaster";

/** Where a supervised PostgreSQL is in its life. */
export type PostmasterState = "starting" | "running" | "restarting" | "failed" | "stopping" | "stopped";

export interface SupervisorOptions {
  /** Path of the `postgres` binary. */
  postgres: string;
  dataDir: string;
  /** Extra `postgres` arguments: where to listen (`-p`) and `-c name=value` pairs. */
  flags: string[];
  /** Run as this user and group (PostgreSQL refuses to run as root). */
  ids: { uid?: number; gid?: number };
  log: (message: string) => void;
  /** Consecutive failed restarts before giving up (state "failed"). */
  maxRestartAttempts?: number;
}

/** Delay before the n-th consecutive restart attempt: 0.25 s doubling to at most 8 s. */
const backoffMs = (attempt: number) => Math.min(8000, 250 * 2 ** attempt);
/** A postmaster that stayed up this long has recovered: its next crash starts the backoff over. */
const STABLE_MS = 30_000;

/**
 * Runs one PostgreSQL postmaster as a child process and keeps it running: when it exits without
 * being asked to (killed, crashed, OOM), it is started again after a backoff, at most
 * `maxRestartAttempts` times in a row, and every restart is counted for /healthz. `stop` shuts it
 * down in whatever state it is in (running, starting, waiting to restart, or already gone).
 */
export class PostmasterSupervisor {
  state: PostmasterState = "stopped";
  restarts = 0;
  private child: ChildProcess | null = null;
  private timer: NodeJS.Timeout | null = null;
  private attempts = 0;
  private startedAt = 0;
  private readonly recent: string[] = [];
  private readonly onProcessExit = () => this.child?.kill("SIGINT");

  constructor(private readonly options: SupervisorOptions) {}

  /** Starts the postmaster and resolves once it accepts connections; rejects with its last log lines. */
  async start(): Promise<void> {
    this.state = "starting";
    process.on("exit", this.onProcessExit);
    try {
      await this.spawnOnce();
    } catch (error) {
      this.state = "failed";
      process.removeListener("exit", this.onProcessExit);
      throw error;
    }
  }

  /** The last lines PostgreSQL logged, for error messages. */
  lastLines(count = 5): string {
    return this.recent.join("").trim().split("\n").slice(-count).join("\n");
  }

  private async spawnOnce(): Promise<void> {
    const { postgres, dataDir, flags, ids } = this.options;
    // A lock file left by our own killed postmaster: cleared once its backends are gone.
    const stale = readPidFile(dataDir);
    if (stale && (!isAlive(stale.pid) || !isPostmasterOf(stale.pid, dataDir))) await removeStalePidFile(dataDir, stale, this.options.log);
    if (this.state === "stopping" || this.state === "stopped") throw new Error("PostgreSQL is being stopped");
    const child = spawn(postgres, ["-D", dataDir, ...flags], {
      ...ids,
      stdio: ["ignore", "ignore", "pipe"],
      env: { ...process.env, LC_MESSAGES: "C" },
    });
    this.child = child;
    await new Promise<void>((resolve, reject) => {
      let ready = false;
      child.stderr!.on("data", (chunk: Buffer) => {
        const text = chunk.toString("utf8");
        this.recent.push(text);
        if (this.recent.length > 50) this.recent.shift();
        if (!ready && text.includes("database system is ready to accept connections")) {
          ready = true;
          this.state = "running";
          this.startedAt = Date.now();
          resolve();
        }
      });
      child.on("error", reject);
      child.on("exit", (code, signal) => {
        if (this.child === child) this.child = null;
        if (!ready) {
          reject(new Error(`PostgreSQL exited while starting (${signal ?? `code ${code}`})`));
          return;
        }
        this.exited(code, signal);
      });
    });
  }

  private exited(code: number | null, signal: NodeJS.Signals | null): void {
    if (this.state === "stopping" || this.state === "stopped") return;
    this.options.log(`embedded PostgreSQL exited unexpectedly (${signal ?? `code ${code}`}); restarting it`);
    if (Date.now() - this.startedAt > STABLE_MS) this.attempts = 0;
    this.state = "restarting";
    this.scheduleRestart();
  }

  private scheduleRestart(): void {
    const max = this.options.maxRestartAttempts ?? 8;
    if (this.attempts >= max) {
      this.state = "failed";
      this.options.log(`embedded PostgreSQL: gave up after ${max} failed restarts:\n${this.lastLines()}`);
      return;
    }
    const delay = backoffMs(this.attempts++);
    this.timer = setTimeout(() => {
      this.timer = null;
      if (this.state !== "restarting") return;
      this.spawnOnce().then(
        () => {
          this.restarts++;
          this.options.log(`embedded PostgreSQL: restarted (restart ${this.restarts})`);
        },
        (error: Error) => {
          if (this.state !== "restarting") return;
          this.options.log(`embedded PostgreSQL: restart attempt ${this.attempts} failed: ${error.message}`);
          this.scheduleRestart();
        },
      );
    }, delay);
  }

  /**
   * Fast shutdown (SIGINT), escalating to immediate shutdown and SIGKILL if PostgreSQL hangs;
   * cancels a pending restart. Resolves at once when nothing is running.
   */
  async stop(): Promise<void> {
    if (this.state === "stopped") return;
    this.state = "stopping";
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const child = this.child;
    if (child?.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      await Promise.race([stopPostmaster(child.pid), exited]);
      await exited;
    }
    this.child = null;
    this.state = "stopped";
    process.removeListener("exit", this.onProcessExit);
  }
}
