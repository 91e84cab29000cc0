import type { DataSource } from "typeorm";
import { AuthError, viewerFromHeader } from "../modules/auth";
import type { Viewer } from "../modules/auth";
import { EdgeError } from "./edge-error";

/**
 * The caller behind a request's Authorization header, checked before GraphQL runs: a malformed,
 * unknown or revoked key is a 401 with `WWW-Authenticate: Bearer` that counts as a failed request.
 */
export async function authenticate(dataSource: DataSource, header: string | undefined): Promise<Viewer | null> {
  try {
    return await viewerFromHeader(dataSource, header);
  } catch (error) {
    if (error instanceof AuthError) throw new EdgeError(401, "UNAUTHENTICATED", error.message, { "www-authenticate": "Bearer" }, true);
    throw error;
  }
}
