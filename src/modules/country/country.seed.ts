import type { QueryRunner } from "typeorm";
import worldCountries from "world-countries";

/** The countries package's rows, reduced to what the graph stores. */
export function countryRows(): { code: string; alpha3: string; name: string; region: string; subregion: string | null; lat: number; lng: number }[] {
  return worldCountries.map((c) => ({
    code: c.cca2,
    alpha3: c.cca3,
    name: c.name.common,
    region: c.region.toUpperCase(),
    subregion: c.subregion || null,
    lat: c.latlng[0],
    lng: c.latlng[1],
  }));
}

/**
 * Upserts every ISO 3166-1 country from the maintained `world-countries` package, so reference data
 * follows the package rather than a hand-typed list. Idempotent: a row changes only when the
 * package's values do. Runs in one statement.
 */
export async function seedCountries(runner: QueryRunner): Promise<number> {
  const rows = countryRows();
  await runner.query(
    `INSERT INTO country (code, alpha3, name, region, subregion, lat, lng)
     SELECT * FROM jsonb_to_recordset($1::jsonb)
       AS t(code char(2), alpha3 char(3), name text, region text, subregion text, lat double precision, lng double precision)
     ON CONFLICT (code) DO UPDATE SET alpha3 = EXCLUDED.alpha3, name = EXCLUDED.name, region = EXCLUDED.region,
       subregion = EXCLUDED.subregion, lat = EXCLUDED.lat, lng = EXCLUDED.lng
     WHERE (country.alpha3, country.name, country.region, country.subregion, country.lat, country.lng)
       IS DISTINCT FROM (EXCLUDED.alpha3, EXCLUDED.name, EXCLUDED.region, EXCLUDED.subregion, EXCLUDED.lat, EXCLUDED.lng)`,
    [JSON.stringify(rows)],
  );
  return rows.length;
}
