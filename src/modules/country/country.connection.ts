import { ConnectionType } from "../../common/connection";
import { Country } from "./country.entity";

/** A page of countrys: `CountryConnection` with `CountryEdge`. */
export const CountryConnection = ConnectionType(() => Country, "Country", "country");
export type CountryConnection = InstanceType<typeof CountryConnection>;
