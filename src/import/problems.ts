import { findNodeAtLocation, parseTree } from "jsonc-parser";
import type { Node } from "jsonc-parser";
import type { Bundle, Problem } from "./bundle";

/** `operations[3].origin[0].country` -> `["operations", 3, "origin", 0, "country"]`. */
export function pathSegments(path: string): (string | number)[] {
  return path
    .split(/[.[\]]+/)
    .filter(Boolean)
    .map((part) => (/^\d+$/.test(part) ? Number(part) : part));
}

/** Where a path starts in a file: the offset of its node, or of its nearest ancestor that exists. */
function offsetIn(tree: Node | undefined, path: string): number {
  if (!tree) return -1;
  const segments = pathSegments(path);
  while (segments.length > 0) {
    const node = findNodeAtLocation(tree, segments);
    if (node) return node.parent?.type === "property" ? node.parent.offset : node.offset;
    segments.pop();
  }
  return 0;
}

const KIND_ORDER = ["batch", "curatedOn", "companies", "reports", "operations", "statements"];

/** Compares paths segment by segment, kinds in schema order and indices as numbers: the order of a document written in schema order. */
function comparePaths(a: string, b: string): number {
  const x = pathSegments(a);
  const y = pathSegments(b);
  for (let i = 0; i < Math.min(x.length, y.length); i += 1) {
    if (x[i] === y[i]) continue;
    if (i === 0 && KIND_ORDER.includes(String(x[0])) && KIND_ORDER.includes(String(y[0])))
      return KIND_ORDER.indexOf(String(x[0])) - KIND_ORDER.indexOf(String(y[0]));
    if (typeof x[i] === "number" && typeof y[i] === "number") return (x[i] as number) - (y[i] as number);
    return String(x[i]) < String(y[i]) ? -1 : 1;
  }
  return x.length - y.length;
}

/**
 * Puts problems in reading order: by file (in bundle order), then by where the path sits in the
 * file's text (files read from disk), or by path with indices compared as numbers (documents given
 * as values). Problems at the same place keep the order the checks found them in.
 */
export function sortProblems(problems: Problem[], bundle: Bundle): Problem[] {
  const fileOrder = new Map(bundle.files.map((file, index) => [file, index]));
  const trees = new Map<string, Node | undefined>();
  const tree = (file: string) => {
    if (!trees.has(file)) {
      const text = bundle.texts.get(file);
      trees.set(file, text === undefined ? undefined : parseTree(text));
    }
    return trees.get(file);
  };
  const keyed = problems.map((problem, index) => ({ problem, index, offset: offsetIn(tree(problem.file), problem.path) }));
  keyed.sort(
    (a, b) =>
      (fileOrder.get(a.problem.file) ?? Infinity) - (fileOrder.get(b.problem.file) ?? Infinity) ||
      (a.offset >= 0 && b.offset >= 0 ? a.offset - b.offset : comparePaths(a.problem.path, b.problem.path)) ||
      a.index - b.index,
  );
  return keyed.map((k) => k.problem);
}
