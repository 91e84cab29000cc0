import { GraphQLIncludeDirective, GraphQLSkipDirective, Kind, getDirectiveValues, isAbstractType, typeFromAST } from "graphql";
import type { FieldNode, FragmentDefinitionNode, GraphQLObjectType, GraphQLSchema, SelectionSetNode } from "graphql";

/** What collecting a selection needs: the schema, the document's fragments and the coerced variables. */
export interface FieldScope {
  schema: GraphQLSchema;
  fragments: Record<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
}

/** Whether `@skip`/`@include` leave a selection in. */
function included(scope: FieldScope, node: Parameters<typeof getDirectiveValues>[1]): boolean {
  if (getDirectiveValues(GraphQLSkipDirective, node, scope.variables)?.if === true) return false;
  return getDirectiveValues(GraphQLIncludeDirective, node, scope.variables)?.if !== false;
}

/** Whether a fragment's type condition holds for `type`. */
function applies(scope: FieldScope, condition: FragmentDefinitionNode["typeCondition"] | undefined, type: GraphQLObjectType): boolean {
  if (!condition) return true;
  const conditional = typeFromAST(scope.schema, condition);
  if (conditional === type) return true;
  return conditional !== undefined && isAbstractType(conditional) && scope.schema.isSubType(conditional, type);
}

/**
 * The fields selected on `type` by response key, fragments spread and directives applied, as
 * graphql-js's `collectFields` does (which the package does not export from its entry point: a
 * deep import loads a second copy of graphql under the ESM loader).
 */
export function collectFields(scope: FieldScope, type: GraphQLObjectType, selectionSets: readonly SelectionSetNode[]): Map<string, FieldNode[]> {
  const fields = new Map<string, FieldNode[]>();
  const visited = new Set<string>();
  const collect = (selectionSet: SelectionSetNode) => {
    for (const selection of selectionSet.selections) {
      if (!included(scope, selection)) continue;
      if (selection.kind === Kind.FIELD) {
        const key = selection.alias?.value ?? selection.name.value;
        const list = fields.get(key);
        if (list) list.push(selection);
        else fields.set(key, [selection]);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (applies(scope, selection.typeCondition, type)) collect(selection.selectionSet);
      } else {
        const name = selection.name.value;
        const fragment = scope.fragments[name];
        if (visited.has(name) || !fragment || !applies(scope, fragment.typeCondition, type)) continue;
        visited.add(name);
        collect(fragment.selectionSet);
      }
    }
  };
  selectionSets.forEach(collect);
  return fields;
}

/** The fields selected under `nodes` (the same field, maybe repeated) on their type `type`. */
export function collectSubfields(scope: FieldScope, type: GraphQLObjectType, nodes: readonly FieldNode[]): Map<string, FieldNode[]> {
  return collectFields(
    scope,
    type,
    nodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : [])),
  );
}
