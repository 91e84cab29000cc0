import { Kind, getArgumentValues, getNamedType, isInterfaceType, isObjectType } from "graphql";
import type { FieldNode, FragmentDefinitionNode, GraphQLField, GraphQLNamedType, GraphQLResolveInfo, SelectionSetNode } from "graphql";
import { createParameterDecorator } from "type-graphql";
import { fieldResolverMetadata, objectTypeOf } from "./type-graphql-internals";
import type { DataSource } from "typeorm";

/** A class a field's arguments coerce to (its `@ArgsType()`, as the resolver declares it with `@Args`). */
export type ArgsClass<A> = new () => A;

/**
 * What a query selects under one field, looked at before the field's SQL is written, so that the
 * statement can carry what the selection will ask for next (an operation's origins, a report's
 * publisher, a list's count, a nested page) instead of leaving it to a statement of its own.
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
  /** The AST nodes selecting one of `fields`, one per alias and fragment that selects it. */
  fieldNodes(field: string): readonly FieldNode[];
  /** The same for one of `nodeFields`. */
  nodeFieldNodes(field: string): readonly FieldNode[];
  /**
   * The arguments of one of `fields`, coerced from the query and this request's variables as
   * execution will coerce them, as an instance of `type`, the class the field's resolver takes them
   * as (anything else is an error): null when the field is not selected, is selected more than once
   * (aliases may give other arguments), or its arguments do not coerce (execution reports that on
   * the field itself).
   */
  argsOf<A extends object>(field: string, type: ArgsClass<A>): A | null;
  /** The same for one of `nodeFields`. */
  nodeArgsOf<A extends object>(field: string, type: ArgsClass<A>): A | null;
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
  argsOf: () => null,
  nodeArgsOf: () => null,
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

/** A field of an object or interface type, where the type has it. */
function fieldOf(type: GraphQLNamedType | undefined, field: string): GraphQLField<unknown, unknown> | undefined {
  return type && (isObjectType(type) || isInterfaceType(type)) ? type.getFields()[field] : undefined;
}

const typeOf = (type: GraphQLNamedType | undefined, field: string) => {
  const definition = fieldOf(type, field);
  return definition && getNamedType(definition.type);
};

/** Which class type-graphql built each field's arguments from, checked once per field and class. */
const checkedArgs = new WeakMap<GraphQLField<unknown, unknown>, Set<ArgsClass<unknown>>>();

/** Refuses an arguments class other than the one the field's resolver declares: the accessor's type would be a lie. */
function checkArgsClass(type: GraphQLNamedType, definition: GraphQLField<unknown, unknown>, argsClass: ArgsClass<unknown>): void {
  let checked = checkedArgs.get(definition);
  if (checked?.has(argsClass)) return;
  const declared = fieldResolverMetadata()
    .filter((resolver) => resolver.schemaName === definition.name && objectTypeOf(resolver.getObjectType?.())?.name === type.name)
    .flatMap((resolver) => resolver.params ?? [])
    .find((param) => param.kind === "args");
  if (declared?.kind !== "args" || declared.getType() !== argsClass) {
    throw new Error(`${type.name}.${definition.name} does not take its arguments as ${argsClass.name}`);
  }
  if (!checked) checkedArgs.set(definition, (checked = new Set()));
  checked.add(argsClass);
}

/** The arguments of `field` of `type`, selected by `nodes`, as `argsOf` describes them. */
function coercedArgs<A extends object>(
  type: GraphQLNamedType | undefined,
  nodes: readonly FieldNode[],
  field: string,
  argsClass: ArgsClass<A>,
  variables: Record<string, unknown>,
): A | null {
  const definition = fieldOf(type, field);
  if (nodes.length !== 1 || !type || !definition) return null;
  checkArgsClass(type, definition, argsClass);
  let values: Record<string, unknown>;
  try {
    values = getArgumentValues(definition, nodes[0], variables);
  } catch {
    return null;
  }
  return Object.assign(new argsClass(), values);
}

/**
 * What a query selects under some field nodes of a type, the same in every request that sends the
 * document; what lies deeper is worked out when first asked for and kept. `bind` gives it as a
 * `Selection` of one request, whose variables its arguments are coerced from.
 */
class SelectionShape {
  readonly children: Map<string, FieldNode[]>;
  readonly nodeChildren: Map<string, FieldNode[]>;
  readonly fields: ReadonlySet<string>;
  readonly nodeFields: ReadonlySet<string>;
  /** The type of a connection's nodes. */
  readonly nodeType: GraphQLNamedType | undefined;
  private readonly below = new Map<string, SelectionShape>();
  private readonly belowNodes = new Map<string, SelectionShape>();
  private readonly bound = new WeakMap<object, Selection>();

  constructor(
    nodes: readonly FieldNode[],
    private readonly fragments: Record<string, FragmentDefinitionNode>,
    readonly type: GraphQLNamedType | undefined,
  ) {
    this.children = childrenOf(nodes, fragments);
    const nodeLevel = [...(this.children.get("nodes") ?? []), ...(childrenOf(this.children.get("edges") ?? [], fragments).get("node") ?? [])];
    this.nodeChildren = childrenOf(nodeLevel, fragments);
    this.fields = new Set(this.children.keys());
    this.nodeFields = new Set(this.nodeChildren.keys());
    this.nodeType = typeOf(type, "nodes");
  }

  under(field: string): SelectionShape {
    let shape = this.below.get(field);
    if (!shape) this.below.set(field, (shape = new SelectionShape(this.children.get(field) ?? [], this.fragments, typeOf(this.type, field))));
    return shape;
  }

  underNodes(field: string): SelectionShape {
    let shape = this.belowNodes.get(field);
    if (!shape) this.belowNodes.set(field, (shape = new SelectionShape(this.nodeChildren.get(field) ?? [], this.fragments, typeOf(this.nodeType, field))));
    return shape;
  }

  /** This shape as the `Selection` of the request whose variables these are; one object per request. */
  bind(variables: Record<string, unknown>): Selection {
    let selection = this.bound.get(variables);
    if (!selection) {
      selection = {
        fields: this.fields,
        nodeFields: this.nodeFields,
        under: (field) => this.under(field).bind(variables),
        underNodes: (field) => this.underNodes(field).bind(variables),
        fieldNodes: (field) => this.children.get(field) ?? [],
        nodeFieldNodes: (field) => this.nodeChildren.get(field) ?? [],
        argsOf: (field, type) => coercedArgs(this.type, this.children.get(field) ?? [], field, type, variables),
        nodeArgsOf: (field, type) => coercedArgs(this.nodeType, this.nodeChildren.get(field) ?? [], field, type, variables),
      };
      this.bound.set(variables, selection);
    }
    return selection;
  }
}

// Keyed by the field's first AST node (a cached document keeps its nodes from request to request),
// checked against the rest: each distinct selection is walked once.
const cache = new WeakMap<FieldNode, { nodes: readonly FieldNode[]; shape: SelectionShape }>();
const sameNodes = (a: readonly FieldNode[], b: readonly FieldNode[]) => a.length === b.length && a.every((node, index) => node === b[index]);
/** The variables of a request that has none. */
const NO_VARIABLES: Record<string, unknown> = Object.freeze({});

/**
 * The selection under the field being resolved. Directives (`@skip`, `@include`) are not
 * evaluated: a field they drop is still counted as selected, which costs a little SQL, never a
 * wrong answer.
 */
export function selectionOf(info: Pick<GraphQLResolveInfo, "fieldNodes" | "fragments" | "returnType" | "variableValues">): Selection {
  let cached = cache.get(info.fieldNodes[0]);
  if (!cached || !sameNodes(cached.nodes, info.fieldNodes)) {
    cached = { nodes: [...info.fieldNodes], shape: new SelectionShape(info.fieldNodes, info.fragments, getNamedType(info.returnType)) };
    cache.set(info.fieldNodes[0], cached);
  }
  return cached.shape.bind(info.variableValues ?? NO_VARIABLES);
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
