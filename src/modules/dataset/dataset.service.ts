import { tableShape } from "../../db/rows";
import type { Context } from "../../context";
import { ENTITY_KINDS, storedRecordsSql } from "../../import";
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
 * SHA-256 over every stored record in the same canonical form the importer compares with (keys
 * instead of ids), so the hash depends on the facts, not on load order or internal ids. Computed
 * in PostgreSQL in one statement.
 */
export async function datasetContentHash(ctx: Context): Promise<string> {
  const parts = ENTITY_KINDS.map((kind) => `SELECT '${kind}' AS kind, r.key, row_to_json(r)::text AS doc FROM (${storedRecordsSql(kind, "true")}) r`);
  const [{ hash }] = await ctx.sql(
    `SELECT encode(sha256(convert_to(COALESCE(string_agg(kind || ' ' || doc, E'\\n' ORDER BY kind, key COLLATE "C"), ''), 'UTF8')), 'hex') AS hash
     FROM (${parts.join(" UNION ALL ")}) records`,
  );
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
