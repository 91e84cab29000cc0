import path from "node:path";
import type { DataSource } from "typeorm";
import { formatProblem, readBundle } from "./bundle";
import { importBundle } from "./importer";

export { readBundle, formatProblem, problemText, bundleFromDocuments, RELEASE_MANIFEST } from "./bundle";
export { default as bundleSchema } from "./bundle.schema.json";
export { dataQuality } from "./data-quality";
export { derivedValues } from "./disclosures";
export { closest, didYouMean, editDistance } from "./suggest";
export { formatPreview } from "./preview";
export type { ImportPreview, RecordChange, FieldChange, ListChange, Redisclosure } from "./preview";
export type { Bundle, Problem } from "./bundle";
export { importBundle } from "./importer";
export type { ImportResult, ImportOptions, EntitySummary } from "./importer";
export { ENTITY_KINDS } from "./kinds";
export type { EntityKind } from "./kinds";
export { storedRecordsSql } from "./stored";
export { inWriteTurn } from "./turn";

/**
 * Loads the bundled dataset through the importer when the database holds no records yet (first
 * start). Returns whether it loaded; a broken bundle stops start-up with every problem listed.
 */
export async function loadDatasetIfEmpty(dataSource: DataSource, dataDir: string, log: (message: string) => void): Promise<boolean> {
  const [{ empty }] = await dataSource.query(
    "SELECT NOT EXISTS (SELECT 1 FROM company) AND NOT EXISTS (SELECT 1 FROM report) AND NOT EXISTS (SELECT 1 FROM operation) AS empty",
  );
  if (!empty) return false;
  const bundle = await readBundle(path.relative(process.cwd(), dataDir) || ".");
  const result = await importBundle(dataSource, bundle);
  if (!result.ok) {
    throw new Error(`the dataset in ${dataDir} has ${result.problems.length} problem(s):\n${result.problems.map(formatProblem).join("\n")}`);
  }
  const s = result.summary;
  log(
    `loaded the dataset from ${dataDir}: ${s.reports.created} reports, ${s.operations.created} operations, ${s.statements.created} statements, ${s.companies.created} companies`,
  );
  return true;
}
