import "reflect-metadata";
import { parseArgs } from "node:util";
import { finish, withDatabase } from "./session";
import { ENTITY_KINDS, formatPreview, formatProblem, importBundle, readBundle } from "../import";

const USAGE = "usage: npm run import -- <file-or-folder> [--dry-run] [--replace] [--format text|json]";

/**
 * `npm run import -- <file-or-folder> [--dry-run] [--replace] [--format text|json]`: validates a
 * bundle and upserts it in one transaction. Prints every problem with its file and JSON path and
 * exits 1 without writing, or prints created/updated/unchanged per entity and any warnings (records
 * supported only by mirrors or other weak sources). `--dry-run` also prints, per record, what the
 * import would change (fields with old and new values, list items added, re-disclosures linked);
 * `--format json` prints the whole result as one JSON document for tools.
 */
async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    options: {
      "dry-run": { type: "boolean", default: false },
      replace: { type: "boolean", default: false },
      format: { type: "string", default: "text" },
      help: { type: "boolean", short: "h" },
    },
    allowPositionals: true,
  });
  if (values.help || positionals.length !== 1 || !["text", "json"].includes(values.format as string)) {
    console.error(USAGE);
    return values.help ? 0 : 2;
  }
  const bundle = await readBundle(positionals[0]);
  return withDatabase(async (dataSource) => {
    const result = await importBundle(dataSource, bundle, { dryRun: values["dry-run"], replace: values.replace });
    if (values.format === "json") {
      console.log(JSON.stringify({ source: bundle.source, ...result }, null, 2));
      return result.ok ? 0 : 1;
    }
    if (!result.ok) {
      console.error(`${bundle.source}: ${result.problems.length} problem(s); nothing was written`);
      for (const problem of result.problems) console.error(`  ${formatProblem(problem)}`);
      return 1;
    }
    console.log(`${result.dryRun ? "dry run (nothing written)" : "imported"}: ${bundle.source}`);
    if (result.dryRun) for (const line of formatPreview(result.preview)) console.log(line);
    console.log(`${"entity".padEnd(12)}${"created".padStart(9)}${"updated".padStart(9)}${"unchanged".padStart(11)}`);
    for (const kind of ENTITY_KINDS) {
      const s = result.summary[kind];
      console.log(`${kind.padEnd(12)}${String(s.created).padStart(9)}${String(s.updated).padStart(9)}${String(s.unchanged).padStart(11)}`);
    }
    if (result.warnings.length > 0) {
      console.log(`${result.warnings.length} warning(s):`);
      for (const warning of result.warnings) console.log(`  warning: ${formatProblem(warning)}`);
    }
    return 0;
  });
}

finish("import", main());
