import "reflect-metadata";
import { describe, expect, it } from "vitest";
import { Kind, parse } from "graphql";
import type { FieldNode, GraphQLObjectType, OperationDefinitionNode } from "graphql";
import { buildAppSchema } from "../../src/schema";
import { selectionOf } from "../../src/common/selection";
import { OperationConnectionArgs } from "../../src/modules/operation";
import { ReportConnectionArgs } from "../../src/modules/report";

/** The selection under the root field of `query`, as a resolver of it would get it for `variables`. */
async function rootSelection(query: string, variables: Record<string, unknown> = {}) {
  const schema = await buildAppSchema();
  const operation = parse(query).definitions[0] as OperationDefinitionNode;
  const field = operation.selectionSet.selections[0] as FieldNode;
  const queryType = schema.getQueryType() as GraphQLObjectType;
  const returnType = queryType.getFields()[field.name.value].type;
  expect(field.kind).toBe(Kind.FIELD);
  return selectionOf({ fieldNodes: [field], fragments: {}, returnType, variableValues: variables });
}

describe("Selection.argsOf", () => {
  it("gives a nested field's arguments coerced from this request's variables, as the class its resolver takes", async () => {
    const query = `query ($n: Int) { operation(key: "x") { reports(first: $n, orderBy: { field: KEY, direction: ASC }) { nodes { key } } } }`;
    const args = (await rootSelection(query, { n: 3 })).argsOf("reports", ReportConnectionArgs);
    expect(args).toBeInstanceOf(ReportConnectionArgs);
    expect({ ...args }).toEqual({ first: 3, orderBy: { field: "KEY", direction: "ASC" } });
    expect((await rootSelection(query, { n: 7 })).argsOf("reports", ReportConnectionArgs)?.first).toBe(7);
  });

  it("reads the fields of a connection's nodes", async () => {
    const selection = await rootSelection(`{ operations(first: 2) { nodes { reports(last: 4) { totalCount } } } }`);
    expect({ ...selection.nodeArgsOf("reports", ReportConnectionArgs) }).toEqual({ last: 4 });
  });

  it("is null for a field selected twice under aliases, or not at all", async () => {
    const selection = await rootSelection(`{ operation(key: "x") { a: reports(first: 1) { totalCount } b: reports(first: 2) { totalCount } } }`);
    expect(selection.argsOf("reports", ReportConnectionArgs)).toBeNull();
    expect(selection.argsOf("statements", ReportConnectionArgs)).toBeNull();
  });

  it("refuses a class other than the one the field's resolver declares", async () => {
    const selection = await rootSelection(`{ operation(key: "x") { reports(first: 1) { totalCount } } }`);
    expect(() => selection.argsOf("reports", OperationConnectionArgs)).toThrow(/Operation\.reports does not take its arguments as OperationConnectionArgs/);
  });
});
