import "reflect-metadata";
import fs from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { buildAppSchema } from "../schema";
import { readBundle } from "../import";
import { renderCodebook } from "../codebook/codebook";

/**
 * `npm run codebook` writes docs/codebook.md from the schema and data/; `npm run codebook -- --check`
 * exits 1 when the committed file is stale (for CI).
 */
async function main(): Promise<number> {
  const { values } = parseArgs({ options: { check: { type: "boolean", default: false }, data: { type: "string", default: "data" } } });
  const file = path.resolve(process.cwd(), "docs/codebook.md");
  const text = renderCodebook(await buildAppSchema(), await readBundle(values.data!));
  if (values.check) {
    const current = fs.existsSync(file) ? fs.readFileSync(file, "utf8") : "";
    if (current !== text) {
      console.error("docs/codebook.md is stale: run npm run codebook and commit it");
      return 1;
    }
    console.log("docs/codebook.md: current");
    return 0;
  }
  fs.writeFileSync(file, text);
  console.log(`wrote ${file}`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`codebook failed: ${error.message}`);
    process.exit(1);
  },
);
