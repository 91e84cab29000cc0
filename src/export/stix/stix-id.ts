import { createHash } from "node:crypto";

/** The project's fixed UUIDv5 namespace for STIX identifiers: never change it, or every id changes. */
export const STIX_NAMESPACE = "946a9e7e-0077-46a3-9bc9-134d71c5346d";

/** RFC 4122 version 5 UUID (SHA-1 of namespace and name): the same name always gives the same UUID. */
export function uuidv5(name: string, namespace: string = STIX_NAMESPACE): string {
  const ns = Buffer.from(namespace.replace(/-/g, ""), "hex");
  if (ns.length !== 16) throw new Error(`not a UUID: ${namespace}`);
  const bytes = createHash("sha1").update(ns).update(name, "utf8").digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x50;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * A STIX identifier (`type--uuid`) derived from a record's key, so the same record gets the same id
 * in every export of every release, and a platform that imports twice updates instead of duplicating.
 */
export function stixId(type: string, recordKey: string): string {
  return `${type}--${uuidv5(`${type}:${recordKey}`)}`;
}

/** A STIX timestamp (UTC, millisecond precision, as `created` and `modified` require) for a date `YYYY-MM-DD`. */
export function stixDate(date: string): string {
  return `${date}T00:00:00.000Z`;
}
