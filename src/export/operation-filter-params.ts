import { coerceInputValue, GraphQLEnumType, GraphQLInputObjectType, GraphQLList, GraphQLNonNull, GraphQLScalarType, GraphQLInt } from "graphql";
import type { GraphQLInputType, GraphQLSchema } from "graphql";
import type { OperationFilter } from "../modules/operation";
import { ParameterError } from "../common/error-answer";

/** The OperationFilter input type of the API's own schema, so exports accept exactly what the API does. */
function operationFilterType(schema: GraphQLSchema): GraphQLInputObjectType {
  return schema.getType("OperationFilter") as GraphQLInputObjectType;
}

function unwrap(type: GraphQLInputType): { list: boolean; item: GraphQLInputType } {
  const bare = type instanceof GraphQLNonNull ? type.ofType : type;
  if (bare instanceof GraphQLList) return { list: true, item: bare.ofType instanceof GraphQLNonNull ? bare.ofType.ofType : bare.ofType };
  return { list: false, item: bare };
}

/**
 * Reads an `OperationFilter` from URL query parameters, one parameter per filter field
 * (`?originCountry=CN,RU&category=INFLUENCE_OPERATION`; list fields take repeated or comma-separated
 * values). Values are coerced through the GraphQL input type itself (enum names, Date, Int), so an
 * export accepts exactly what `operations(filter:)` accepts. `allowed` names extra parameters the
 * caller handles itself; `schema` is the API's own (built once per process). An unknown parameter or a bad value throws a ParameterError naming it.
 */
export function operationFilterFromParams(schema: GraphQLSchema, params: URLSearchParams, allowed: string[] = []): OperationFilter {
  const type = operationFilterType(schema);
  const fields = type.getFields();
  const raw: Record<string, unknown> = {};
  for (const name of new Set(params.keys())) {
    if (allowed.includes(name)) continue;
    const field = fields[name];
    if (!field) {
      throw new ParameterError(name, `Unknown parameter "${name}"; the filter parameters are the fields of OperationFilter: ${Object.keys(fields).join(", ")}`);
    }
    const { list, item } = unwrap(field.type);
    const values = params
      .getAll(name)
      .flatMap((value) => value.split(","))
      .map((value) => value.trim());
    if (values.some((value) => value === "")) throw new ParameterError(name, `Parameter "${name}" has an empty value`);
    if (!list && values.length > 1) throw new ParameterError(name, `Parameter "${name}" takes one value (got ${values.length})`);
    const typed = values.map((value) => {
      if (item === GraphQLInt) {
        if (!/^-?\d+$/.test(value)) throw new ParameterError(name, `Parameter "${name}" must be an integer (got "${value}")`);
        return Number(value);
      }
      return value;
    });
    raw[name] = list ? typed : typed[0];
  }
  let problem: ParameterError | null = null;
  const coerced = coerceInputValue(raw, type, (path, invalid) => {
    const name = String(path[0] ?? "filter");
    const item = fields[name] ? unwrap(fields[name].type).item : null;
    const hint =
      item instanceof GraphQLEnumType
        ? `; allowed: ${item
            .getValues()
            .map((v) => v.name)
            .join(", ")}`
        : item instanceof GraphQLScalarType && item.name === "Date"
          ? "; dates are YYYY-MM-DD"
          : "";
    problem ??= new ParameterError(name, `Parameter "${name}": ${JSON.stringify(invalid)} is not a valid value${hint}`);
  });
  if (problem) throw problem;
  return coerced as OperationFilter;
}
