/** The country module's public surface: entity, regions, the seed, lookups, and its resolver. */
export { Country, Region } from "./country.entity";
export { seedCountries } from "./country.seed";
export { countriesByCode, countriesSpec, requireCountryCodes } from "./country.service";
export { CountryResolver } from "./country.resolver";
