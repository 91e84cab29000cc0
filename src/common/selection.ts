import { Kind, getArgumentValues, isObjectType } from "graphql";
import type { FieldNode, FragmentDefinitionNode, GraphQLResolveInfo, SelectionSetNode } from "graphql";
import { createParameterDecorator } from "type-graphql";
import { objectTypeOf } from "./type-graphql-internals";
import type { DataSource } from "typeorm";

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
  /** The selection under one of `fields` (an operation's `origins { }`); the same object on every call. */
  under(field: string): Selection;
  /** The selection under one of `nodeFields` (a listed report's `publisher { }`); the same object on every call. */
  underNodes(field: string): Selection;
  /** The AST nodes selecting one of `fields`, one per alias and fragment that selects it (for its arguments). */
  fieldNodes(field: string): readonly FieldNode[];
  /** The same for one of `nodeFields`. */
  nodeFieldNodes(field: string): readonly FieldNode[];
}

const NONE: ReadonlySet<string> = new Set();

/** Selects nothing: the SQL carries no extras, and every later lookup runs on its own. */
export const NOTHING_SELECTED: Selection = {
  fields: NONE,
  nodeFields: NONE,
  under: () => NOTHING_SELECTED,
  underNodes: () => NOTHING_SELECTED,
  fieldNodes: () => [],
  nodeFieldNodes: () => [],
};

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

/** The selection under some field nodes; what lies deeper is worked out when first asked for and kept. */
function selectionFrom(nodes: readonly FieldNode[], fragments: Record<string, FragmentDefinitionNode>): Selection {
  const children = childrenOf(nodes, fragments);
  const nodeLevel = [...(children.get("nodes") ?? []), ...(childrenOf(children.get("edges") ?? [], fragments).get("node") ?? [])];
  const nodeChildren = childrenOf(nodeLevel, fragments);
  const below = (of: Map<string, FieldNode[]>) => {
    const selections = new Map<string, Selection>();
    return (field: string) => {
      let selection = selections.get(field);
      if (!selection) selections.set(field, (selection = selectionFrom(of.get(field) ?? [], fragments)));
      return selection;
    };
  };
  return {
    fields: new Set(children.keys()),
    nodeFields: new Set(nodeChildren.keys()),
    under: below(children),
    underNodes: below(nodeChildren),
    fieldNodes: (field) => children.get(field) ?? [],
    nodeFieldNodes: (field) => nodeChildren.get(field) ?? [],
  };
}

// Keyed by the field's first AST node (a cached document keeps its nodes from request to request),
// checked against the rest: each distinct selection is walked once.
const cache = new WeakMap<FieldNode, { nodes: readonly FieldNode[]; selection: Selection }>();
const sameNodes = (a: readonly FieldNode[], b: readonly FieldNode[]) => a.length === b.length && a.every((node, index) => node === b[index]);

/**
 * The selection under the field being resolved. Directives (`@skip`, `@include`) are not
 * evaluated: a field they drop is still counted as selected, which costs a little SQL, never a
 * wrong answer.
 */
export function selectionOf(info: Pick<GraphQLResolveInfo, "fieldNodes" | "fragments">): Selection {
  const cached = cache.get(info.fieldNodes[0]);
  if (cached && sameNodes(cached.nodes, info.fieldNodes)) return cached.selection;
  const selection = selectionFrom(info.fieldNodes, info.fragments);
  cache.set(info.fieldNodes[0], { nodes: [...info.fieldNodes], selection });
  return selection;
}

/**
 * The arguments of `field` of `parentType`, selected by `nodes` (from `fieldNodes` or
 * `nodeFieldNodes`), coerced from the query and its variables as execution will coerce them: null
 * when the field is not selected, is selected more than once (aliases may give other arguments),
 * or its arguments do not coerce (execution reports that on the field itself).
 */
export function argumentsOf(
  info: Pick<GraphQLResolveInfo, "schema" | "variableValues">,
  nodes: readonly FieldNode[],
  parentType: string,
  field: string,
): Record<string, unknown> | null {
  const type = info.schema.getType(parentType);
  const definition = type && isObjectType(type) ? type.getFields()[field] : undefined;
  if (nodes.length !== 1 || !definition) return null;
  try {
    return getArgumentValues(definition, nodes[0], info.variableValues);
  } catch {
    return null;
  }
}

/** Resolver parameter: the `Selection` under the field being resolved. */
export function Selected() {
  return createParameterDecorator(({ info }) => selectionOf(info));
}

const columnCache = new WeakMap<ReadonlySet<string>, Map<object, string[] | null>>();

/**
 * The columns of `entity`'s table a page must read for the fields selected on its records: the
 * primary key and the record's `key` (global IDs are built from it), every column the schema does not expose under its own name (foreign keys the
 * field resolvers follow), and the exposed columns that are selected. Null when that is every
 * column. What is left out is what nobody asked for: a page of names does not parse summaries,
 * sources and arrays it will throw away.
 */
export function columnsFor(dataSource: DataSource, entity: abstract new (...args: never[]) => unknown, fields: ReadonlySet<string>): string[] | null {
  let byEntity = columnCache.get(fields);
  if (!byEntity) columnCache.set(fields, (byEntity = new Map()));
  let columns = byEntity.get(entity);
  if (columns === undefined) {
    const objectType = objectTypeOf(entity);
    const exposed = new Map((objectType?.fields ?? []).map((field) => [field.name, field.schemaName]));
    const all = dataSource.getMetadata(entity).columns;
    const needed = all.filter(
      (column) => column.isPrimary || column.propertyName === "key" || !exposed.has(column.propertyName) || fields.has(exposed.get(column.propertyName)!),
    );
    columns = needed.length === all.length ? null : needed.map((column) => column.databaseName);
    byEntity.set(entity, columns);
  }
  return columns;
}
