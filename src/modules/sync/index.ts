/** The sync module's public surface: deletion tombstones, the `updatedSince` filter, and its resolver. */
export { Deletion } from "./deletion.entity";
export { UPDATED_SINCE, updatedSinceIso, updatedSinceSql } from "./updated-since";
export { SyncResolver } from "./sync.resolver";
