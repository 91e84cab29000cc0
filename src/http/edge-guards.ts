import { GraphQLError, GraphQLID, Kind, TypeInfo, getNamedType, valueFromAST, visit, visitWithTypeInfo } from "graphql";
import type { ArgumentNode, DocumentNode, GraphQLInputType, GraphQLSchema, OperationDefinitionNode, ValueNode } from "graphql";
import type { ApolloServerPlugin } from "@apollo/server";
import { fromGlobalId } from "../common/global-id";

const NUL = /\u0000/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/** How deep objects and lists may nest in a request's variables and extensions (the schema's inputs nest a few levels). */
export const MAX_INPUT_DEPTH = 64;

/** What is wrong with one string, or null. */
function badString(value: string, where: string): string | null {
  const nul = NUL.exec(value);
  if (nul) return `${where} contains a NUL character (U+0000) at index ${nul.index}`;
  const surrogate = LONE_SURROGATE.exec(value);
  if (surrogate) return `${where} contains a lone UTF-16 surrogate (U+${surrogate[0].charCodeAt(0).toString(16).toUpperCase()}) at index ${surrogate.index}`;
  return null;
}

/**
 * Finds the first string under `value` holding a NUL character or a lone UTF-16 surrogate (neither
 * can be stored in PostgreSQL text nor encoded as UTF-8), and says where: `variables.input.name`,
 * `query`; or objects and lists nested deeper than MAX_INPUT_DEPTH, named by the outermost value
 * that holds them (`variables.filter`). Returns null when every string is clean. Walks without
 * recursion, so no nesting can overflow the stack.
 */
export function findBadCharacter(value: unknown, where: string): string | null {
  const stack: { value: unknown; where: string; depth: number; root: string }[] = [{ value, where, depth: 0, root: where }];
  while (stack.length > 0) {
    const item = stack.pop()!;
    if (typeof item.value === "string") {
      const found = badString(item.value, item.where);
      if (found) return found;
      continue;
    }
    if (item.value === null || typeof item.value !== "object") continue;
    if (item.depth >= MAX_INPUT_DEPTH) return `${item.root} is nested deeper than ${MAX_INPUT_DEPTH} levels of objects and lists`;
    const children: (typeof item)[] = [];
    const child = (value: unknown, where: string) => children.push({ value, where, depth: item.depth + 1, root: item.depth === 0 ? where : item.root });
    if (Array.isArray(item.value)) {
      item.value.forEach((element, i) => child(element, `${item.where}[${i}]`));
    } else {
      for (const [key, element] of Object.entries(item.value)) {
        const found = badString(key, `${item.where} (a key)`);
        if (found) return found;
        child(element, `${item.where}.${key}`);
      }
    }
    for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
  }
  return null;
}

/**
 * Checks a GraphQL request's parts as the HTTP layer parsed them (POST body or GET parameters):
 * the message of a 400 BAD_USER_INPUT when a string in them cannot be processed, else null.
 */
export function badCharacterInRequest(body: unknown, search: URLSearchParams): string | null {
  for (const name of ["query", "operationName", "variables", "extensions"]) {
    const raw = search.get(name);
    if (raw === null) continue;
    let value: unknown = raw;
    if (name === "variables" || name === "extensions") {
      try {
        value = JSON.parse(raw);
      } catch {
        // Apollo Server answers malformed JSON parameters itself.
      }
    }
    const found = findBadCharacter(value, name);
    if (found) return found;
  }
  if (typeof body === "string") return findBadCharacter(body, "query");
  if (body !== null && typeof body === "object" && !Array.isArray(body)) {
    for (const [key, value] of Object.entries(body)) {
      const found = findBadCharacter(key, "a body key") ?? findBadCharacter(value, key);
      if (found) return found;
    }
  }
  return null;
}

/**
 * The first string literal of the document (argument values, at any depth of an input object or
 * list, and variable defaults) that holds a NUL character or a lone surrogate, named as argument
 * errors are (`filter.text: contains a NUL ... (an argument of operations)`). Null when every literal is clean. The
 * JSON body can be clean while the document's own escapes (`"\\u0000"`) write a NUL.
 */
export function findBadCharacterInDocument(document: DocumentNode): string | null {
  let found: string | null = null;
  const check = (value: ValueNode, where: string, path: string): void => {
    if (found) return;
    if (value.kind === Kind.STRING) {
      const bad = badString(value.value, `${path}:`);
      if (bad) found = `${bad} (an argument of ${where})`;
    } else if (value.kind === Kind.LIST) value.values.forEach((item, index) => check(item, where, `${path}[${index}]`));
    else if (value.kind === Kind.OBJECT) value.fields.forEach((field) => check(field.value, where, `${path}.${field.name.value}`));
  };
  visit(document, {
    Field(node) {
      for (const argument of node.arguments ?? []) check(argument.value, node.name.value, argument.name.value);
    },
    Directive(node) {
      for (const argument of node.arguments ?? []) check(argument.value, `@${node.name.value}`, argument.name.value);
    },
    VariableDefinition(node) {
      if (node.defaultValue) check(node.defaultValue, "the operation", `$${node.variable.name.value}`);
    },
  });
  return found;
}

/** An argument of type ID (or a list of IDs) in a document, and the operation it is in (null: in a fragment). */
interface IdArgument {
  node: ArgumentNode;
  type: GraphQLInputType;
  operation: OperationDefinitionNode | null;
}

/** The ID arguments of a document, found once per parsed document. */
function idArguments(schema: GraphQLSchema, document: DocumentNode): IdArgument[] {
  const found: IdArgument[] = [];
  const typeInfo = new TypeInfo(schema);
  let operation: OperationDefinitionNode | null = null;
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      OperationDefinition: {
        enter: (node) => void (operation = node),
        leave: () => void (operation = null),
      },
      Argument(node) {
        const argument = typeInfo.getArgument();
        if (argument && getNamedType(argument.type) === GraphQLID) found.push({ node, type: argument.type, operation });
      },
    }),
  );
  return found;
}

/**
 * Reads every ID argument the operation (with its fragments) passes, from the document or its
 * variables, as a global ID: a malformed one throws the BAD_USER_INPUT that `node`/`nodes` would
 * throw while running (`id: ... is not a valid global ID`, `ids[1]: ...`), but before execution,
 * so the answer is a 400 without data rather than a 200 whose data holds a null.
 */
function checkGlobalIds(ids: readonly IdArgument[], operation: OperationDefinitionNode, variables: Record<string, unknown>): void {
  for (const { node, type, operation: inOperation } of ids) {
    if (inOperation !== null && inOperation !== operation) continue;
    const value = valueFromAST(node.value, type, variables);
    const name = node.name.value;
    if (typeof value === "string") fromGlobalId(value, name);
    else if (Array.isArray(value)) value.forEach((item, index) => typeof item === "string" && fromGlobalId(item, `${name}[${index}]`));
  }
}

/**
 * What the operation guard reads from a document, worked out once per parsed document (Apollo
 * keeps parsed documents, so a repeated query reuses the same object).
 */
const documentFacts = new WeakMap<DocumentNode, { badLiteral: string | null; ids: IdArgument[] }>();

/**
 * Refuses, before anything runs, operations this service cannot run as sent: a document with
 * several operations and no (or an unknown) operationName is 400 OPERATION_RESOLUTION_FAILURE
 * (execution and the query limits need the one operation to run); a subscription is 400
 * BAD_REQUEST (it needs a streaming transport this service does not offer); a string literal with
 * a NUL or lone surrogate, or a malformed global ID, is 400 BAD_USER_INPUT naming the argument.
 */
export function operationGuardPlugin(): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, document, request, schema }) {
          if (!operation) {
            const count = document.definitions.filter((d) => d.kind === Kind.OPERATION_DEFINITION).length;
            const message = request.operationName
              ? `The document has no operation named ${JSON.stringify(request.operationName.slice(0, 100))}`
              : `The document holds ${count} operations; name the one to run in operationName`;
            throw new GraphQLError(message, { extensions: { code: "OPERATION_RESOLUTION_FAILURE", http: { status: 400 } } });
          }
          if (operation.operation === "subscription") {
            throw new GraphQLError("Subscriptions are not supported: this API serves queries and mutations over HTTP only", {
              extensions: { code: "BAD_REQUEST", http: { status: 400 } },
            });
          }
          let facts = documentFacts.get(document);
          if (!facts) {
            facts = { badLiteral: findBadCharacterInDocument(document), ids: idArguments(schema, document) };
            documentFacts.set(document, facts);
          }
          if (facts.badLiteral) throw new GraphQLError(facts.badLiteral, { extensions: { code: "BAD_USER_INPUT", http: { status: 400 } } });
          checkGlobalIds(facts.ids, operation, request.variables ?? {});
        },
      };
    },
  };
}
