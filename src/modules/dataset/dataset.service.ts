import { tableShape } from "../../db/rows";
import type { Context } from "../../context";
import { CONTENT_HASH_EXPR } from "./dataset-version";
import { DatasetImport } from "./dataset.entity";
import type { Dataset, DatasetCounts } from "./dataset.types";

/** Record counts per kind, in one statement. */
export async function datasetCounts(ctx: Context): Promise<DatasetCounts> {
  const [counts] = await ctx.sql(`SELECT
      (SELECT count(*) FROM report)::int AS reports,
      (SELECT count(*) FROM operation)::int AS operations,
      (SELECT count(*) FROM operation_report)::int AS disclosures,
      (SELECT count(*) FROM statement)::int AS statements,
      (SELECT count(*) FROM company)::int AS companies,
      (SELECT count(*) FROM country)::int AS countries`);
  return counts;
}

/**
 * The content hash over every stored record in the canonical form the importer compares with (keys
 * instead of ids), so it depends on the facts, not on load order or internal ids: maintained by the
 * writes themselves (`CONTENT_HASH_EXPR`), one row to read.
 */
export async function datasetContentHash(ctx: Context): Promise<string> {
  const [{ hash }] = await ctx.sql(`SELECT ${CONTENT_HASH_EXPR} AS hash`);
  return hash;
}

/** The dataset's provenance; counts and hash are resolved only when asked for. */
export async function dataset(ctx: Context): Promise<Omit<Dataset, "counts" | "contentHash">> {
  const [latest] = await ctx.sql(
    `SELECT imported_at FROM dataset_import
     WHERE EXISTS (SELECT 1 FROM jsonb_each(summary) s WHERE (s.value->>'created')::int + (s.value->>'updated')::int > 0)
     ORDER BY imported_at DESC, id DESC LIMIT 1`,
  );
  return { loadedAt: latest ? new Date(latest.imported_at) : null };
}

/** The latest imports, newest first. */
export function recentImports(ctx: Context, limit: number): Promise<DatasetImport[]> {
  const shape = tableShape(ctx.dataSource, DatasetImport);
  return ctx.sql("SELECT * FROM dataset_import ORDER BY imported_at DESC, id DESC LIMIT $1", [limit]).then((rows) => rows.map(shape.map));
}
