import readme from "../../../README.md?url";
import api from "../../../docs/api.md?url";
import notebooks from "../../../docs/notebooks.md?url";
import operations from "../../../docs/operations.md?url";
import configuration from "../../../docs/configuration.md?url";
import codebook from "../../../docs/codebook.md?url";

/**
 * The documents the pages link to, bundled with the pages (served as plain text under /assets/), so
 * the links work offline and always show the docs of the version that runs.
 */
export const DOCS: Record<string, string> = { readme, api, notebooks, operations, configuration, codebook };

/**
 * Points every `a[data-doc]` on the page at its bundled document. The static `href` (the front
 * page's list of documents) serves until then, and without scripts.
 */
export function linkDocs(root: ParentNode = document): void {
  for (const link of root.querySelectorAll<HTMLAnchorElement>("a[data-doc]")) {
    const href = DOCS[link.dataset.doc ?? ""];
    if (href) link.href = href;
  }
}
