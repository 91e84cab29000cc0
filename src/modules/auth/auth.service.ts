import { createHash, randomBytes } from "node:crypto";
import type { DataSource } from "typeorm";
import { GraphQLError } from "graphql";
import { ApiKey, Role } from "./api-key.entity";

/** Who is calling: a valid API key's id, name and role; null for anonymous reads. */
export interface Viewer {
  keyId: number;
  name: string;
  role: Role;
}

export const hashKey = (key: string) => createHash("sha256").update(key, "utf8").digest("hex");

/**
 * A key name already taken by another key. Names are unique so the audit log tells keys apart, and
 * compared as a reader sees them: after NFKC normalisation (full-width letters and other
 * compatibility forms), with Unicode dashes as '-', in lower case and without surrounding white
 * space (the database's `api_key_name_fold`), so `REL-EDITOR` or `rel‐editor` is `rel-editor`.
 */
export class DuplicateKeyName extends Error {
  constructor(
    readonly keyName: string,
    readonly existingId: number,
    readonly existingName: string = keyName,
  ) {
    const same =
      existingName === keyName
        ? ""
        : `; "${keyName}" counts as the same name (names are compared ignoring case, full-width forms, dash style and surrounding spaces)`;
    super(`an API key named "${existingName}" already exists (id ${existingId})${same}; choose another name`);
    this.name = "DuplicateKeyName";
  }
}

/** The key whose name is the same as `name` once both are folded, if any. */
async function keyNamed(dataSource: DataSource, name: string): Promise<{ id: number; name: string } | undefined> {
  const [holder] = await dataSource.query(`SELECT id, name FROM api_key WHERE api_key_name_fold(name) = api_key_name_fold($1) ORDER BY id LIMIT 1`, [name]);
  return holder;
}

/** Creates a key; the plain key is returned once and never stored. Refuses a name already in use. */
export async function createApiKey(dataSource: DataSource, name: string, role: Role): Promise<{ key: string; record: ApiKey }> {
  const repository = dataSource.getRepository(ApiKey);
  const key = `mg_${randomBytes(32).toString("base64url")}`;
  const holder = await keyNamed(dataSource, name);
  if (holder) throw new DuplicateKeyName(name, holder.id, holder.name);
  try {
    const record = await repository.save({ name, role, keyHash: hashKey(key), keyPrefix: key.slice(0, 10), revokedAt: null });
    return { key, record };
  } catch (error) {
    // A key created meanwhile under the same name: the unique index decides; the message names the key that holds the name.
    if ((error as { driverError?: { code?: string; constraint?: string } }).driverError?.constraint === "api_key_name_folded_unique") {
      const existing = await keyNamed(dataSource, name);
      throw new DuplicateKeyName(name, existing?.id ?? 0, existing?.name ?? name);
    }
    throw error;
  }
}

export class AuthError extends GraphQLError {
  constructor(code: "UNAUTHENTICATED" | "FORBIDDEN", message: string) {
    super(message, { extensions: { code, http: { status: code === "UNAUTHENTICATED" ? 401 : 403 } } });
  }
}

/**
 * Reads `Authorization: Bearer <key>`. No header: anonymous. A key that is unknown or revoked is
 * refused outright (UNAUTHENTICATED), so a typo never silently downgrades a curator to anonymous.
 */
export async function viewerFromHeader(dataSource: DataSource, header: string | undefined): Promise<Viewer | null> {
  if (!header) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  if (!match) throw new AuthError("UNAUTHENTICATED", "The Authorization header must be `Bearer <api key>`");
  const record = await dataSource.getRepository(ApiKey).findOneBy({ keyHash: hashKey(match[1]) });
  if (!record) throw new AuthError("UNAUTHENTICATED", "Unknown API key");
  if (record.revokedAt) throw new AuthError("UNAUTHENTICATED", "This API key has been revoked");
  return { keyId: record.id, name: record.name, role: record.role };
}

/** Checks that the caller may do something that needs `role`; admins may do everything editors may. */
export function requireRole(viewer: Viewer | null, role: Role, action: string): Viewer {
  if (!viewer) throw new AuthError("UNAUTHENTICATED", `${action} needs an API key: send Authorization: Bearer <key>`);
  if (role === Role.ADMIN && viewer.role !== Role.ADMIN) throw new AuthError("FORBIDDEN", `${action} needs an admin key; this key is an editor key`);
  return viewer;
}
