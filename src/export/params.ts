import { GraphQLBoolean, GraphQLFloat, GraphQLInt, coerceInputValue, getNamedType, getNullableType, isEnumType, isListType, isInputObjectType } from "graphql";
import type { GraphQLArgument, GraphQLError, GraphQLInputFieldMap, GraphQLInputObjectType, GraphQLInputType, GraphQLSchema } from "graphql";
import type { Column } from "./columns";
import { ParameterError } from "../common/error-answer";

/** A filter coerced to its GraphQL input type, with the query parameter each field came from. */
export interface ParsedFilter {
  filter: Record<string, unknown> | null;
  /** Filter field -> the parameter that set it (`originCountry`, or `filter` for `?filter=<json>`). */
  origin: Record<string, string>;
}

const single = (params: URLSearchParams, name: string): string | undefined => {
  const values = params.getAll(name);
  if (values.length > 1) throw new ParameterError(name, `Give ${name} once (got ${values.length} values)`);
  return values[0];
};

/**
 * Turns query-string values into what GraphQL's input coercion expects for a type: lists split on
 * commas (and repeated parameters), numbers and booleans parsed, everything else a string.
 */
function rawValue(parameter: string, type: GraphQLInputType, values: string[]): unknown {
  const named = getNamedType(type);
  const scalar = (value: string): unknown => {
    if (named === GraphQLInt || named === GraphQLFloat) {
      if (!/^-?\d+(\.\d+)?$/.test(value.trim())) throw new ParameterError(parameter, `${parameter} must be a number (got "${value}")`);
      return Number(value);
    }
    if (named === GraphQLBoolean) {
      if (!/^(true|false)$/i.test(value.trim())) throw new ParameterError(parameter, `${parameter} must be true or false (got "${value}")`);
      return /^true$/i.test(value.trim());
    }
    return value.trim();
  };
  if (isListType(getNullableType(type))) {
    return values
      .flatMap((value) => value.split(","))
      .map((value) => value.trim())
      .filter((value) => value !== "")
      .map(scalar);
  }
  if (values.length > 1) throw new ParameterError(parameter, `Give ${parameter} once (got ${values.length} values)`);
  return scalar(values[0]);
}

/** Coerces a value with GraphQL's own rules (enums, Date, Int), throwing the first error against `parameter`, its message led by the parameter's name. */
function coerce(value: unknown, type: GraphQLInputType, parameterOf: (path: readonly (string | number)[]) => string): unknown {
  return coerceInputValue(value, type, (path, _invalid, error) => {
    const parameter = parameterOf(path);
    throw new ParameterError(parameter, `${parameter}: ${error.message}${hintFor(type, path)}`);
  });
}

/** What a value of the input at `path` under `type` looks like, when GraphQL's message does not say: an enum's values, the Date format. */
function hintFor(type: GraphQLInputType, path: readonly (string | number)[]): string {
  let named = getNamedType(type);
  for (const key of path) {
    if (typeof key !== "string" || !isInputObjectType(named)) break;
    const field = named.getFields()[key];
    if (!field) return "";
    named = getNamedType(field.type);
  }
  if (isEnumType(named))
    return `; allowed: ${named
      .getValues()
      .map((v) => v.name)
      .join(", ")}`;
  if (named.name === "Date") return "; dates are YYYY-MM-DD";
  return "";
}

/** The filter's own JSON, `?filter=<json>`: an object of the filter type's fields. */
function jsonFilter(json: string, typeName: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch (error) {
    throw new ParameterError("filter", `filter must be a JSON object (${typeName}): ${(error as Error).message}`);
  }
  if (parsed !== null && (typeof parsed !== "object" || Array.isArray(parsed)))
    throw new ParameterError("filter", `filter must be a JSON object (${typeName})`);
  return { ...(parsed as Record<string, unknown>) };
}

/** The filter field a parameter names; an unknown one is refused, naming the fields and the other parameters. */
function fieldOf(fields: GraphQLInputFieldMap, name: string, others: string[]) {
  const field = fields[name];
  if (field) return field;
  const rest = others.length ? `; other parameters are ${others.join(", ")}` : "";
  throw new ParameterError(name, `Unknown parameter "${name}": filter fields are ${Object.keys(fields).join(", ")}${rest}`);
}

/** The parameter behind an input path: the field's own parameter, or its path under `filter` when it came from the JSON. */
function parameterAt(path: readonly (string | number)[], origin: Record<string, string>): string {
  const field = String(path[0] ?? "");
  if (origin[field] && origin[field] !== "filter") return field;
  return path.length ? `filter.${path.join(".")}` : "filter";
}

/**
 * The one reader of a list's filter from a query string, for the CSV/NDJSON exports and the STIX
 * bundle alike: one parameter per filter field (`?originCountry=CN,RU&category=SCAM`; list fields
 * take repeated or comma-separated values) and, unless `json` is false, `?filter=<json>` (the
 * GraphQL input as JSON). Every parameter that is not in `reserved` must be a field of the filter
 * type; values are coerced exactly as GraphQL would, so an export accepts what the API accepts,
 * and a bad one is a ParameterError naming its parameter.
 */
export function parseFilter(
  schema: GraphQLSchema,
  typeName: string,
  params: URLSearchParams,
  reserved: ReadonlySet<string>,
  options: { json?: boolean } = {},
): ParsedFilter {
  const json = options.json ?? true;
  const type = schema.getType(typeName);
  if (!type || !isInputObjectType(type)) throw new Error(`No input type ${typeName} in the schema`);
  const fields = (type as GraphQLInputObjectType).getFields();
  const origin: Record<string, string> = {};
  const text = json ? single(params, "filter") : undefined;
  const raw = text === undefined ? {} : jsonFilter(text, typeName);
  for (const key of Object.keys(raw)) origin[key] = "filter";
  const skipped = new Set(json ? [...reserved, "filter"] : reserved);
  for (const name of new Set(params.keys())) {
    if (skipped.has(name)) continue;
    const field = fieldOf(fields, name, json ? ["filter", ...reserved] : [...reserved]);
    if (name in raw) throw new ParameterError(name, `${name} is given both as a parameter and inside filter`);
    raw[name] = rawValue(name, field.type, params.getAll(name));
    origin[name] = name;
  }
  if (Object.keys(raw).length === 0) return { filter: null, origin };
  const filter = coerce(raw, type, (path) => parameterAt(path, origin)) as Record<string, unknown>;
  return { filter, origin };
}

/**
 * Names the query parameter behind a service's BAD_USER_INPUT from the input it names
 * (`extensions.argument`, see BadUserInputError): a statistic's own argument (`limit`, `from`) is
 * its parameter; a filter field (`filter.originCountry`) is the field's own parameter when it was
 * given as one, else its path under `filter`; nothing named is `filter`.
 */
export function parameterOfServiceError(error: GraphQLError, origin: Record<string, string>): string {
  const argument = error.extensions.argument;
  if (typeof argument !== "string" || argument === "") return "filter";
  const [head, field] = argument.split(".");
  if (head !== "filter") return argument;
  if (!field) return "filter";
  return origin[field] && origin[field] !== "filter" ? field : argument;
}

/**
 * Coerces a field's arguments (e.g. OperationStats.overTime) from query parameters and path
 * segments, applying the schema's defaults; an unknown parameter is an error naming it.
 */
export function parseArgs(
  args: readonly GraphQLArgument[],
  url: URL,
  fromPath: Record<string, string>,
  reserved: ReadonlySet<string>,
  defaults: Record<string, unknown> = {},
): Record<string, unknown> {
  const byName = new Map(args.map((arg) => [arg.name, arg]));
  for (const name of new Set(url.searchParams.keys())) {
    if (reserved.has(name) || byName.has(name)) continue;
    throw new ParameterError(
      name,
      `Unknown parameter "${name}": this export takes ${[...byName.keys()]
        .filter((n) => !(n in fromPath))
        .concat([...reserved])
        .join(", ")}`,
    );
  }
  const result: Record<string, unknown> = {};
  for (const arg of args) {
    let raw: unknown;
    if (arg.name in fromPath) raw = fromPath[arg.name];
    else if (url.searchParams.has(arg.name)) raw = rawValue(arg.name, arg.type, url.searchParams.getAll(arg.name));
    else if (arg.name in defaults) raw = defaults[arg.name];
    else if (arg.defaultValue !== undefined) raw = arg.defaultValue;
    else raw = null;
    result[arg.name] = coerce(raw, arg.type, () => arg.name);
  }
  return result;
}

/** `fields=`: the columns to write, in the order given; the record key always comes first. */
export function parseFields(url: URL, columns: Column[], keyColumn: string): Column[] {
  const requested = url.searchParams
    .getAll("fields")
    .flatMap((value) => value.split(","))
    .map((value) => value.trim())
    .filter((value) => value !== "");
  if (requested.length === 0) return columns;
  const byName = new Map(columns.map((column) => [column.name, column]));
  const unknown = requested.filter((name) => !byName.has(name));
  if (unknown.length > 0) {
    throw new ParameterError(
      "fields",
      `Unknown field${unknown.length > 1 ? "s" : ""} ${unknown.map((n) => `"${n}"`).join(", ")}; available: ${columns.map((c) => c.name).join(", ")}`,
    );
  }
  const names = [keyColumn, ...requested.filter((name) => name !== keyColumn)];
  return [...new Set(names)].map((name) => byName.get(name)!);
}

/** The list columns of an export, one entry per list (edge group): `origin_country_codes, origin_country_names`. */
function listsOf(columns: Column[]): string[] {
  const groups = new Map<string, string[]>();
  for (const column of columns) if (column.group) groups.set(column.group, [...(groups.get(column.group) ?? []), column.name]);
  return [...groups.values()].map((names) => names.join(", "));
}

/**
 * `layout=`: `wide` (one row per record, lists `;`-joined) or `long` (one row per value of ONE list).
 * A long table explodes exactly one list, the one whose columns `fields` names (columns of one edge,
 * such as an origin's code, name and confidence, line up and count as one list); naming none, or
 * columns of two lists (which would multiply rows, one per combination), is refused.
 */
export function parseLayout(url: URL, selected: Column[], all: Column[]): "wide" | "long" {
  const layout = single(url.searchParams, "layout") ?? "wide";
  if (layout !== "wide" && layout !== "long") throw new ParameterError("layout", `layout must be wide or long (got "${layout}")`);
  if (layout === "wide") return layout;
  const available = listsOf(all);
  if (available.length === 0) throw new ParameterError("layout", `layout=long explodes a list column, and this export has none; use layout=wide`);
  const named = url.searchParams.has("fields") ? listsOf(selected) : [];
  const howTo = `name the columns of one list in fields, e.g. fields=${available[0].split(", ")[0]}&layout=long. List columns (one list per entry, its columns line up): ${available.join(" | ")}`;
  if (named.length === 0) throw new ParameterError("fields", `layout=long writes one row per value of one list column: ${howTo}`);
  if (named.length > 1) {
    throw new ParameterError(
      "fields",
      `layout=long explodes one list, and fields names ${named.length} (${named.join(" | ")}), which would give a row per combination of their values: ${howTo}`,
    );
  }
  return layout;
}
