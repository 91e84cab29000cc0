/** The exports' public surface: the HTTP routes that serve CSV/NDJSON and STIX files, and the stable STIX ids. */
export { exportRoutes } from "./route";
export { stixId, uuidv5 } from "./stix/stix-id";
/** What the TAXII collection builds on: the exports' discipline and error answers, and the whole bundle's objects. */
export { ExportDiscipline, exportErrorAnswer, sendExportError } from "./discipline";
export type { ExportRun } from "./discipline";
export { wholeDatasetStixObjects } from "./stix/stix-route";
export type { StixObject } from "./stix/stix-bundle";
