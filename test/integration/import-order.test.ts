import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prng } from "../../bench/generate-bundle";
import { DATA_DIR, startTestApp } from "../helpers/app";
import type { TestApp } from "../helpers/app";
import { readDataset } from "../helpers/dataset";
import { dumpTables } from "../helpers/db";
import { importBundle, readBundle } from "../../src/import";

/**
 * The list fields whose order carries no meaning, by record kind, as docs/bundle-format.md
 * describes them: sets of names, keys, codes, figures and per-report disclosures. `sources` is left
 * out on purpose: its order means something (the publisher's page first).
 */
const ORDER_FREE: Record<string, string[]> = {
  companies: [],
  reports: ["figures"],
  operations: ["aliases", "reportKeys", "disclosures", "categories", "origin", "targets", "aiTools", "platforms", "operators"],
  statements: ["reportKeys", "operationKeys"],
};

/** A permutation of `values` that differs from it whenever it can (two or more distinct entries). */
function shuffled<T>(random: () => number, values: T[]): T[] {
  const out = [...values];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  if (out.length > 1 && JSON.stringify(out) === JSON.stringify(values)) out.reverse();
  return out;
}

/** Writes the shipped bundle again with every order-free list, and the records of each file, shuffled. */
function permutedBundle(dir: string, seed: number): { movable: number; moved: number } {
  const random = prng(seed);
  let movable = 0;
  let moved = 0;
  for (const file of fs.readdirSync(DATA_DIR).filter((name) => name.endsWith(".json") && name !== "manifest.json")) {
    const document = JSON.parse(fs.readFileSync(path.join(DATA_DIR, file), "utf8"));
    document.$schema = undefined;
    for (const [kind, fields] of Object.entries(ORDER_FREE)) {
      if (!document[kind]) continue;
      document[kind] = shuffled(random, document[kind]);
      for (const record of document[kind]) {
        for (const field of fields) {
          if (!Array.isArray(record[field])) continue;
          const before = JSON.stringify(record[field]);
          record[field] = shuffled(random, record[field]);
          if (new Set(JSON.parse(before).map((entry: unknown) => JSON.stringify(entry))).size > 1) movable += 1;
          if (JSON.stringify(record[field]) !== before) moved += 1;
        }
      }
    }
    fs.writeFileSync(path.join(dir, file), JSON.stringify(document, null, 2));
  }
  return { movable, moved };
}

const dataset = readDataset();
let t: TestApp;
let scratch: string;

beforeAll(async () => {
  t = await startTestApp();
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), "mg-order-"));
});
afterAll(async () => {
  await t?.close();
  fs.rmSync(scratch, { recursive: true, force: true });
});

describe("re-importing the shipped bundle with its order-free lists permuted", () => {
  const unchanged = {
    companies: { created: 0, updated: 0, unchanged: dataset.companies.length },
    reports: { created: 0, updated: 0, unchanged: dataset.reports.length },
    operations: { created: 0, updated: 0, unchanged: dataset.operations.length },
    statements: { created: 0, updated: 0, unchanged: dataset.statements.length },
  };

  for (const [seed, replace] of [
    [1, false],
    [2, false],
    [3, true],
    [4, true],
  ] as const) {
    it(`changes nothing (seed ${seed}${replace ? ", lists replaced" : ""})`, async () => {
      const dir = path.join(scratch, `seed-${seed}`);
      fs.mkdirSync(dir);
      const { movable, moved } = permutedBundle(dir, seed);
      // The permutation really moves things: every list of two or more entries changes order.
      expect(movable).toBeGreaterThan(200);
      expect(moved).toBe(movable);

      const before = await dumpTables(t);
      const result = await importBundle(t.app.dataSource, await readBundle(dir), { replace });
      expect(result.problems).toEqual([]);
      expect(result.summary).toEqual(unchanged);
      expect(result.preview.records.filter((record) => record.result !== "UNCHANGED")).toEqual([]);
      // Only the import log (a row, and its id sequence) may differ.
      const after = await dumpTables(t);
      expect({ ...after, dataset_import: [], sequences: [] }).toEqual({ ...before, dataset_import: [], sequences: [] });
      expect(after.dataset_import).toHaveLength(before.dataset_import.length + 1);
    });
  }
});
