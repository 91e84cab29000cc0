import { InitialSchema1764115200000 } from "./1764115200000-InitialSchema";

/** Every migration, in the order they apply. A new migration is added at the end. */
export const MIGRATIONS = [InitialSchema1764115200000];
