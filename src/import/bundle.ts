import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import Ajv from "ajv";
import { parseTree, printParseErrorCode } from "jsonc-parser";
import type { ParseError } from "jsonc-parser";
import { didYouMean } from "./suggest";
import bundleSchema from "./bundle.schema.json";
import type { report, FigureRecord } from "../common/records/report";
import type { company } from "../common/records/company";
import type { statement } from "../common/records/statement";
import type { RecordOf } from "../common/records/declare";
import type { operation } from "../common/records/operation";

/** A problem found in a bundle: which file, where in it (a JSON path), and what is wrong. */
export interface Problem {
  file: string;
  path: string;
  message: string;
  /** The value found at `path`, when there is one to show. */
  value?: unknown;
  /** The closest valid values, e.g. `did you mean INFLUENCE_OPERATION?`, when one is close. */
  hint?: string;
}

/** The message with the value found and any "did you mean" hint: what a curator reads. */
export function problemText(problem: Problem): string {
  const shown = problem.value === undefined || problem.message.includes(JSON.stringify(problem.value)) ? "" : ` (found ${JSON.stringify(problem.value)})`;
  return `${problem.message}${shown}${problem.hint ? `: ${problem.hint}` : ""}`;
}

export function formatProblem(problem: Problem): string {
  return `${problem.file}${problem.path ? `: ${problem.path}` : ""}: ${problemText(problem)}`;
}

/** A company as a bundle gives it: its fields are declared in src/common/records/company.ts. */
export type CompanyRecord = RecordOf<typeof company>;

/** A report as a bundle gives it: its fields are declared in src/common/records/report.ts. */
export type ReportRecord = RecordOf<typeof report>;
export type { FigureRecord };

/** An operation as a bundle gives it: its fields are declared in src/common/records/operation.ts. */
export type OperationRecord = RecordOf<typeof operation>;

/** A statement as a bundle gives it: its fields are declared in src/common/records/statement.ts. */
export type StatementRecord = RecordOf<typeof statement>;

/** Where a record came from, for error messages. */
export interface Located<T> {
  record: T;
  file: string;
  path: string;
  /** Fields left out of `record` because they broke the schema: later checks skip them (and only them). */
  malformed?: Set<string>;
}

/** A bundle read from disk: its records with their locations, a hash of its files, and any problems. */
export interface Bundle {
  source: string;
  files: string[];
  contentHash: string;
  companies: Located<CompanyRecord>[];
  reports: Located<ReportRecord>[];
  operations: Located<OperationRecord>[];
  statements: Located<StatementRecord>[];
  problems: Problem[];
  /** Each file's JSON text (files read from disk), to put problems in the order they appear in it. */
  texts: Map<string, string>;
}

// `verbose` gives each error its schema, for the allowed field names of an "unknown field".
const ajv = new Ajv({ allErrors: true, strict: true, verbose: true });
// VS Code's annotation for enum values; the importer only carries it.
ajv.addKeyword({ keyword: "enumDescriptions", schemaType: "array" });
const validateBundle = ajv.compile(bundleSchema);

/** Turns an ajv instance path (`/operations/3/origin/0/country`) into `operations[3].origin[0].country`. */
function jsonPath(instancePath: string): string {
  return instancePath
    .split("/")
    .slice(1)
    .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce((acc, part) => (/^\d+$/.test(part) ? `${acc}[${part}]` : acc ? `${acc}.${part}` : part), "");
}

function schemaMessage(error: { keyword: string; message?: string; params: Record<string, unknown> }): string {
  switch (error.keyword) {
    case "enum":
      return `must be one of ${(error.params.allowedValues as unknown[]).join(", ")}`;
    case "additionalProperties":
      return `unknown field "${String(error.params.additionalProperty)}"`;
    case "required":
      return `missing required field "${String(error.params.missingProperty)}"`;
    case "pattern": {
      const pattern = String(error.params.pattern);
      if (pattern.includes("a-z0-9")) return "must be a lowercase slug key such as `sneer-review`";
      if (pattern.includes("\\d{4}")) return "must be a date written YYYY-MM-DD";
      if (pattern.includes("[A-Z]{2}")) return "must be an ISO 3166-1 alpha-2 country code such as `CN`";
      if (pattern.includes("https?")) return "must be an http(s) URL";
      return error.message ?? "does not match the expected pattern";
    }
    case "minItems":
      return Number(error.params.limit) === 1 ? "must list at least one item" : (error.message ?? "too few items");
    default:
      return error.message ?? "is invalid";
  }
}

/**
 * Finds the first JSON syntax error with its line and column. JSON.parse only sometimes says where;
 * jsonc-parser's scanner always gives an offset (comments and trailing commas count as errors).
 */
function syntaxProblem(file: string, text: string): Problem {
  const errors: ParseError[] = [];
  parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  const first = errors[0];
  const offset = first?.offset ?? text.length;
  const before = text.slice(0, offset).split("\n");
  const reason = first
    ? printParseErrorCode(first.error)
        .replace(/([a-z])([A-Z])/g, "$1 $2")
        .toLowerCase()
    : "not a JSON document";
  return { file, path: "", message: `invalid JSON at line ${before.length}, column ${before[before.length - 1].length + 1}: ${reason}` };
}

/** One document of a bundle: its name for messages, and its JSON text or an already parsed value. */
export interface BundleDocument {
  file: string;
  text?: string;
  value?: unknown;
}

/** The value at an ajv instance path. */
function valueAt(document: unknown, instancePath: string): unknown {
  return instancePath
    .split("/")
    .slice(1)
    .reduce<unknown>(
      (value, part) => (value && typeof value === "object" ? (value as Record<string, unknown>)[part.replace(/~1/g, "/").replace(/~0/g, "~")] : undefined),
      document,
    );
}

type AjvError = NonNullable<typeof validateBundle.errors>[number];

/** A schema error as a problem: the value found and, for vocabularies and field names, the closest valid ones. */
function schemaProblem(file: string, document: unknown, error: AjvError): Problem {
  const problem: Problem = { file, path: jsonPath(error.instancePath), message: schemaMessage(error) };
  const value = valueAt(document, error.instancePath);
  if (error.keyword === "enum") {
    problem.value = value;
    if (typeof value === "string") problem.hint = didYouMean(value, error.params.allowedValues as string[]);
  } else if (error.keyword === "additionalProperties") {
    const allowed = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {});
    problem.hint = didYouMean(String(error.params.additionalProperty), allowed);
  } else if (error.keyword !== "required" && (value === null || typeof value !== "object")) {
    problem.value = value;
  }
  return problem;
}

const KINDS = ["companies", "reports", "operations", "statements"] as const;

/**
 * Checks bundle documents against the bundle JSON Schema and collects their records. Every problem
 * is collected; nothing stops at the first. A record with schema problems stays in the later checks
 * (references, countries, dates, duplicate keys) without the fields that broke the schema, so one
 * run lists every problem. Only a record with no string key, or a document that is not an object,
 * is left out.
 */
export function bundleFromDocuments(source: string, documents: BundleDocument[]): Bundle {
  const bundle: Bundle = {
    source,
    files: documents.map((d) => d.file),
    contentHash: "",
    companies: [],
    reports: [],
    operations: [],
    statements: [],
    problems: [],
    texts: new Map(),
  };
  const hash = createHash("sha256");
  for (const { file, text, value } of documents) {
    hash.update(`${path.basename(file)}\0${text ?? JSON.stringify(value)}\0`);
    let document: unknown = value;
    if (text !== undefined) {
      bundle.texts.set(file, text);
      try {
        document = JSON.parse(text);
      } catch {
        bundle.problems.push(syntaxProblem(file, text));
        continue;
      }
    }
    const malformed = schemaProblems(bundle.problems, file, document);
    if (!document || typeof document !== "object" || Array.isArray(document)) continue;
    addRecords(bundle, file, document as Record<string, unknown>, malformed);
  }
  bundle.contentHash = hash.digest("hex");
  return bundle;
}

/**
 * Validates one document against the bundle schema, adding each complaint to `problems`; returns per
 * record (`operations[3]`) the top-level fields that broke the schema, so later checks skip them.
 */
function schemaProblems(problems: Problem[], file: string, document: unknown): Map<string, Set<string>> {
  const malformed = new Map<string, Set<string>>();
  if (validateBundle(document)) return malformed;
  for (const error of validateBundle.errors ?? []) {
    // anyOf repeats each branch's complaint; the branch errors say enough.
    if (error.keyword === "anyOf" || (error.keyword === "type" && error.params.type === "null")) continue;
    problems.push(schemaProblem(file, document, error));
    const field = /^\/(companies|reports|operations|statements)\/(\d+)\/([^/]+)/.exec(error.instancePath);
    if (!field) continue;
    const where = `${field[1]}[${field[2]}]`;
    if (!malformed.has(where)) malformed.set(where, new Set());
    malformed.get(where)!.add(field[3].replace(/~1/g, "/").replace(/~0/g, "~"));
  }
  return malformed;
}

/**
 * Adds a document's records to the bundle, each located by file and path; a record's malformed
 * fields are left out (and named), and a record with no string key is left out altogether.
 */
function addRecords(bundle: Bundle, file: string, doc: Record<string, unknown>, malformed: Map<string, Set<string>>): void {
  for (const kind of KINDS) {
    const records = doc[kind];
    if (!Array.isArray(records)) continue;
    records.forEach((record: unknown, index) => {
      if (!record || typeof record !== "object" || typeof (record as { key?: unknown }).key !== "string") return;
      const where = `${kind}[${index}]`;
      const broken = malformed.get(where);
      const fields = Object.fromEntries(Object.entries(record).filter(([field]) => field === "key" || !broken?.has(field)));
      (bundle[kind] as Located<unknown>[]).push(broken ? { record: fields, file, path: where, malformed: broken } : { record, file, path: where });
    });
  }
}

/** A folder's release manifest (`data/manifest.json`): it describes the bundle, it is not part of it. */
export const RELEASE_MANIFEST = "manifest.json";

/** Reads a bundle from one JSON file or a folder of them (one bundle, files in name order, the release manifest left out). */
export async function readBundle(source: string): Promise<Bundle> {
  const stat = await fs.stat(source).catch(() => null);
  if (!stat) throw new Error(`${source}: no such file or folder`);
  const files = stat.isDirectory()
    ? (await fs.readdir(source))
        .filter((name) => name.endsWith(".json") && name !== RELEASE_MANIFEST)
        .sort()
        .map((name) => path.join(source, name))
    : [source];
  if (files.length === 0) throw new Error(`${source}: the folder holds no .json files`);
  const documents = await Promise.all(files.map(async (file) => ({ file, text: await fs.readFile(file, "utf8") })));
  return bundleFromDocuments(source, documents);
}
