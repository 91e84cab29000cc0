/** The node module's public surface: loading any record by global ID, and the `node` resolver. */
export { loadNode } from "./node.service";
export { NodeResolver } from "./node.resolver";
