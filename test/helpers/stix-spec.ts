/**
 * A checker for STIX 2.1 bundles, written from the text of the specification (STIX Version 2.1,
 * OASIS Standard, 10 June 2021), not from the code that builds our bundles. It covers the object
 * types and properties the export emits, and reports anything else as not covered, so a new type
 * or property cannot pass unchecked.
 *
 * What it checks, by the section of the specification each rule comes from:
 * - Bundle: `type` "bundle", `id` an identifier of type bundle, `objects` a non-empty list; a 2.1
 *   bundle carries no `spec_version`.
 * - Common Properties: `type` (3 to 250 characters, a-z, 0-9 and hyphen), `spec_version` "2.1",
 *   `id`, `created`, `modified` required; `modified` later than or equal to `created`; both
 *   precise to the millisecond at least; `created_by_ref` an identity; `labels` a list of
 *   strings; `confidence` an integer 0-100; `external_references` a list of external references.
 * - External Reference: `source_name` (string) required, and at least one of `description`,
 *   `url`, `external_id`; `url` a string holding a URL (RFC 3986); `description` and
 *   `external_id` strings.
 * - Identifier: `object-type--UUID`, the type the exact `type` of the object referred to, the UUID
 *   per RFC 4122 (version 1-5, variant bits 10).
 * - Timestamp: RFC 3339, UTC with the `Z` designator, `YYYY-MM-DDTHH:mm:ss[.s+]Z`.
 * - List: empty lists are prohibited. JSON `null` is no STIX value: an optional property without a
 *   value is left out. An empty string carries no value either and is refused too (a rule of this
 *   project, stricter than the specification).
 * - Open Vocabulary: a string; every suggested vocabulary value is lower-case words joined by
 *   hyphens, and so must ours be.
 * - Identity (name required), Intrusion Set (name required; last_seen >= first_seen), Location
 *   (region, or country, or latitude and longitude; precision only with both), Note (content and
 *   object_refs required), Report (name, published, object_refs required), Threat Actor (name
 *   required; threat_actor_types is optional in 2.1), Tool (name required), Relationship
 *   (relationship_type, source_ref, target_ref required; relationship_type a-z, 0-9 and hyphen;
 *   source_ref and target_ref not a relationship, sighting, bundle, marking-definition or
 *   language-content).
 * - Every `*_ref` / `*_refs` must name an object in the bundle (the bundle is self-contained).
 */

type Kind = "string" | "vocab" | "vocabs" | "strings" | "timestamp" | "identifier" | "identifiers" | "integer" | "number" | "boolean" | "externalReferences";

interface Property {
  kind: Kind;
  required?: boolean;
  /** For an identifier: the types it may refer to. */
  to?: string[];
}

const COMMON: Record<string, Property> = {
  type: { kind: "string", required: true },
  spec_version: { kind: "string", required: true },
  id: { kind: "identifier", required: true },
  created_by_ref: { kind: "identifier", to: ["identity"] },
  created: { kind: "timestamp", required: true },
  modified: { kind: "timestamp", required: true },
  revoked: { kind: "boolean" },
  labels: { kind: "strings" },
  confidence: { kind: "integer" },
  lang: { kind: "string" },
  external_references: { kind: "externalReferences" },
  object_marking_refs: { kind: "identifiers", to: ["marking-definition"] },
};

/** Each type's own properties, from its "Properties" table in the specification. */
const TYPES: Record<string, Record<string, Property>> = {
  identity: {
    name: { kind: "string", required: true },
    description: { kind: "string" },
    roles: { kind: "strings" },
    identity_class: { kind: "vocab" },
    sectors: { kind: "vocabs" },
    contact_information: { kind: "string" },
  },
  "intrusion-set": {
    name: { kind: "string", required: true },
    description: { kind: "string" },
    aliases: { kind: "strings" },
    first_seen: { kind: "timestamp" },
    last_seen: { kind: "timestamp" },
    goals: { kind: "strings" },
    resource_level: { kind: "vocab" },
    primary_motivation: { kind: "vocab" },
    secondary_motivations: { kind: "vocabs" },
  },
  location: {
    name: { kind: "string" },
    description: { kind: "string" },
    latitude: { kind: "number" },
    longitude: { kind: "number" },
    precision: { kind: "number" },
    region: { kind: "vocab" },
    country: { kind: "string" },
    administrative_area: { kind: "string" },
    city: { kind: "string" },
    street_address: { kind: "string" },
    postal_code: { kind: "string" },
  },
  note: {
    abstract: { kind: "string" },
    content: { kind: "string", required: true },
    authors: { kind: "strings" },
    object_refs: { kind: "identifiers", required: true },
  },
  report: {
    name: { kind: "string", required: true },
    description: { kind: "string" },
    report_types: { kind: "vocabs" },
    published: { kind: "timestamp", required: true },
    object_refs: { kind: "identifiers", required: true },
  },
  "threat-actor": {
    name: { kind: "string", required: true },
    description: { kind: "string" },
    threat_actor_types: { kind: "vocabs" },
    aliases: { kind: "strings" },
    first_seen: { kind: "timestamp" },
    last_seen: { kind: "timestamp" },
    roles: { kind: "vocabs" },
    goals: { kind: "strings" },
    sophistication: { kind: "vocab" },
    resource_level: { kind: "vocab" },
    primary_motivation: { kind: "vocab" },
    secondary_motivations: { kind: "vocabs" },
    personal_motivations: { kind: "vocabs" },
  },
  tool: {
    name: { kind: "string", required: true },
    description: { kind: "string" },
    tool_types: { kind: "vocabs" },
    aliases: { kind: "strings" },
    tool_version: { kind: "string" },
  },
  relationship: {
    relationship_type: { kind: "string", required: true },
    description: { kind: "string" },
    source_ref: { kind: "identifier", required: true },
    target_ref: { kind: "identifier", required: true },
    start_time: { kind: "timestamp" },
    stop_time: { kind: "timestamp" },
  },
};

/** Identifier: `object-type--UUID`, RFC 4122 (lower-case hex, version 1-5, variant 10xx). */
const IDENTIFIER = /^([a-z0-9]+(?:-[a-z0-9]+)*)--[0-9a-f]{8}-[0-9a-f]{4}-[1-5][0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
/** Timestamp: RFC 3339 in UTC, seconds required, fraction optional. */
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T([01]\d|2[0-3]):([0-5]\d):([0-5]\d|60)(\.\d+)?Z$/;
/** Common Properties: created and modified are precise to the millisecond at least. */
const MILLISECONDS = /\.\d{3,}Z$/;
/** Common Properties `type`; Relationship `relationship_type`; the form of every suggested open-vocabulary value. */
const KEBAB = /^[a-z0-9]+(-[a-z0-9]+)*$/;
/** Objects that Relationship forbids as the source or target of a relationship. */
const NOT_RELATABLE = ["relationship", "sighting", "bundle", "marking-definition", "language-content"];

/** A real calendar date and time in RFC 3339 form. */
function isTimestamp(value: unknown): value is string {
  if (typeof value !== "string") return false;
  const m = TIMESTAMP.exec(value);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  if (month < 1 || month > 12 || day < 1) return false;
  const days = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= days;
}

/** The instant of a timestamp in milliseconds, fractions past the millisecond ignored. */
const instant = (value: string) => Date.parse(value.replace(/(\.\d{3})\d+Z$/, "$1Z"));

/**
 * RFC 3986 URI with a scheme: printable ASCII without spaces, quotes, angle brackets or braces (such
 * characters must be percent-encoded), every `%` followed by two hex digits, and parsable.
 */
function isUrl(value: string): boolean {
  if (!/^[a-zA-Z][a-zA-Z0-9+.-]*:[^\s"<>\\^`{|}]+$/.test(value)) return false;
  if (/[^\x21-\x7e]/.test(value)) return false;
  if (/%(?![0-9a-fA-F]{2})/.test(value)) return false;
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

/** Every property path whose value is null, an empty list or an empty string. */
function emptyValues(value: unknown, path: string, into: string[]): void {
  if (value === null) into.push(`${path}: null (an optional property without a value is left out)`);
  else if (value === "") into.push(`${path}: empty string`);
  else if (Array.isArray(value)) {
    if (value.length === 0) into.push(`${path}: empty list (empty lists are prohibited)`);
    value.forEach((item, i) => emptyValues(item, `${path}[${i}]`, into));
  } else if (typeof value === "object") {
    for (const [name, inner] of Object.entries(value as object)) emptyValues(inner, `${path}.${name}`, into);
  }
}

function checkExternalReference(reference: unknown, where: string, problems: string[]): void {
  if (!reference || typeof reference !== "object" || Array.isArray(reference)) {
    problems.push(`${where}: not an external-reference object`);
    return;
  }
  const r = reference as Record<string, unknown>;
  for (const name of Object.keys(r)) {
    if (!["source_name", "description", "url", "hashes", "external_id"].includes(name)) problems.push(`${where}.${name}: not a property of external-reference`);
  }
  if (typeof r.source_name !== "string") problems.push(`${where}.source_name: required string, got ${JSON.stringify(r.source_name)}`);
  if (r.description === undefined && r.url === undefined && r.external_id === undefined) {
    problems.push(`${where}: needs at least one of description, url, external_id`);
  }
  for (const name of ["description", "external_id"]) {
    if (r[name] !== undefined && typeof r[name] !== "string") problems.push(`${where}.${name}: must be a string, got ${JSON.stringify(r[name])}`);
  }
  if (r.url !== undefined) {
    if (typeof r.url !== "string") problems.push(`${where}.url: must be a string, got ${JSON.stringify(r.url)}`);
    else if (!isUrl(r.url)) problems.push(`${where}.url: not an RFC 3986 URL: ${r.url}`);
  }
  if (r.hashes !== undefined) {
    const ok = r.hashes && typeof r.hashes === "object" && Object.values(r.hashes).every((h) => typeof h === "string");
    if (!ok) problems.push(`${where}.hashes: must be a dictionary of hash strings`);
  }
}

function checkValue(value: unknown, property: Property, where: string, problems: string[]): void {
  const fail = (what: string) => problems.push(`${where}: ${what}, got ${JSON.stringify(value)}`);
  const strings = (list: unknown) => Array.isArray(list) && list.every((v) => typeof v === "string");
  switch (property.kind) {
    case "string":
      if (typeof value !== "string") fail("must be a string");
      break;
    case "vocab":
      if (typeof value !== "string" || !KEBAB.test(value)) fail("must be an open-vocabulary string (lower-case, hyphenated)");
      break;
    case "strings":
      if (!strings(value)) fail("must be a list of strings");
      break;
    case "vocabs":
      if (!strings(value) || !(value as string[]).every((v) => KEBAB.test(v))) fail("must be a list of open-vocabulary strings (lower-case, hyphenated)");
      break;
    case "timestamp":
      if (!isTimestamp(value)) fail("must be an RFC 3339 UTC timestamp");
      break;
    case "identifier":
      if (typeof value !== "string" || !IDENTIFIER.test(value)) fail("must be an identifier type--UUID");
      break;
    case "identifiers":
      if (!Array.isArray(value) || !value.every((v) => typeof v === "string" && IDENTIFIER.test(v))) fail("must be a list of identifiers");
      break;
    case "integer":
      if (!Number.isInteger(value)) fail("must be an integer");
      break;
    case "number":
      if (typeof value !== "number" || !Number.isFinite(value)) fail("must be a number");
      break;
    case "boolean":
      if (typeof value !== "boolean") fail("must be a boolean");
      break;
    case "externalReferences":
      if (!Array.isArray(value)) fail("must be a list of external references");
      else value.forEach((reference, i) => checkExternalReference(reference, `${where}[${i}]`, problems));
      break;
  }
}

/** The type an identifier names. */
const typeOf = (id: string) => IDENTIFIER.exec(id)?.[1];

/**
 * Every way the bundle departs from the STIX 2.1 specification, one line each naming the object and
 * property; an empty list when it conforms.
 */
export function stixSpecProblems(bundle: unknown): string[] {
  const problems: string[] = [];
  if (!bundle || typeof bundle !== "object") return ["bundle: not a JSON object"];
  const b = bundle as Record<string, unknown>;
  if (b.type !== "bundle") problems.push(`bundle.type: must be "bundle", got ${JSON.stringify(b.type)}`);
  if (typeof b.id !== "string" || typeOf(b.id) !== "bundle") problems.push(`bundle.id: must be an identifier bundle--UUID, got ${JSON.stringify(b.id)}`);
  if ("spec_version" in b) problems.push("bundle.spec_version: a STIX 2.1 bundle has no spec_version");
  for (const name of Object.keys(b)) if (!["type", "id", "objects"].includes(name)) problems.push(`bundle.${name}: not a property of bundle`);
  if (!Array.isArray(b.objects) || b.objects.length === 0) return [...problems, "bundle.objects: must be a non-empty list"];

  const objects = b.objects as Record<string, unknown>[];
  const byId = new Map<string, Record<string, unknown>>();
  const versions = new Set<string>();
  for (const object of objects) {
    if (typeof object?.id !== "string") continue;
    const version = `${object.id} ${String(object.modified)}`;
    if (versions.has(version)) problems.push(`${object.id}: two objects with the same id and modified`);
    versions.add(version);
    byId.set(object.id, object);
  }

  objects.forEach((object, index) => {
    if (!object || typeof object !== "object" || Array.isArray(object)) {
      problems.push(`objects[${index}]: not a JSON object`);
      return;
    }
    const where = typeof object.id === "string" ? object.id : `objects[${index}]`;
    const type = object.type;
    if (typeof type !== "string" || type.length < 3 || type.length > 250 || !KEBAB.test(type)) {
      problems.push(`${where}.type: must be 3-250 characters of a-z, 0-9 and hyphens, got ${JSON.stringify(type)}`);
      return;
    }
    const own = TYPES[type];
    if (!own) {
      problems.push(`${where}.type: ${type} is not a type this checker covers`);
      return;
    }
    const properties = { ...COMMON, ...own };

    emptyValues(object, where, problems);
    for (const [name, property] of Object.entries(properties)) {
      const value = object[name];
      if (value === undefined) {
        if (property.required) problems.push(`${where}.${name}: required by ${type}, missing`);
        continue;
      }
      if (value === null) continue; // reported above
      checkValue(value, property, `${where}.${name}`, problems);
    }
    for (const name of Object.keys(object)) {
      if (!(name in properties)) problems.push(`${where}.${name}: not a property of ${type} in STIX 2.1`);
    }

    if (object.spec_version !== "2.1") problems.push(`${where}.spec_version: must be "2.1", got ${JSON.stringify(object.spec_version)}`);
    if (typeof object.id === "string" && typeOf(object.id) !== type) problems.push(`${where}.id: the identifier's type must be ${type}`);
    for (const name of ["created", "modified"]) {
      if (isTimestamp(object[name]) && !MILLISECONDS.test(object[name] as string)) problems.push(`${where}.${name}: must be precise to the millisecond`);
    }
    if (isTimestamp(object.created) && isTimestamp(object.modified) && instant(object.modified) < instant(object.created)) {
      problems.push(`${where}.modified: earlier than created`);
    }
    if (object.confidence !== undefined && Number.isInteger(object.confidence)) {
      const c = object.confidence as number;
      if (c < 0 || c > 100) problems.push(`${where}.confidence: must be 0-100, got ${c}`);
    }
    for (const [first, last] of [
      ["first_seen", "last_seen"],
      ["start_time", "stop_time"],
    ]) {
      if (isTimestamp(object[first]) && isTimestamp(object[last]) && instant(object[last]) < instant(object[first])) {
        problems.push(`${where}.${last}: earlier than ${first}`);
      }
    }
    if (type === "location") {
      const hasLatLong = object.latitude !== undefined && object.longitude !== undefined;
      if (object.region === undefined && object.country === undefined && !hasLatLong)
        problems.push(`${where}: a location needs region, country, or latitude and longitude`);
      if ((object.latitude === undefined) !== (object.longitude === undefined)) problems.push(`${where}: latitude and longitude go together`);
      if (object.precision !== undefined && !hasLatLong) problems.push(`${where}.precision: needs latitude and longitude`);
      if (typeof object.latitude === "number" && Math.abs(object.latitude) > 90) problems.push(`${where}.latitude: must be -90 to 90`);
      if (typeof object.longitude === "number" && Math.abs(object.longitude) > 180) problems.push(`${where}.longitude: must be -180 to 180`);
    }
    if (type === "relationship" && typeof object.relationship_type === "string" && !KEBAB.test(object.relationship_type)) {
      problems.push(`${where}.relationship_type: must be a-z, 0-9 and hyphens, got ${JSON.stringify(object.relationship_type)}`);
    }

    // References: each names an object of an allowed type inside the bundle.
    for (const [name, property] of Object.entries(properties)) {
      if (property.kind !== "identifier" && property.kind !== "identifiers") continue;
      if (name === "id" || object[name] === undefined) continue;
      const refs = Array.isArray(object[name]) ? (object[name] as unknown[]) : [object[name]];
      for (const ref of refs) {
        if (typeof ref !== "string") continue;
        if (!byId.has(ref)) problems.push(`${where}.${name}: ${ref} is not in the bundle`);
        const target = typeOf(ref);
        if (property.to && target && !property.to.includes(target)) problems.push(`${where}.${name}: must refer to ${property.to.join(" or ")}, not ${target}`);
        if ((name === "source_ref" || name === "target_ref") && target && NOT_RELATABLE.includes(target)) {
          problems.push(`${where}.${name}: a relationship cannot point at a ${target}`);
        }
      }
    }
  });
  return problems;
}
