/** The auth module's public surface: API keys, roles, and resolving a request's viewer. */
export { ApiKey, Role } from "./api-key.entity";
export { AuthError, DuplicateKeyName, createApiKey, requireRole, viewerFromHeader } from "./auth.service";
export type { Viewer } from "./auth.service";
