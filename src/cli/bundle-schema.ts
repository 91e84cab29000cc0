import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { bundleSchema } from "../common/records/bundle-schema";

/**
 * `npm run bundle-schema` writes src/import/bundle.schema.json from the record declarations
 * (src/common/records), formatted as Prettier would; `npm run bundle-schema -- --check` exits 1
 * when the committed file differs (for CI).
 */
async function main(): Promise<number> {
  const { values } = parseArgs({ options: { check: { type: "boolean", default: false } } });
  const file = path.resolve(process.cwd(), "src/import/bundle.schema.json");
  // Prettier is a development dependency, as this command is a development one.
  const prettier = await import("prettier");
  const text = await prettier.format(JSON.stringify(bundleSchema(), null, 2), { ...(await prettier.resolveConfig(file)), filepath: file });
  if (values.check) {
    const current = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
    if (current !== text) {
      console.error("src/import/bundle.schema.json is stale: run npm run bundle-schema and commit it");
      return 1;
    }
    console.log("src/import/bundle.schema.json: current");
    return 0;
  }
  fs.writeFileSync(file, text);
  console.log(`wrote ${file}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`bundle-schema failed: ${error.message}`);
    process.exit(1);
  },
);
