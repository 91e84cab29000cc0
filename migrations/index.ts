import { InitialSchema1764115200000 } from "./1764115200000-InitialSchema";
import { OperationFacts1764201600000 } from "./1764201600000-OperationFacts";
import { ApiKeysAndAudit1764288000000 } from "./1764288000000-ApiKeysAndAudit";
import { UniqueApiKeyNames1764800000000 } from "./1764800000000-UniqueApiKeyNames";

/** Every migration, in the order they apply. A new migration is added at the end. */
export const MIGRATIONS = [InitialSchema1764115200000, OperationFacts1764201600000, ApiKeysAndAudit1764288000000, UniqueApiKeyNames1764800000000];
