import base from "./bundle.base.json";
import { bundleDefinition } from "./derive";
import type { JsonSchema, RecordDecl } from "./declare";
import { report } from "./report";
import { company } from "./company";
import { statement } from "./statement";
import { operation } from "./operation";

/** The record types declared in src/common/records, by their name among the bundle schema's definitions. */
const DECLARED: Record<string, RecordDecl> = { company, report, operation, statement };

/**
 * The bundle JSON Schema: the hand-written frame (shared definitions, and the record types not yet
 * declared) with each declared record type's definition in its place.
 */
export function bundleSchema(): JsonSchema {
  const definitions = Object.fromEntries(
    Object.entries(base.definitions as Record<string, unknown>).map(([name, definition]) => [
      name,
      DECLARED[name] ? bundleDefinition(DECLARED[name]) : definition,
    ]),
  );
  return { ...base, definitions };
}
