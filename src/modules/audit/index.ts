/** The audit module's public surface: the audit trail's entity, read by curation and the data source. */
export { AuditEntry } from "./audit.entity";
