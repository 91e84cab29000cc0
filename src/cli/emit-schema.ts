import "reflect-metadata";
import fs from "node:fs";
import path from "node:path";
import { buildAppSchema, schemaSdl } from "../schema";

/** Writes schema.graphql from the code (`npm run schema`); a test fails when the committed file drifts. */
async function main(): Promise<void> {
  const file = path.resolve(process.cwd(), "schema.graphql");
  fs.writeFileSync(file, schemaSdl(await buildAppSchema()));
  console.log(`wrote ${file}`);
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exit(1);
});
