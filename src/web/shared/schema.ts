import { gql } from "./gql";

interface TypeRef {
  kind: string;
  ofType?: TypeRef | null;
}

/** Whether a type reference ends in a scalar or enum (selectable without a sub-selection). */
function isLeaf(type: TypeRef | null | undefined): boolean {
  while (type && (type.kind === "NON_NULL" || type.kind === "LIST")) type = type.ofType;
  return type?.kind === "SCALAR" || type?.kind === "ENUM";
}

/**
 * The leaf fields of a type that the running schema has, among `wanted`: pages ask for fields other
 * parts of the service add (dataset version, citation) only where the schema offers them.
 */
export async function availableLeafFields(typeName: string, wanted: string[]): Promise<string[]> {
  const data = await gql<{ __type: { fields: { name: string; type: TypeRef }[] } | null }>(
    `query TypeFields($name: String!) { __type(name: $name) { fields { name type { kind ofType { kind ofType { kind ofType { kind } } } } } } }`,
    { name: typeName },
  );
  const fields = new Map((data.__type?.fields ?? []).map((f) => [f.name, f.type]));
  return wanted.filter((name) => fields.has(name) && isLeaf(fields.get(name)));
}

/** An enum's values with their descriptions, read from the schema by introspection. */
export interface EnumInfo {
  name: string;
  description: string | null;
  enumValues: { name: string; description: string | null }[];
}

/** Reads the given enums from the schema in one request. */
export async function enumsFromSchema(names: string[]): Promise<Map<string, EnumInfo>> {
  const selection = names.map((name, i) => `e${i}: __type(name: ${JSON.stringify(name)}) { name description enumValues { name description } }`).join("\n");
  const data = await gql<Record<string, EnumInfo | null>>(`{ ${selection} }`);
  const result = new Map<string, EnumInfo>();
  for (const value of Object.values(data)) if (value) result.set(value.name, value);
  return result;
}
