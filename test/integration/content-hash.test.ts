import { createHash } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DATA_DIR, startTestApp } from "../helpers/app";
import type { TestApp } from "../helpers/app";
import { ENTITY_KINDS, importBundle, readBundle, storedRecordsSql } from "../../src/import";

/**
 * The content hash as defined, computed here from the rows themselves: every record of every kind
 * in its canonical form (the importer's `storedRecordsSql`), SHA-256 of `<kind> <record JSON>` in
 * Node, XOR over all of them. Nothing of the maintained tables or triggers is read.
 */
async function recomputed(t: TestApp): Promise<string> {
  let total = 0n;
  for (const kind of ENTITY_KINDS) {
    const rows = await t.sql<{ doc: string }>(`SELECT row_to_json(r)::text AS doc FROM (${storedRecordsSql(kind, "true")}) r`);
    for (const { doc } of rows) total ^= BigInt(`0x${createHash("sha256").update(`${kind} ${doc}`, "utf8").digest("hex")}`);
  }
  return total.toString(16).padStart(64, "0");
}

const served = async (t: TestApp) => (await t.data(`{ dataset { contentHash } }`)).dataset.contentHash as string;

const manifest = JSON.parse(fs.readFileSync(path.join(DATA_DIR, "manifest.json"), "utf8"));

let a: TestApp;
let b: TestApp;
let scratch: string;

beforeAll(async () => {
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), "mg-content-hash-"));
  [a, b] = await Promise.all([startTestApp(), startTestApp({ loadDataset: false })]);
  // The same files into the second database one at a time in reverse name order (a file whose
  // references are not loaded yet waits for the next round): records get other ids and are
  // written in another order.
  const files = fs
    .readdirSync(DATA_DIR)
    .filter((name) => name.endsWith(".json") && name !== "manifest.json")
    .sort()
    .reverse();
  const pending = [...files];
  for (let round = 0; pending.length > 0 && round < files.length; round += 1) {
    for (const name of [...pending]) {
      const result = await importBundle(b.app.dataSource, await readBundle(path.join(DATA_DIR, name)));
      if (result.ok) pending.splice(pending.indexOf(name), 1);
    }
  }
  expect(pending).toEqual([]);
});
afterAll(async () => {
  await Promise.all([a?.close(), b?.close()]);
  fs.rmSync(scratch, { recursive: true, force: true });
});

describe("the maintained content hash", () => {
  it("of the shipped data is the hash computed from the rows, and the release manifest's", async () => {
    const hash = await served(a);
    expect(hash).toBe(await recomputed(a));
    expect(hash).toBe(manifest.contentHash);
    const response = await a.gql(`{ dataset { version } }`);
    expect(response.body).toMatchObject({ extensions: { dataset: { contentHash: hash, version: manifest.version } } });
  });

  it("is the same for the same records written in another order with other ids", async () => {
    const [idsA] = await a.sql(`SELECT array_agg(key ORDER BY id) AS keys FROM operation`);
    const [idsB] = await b.sql(`SELECT array_agg(key ORDER BY id) AS keys FROM operation`);
    expect(idsB.keys).not.toEqual(idsA.keys);
    expect(await served(b)).toBe(await served(a));
    expect(await served(b)).toBe(await recomputed(b));
  });

  /** Writes that each change one exposed field of one record (or an edge that is part of it), in SQL, as any writer could. */
  const WRITES: [what: string, sql: string][] = [
    ["a company's name", `UPDATE company SET name = name || ' (renamed)' WHERE id = (SELECT min(id) FROM company)`],
    ["a company's website", `UPDATE company SET website = 'https://example.invalid/' WHERE id = (SELECT min(id) FROM company)`],
    [
      "a company's key (named by reports, operations and statements)",
      `UPDATE company SET key = key || '-renamed' WHERE id = (SELECT publisher_id FROM report ORDER BY id LIMIT 1)`,
    ],
    ["a report's title", `UPDATE report SET title = title || '.' WHERE id = (SELECT min(id) FROM report)`],
    [
      "a report's date (orders its operations' reports)",
      `UPDATE report SET published_on = published_on - 400 WHERE id = (SELECT report_id FROM operation_report GROUP BY report_id ORDER BY count(*) DESC LIMIT 1)`,
    ],
    ["a report's headline figure", `UPDATE report_figure SET value = value + 1 WHERE id = (SELECT min(id) FROM report_figure)`],
    ["an operation's summary", `UPDATE operation SET summary = summary || ' More.' WHERE id = (SELECT min(id) FROM operation)`],
    [
      "an operation's breakout scale",
      `UPDATE operation SET breakout_scale = CASE WHEN breakout_scale = 1 THEN 2 ELSE 1 END WHERE id = (SELECT max(id) FROM operation)`,
    ],
    [
      "a disclosure's own rating",
      `UPDATE operation_report SET breakout_scale = CASE WHEN breakout_scale = 3 THEN 4 ELSE 3 END WHERE (operation_id, report_id) = (SELECT operation_id, report_id FROM operation_report ORDER BY 1, 2 LIMIT 1)`,
    ],
    [
      "a disclosure's quote and locator",
      `UPDATE operation_report SET quote = COALESCE(quote, '') || ' (sic)', locator = 'p. 99' WHERE (operation_id, report_id) = (SELECT operation_id, report_id FROM operation_report ORDER BY 2, 1 LIMIT 1)`,
    ],
    ["an operation's target", `INSERT INTO operation_target (operation_id, country_code, position) SELECT min(id), 'AQ', 99 FROM operation`],
    [
      "an operation's origin",
      `DELETE FROM operation_origin WHERE (operation_id, position) = (SELECT operation_id, position FROM operation_origin ORDER BY 1, 2 LIMIT 1)`,
    ],
    [
      "an operation's AI tool",
      `DELETE FROM operation_company WHERE (operation_id, company_id, role) = (SELECT operation_id, company_id, role FROM operation_company WHERE role = 'AI_TOOL' ORDER BY 1, 2 LIMIT 1)`,
    ],
    [
      "an operation's key (named by statements)",
      `UPDATE operation SET key = key || '-renamed' WHERE id = (SELECT operation_id FROM statement_operation ORDER BY 1 LIMIT 1)`,
    ],
    ["a statement's quote", `UPDATE statement SET quote = quote || ' (sic)' WHERE id = (SELECT min(id) FROM statement)`],
    [
      "a statement's link to a report",
      `DELETE FROM statement_report WHERE (statement_id, report_id) = (SELECT statement_id, report_id FROM statement_report ORDER BY 1, 2 LIMIT 1)`,
    ],
    ["a statement", `DELETE FROM statement WHERE id = (SELECT max(id) FROM statement)`],
    ["an operation with its edges", `DELETE FROM operation WHERE id = (SELECT max(id) FROM operation)`],
  ];

  it("changes with every exposed field of every kind of record, and stays the hash computed from the rows", async () => {
    const seen = new Set([await served(a)]);
    for (const [what, sql] of WRITES) {
      const [{ changed }] = await a.sql(`WITH w AS (${sql} RETURNING 1) SELECT count(*)::int AS changed FROM w`);
      expect(changed, what).toBe(1);
      // A write from outside the service: its revision is unchanged, so read the hash directly.
      const [{ hash }] = await a.sql(
        `SELECT (SELECT string_agg(lpad(to_hex(substring(digest FROM i FOR 64)::bit(64)::bigint), 16, '0'), '' ORDER BY i) FROM dataset_digest, generate_series(1, 256, 64) i) AS hash`,
      );
      expect(seen.has(hash), what).toBe(false);
      expect(hash, what).toBe(await recomputed(a));
      seen.add(hash);
    }
  });

  it("follows imports (which refresh what they wrote at the end), and a write undone gives the hash back", async () => {
    const before = await served(b);
    const [{ key, summary }] = await b.sql(`SELECT key, summary FROM operation ORDER BY key LIMIT 1`);
    let writes = 0;
    const write = async (text: string) => {
      const file = path.join(scratch, `write-${(writes += 1)}.json`);
      fs.writeFileSync(file, JSON.stringify({ batch: "content-hash", operations: [{ key, summary: text }] }));
      const result = await importBundle(b.app.dataSource, await readBundle(file));
      expect(result.summary.operations).toEqual({ created: 0, updated: 1, unchanged: 0 });
    };
    await write("A different summary, for the content hash test.");
    const changed = await served(b);
    expect(changed).not.toBe(before);
    expect(changed).toBe(await recomputed(b));
    expect(((await b.gql(`{ dataset { version } }`)).body as any).extensions.dataset).toEqual({
      contentHash: changed,
      version: `${manifest.version}+modified`,
    });
    await write(summary);
    expect(await served(b)).toBe(before);
    expect(((await b.gql(`{ dataset { version } }`)).body as any).extensions.dataset).toEqual({ contentHash: before, version: manifest.version });
  });
});
