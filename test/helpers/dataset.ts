import fs from "node:fs";
import path from "node:path";
import { DATA_DIR } from "./app";

/** The shipped dataset as the tests' oracle: read straight from data/*.json, never typed in. */
export interface Dataset {
  companies: any[];
  reports: any[];
  operations: any[];
  statements: any[];
}

export function readDataset(dir = DATA_DIR): Dataset {
  const dataset: Dataset = { companies: [], reports: [], operations: [], statements: [] };
  for (const file of fs
    .readdirSync(dir)
    .filter((name) => name.endsWith(".json") && name !== "manifest.json")
    .sort()) {
    const document = JSON.parse(fs.readFileSync(path.join(dir, file), "utf8"));
    for (const kind of ["companies", "reports", "operations", "statements"] as const) dataset[kind].push(...(document[kind] ?? []));
  }
  const published = new Map(dataset.reports.map((r) => [r.key, r.publishedOn as string]));
  for (const o of dataset.operations) withDerivedValues(o, (key) => published.get(key) ?? "");
  return dataset;
}

/**
 * An operation with disclosures leaves its Breakout Scale, accounts banned and origin confidences
 * to them (docs/bundle-format.md, *Disclosures*): the latest report (by date, then key) that states
 * each gives it. The oracle reads the files by that rule, written here on its own.
 */
function withDerivedValues(o: any, dateOf: (key: string) => string): void {
  if (!o.disclosures?.length) return;
  const ordered = [...o.disclosures].sort((a, b) => dateOf(a.report).localeCompare(dateOf(b.report)) || (a.report < b.report ? -1 : 1));
  const latest = (field: string) => [...ordered].reverse().find((d) => d[field] !== undefined && d[field] !== null)?.[field] ?? null;
  o.breakoutScale = latest("breakoutScale") ?? o.breakoutScale ?? null;
  o.accountsBanned = latest("accountsBanned") ?? o.accountsBanned ?? null;
  const confidence = latest("originConfidence");
  if (confidence) o.origin = (o.origin ?? []).map((x: any) => ({ country: x.country, confidence }));
}

export const sorted = <T>(values: Iterable<T>): T[] => [...values].sort();
