import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, expect, it } from "vitest";
import { ROOT, startTestApp } from "../helpers/app";
import type { TestApp } from "../helpers/app";
import { createApiKey, Role } from "../../src/modules/auth";
import { PYTHON, needs, python } from "../helpers/engines";

const enabled = needs("the Python client suite", python());

let t: TestApp;
let limited: TestApp;
let adminKey: string;

beforeAll(async () => {
  if (!enabled) return;
  [t, limited] = await Promise.all([
    startTestApp(),
    // A second service with a budget of 3 points, for the client's RateLimited error.
    startTestApp({ loadDataset: false, env: { RATE_LIMIT_POINTS: "3", RATE_LIMIT_WINDOW_SECONDS: "3600" } }),
  ]);
  // For the sync test's writes (an upsert and a delete).
  adminKey = (await createApiKey(t.app.dataSource, "python sync test", Role.ADMIN)).key;
});
afterAll(async () => {
  await Promise.all([t?.close(), limited?.close()]);
});

function run(command: string, args: string[], env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...env } });
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });
}

it.skipIf(!enabled)("the Python client's unittest suite passes against the live service", async () => {
  const { code, output } = await run(PYTHON, ["-m", "unittest", "discover", "-v", path.join("clients", "python", "tests")], {
    MISUSE_GRAPH_URL: t.url.replace(/\/graphql$/, ""),
    MISUSE_GRAPH_LIMITED_URL: limited.url,
    MISUSE_GRAPH_ADMIN_KEY: adminKey,
  });
  expect(code, output).toBe(0);
  expect(output).toMatch(/Ran \d+ tests/);
  // The tests that carry the acceptance criteria ran rather than skipped.
  expect(output).toMatch(/test_operations_have_as_many_rows_as_totalCount .* ok/);
  expect(output).toMatch(/test_stats_by_category_sums_to_operationStats .* ok/);
  expect(output).toMatch(/test_long_layout_explodes_exactly_one_named_list .* ok/);
  expect(output).toMatch(/test_rate_limited_says_when_the_budget_resets .* ok/);
  expect(output).toMatch(/test_sync_returns_exactly_an_upsert_and_a_delete .* ok/);
});
