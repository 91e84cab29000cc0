/** The exports' public surface: the HTTP routes that serve CSV/NDJSON and STIX files, and the stable STIX ids. */
export { exportRoutes } from "./route";
export { stixId, uuidv5 } from "./stix/stix-id";
