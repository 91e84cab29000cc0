import type { QueryRunner } from "typeorm";
import worldCountries from "world-countries";
import { country } from "../../common/records/country";

/** The seeded columns, in table order, as the declaration (src/common/records/country.ts) gives them. */
const FIELDS = Object.values(country.fields);
const COLUMNS = FIELDS.map((f) => f.column);
const UPDATED = COLUMNS.filter((column) => column !== "code");

/** The countries package's rows, reduced to what the graph stores (a value per column). */
export function countryRows(): Record<string, unknown>[] {
  return worldCountries.map((c) => Object.fromEntries(FIELDS.map((f) => [f.column, f.seed.from(c)])));
}

/**
 * Upserts every ISO 3166-1 country from the maintained `world-countries` package, so reference data
 * follows the package rather than a hand-typed list. Idempotent: a row changes only when the
 * package's values do. Runs in one statement.
 */
export async function seedCountries(runner: QueryRunner): Promise<number> {
  const rows = countryRows();
  await runner.query(
    `INSERT INTO country (${COLUMNS.join(", ")})
     SELECT * FROM jsonb_to_recordset($1::jsonb)
       AS t(${FIELDS.map((f) => `${f.column} ${f.seed.sqlType}`).join(", ")})
     ON CONFLICT (code) DO UPDATE SET ${UPDATED.map((column) => `${column} = EXCLUDED.${column}`).join(", ")}
     WHERE (${UPDATED.map((column) => `country.${column}`).join(", ")})
       IS DISTINCT FROM (${UPDATED.map((column) => `EXCLUDED.${column}`).join(", ")})`,
    [JSON.stringify(rows)],
  );
  return rows.length;
}
