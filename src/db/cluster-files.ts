import fs from "node:fs/promises";
import { readFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import path from "node:path";

/**
 * The files misuse-graph keeps in an embedded cluster's folder beside PostgreSQL's own: the
 * superuser password (random per install, mode 0600) and the id of the service that owns the
 * running server (so a restart can tell its own orphan from another live service).
 */
const PASSWORD_FILE = "misuse-graph.password";
const OWNER_FILE = "misuse-graph.owner";

/** The password clusters had before it was generated per install; only used to replace it. */
export const LEGACY_PASSWORD = "misuse-graph";

/** The cluster's stored superuser password, or null when it has none (a cluster made before). */
export function clusterPassword(dataDir: string): string | null {
  try {
    const text = readFileSync(path.join(dataDir, PASSWORD_FILE), "utf8").trim();
    return text === "" ? null : text;
  } catch {
    return null;
  }
}

/**
 * A new random password. With `write`, also a 0600 file holding it beside the (still empty) data
 * folder for initdb's --pwfile, owned by the user PostgreSQL runs as so initdb can read it.
 */
export async function createPendingPassword(dataDir: string, ids: { uid?: number; gid?: number }, write = true): Promise<{ password: string; file: string }> {
  const password = randomBytes(24).toString("base64url");
  const file = `${dataDir}.initdb-password`;
  if (write) {
    await fs.rm(file, { force: true });
    await fs.writeFile(file, `${password}\n`, { mode: 0o600, flag: "wx" });
    if (ids.uid !== undefined) await fs.chown(file, ids.uid, ids.gid!);
  }
  return { password, file };
}

/** Stores the password in the cluster folder, readable by this user only (written then renamed). */
export async function storePassword(dataDir: string, password: string): Promise<void> {
  const target = path.join(dataDir, PASSWORD_FILE);
  const temporary = `${target}.${process.pid}`;
  await fs.writeFile(temporary, `${password}\n`, { mode: 0o600 });
  await fs.chmod(temporary, 0o600);
  await fs.rename(temporary, target);
}

/** The process id of the service that started the running server, or null. */
export function readOwner(dataDir: string): number | null {
  try {
    const pid = Number(readFileSync(path.join(dataDir, OWNER_FILE), "utf8").trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/**
 * The owner's process id if that process still runs and is a Node.js process (a recycled id of
 * some other program does not count), else null.
 */
export function liveOwner(dataDir: string): number | null {
  const pid = readOwner(dataDir);
  if (pid === null) return null;
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "EPERM") return null;
  }
  try {
    return /(^|\/)node(js)?(\0|$)/.test(readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")[0] + "\0") ? pid : null;
  } catch {
    return pid; // no /proc: trust the id
  }
}

/** Records this process as the owner of the server it is about to start. */
export async function writeOwner(dataDir: string): Promise<void> {
  await fs.writeFile(path.join(dataDir, OWNER_FILE), `${process.pid}\n`, { mode: 0o600 });
}

/** Forgets the owner once its server is stopped (only if it is still this process). */
export async function removeOwner(dataDir: string): Promise<void> {
  if (readOwner(dataDir) === process.pid) await fs.rm(path.join(dataDir, OWNER_FILE), { force: true });
}
