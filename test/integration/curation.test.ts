import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp } from "../helpers/app";
import type { TestApp } from "../helpers/app";
import { readDataset } from "../helpers/dataset";
import { dumpTables } from "../helpers/db";
import { createApiKey, Role } from "../../src/modules/auth";

const dataset = readDataset();
let t: TestApp;
let editor: string;
let admin: string;
let revoked: string;

beforeAll(async () => {
  t = await startTestApp();
  editor = (await createApiKey(t.app.dataSource, "test editor", Role.EDITOR)).key;
  admin = (await createApiKey(t.app.dataSource, "test admin", Role.ADMIN)).key;
  const old = await createApiKey(t.app.dataSource, "old key", Role.ADMIN);
  revoked = old.key;
  await t.sql("UPDATE api_key SET revoked_at = now() WHERE id = $1", [old.record.id]);
});
afterAll(async () => {
  await t?.close();
});

async function call(query: string, variables: object, key?: string) {
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (key !== undefined) headers.authorization = `Bearer ${key}`;
  const response = await fetch(t.url, { method: "POST", headers, body: JSON.stringify({ query, variables }) });
  return { status: response.status, body: (await response.json()) as any };
}

const COMPANY_UPSERT = `mutation ($input: CompanyInput!) { companyUpsert(input: $input) { company { key name kind hqCountry { code } } result userErrors { path message } } }`;
const OPERATION_UPSERT = `mutation ($input: OperationInput!) { operationUpsert(input: $input) { operation { key reports(first: 50) { nodes { key } } targets { code } } result userErrors { path message } } }`;
const NEW_COMPANY = { key: "curation-test-co", name: "Curation Test Co", kind: "OTHER", hqCountry: "FR" };

describe("writes need a valid key with the right role", () => {
  it("refuses a mutation without a key, with a bad key or a revoked key, and writes nothing", async () => {
    const before = await dumpTables(t);
    const none = await call(COMPANY_UPSERT, { input: NEW_COMPANY });
    expect(none.status).toBe(401);
    expect(none.body.errors[0].extensions.code).toBe("UNAUTHENTICATED");
    expect(none.body.data?.companyUpsert ?? null).toBeNull();
    for (const key of ["mg_not-a-real-key", revoked]) {
      const bad = await call(COMPANY_UPSERT, { input: NEW_COMPANY }, key);
      expect(bad.status).toBe(401);
      expect(bad.body.errors[0].extensions.code).toBe("UNAUTHENTICATED");
    }
    const malformed = await fetch(t.url, { method: "POST", headers: { "content-type": "application/json", authorization: "Basic abc" }, body: "{}" });
    expect(malformed.status).toBe(401);
    expect(await dumpTables(t)).toEqual(before);
  });

  it("keeps reads anonymous", async () => {
    const read = await call(`{ operations { totalCount } }`, {});
    expect(read.status).toBe(200);
    // Other tests of this file delete operations: count what the database holds now.
    const [{ n }] = await t.sql(`SELECT count(*)::int AS n FROM operation`);
    expect(read.body.data.operations.totalCount).toBe(n);
  });

  it("lets only admins read the audit log", async () => {
    const asEditor = await call(`{ auditLog { id } }`, {}, editor);
    expect(asEditor.status).toBe(403);
    expect(asEditor.body.errors[0].extensions.code).toBe("FORBIDDEN");
    const anonymous = await call(`{ auditLog { id } }`, {});
    expect(anonymous.body.errors[0].extensions.code).toBe("UNAUTHENTICATED");
    expect((await call(`{ auditLog { id } }`, {}, admin)).status).toBe(200);
  });
});

describe("curation mutations", () => {
  it("creates a record, reports UNCHANGED on a repeat, and leaves one audit entry with before and after", async () => {
    const created = await call(COMPANY_UPSERT, { input: NEW_COMPANY }, editor);
    expect(created.body.data.companyUpsert).toEqual({
      company: { key: NEW_COMPANY.key, name: NEW_COMPANY.name, kind: "OTHER", hqCountry: { code: "FR" } },
      result: "CREATED",
      userErrors: [],
    });
    const again = await call(COMPANY_UPSERT, { input: NEW_COMPANY }, editor);
    expect(again.body.data.companyUpsert.result).toBe("UNCHANGED");
    const renamed = await call(COMPANY_UPSERT, { input: { key: NEW_COMPANY.key, name: "Curation Test Company" } }, editor);
    expect(renamed.body.data.companyUpsert).toMatchObject({
      company: { name: "Curation Test Company", kind: "OTHER", hqCountry: { code: "FR" } },
      result: "UPDATED",
    });

    const { body } = await call(
      `query ($k: String) { auditLog(recordKey: $k) { operation apiKeyName recordKind recordKey before after } }`,
      { k: NEW_COMPANY.key },
      admin,
    );
    expect(body.data.auditLog).toHaveLength(2);
    const [update, create] = body.data.auditLog;
    expect(create).toMatchObject({
      operation: "companyUpsert",
      apiKeyName: "test editor",
      recordKind: "companies",
      before: null,
      after: { name: "Curation Test Co" },
    });
    expect(update).toMatchObject({ before: { name: "Curation Test Co" }, after: { name: "Curation Test Company", hqCountry: "FR" } });
  });

  it("validates exactly as the importer does and writes nothing on a problem", async () => {
    const before = await dumpTables(t);
    const op = dataset.operations[0];
    const response = await call(
      OPERATION_UPSERT,
      {
        input: {
          key: "curation-bad-op",
          name: "Bad",
          reportKeys: ["no-such-report"],
          categories: ["SCAM"],
          actorType: "CRIMINAL",
          summary: "x",
          sources: ["https://example.org/x"],
          origin: [{ country: "XX", confidence: "LIKELY" }],
          breakoutScale: 9,
        },
      },
      editor,
    );
    expect(response.status).toBe(200);
    const payload = response.body.data.operationUpsert;
    expect(payload.operation).toBeNull();
    expect(payload.result).toBeNull();
    expect(payload.userErrors).toEqual(expect.arrayContaining([{ path: ["input", "breakoutScale"], message: "must be <= 6" }]));
    const partial = await call(OPERATION_UPSERT, { input: { key: op.key, targets: ["XX"], reportKeys: ["nowhere-2020-01"] } }, editor);
    expect(partial.body.data.operationUpsert.userErrors).toEqual([
      { path: ["input", "reportKeys", "0"], message: 'unknown report "nowhere-2020-01" (neither in this bundle nor in the database)' },
      { path: ["input", "targets", "0"], message: 'unknown country code "XX" (not an ISO 3166-1 alpha-2 code)' },
    ]);
    expect(await dumpTables(t)).toEqual(before);
  });

  it("adds a disclosure to a known operation without losing older ones, and statistics see it", async () => {
    const op = dataset.operations.find((o) => o.reportKeys.length === 1)!;
    const newReport = dataset.reports.find((r) => !op.reportKeys.includes(r.key))!;
    const statsBefore = (
      await call(
        `query ($k: String!) { operationStats(filter: { report: [$k] }) { totals { operations } } }`
          .replace("[$k]", `["${newReport.key}"]`)
          .replace("($k: String!) ", ""),
        {},
      )
    ).body.data.operationStats.totals.operations;
    const response = await call(OPERATION_UPSERT, { input: { key: op.key, reportKeys: [newReport.key], targets: ["NZ"] } }, editor);
    expect(response.body.data.operationUpsert.result).toBe("UPDATED");
    const reports = response.body.data.operationUpsert.operation.reports.nodes.map((n: any) => n.key).sort();
    expect(reports).toEqual([...op.reportKeys, newReport.key].sort());
    const statsAfter = (await call(`{ operationStats(filter: { report: ["${newReport.key}"] }) { totals { operations } } }`, {})).body.data.operationStats
      .totals.operations;
    expect(statsAfter).toBe(statsBefore + 1);
  });

  it("imports a whole bundle, with a dry run first", async () => {
    const bundle = { batch: "api", companies: [{ key: "api-bundle-co", name: "API Bundle Co", kind: "MEDIA" }] };
    const IMPORT = `mutation ($input: BundleImportInput!) { bundleImport(input: $input) { dryRun summary { entity created updated unchanged } userErrors { path message } } }`;
    const dry = await call(IMPORT, { input: { bundle, dryRun: true } }, editor);
    expect(dry.body.data.bundleImport.summary[0]).toEqual({ entity: "companies", created: 1, updated: 0, unchanged: 0 });
    expect((await call(`{ company(key: "api-bundle-co") { key } }`, {})).body.data.company).toBeNull();
    const real = await call(IMPORT, { input: { bundle } }, editor);
    expect(real.body.data.bundleImport).toMatchObject({ dryRun: false, userErrors: [] });
    expect((await call(`{ company(key: "api-bundle-co") { name } }`, {})).body.data.company).toEqual({ name: "API Bundle Co" });
    const broken = await call(IMPORT, { input: { bundle: { batch: "x", companies: [{ key: "Bad Key", name: "x", kind: "OTHER" }] } } }, editor);
    expect(broken.body.data.bundleImport.userErrors).toEqual([
      { path: ["input", "bundle", "companies", "0", "key"], message: "must be a lowercase slug key such as `sneer-review`" },
    ]);
  });
});

describe("deletes", () => {
  const DELETE = (name: string) => `mutation ($key: String!) { ${name}(input: { key: $key }) { deletedKey userErrors { path message } } }`;

  it("need an admin key", async () => {
    const before = await dumpTables(t);
    const response = await call(DELETE("statementDelete"), { key: dataset.statements[0].key }, editor);
    expect(response.status).toBe(403);
    expect(response.body.errors[0].extensions.code).toBe("FORBIDDEN");
    expect(await dumpTables(t)).toEqual(before);
  });

  it("delete a statement and an operation with their edges, audited, and statistics follow", async () => {
    const statement = dataset.statements[1];
    const gone = await call(DELETE("statementDelete"), { key: statement.key }, admin);
    expect(gone.body.data.statementDelete).toEqual({ deletedKey: statement.key, userErrors: [] });
    expect((await call(`query ($k: String!) { statement(key: $k) { key } }`, { k: statement.key })).body.data.statement).toBeNull();

    const total = (await call(`{ operationStats { totals { operations } } }`, {})).body.data.operationStats.totals.operations;
    const operation = dataset.operations[dataset.operations.length - 1];
    const deleted = await call(DELETE("operationDelete"), { key: operation.key }, admin);
    expect(deleted.body.data.operationDelete.deletedKey).toBe(operation.key);
    expect((await call(`{ operationStats { totals { operations } } }`, {})).body.data.operationStats.totals.operations).toBe(total - 1);
    expect(
      await t.sql("SELECT count(*)::int AS n FROM operation_report x JOIN operation o ON o.id = x.operation_id WHERE o.key = $1", [operation.key]),
    ).toEqual([{ n: 0 }]);

    const { body } = await call(`query ($k: String) { auditLog(recordKey: $k) { operation before after } }`, { k: operation.key }, admin);
    expect(body.data.auditLog[0]).toMatchObject({ operation: "operationDelete", before: { key: operation.key, name: operation.name }, after: null });
  });

  it("refuse to leave references dangling", async () => {
    const before = await dumpTables(t);
    const company = await call(DELETE("companyDelete"), { key: "openai" }, admin);
    expect(company.body.data.companyDelete.deletedKey).toBeNull();
    expect(company.body.data.companyDelete.userErrors[0]).toMatchObject({
      path: ["input", "key"],
      message: expect.stringMatching(/^company "openai" is still referred to by \d+ report\(s\)/),
    });
    const onlyDisclosure = dataset.reports.find((r) =>
      dataset.operations.some((o) => o.reportKeys.length === 1 && o.reportKeys[0] === r.key && o.key !== dataset.operations[dataset.operations.length - 1].key),
    )!;
    const report = await call(DELETE("reportDelete"), { key: onlyDisclosure.key }, admin);
    expect(report.body.data.reportDelete.userErrors[0].message).toMatch(new RegExp(`^report "${onlyDisclosure.key}" is the only disclosure of \\d+ operation`));
    const missing = await call(DELETE("reportDelete"), { key: "nobody-1999-01" }, admin);
    expect(missing.body.data.reportDelete.userErrors[0].message).toBe('no report with key "nobody-1999-01"');
    expect(await dumpTables(t)).toEqual(before);
  });
});
