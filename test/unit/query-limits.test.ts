import { beforeAll, describe, expect, it } from "vitest";
import { Kind, parse, visit } from "graphql";
import type { DocumentNode, GraphQLSchema, OperationDefinitionNode } from "graphql";
import { buildAppSchema } from "../../src/schema";
import { measureOperation } from "../../src/http/query-limits";

// Building the schema needs no database, so these run as unit tests.
let schema: GraphQLSchema;
beforeAll(async () => {
  schema = await buildAppSchema();
});

/** `query { ...F0 }`, fragments F0..F(n-1) each spreading the next twice, F(n) selecting `__typename`. */
function doublingFragments(n: number): string {
  let query = "query { ...F0 } ";
  for (let i = 0; i < n; i++) query += `fragment F${i} on Query { ...F${i + 1} ...F${i + 1} } `;
  return `${query}fragment F${n} on Query { __typename }`;
}

/** Selections written in the document (fields, spreads, inline fragments), counted by graphql-js's own visitor. */
function writtenSelections(document: DocumentNode): number {
  let count = 0;
  const one = () => void (count += 1);
  visit(document, { Field: one, FragmentSpread: one, InlineFragment: one });
  return count;
}

/** Selections once every spread is replaced by its fragment, worked out from the document's structure: F(n) has 1, F(i) two spreads of F(i+1), the operation one spread of F0. */
function expandedSelections(n: number): number {
  let inner = 1;
  for (let i = n - 1; i >= 0; i--) inner = 2 * (1 + inner);
  return 1 + inner;
}

const measure = (query: string) => {
  const document = parse(query);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  return { document, m: measureOperation(schema, document, operation) };
};

describe("measuring an operation's shape", () => {
  it("reads each written selection once, however often its fragment is spread (linear in N, not 2^N)", () => {
    for (const n of [1, 16, 24, 200, 2000]) {
      const { document, m } = measure(doublingFragments(n));
      // 3 selections per fragment level (two spreads, or __typename) plus the operation's spread.
      expect(writtenSelections(document)).toBe(2 * n + 2);
      expect(m.visits, `N=${n}`).toBe(writtenSelections(document));
    }
  });

  it("still counts what execution would expand: selections per spread, depth and aliases through fragments", () => {
    expect(measure(doublingFragments(24)).m.selections).toBe(expandedSelections(24));
    expect(measure(doublingFragments(3)).m).toMatchObject({ selections: 1 + 2 * (1 + 2 * (1 + 2 * (1 + 1))), depth: 1 });
    // A fragment with 8 aliases spread twice is 16 aliases; its nested list adds two levels where it is spread.
    const aliases = Array.from({ length: 8 }, (_, i) => `a${i}: __typename`).join(" ");
    expect(measure(`{ ...A } fragment A on Query { ${aliases} }`).m.aliases).toBe(8);
    const twice = measure(`{ ...A ...A } fragment A on Query { ${aliases} reports(first: 1) { nodes { key } } }`).m;
    expect(twice).toMatchObject({ aliases: 16, depth: 3 });
    const nested = measure(`{ operations(first: 1) { nodes { ...O } } } fragment O on Operation { reports(first: 1) { nodes { key } } }`).m;
    expect(nested.depth).toBe(5);
  });
});
