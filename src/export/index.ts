/** The exports' public surface: the HTTP routes that serve CSV/NDJSON and STIX files, the stable STIX ids, and a list export's SELECT (benchmarks run it as COPY). */
export { exportRoutes } from "./route";
export { stixId, uuidv5 } from "./stix/stix-id";
export { EXPORT_ENTITIES } from "./entities";
export { listExportSql } from "./list-export";
/** What the TAXII collection and the feed build on: the exports' discipline, and the whole bundle's objects. */
export { ExportDiscipline } from "./discipline";
export type { ExportRun } from "./discipline";
export { wholeDatasetStixObjects } from "./stix/stix-route";
export type { StixObject } from "./stix/stix-bundle";
/** docs/stix-mapping.md, from the record declarations the STIX export reads. */
export { renderStixMapping } from "./stix/stix-mapping";
