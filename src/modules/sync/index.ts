/** The sync module's public surface: deletion tombstones, the `updatedSince` filter's SQL, and its resolver. */
export { Deletion } from "./deletion.entity";
export { updatedSinceIso, updatedSinceSql } from "./updated-since";
export { SyncResolver } from "./sync.resolver";
