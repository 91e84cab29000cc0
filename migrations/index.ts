import { InitialSchema1764115200000 } from "./1764115200000-InitialSchema";
import { OperationFacts1764201600000 } from "./1764201600000-OperationFacts";
import { ApiKeysAndAudit1764288000000 } from "./1764288000000-ApiKeysAndAudit";
import { MaintainedFacts1764400000000 } from "./1764400000000-MaintainedFacts";
import { TypedSourcesAndDisclosures1764500000000 } from "./1764500000000-TypedSourcesAndDisclosures";
import { UniqueApiKeyNames1764800000000 } from "./1764800000000-UniqueApiKeyNames";
import { RevisionNotify1764950000000 } from "./1764950000000-RevisionNotify";
import { FullTextSearch1765000000000 } from "./1765000000000-FullTextSearch";
import { IncrementalSync1765100000000 } from "./1765100000000-IncrementalSync";
import { OperationCounts1765200000000 } from "./1765200000000-OperationCounts";
import { FoldedApiKeyNames1765310000000 } from "./1765310000000-FoldedApiKeyNames";
import { DisclosureQuotes1765400000000 } from "./1765400000000-DisclosureQuotes";
import { TaxiiObjectVersions1765410000000 } from "./1765410000000-TaxiiObjectVersions";
import { ReaderNameOrder1765420000000 } from "./1765420000000-ReaderNameOrder";
import { MaintainedContentHash1765430000000 } from "./1765430000000-MaintainedContentHash";
import { ParentKeysetIndexes1765440000000 } from "./1765440000000-ParentKeysetIndexes";

/** Every migration, in the order they apply. A new migration is added at the end. */
export const MIGRATIONS = [InitialSchema1764115200000, OperationFacts1764201600000, ApiKeysAndAudit1764288000000, MaintainedFacts1764400000000, TypedSourcesAndDisclosures1764500000000, UniqueApiKeyNames1764800000000, RevisionNotify1764950000000, FullTextSearch1765000000000, IncrementalSync1765100000000, OperationCounts1765200000000, FoldedApiKeyNames1765310000000, DisclosureQuotes1765400000000, TaxiiObjectVersions1765410000000, ReaderNameOrder1765420000000, MaintainedContentHash1765430000000, ParentKeysetIndexes1765440000000];
