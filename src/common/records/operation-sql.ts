import type { ExportColumn } from "./declare";
import { companyField, countryName, list } from "./sql";

/**
 * SQL of the operation's edge-table fields (./operation.ts): how each is read back in bundle shape
 * (over the alias `t`) and its export columns (over the entity alias `e`).
 */

/** Reports in disclosure order: oldest first, then by key. */
export const BY_REPORT_DATE = `r.published_on, r.key COLLATE "C"`;
export const DISCLOSED_IN = "operation_report x JOIN report r ON r.id = x.report_id";
const DISCLOSURES = `${DISCLOSED_IN} WHERE x.operation_id = e.id`;

/** A multi-valued export column of one edge group: `select` over `from`, in `order`. */
const columnOf =
  (group: string, from: string, order: string) =>
  (name: string, select: string, description: string): ExportColumn => ({ name, sql: list(select, from, order), group, description });

/** Export columns over the disclosing reports, oldest first. */
export const reportColumn = columnOf("report", DISCLOSURES, "r.published_on, r.key");
/** Export columns over the countries of origin, and over the targeted countries, in stored order. */
export const originColumn = columnOf("origin", "operation_origin x WHERE x.operation_id = e.id", "x.position, x.country_code");
export const targetColumn = columnOf("target", "operation_target x WHERE x.operation_id = e.id", "x.position, x.country_code");
export { companyField, countryName };

/** The export column of no bundle field: when the operation was first disclosed. */
export const FIRST_DISCLOSED_ON: ExportColumn = {
  name: "first_disclosed_on",
  sql: `(SELECT min(r.published_on)::text FROM ${DISCLOSURES})`,
  description: "Publication date of the earliest disclosing report.",
};

/** An operation's companies in one role (operation_company): where they are written, read back, and exported. */
export function companiesInRole(role: "AI_TOOL" | "PLATFORM" | "OPERATOR") {
  const from = `operation_company x WHERE x.operation_id = e.id AND x.role = '${role}'`;
  const column = columnOf(role.toLowerCase(), from, "x.position, x.company_id");
  return {
    edge: `operation_company (role ${role}, with position)`,
    stored: `ARRAY(SELECT c.key FROM operation_company x JOIN company c ON c.id = x.company_id WHERE x.operation_id = t.id AND x.role = '${role}' ORDER BY x.position)`,
    /** The keys and names columns, `<group>_keys` and `<group>_names`. */
    export: (keys: string, names: string): ExportColumn[] => [
      column(`${role.toLowerCase()}_keys`, companyField("key", "x.company_id"), keys),
      column(`${role.toLowerCase()}_names`, companyField("name", "x.company_id"), names),
    ],
  };
}
