/** The dataset module's public surface: the import log, the dataset's version and release manifest, and its resolver. */
export { DatasetImport } from "./dataset.entity";
export { EntitySummaryRow } from "./dataset.types";
export { CALVER, DATASET_NAME, DATA_LICENCE, citationText, fileChecksums, readReleaseManifest } from "./release";
export type { ReleaseManifest } from "./release";
export { CONTENT_HASH_EXPR, DatasetVersionTracker, datasetTracker, registerDatasetTracker } from "./dataset-version";
export type { DatasetState } from "./dataset-version";
export { dataset, datasetContentHash } from "./dataset.service";
export { DatasetResolver } from "./dataset.resolver";
