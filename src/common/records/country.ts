import type { Country as PackageCountry } from "world-countries";
import { declareReference } from "./declare";
import type { ReferenceFieldDecl } from "./declare";

/** A country field, and how the seed reads it from the `world-countries` package into its column. */
type CountryField = ReferenceFieldDecl & { column: string; seed: { sqlType: string; from: (c: PackageCountry) => unknown } };

/**
 * Every field of a country, said once. Countries come from the maintained `world-countries` package
 * (src/modules/country/country.seed.ts), never from a bundle, so the declaration has no bundle or
 * import part: each field says instead where the package gives it.
 */
export const country = declareReference({
  table: "country",
  stix: { object: "location", note: "one per country of origin or target" },
  fields: {
    code: {
      column: "code",
      seed: { sqlType: "char(2)", from: (c) => c.cca2 },
      nullable: false,
      graphql: "ISO 3166-1 alpha-2 code, e.g. `CN`.",
      export: [{ name: "code", sql: "e.code::text", description: "ISO 3166-1 alpha-2 code." }],
      stix: { property: "country", note: "also the id (`location--` UUIDv5 of the code)" },
    },
    alpha3: {
      column: "alpha3",
      seed: { sqlType: "char(3)", from: (c) => c.cca3 },
      nullable: false,
      graphql: "ISO 3166-1 alpha-3 code, e.g. `CHN`.",
      export: [{ name: "alpha3", sql: "e.alpha3::text", description: "ISO 3166-1 alpha-3 code." }],
    },
    name: {
      column: "name",
      seed: { sqlType: "text", from: (c) => c.name.common },
      nullable: false,
      graphql: "Common English name, e.g. `China`.",
      export: [{ name: "name", sql: "e.name", description: "Common English name." }],
      stix: { property: "name" },
    },
    region: {
      column: "region",
      seed: { sqlType: "text", from: (c) => c.region.toUpperCase() },
      nullable: false,
      graphql: "World region.",
      export: [{ name: "region", sql: "e.region", description: "Region value." }],
    },
    subregion: {
      column: "subregion",
      seed: { sqlType: "text", from: (c) => c.subregion || null },
      nullable: true,
      graphql: "Subregion, e.g. `Eastern Asia`; null for a few remote territories.",
      export: [{ name: "subregion", sql: "e.subregion", description: "Subregion." }],
    },
    lat: {
      column: "lat",
      seed: { sqlType: "double precision", from: (c) => c.latlng[0] },
      nullable: false,
      graphql: "Latitude of a representative point, in degrees.",
      export: [{ name: "lat", sql: "e.lat", description: "Latitude of a representative point." }],
    },
    lng: {
      column: "lng",
      seed: { sqlType: "double precision", from: (c) => c.latlng[1] },
      nullable: false,
      graphql: "Longitude of a representative point, in degrees.",
      export: [{ name: "lng", sql: "e.lng", description: "Longitude of a representative point." }],
    },
  } satisfies Record<string, CountryField>,
});
