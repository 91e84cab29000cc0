/** The exports' public surface: the HTTP routes that serve CSV/NDJSON and STIX files, the stable STIX ids, and a list export's SELECT (benchmarks run it as COPY). */
export { exportRoutes } from "./route";
export { stixId, uuidv5 } from "./stix/stix-id";
export { EXPORT_ENTITIES } from "./entities";
export { listExportSql } from "./list-export";
