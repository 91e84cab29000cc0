import fs from "node:fs";
import path from "node:path";

/**
 * What PostgreSQL's lock file (`postmaster.pid`) in a data folder says: the postmaster's process id,
 * its port, where it listens, the shared-memory segment it holds and its status ("starting", "ready", "stopping").
 */
export interface PidFile {
  pid: number;
  port: number;
  /** Folder of its Unix socket (line 5), or "" when it has none. */
  socketDir: string;
  /** The first TCP address it listens on (line 6), or "" when it listens on its socket only. */
  listenAddress: string;
  /** System V shared-memory id of the interlock segment (line 7), or null when absent. */
  shmId: number | null;
  status: string;
}

/** The lock file's path for a data folder. */
export const pidFilePath = (dataDir: string) => path.join(dataDir, "postmaster.pid");

/** Reads `postmaster.pid`, or null when there is none (or it is too short to be a whole one). */
export function readPidFile(dataDir: string): PidFile | null {
  let text: string;
  try {
    text = fs.readFileSync(pidFilePath(dataDir), "utf8");
  } catch {
    return null;
  }
  const lines = text.split("\n");
  const pid = Number(lines[0]);
  if (!Number.isInteger(pid) || pid <= 0) return null;
  const shm = (lines[6] ?? "").trim().split(/\s+/);
  return {
    pid,
    port: Number(lines[3]),
    socketDir: (lines[4] ?? "").trim(),
    listenAddress: (lines[5] ?? "").trim(),
    shmId: shm.length === 2 && /^\d+$/.test(shm[1]) ? Number(shm[1]) : null,
    status: (lines[7] ?? "").trim(),
  };
}

/** Whether a process with this id exists (signal 0 checks without sending anything). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/**
 * Whether `pid` is a postmaster serving `dataDir`: its command line is `.../postgres -D <dataDir>`.
 * A dead postmaster's id can be reused by an unrelated process, which this tells apart. Reads
 * /proc, so on systems without it an alive process counts as ours (the cautious answer: it is
 * stopped rather than its lock file deleted).
 */
export function isPostmasterOf(pid: number, dataDir: string): boolean {
  let argv: string[];
  try {
    argv = fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
  } catch {
    return isAlive(pid) && !fs.existsSync("/proc/self/cmdline");
  }
  const d = argv.indexOf("-D");
  if (path.basename(argv[0] ?? "") !== "postgres" || d < 0 || !argv[d + 1]) return false;
  const real = (p: string) => {
    try {
      return fs.realpathSync(p);
    } catch {
      return path.resolve(p);
    }
  };
  return real(argv[d + 1]) === real(dataDir);
}

/** Processes still attached to a shared-memory segment (Linux /proc/sysvipc/shm), 0 when it is gone. */
export function shmAttachCount(shmId: number): number {
  let text: string;
  try {
    text = fs.readFileSync("/proc/sysvipc/shm", "utf8");
  } catch {
    return 0;
  }
  const [header, ...rows] = text.trim().split("\n");
  const columns = header.trim().split(/\s+/);
  const idAt = columns.indexOf("shmid");
  const nattchAt = columns.indexOf("nattch");
  for (const row of rows) {
    const cells = row.trim().split(/\s+/);
    if (Number(cells[idAt]) === shmId) return Number(cells[nattchAt]);
  }
  return 0;
}

/** Polls `condition` every 100 ms until it holds or `timeoutMs` passes; says which. */
export async function waitFor(condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return true;
}

/**
 * Stops a postmaster that is not our child (an orphan left by a killed service): fast shutdown
 * (SIGINT: roll back open transactions, checkpoint, exit), then immediate shutdown (SIGQUIT) if it
 * has not exited within `graceMs`, then SIGKILL. Resolves once the process is gone.
 */
export async function stopPostmaster(pid: number, graceMs = 30_000): Promise<void> {
  for (const [signal, wait] of [
    ["SIGINT", graceMs],
    ["SIGQUIT", 10_000],
    ["SIGKILL", 5_000],
  ] as const) {
    try {
      process.kill(pid, signal);
    } catch {
      return;
    }
    if (await waitFor(() => !isAlive(pid), wait)) return;
  }
  throw new Error(`PostgreSQL (pid ${pid}) did not exit after SIGINT, SIGQUIT and SIGKILL`);
}

/**
 * Removes a lock file whose postmaster is gone, but only once no process (such as a backend of the
 * dead postmaster) is attached to its shared memory any more: starting a second postmaster over
 * live backends is how clusters get corrupted, which is why PostgreSQL keeps the file.
 */
export async function removeStalePidFile(dataDir: string, pidFile: PidFile, log: (message: string) => void): Promise<void> {
  if (pidFile.shmId !== null && !(await waitFor(() => shmAttachCount(pidFile.shmId!) === 0, 15_000))) {
    throw new Error(
      `processes of a stopped PostgreSQL (pid ${pidFile.pid}) still use its shared memory (id ${pidFile.shmId}) in ${dataDir}; wait for them to exit, then start again`,
    );
  }
  fs.rmSync(pidFilePath(dataDir), { force: true });
  log(`embedded PostgreSQL: removed the stale lock file of process ${pidFile.pid}, which is no longer running`);
}
