import { BadUserInputError } from "./errors";

/** The GraphQL types that implement Node, in the form they take inside a global ID. */
export const NODE_TYPES = ["Country", "Company", "Report", "Operation", "Statement"] as const;
export type NodeTypeName = (typeof NODE_TYPES)[number];

/**
 * Makes the opaque global ID of a record: base64url of `Type:key`. Keys (and country codes) are the
 * records' stable identities, so an ID stays valid across reloads of the dataset.
 */
export function toGlobalId(type: NodeTypeName, key: string): string {
  return Buffer.from(`${type}:${key}`, "utf8").toString("base64url");
}

/** Reads a global ID back into its type and key; anything else (a key with a NUL included) is a BAD_USER_INPUT error naming the argument. */
export function fromGlobalId(id: string, argument = "id"): { type: NodeTypeName; key: string } {
  const decoded = /^[A-Za-z0-9_-]{1,400}$/.test(id) ? Buffer.from(id, "base64url").toString("utf8") : "";
  const colon = decoded.indexOf(":");
  const type = decoded.slice(0, colon) as NodeTypeName;
  const key = decoded.slice(colon + 1);
  // A NUL cannot be stored in PostgreSQL text, so no record has one in its key.
  if (colon < 1 || !NODE_TYPES.includes(type) || key === "" || key.includes("\u0000")) {
    throw new BadUserInputError(`${argument}: "${truncate(id)}" is not a valid global ID`);
  }
  return { type, key };
}

/** Shortens user input quoted back in an error message. */
export function truncate(value: string, max = 60): string {
  return value.length > max ? `${value.slice(0, max)}…` : value;
}
