import { execFile, spawnSync } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT, startTestApp } from "../helpers/app";
import type { TestApp } from "../helpers/app";

const run = promisify(execFile);
let t: TestApp;

beforeAll(async () => {
  t = await startTestApp({ loadDataset: false });
  const build = spawnSync(process.execPath, ["scripts/build-if-stale.js"], { cwd: ROOT, encoding: "utf8", timeout: 240_000 });
  expect(build.status, build.stdout + build.stderr).toBe(0);
}, 250_000);
afterAll(async () => {
  await t?.close();
});

/** Runs a command with DATABASE_URL set; returns its exit code and everything it printed. */
async function command(file: string, args: string[], databaseUrl: string): Promise<{ code: number | string; output: string; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(file, args, { cwd: ROOT, env: { ...process.env, DATABASE_URL: databaseUrl, PORT: "0" }, timeout: 120_000 });
    return { code: 0, output: stdout + stderr, stdout, stderr };
  } catch (error) {
    const e = error as { code: number | null; signal: string | null; stdout: string; stderr: string };
    return { code: e.code ?? `killed by ${e.signal}`, output: e.stdout + e.stderr, stdout: e.stdout, stderr: e.stderr };
  }
}
const npm = (args: string[], databaseUrl: string) => command("npm", args, databaseUrl);
const node = (args: string[], databaseUrl: string) => command(process.execPath, args, databaseUrl);

describe("credentials in database URLs are never printed", () => {
  const secret = "S3cret";
  const wrongScheme = `mysql://admin:${secret}@x/db`;
  const unparsable = `postgres://admin:${secret}@x:notaport/db`;
  const unreachable = `postgres://admin:${secret}@127.0.0.1:1/db`;

  it("by the service (npm start and node) nor by apikey, import and migrate, whatever is wrong with the URL", async () => {
    const runs = await Promise.all([
      npm(["start"], wrongScheme),
      node(["dist/src/main.js"], unparsable),
      node(["dist/src/main.js"], unreachable),
      npm(["run", "apikey", "--", "list"], wrongScheme),
      node(["dist/src/cli/import.js", "data"], unparsable),
      node(["dist/src/cli/migrate.js"], unreachable),
    ]);
    for (const { code, output } of runs) {
      expect(code, output.slice(-400)).toBe(1);
      expect(output).not.toContain(secret);
    }
    const [start, unparsableStart, unreachableStart, apikey, importRun] = runs.map((r) => r.output);
    expect(start).toMatch(/failed to start: DATABASE_URL must be a postgres:\/\/ or postgresql:\/\/ URL \(got "mysql:\/\/admin:\*\*\*@x\/db"\)/);
    expect(unparsableStart).toMatch(/DATABASE_URL must be a URL .*\(got "postgres:\/\/admin:\*\*\*@x:notaport\/db"\)/);
    expect(unreachableStart).toMatch(/failed to start/);
    expect(apikey).toMatch(/apikey failed: DATABASE_URL must be/);
    expect(importRun).toMatch(/import failed: DATABASE_URL must be/);
  });
});

describe("API key names", () => {
  it("are unique: a second `apikey create` with the same name fails with a clear message and creates nothing", async () => {
    const first = await npm(["run", "--silent", "apikey", "--", "create", "--name", "curator", "--role", "admin"], t.databaseUrl);
    expect(first.code, first.output).toBe(0);
    const id = Number(/created key (\d+) "curator"/.exec(first.stdout)![1]);
    const second = await node(["dist/src/cli/apikey.js", "create", "--name", "curator", "--role", "editor"], t.databaseUrl);
    expect(second.code).toBe(1);
    expect(second.stderr).toContain(`an API key named "curator" already exists (id ${id})`);
    expect(await t.sql("SELECT id, role FROM api_key WHERE name = 'curator'")).toEqual([{ id, role: "admin" }]);
  });

  it("let the audit log name the key that wrote, by id and name", async () => {
    const created = await node(["dist/src/cli/apikey.js", "create", "--name", "auditor", "--role", "admin"], t.databaseUrl);
    const id = Number(/created key (\d+) "auditor"/.exec(created.stdout)![1]);
    const key = /^(mg_\S+)$/m.exec(created.stdout)![1];
    const call = async (query: string, variables: object = {}) => {
      const response = await fetch(t.url, {
        method: "POST",
        headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
        body: JSON.stringify({ query, variables }),
      });
      return (await response.json()) as any;
    };
    const write = await call(`mutation ($input: CompanyInput!) { companyUpsert(input: $input) { result } }`, {
      input: { key: "secrets-test-co", name: "Secrets Test Co", kind: "OTHER", hqCountry: "FR" },
    });
    expect(write.data.companyUpsert.result).toBe("CREATED");
    const log = await call(`{ auditLog(recordKey: "secrets-test-co") { apiKey { id name } apiKeyName operation } }`);
    expect(log.data.auditLog).toEqual([{ apiKey: { id, name: "auditor" }, apiKeyName: "auditor", operation: "companyUpsert" }]);
  });
});
