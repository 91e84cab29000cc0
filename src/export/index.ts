/** The exports' public surface: the HTTP routes that serve CSV/NDJSON and STIX files, and the stable STIX ids. */
export { exportRoute } from "./route";
export { stixExportRoute } from "./stix/stix-route";
export { stixId, uuidv5 } from "./stix/stix-id";
