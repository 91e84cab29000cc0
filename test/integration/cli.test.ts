import { execFile } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, startTestApp } from "../helpers/app";
import type { TestApp } from "../helpers/app";
import { readDataset } from "../helpers/dataset";
import { dumpTables } from "../helpers/db";

const run = promisify(execFile);
const dataset = readDataset();
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp();
  await run("npm", ["run", "--silent", "build"], { cwd: ROOT }); // the CLI runs from dist/
});
afterAll(async () => {
  await t?.close();
});

/** Runs a command in the project with DATABASE_URL pointing at this file's database (or `app`'s). */
async function command(file: string, args: string[], app: TestApp = t): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(file, args, { cwd: ROOT, env: { ...process.env, DATABASE_URL: app.databaseUrl }, timeout: 120_000 });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** Parses the importer's summary table into { entity: [created, updated, unchanged] }. */
function summary(stdout: string): Record<string, number[]> {
  const rows: Record<string, number[]> = {};
  for (const match of stdout.matchAll(/^(companies|reports|operations|statements)\s+(\d+)\s+(\d+)\s+(\d+)$/gm)) {
    rows[match[1]] = [Number(match[2]), Number(match[3]), Number(match[4])];
  }
  return rows;
}

describe("npm run import", () => {
  it("loads data/ and, run again, prints 0 created and 0 updated", async () => {
    // Into an empty database of its own; the other tests here read the shipped data.
    const empty = await startTestApp({ loadDataset: false });
    try {
      const first = await command("npm", ["run", "--silent", "import", "--", "data/"], empty);
      expect(first.code, first.stderr).toBe(0);
      expect(summary(first.stdout)).toEqual({
        companies: [dataset.companies.length, 0, 0],
        reports: [dataset.reports.length, 0, 0],
        operations: [dataset.operations.length, 0, 0],
        statements: [dataset.statements.length, 0, 0],
      });
      const second = await command("npm", ["run", "--silent", "import", "--", "data/"], empty);
      expect(second.code, second.stderr).toBe(0);
      expect(summary(second.stdout)).toEqual({
        companies: [0, 0, dataset.companies.length],
        reports: [0, 0, dataset.reports.length],
        operations: [0, 0, dataset.operations.length],
        statements: [0, 0, dataset.statements.length],
      });
    } finally {
      await empty.close();
    }
  });

  it("exits 1 on a broken bundle, lists every problem, and writes nothing", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mg-cli-"));
    const file = path.join(dir, "broken.json");
    fs.writeFileSync(
      file,
      JSON.stringify({
        batch: "broken",
        companies: [{ key: "cli-co", name: "CLI Co", kind: "NOT_A_KIND" }],
        operations: [{ ...dataset.operations.find((o) => !o.disclosures?.length)!, key: "cli-op", reportKeys: ["cli-2026-01"] }],
      }),
    );
    const before = await dumpTables(t);
    const result = await command("node", ["dist/src/cli/import.js", file]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("2 problem(s); nothing was written");
    expect(result.stderr).toContain(`${file}: companies[0].kind: must be one of AI_PROVIDER`);
    expect(result.stderr).toContain(`${file}: operations[0].reportKeys[0]: unknown report "cli-2026-01"`);
    expect(await dumpTables(t)).toEqual(before);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("--dry-run shows each field an update changes with old and new values, as text and as JSON, and writes nothing", async () => {
    const company = dataset.companies.find((c) => c.website)!;
    const [stored] = await t.sql(`SELECT name FROM company WHERE key = $1`, [company.key]);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mg-cli-"));
    const file = path.join(dir, "rename.json");
    fs.writeFileSync(file, JSON.stringify({ batch: "rename", companies: [{ key: company.key, name: "Renamed For The Preview" }] }));
    const before = await dumpTables(t);
    const text = await command("node", ["dist/src/cli/import.js", file, "--dry-run"]);
    expect(text.code, text.stderr).toBe(0);
    expect(text.stdout).toContain(`updated   company ${company.key} (${file}: companies[0])`);
    expect(text.stdout).toContain(`    name: ${JSON.stringify(stored.name)} -> "Renamed For The Preview"`);
    const json = await command("node", ["dist/src/cli/import.js", file, "--dry-run", "--format", "json"]);
    expect(json.code, json.stderr).toBe(0);
    const result = JSON.parse(json.stdout);
    expect(result.preview.records).toEqual([
      {
        kind: "companies",
        key: company.key,
        file,
        path: "companies[0]",
        result: "UPDATED",
        fields: [{ field: "name", before: stored.name, after: "Renamed For The Preview" }],
        lists: [],
      },
    ]);
    const { sequences: _a, ...tablesBefore } = before;
    const { sequences: _b, ...tablesAfter } = await dumpTables(t);
    expect(tablesAfter).toEqual(tablesBefore);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("--dry-run prints the summary and writes nothing", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mg-cli-"));
    const file = path.join(dir, "new.json");
    fs.writeFileSync(file, JSON.stringify({ batch: "new", companies: [{ key: "dry-run-co", name: "Dry Run Co", kind: "OTHER" }] }));
    const before = await dumpTables(t);
    const result = await command("node", ["dist/src/cli/import.js", file, "--dry-run"]);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain("dry run (nothing written)");
    expect(summary(result.stdout).companies).toEqual([1, 0, 0]);
    const { sequences: _a, ...tablesBefore } = before;
    const { sequences: _b, ...tablesAfter } = await dumpTables(t);
    expect(tablesAfter).toEqual(tablesBefore);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe("npm run apikey", () => {
  it("creates a key that works, lists it without the key, and revokes it", async () => {
    const created = await command("node", ["dist/src/cli/apikey.js", "create", "--name", "cli curator", "--role", "editor"]);
    expect(created.code, created.stderr).toBe(0);
    const key = /^(mg_\S+)$/m.exec(created.stdout)![1];
    const id = /created key (\d+)/.exec(created.stdout)![1];
    const [stored] = await t.sql("SELECT key_hash, key_prefix FROM api_key WHERE id = $1", [Number(id)]);
    expect(stored.key_hash).not.toContain(key);
    expect(stored.key_hash).toMatch(/^[0-9a-f]{64}$/);

    const write = (bearer: string) =>
      fetch(t.url, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${bearer}` },
        body: JSON.stringify({ query: `mutation { companyUpsert(input: { key: "cli-key-co", name: "CLI Key Co", kind: OTHER }) { result } }` }),
      });
    expect((await write(key)).status).toBe(200);

    const listed = await command("node", ["dist/src/cli/apikey.js", "list"]);
    expect(listed.stdout).toMatch(new RegExp(`^${id}\\t${stored.key_prefix}…\\teditor\\tcli curator\\tactive$`, "m"));
    expect(listed.stdout).not.toContain(key);

    const revoked = await command("node", ["dist/src/cli/apikey.js", "revoke", id]);
    expect(revoked.code, revoked.stderr).toBe(0);
    const refused = await write(key);
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as any).errors[0].message).toBe("This API key has been revoked");
  });
});

describe("npm run data:check", () => {
  it("passes on the shipped data/", async () => {
    const result = await command("npm", ["run", "--silent", "data:check"]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout.trim().split("\n").pop()).toBe("ok");
  });

  it("fails on a mis-typed source kind, a record resting on OTHER alone, and values typed for several reports", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mg-data-check-"));
    try {
      const report = (key: string, publishedOn: string) => ({
        key,
        title: "A report",
        publisher: "openai",
        publishedOn,
        url: `https://openai.com/${key}`,
        summary: "A report.",
        sources: [{ url: `https://openai.com/${key}`, kind: "PUBLISHER" }],
      });
      fs.writeFileSync(
        path.join(dir, "bundle.json"),
        JSON.stringify({
          companies: [
            { key: "openai", name: "OpenAI", kind: "AI_PROVIDER" },
            { key: "weak", name: "Weak", kind: "OTHER", sources: [{ url: "https://blog.example.org/a", kind: "OTHER" }] },
          ],
          reports: [
            {
              ...report("openai-2025-01", "2025-01-10"),
              sources: [...report("openai-2025-01", "").sources, { url: "https://www.euronews.com/x", kind: "OTHER" }],
            },
            report("openai-2025-06", "2025-06-10"),
          ],
          operations: [
            {
              key: "rated-twice",
              name: "Rated twice",
              reportKeys: ["openai-2025-01", "openai-2025-06"],
              categories: ["SCAM"],
              actorType: "CRIMINAL",
              summary: "An operation.",
              breakoutScale: 2,
              sources: [
                { url: "https://github.com/facebook/threat-research", kind: "MIRROR" },
                { url: "https://openai.com/o", kind: "PUBLISHER" },
              ],
            },
          ],
        }),
      );
      const result = await command("npm", ["run", "--silent", "data:check", "--", dir]);
      expect(result.code).toBe(1);
      expect(result.stdout).toContain("https://www.euronews.com/x is OTHER, its host says PRESS");
      expect(result.stdout).toContain("https://github.com/facebook/threat-research is MIRROR, its host says PUBLISHER");
      expect(result.stdout).toMatch(/records resting on MIRROR or OTHER sources alone: 1\n {2}companies weak /);
      expect(result.stdout).toContain("rated-twice");
      expect(result.stdout).toContain("disclosed by 2 reports but types breakoutScale itself");
      expect(result.stdout).toContain(
        "FAILED: every source's kind must be its host's; no record may rest on MIRROR or OTHER sources alone; an operation with several reports gives its values per disclosure",
      );
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
