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
  return dataset;
}

export const sorted = <T>(values: Iterable<T>): T[] => [...values].sort();
