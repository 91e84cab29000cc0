import path from "node:path";
import { bundleSchema } from "../common/records/bundle-schema";
import { generatedFileCommand } from "./generated-file";

/**
 * `npm run bundle-schema` writes src/import/bundle.schema.json from the record declarations
 * (src/common/records), formatted as Prettier would; `npm run bundle-schema -- --check` exits 1
 * when the committed file differs (for CI).
 */
const file = path.resolve(process.cwd(), "src/import/bundle.schema.json");
generatedFileCommand("bundle-schema", file, async () => {
  // Prettier is a development dependency, as this command is a development one.
  const prettier = await import("prettier");
  return prettier.format(JSON.stringify(bundleSchema(), null, 2), { ...(await prettier.resolveConfig(file)), filepath: file });
});
