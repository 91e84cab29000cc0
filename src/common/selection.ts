import { Kind } from "graphql";
import type { FieldNode, FragmentDefinitionNode, GraphQLResolveInfo, SelectionSetNode } from "graphql";
import { createParameterDecorator } from "type-graphql";

/**
 * What a query selects under one field, looked at before the field's SQL is written, so that the
 * statement can carry what the selection will ask for next (an operation's origins, a report's
 * publisher, a list's count) instead of leaving it to a statement of its own.
 */
export interface Selection {
  /** Fields selected on the value itself (for a connection: `totalCount`, `nodes`, `edges`, `pageInfo`). */
  fields: ReadonlySet<string>;
  /** For a connection: fields selected on its nodes, through `nodes { }` or `edges { node { } }`. */
  nodeFields: ReadonlySet<string>;
}

/** Selects nothing: the SQL carries no extras, and every later lookup runs on its own. */
export const NOTHING_SELECTED: Selection = { fields: new Set(), nodeFields: new Set() };

/** Children of some field nodes by response-independent field name, through fragments of every kind. */
function childrenOf(nodes: readonly FieldNode[], fragments: Record<string, FragmentDefinitionNode>): Map<string, FieldNode[]> {
  const children = new Map<string, FieldNode[]>();
  const visit = (set: SelectionSetNode | undefined, seen: Set<string>) => {
    for (const selection of set?.selections ?? []) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        children.set(name, [...(children.get(name) ?? []), selection]);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        visit(selection.selectionSet, seen);
      } else if (!seen.has(selection.name.value)) {
        seen.add(selection.name.value);
        visit(fragments[selection.name.value]?.selectionSet, seen);
      }
    }
  };
  for (const node of nodes) visit(node.selectionSet, new Set());
  return children;
}

// Keyed by the field's AST nodes: graphql-js hands every parent of a list the same array, and a
// cached document keeps its nodes, so each distinct selection is walked once.
const cache = new WeakMap<readonly FieldNode[], Selection>();

/**
 * The selection under the field being resolved. Directives (`@skip`, `@include`) are not
 * evaluated: a field they drop is still counted as selected, which costs a little SQL, never a
 * wrong answer.
 */
export function selectionOf(info: Pick<GraphQLResolveInfo, "fieldNodes" | "fragments">): Selection {
  let selection = cache.get(info.fieldNodes);
  if (!selection) {
    const children = childrenOf(info.fieldNodes, info.fragments);
    const nodeLevel = [...(children.get("nodes") ?? []), ...(childrenOf(children.get("edges") ?? [], info.fragments).get("node") ?? [])];
    selection = { fields: new Set(children.keys()), nodeFields: new Set(childrenOf(nodeLevel, info.fragments).keys()) };
    cache.set(info.fieldNodes, selection);
  }
  return selection;
}

/** Resolver parameter: the `Selection` under the field being resolved. */
export function Selected() {
  return createParameterDecorator(({ info }) => selectionOf(info));
}
