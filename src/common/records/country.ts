import type { Country as PackageCountry } from "world-countries";
import { declareReference } from "./declare";
import type { ReferenceFieldDecl } from "./declare";
import { exportColumn } from "./fields";

/** A country field, and how the seed reads it from the `world-countries` package into its column. */
type CountryField = ReferenceFieldDecl & { column: string; seed: { sqlType: string; from: (c: PackageCountry) => unknown } };

/**
 * A column the seed fills from the package, exported as it is under its own name (fixed-width codes
 * as text); not null unless said.
 */
function seeded(
  column: string,
  sqlType: string,
  from: CountryField["seed"]["from"],
  d: Pick<ReferenceFieldDecl, "graphql" | "stix"> & { nullable?: true; exported: string },
): CountryField {
  const { nullable = false, exported, ...rest } = d;
  return { column, seed: { sqlType, from }, nullable, ...rest, export: exportColumn(column, exported, sqlType.startsWith("char(") ? "::text" : "") };
}

/** The latitude (`index` 0 of the package's `latlng`) or longitude (1) of a country's representative point. */
function coordinate(column: string, index: 0 | 1, what: "Latitude" | "Longitude"): CountryField {
  return seeded(column, "double precision", (c) => c.latlng[index], {
    graphql: `${what} of a representative point, in degrees.`,
    exported: `${what} of a representative point.`,
  });
}

/**
 * Every field of a country, said once. Countries come from the maintained `world-countries` package
 * (src/modules/country/country.seed.ts), never from a bundle, so the declaration has no bundle or
 * import part: each field says instead where the package gives it.
 */
export const country = declareReference({
  table: "country",
  stix: { object: "location", note: "one per country of origin or target" },
  fields: {
    code: seeded("code", "char(2)", (c) => c.cca2, {
      graphql: "ISO 3166-1 alpha-2 code, e.g. `CN`.",
      exported: "ISO 3166-1 alpha-2 code.",
      stix: { property: "country", note: "also the id (`location--` UUIDv5 of the code)" },
    }),
    alpha3: seeded("alpha3", "char(3)", (c) => c.cca3, { graphql: "ISO 3166-1 alpha-3 code, e.g. `CHN`.", exported: "ISO 3166-1 alpha-3 code." }),
    name: seeded("name", "text", (c) => c.name.common, {
      graphql: "Common English name, e.g. `China`.",
      exported: "Common English name.",
      stix: { property: "name" },
    }),
    region: seeded("region", "text", (c) => c.region.toUpperCase(), { graphql: "World region.", exported: "Region value." }),
    subregion: seeded("subregion", "text", (c) => c.subregion || null, {
      nullable: true,
      graphql: "Subregion, e.g. `Eastern Asia`; null for a few remote territories.",
      exported: "Subregion.",
    }),
    lat: coordinate("lat", 0, "Latitude"),
    lng: coordinate("lng", 1, "Longitude"),
  } satisfies Record<string, CountryField>,
});
