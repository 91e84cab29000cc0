import path from "node:path";
import { renderStixMapping } from "../export";
import { generatedFileCommand } from "./generated-file";

/**
 * `npm run stix-mapping` writes docs/stix-mapping.md from the record declarations;
 * `npm run stix-mapping -- --check` exits 1 when the committed file is stale (for CI).
 */
generatedFileCommand("stix-mapping", path.resolve(process.cwd(), "docs/stix-mapping.md"), async () => renderStixMapping());
