/** The kinds of record a bundle holds, in the order an import writes them (referenced kinds first). */
export type EntityKind = "companies" | "reports" | "operations" | "statements";

/** Every record kind, in write order: a record's references are written before it. */
export const ENTITY_KINDS: EntityKind[] = ["companies", "reports", "operations", "statements"];

/** A record in bundle shape (keys instead of ids), as read from a file or from the database. */
export type AnyRecord = { key: string } & Record<string, unknown>;
