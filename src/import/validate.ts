import type { EntityManager } from "typeorm";
import type { Bundle, Problem } from "./bundle";
import { checkBundle } from "./checks";
import type { Known } from "./checks";
import { sortProblems } from "./problems";

/**
 * Every problem a bundle has, in file order: those its files had when read, and the cross-record
 * checks against what the database holds (references, keys, country codes). Every stored key is
 * read, not only those referred to: a wrong one is answered with the closest ones.
 */
export async function validateBundle(db: EntityManager, bundle: Bundle, storedStatements: Iterable<string>): Promise<Problem[]> {
  const keysOf = async (table: string) => new Set(((await db.query(`SELECT key FROM ${table}`)) as { key: string }[]).map((row) => row.key));
  const countries: { code: string }[] = await db.query("SELECT code FROM country");
  const known: Known = {
    companies: await keysOf("company"),
    reports: await keysOf("report"),
    operations: await keysOf("operation"),
    statements: new Set(storedStatements),
    countries: new Set(countries.map((c) => c.code)),
  };
  return sortProblems([...bundle.problems, ...checkBundle(bundle, known)], bundle);
}

/** Report keys the bundle's operations and statements refer to, to look up among stored reports. */
export function referencedReports(bundle: Bundle): string[] {
  const reports = new Set<string>();
  for (const { record: o } of bundle.operations) {
    o.reportKeys?.forEach((k) => reports.add(k));
    o.disclosures?.forEach((d) => reports.add(d.report));
  }
  for (const { record: s } of bundle.statements) s.reportKeys?.forEach((k) => reports.add(k));
  return [...reports];
}
