import "reflect-metadata";
import path from "node:path";
import { buildAppSchema } from "../schema";
import { readBundle } from "../import";
import { renderCodebook } from "../codebook/codebook";
import { generatedFileCommand } from "./generated-file";

/**
 * `npm run codebook` writes docs/codebook.md from the schema and data/ (`-- --data <dir>` for
 * another folder); `npm run codebook -- --check` exits 1 when the committed file is stale (for CI).
 */
generatedFileCommand("codebook", path.resolve(process.cwd(), "docs/codebook.md"), async ({ data }) =>
  renderCodebook(await buildAppSchema(), await readBundle(data)),
);
