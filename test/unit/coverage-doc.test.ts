import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers/app";
import { readDataset } from "../helpers/dataset";

/** docs/coverage.md lists every publisher's reports; the rows marked "yes" name a report key in data/. */
const doc = fs.readFileSync(path.join(ROOT, "docs", "coverage.md"), "utf8");
const tableRows = doc.split("\n").filter((line) => line.startsWith("| "));
const reports = readDataset().reports;

describe("docs/coverage.md", () => {
  it("has a row for every report in data/, with its key, date and URL", () => {
    const missing = reports.filter(
      (report) => !tableRows.some((row) => row.includes(`yes: \`${report.key}\``) && row.includes(report.publishedOn) && row.includes(`<${report.url}>`)),
    );
    expect(
      missing.map((report) => report.key),
      "add a row `| date | title | <url> | yes: \\`key\\` |` to docs/coverage.md",
    ).toEqual([]);
  });

  it("marks as in the dataset only reports that data/ holds, each once", () => {
    const named = tableRows.flatMap((row) => [...row.matchAll(/yes: `([a-z0-9-]+)`/g)].map((match) => match[1]));
    expect(named.length).toBeGreaterThan(0);
    expect(named.filter((key) => !reports.some((report) => report.key === key))).toEqual([]);
    expect(named.length).toBe(new Set(named).size);
  });
});
