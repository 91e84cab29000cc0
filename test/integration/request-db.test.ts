import { afterAll, beforeAll, describe, expect, it } from "vitest";
import pg from "pg";
import { inject } from "vitest";
import { BudgetExceededError, RequestDb } from "../../src/db/request-db";

/**
 * A request's share of the pool, against the real PostgreSQL: a cap on statements in flight and a
 * time budget whose end cancels the request's running statements on the server.
 */
const APP = `request-db-test-${process.pid}`;
let pool: pg.Pool;
let observer: pg.Client;

beforeAll(async () => {
  pool = new pg.Pool({ connectionString: inject("adminDatabaseUrl"), max: 6, application_name: APP });
  pool.on("error", () => undefined);
  observer = new pg.Client({ connectionString: inject("adminDatabaseUrl") });
  await observer.connect();
});
afterAll(async () => {
  await observer?.end();
  await pool?.end();
});

/** Statements of this test running on the server right now (sleeping ones). */
async function running(): Promise<number> {
  const { rows } = await observer.query(
    `SELECT count(*)::int AS n FROM pg_stat_activity WHERE application_name = $1 AND state = 'active' AND query LIKE '%pg_sleep%'`,
    [APP],
  );
  return rows[0].n;
}

/** Polls until `predicate` holds or the bound passes. */
async function until(predicate: () => Promise<boolean>, boundMs: number): Promise<boolean> {
  const end = Date.now() + boundMs;
  while (Date.now() < end) {
    if (await predicate()) return true;
    await new Promise((resolve) => setImmediate(resolve));
  }
  return predicate();
}

describe("a request's database access", () => {
  it("runs at most maxStatementsInFlight statements at once; the rest wait their turn", async () => {
    const db = new RequestDb(pool, { maxStatementsInFlight: 2, budgetMs: 60_000 });
    let peak = 0;
    const statements = Array.from({ length: 5 }, () => db.query("SELECT pg_sleep(0.3)"));
    const watching = (async () => {
      let settled = false;
      void Promise.all(statements).then(() => (settled = true));
      while (!settled) {
        peak = Math.max(peak, await running());
      }
    })();
    await Promise.all(statements);
    await watching;
    expect(peak).toBeGreaterThanOrEqual(1);
    expect(peak).toBeLessThanOrEqual(2);
  });

  it("cancels its running statements on the server when the budget is spent", async () => {
    const db = new RequestDb(pool, { maxStatementsInFlight: 3, budgetMs: 300 });
    let removed = 0;
    const onRemove = () => (removed += 1);
    pool.on("remove", onRemove);
    const started = Date.now();
    const outcome = await Promise.allSettled([db.query("SELECT pg_sleep(30)"), db.query("SELECT pg_sleep(30)")]);
    // The cancelled clients are closed, not handed to another request that a late cancel could reach.
    expect(await until(async () => removed === 2, 5_000)).toBe(true);
    pool.removeListener("remove", onRemove);
    for (const result of outcome) {
      expect(result.status).toBe("rejected");
      expect((result as PromiseRejectedResult).reason).toBeInstanceOf(BudgetExceededError);
      expect((result as PromiseRejectedResult).reason.extensions.code).toBe("QUERY_TOO_COMPLEX");
    }
    // Cancelled, not abandoned: nothing of this request still runs on the server, well before 30 s.
    expect(await until(async () => (await running()) === 0, 5_000)).toBe(true);
    expect(Date.now() - started).toBeLessThan(25_000);
    // A spent budget refuses further statements at once.
    await expect(db.query("SELECT 1")).rejects.toBeInstanceOf(BudgetExceededError);
  });
});

describe("prepared statements after a schema change", () => {
  it("runs a statement again, prepared anew, when a migration changed the columns it returns", async () => {
    // One connection, so the second run meets the statement the first one prepared.
    const single = new pg.Pool({ connectionString: inject("adminDatabaseUrl"), max: 1 });
    const table = `stale_plan_${process.pid}`;
    try {
      await single.query(`DROP TABLE IF EXISTS ${table}; CREATE TABLE ${table} (id int); INSERT INTO ${table} VALUES (1)`);
      const before = await new RequestDb(single).query(`SELECT * FROM ${table}`);
      expect(before).toEqual([{ id: 1 }]);
      await single.query(`ALTER TABLE ${table} ADD COLUMN note text DEFAULT 'added'`);
      const after = await new RequestDb(single).query(`SELECT * FROM ${table}`);
      expect(after).toEqual([{ id: 1, note: "added" }]);
      await single.query(`ALTER TABLE ${table} DROP COLUMN note`);
      expect(await new RequestDb(single).query(`SELECT * FROM ${table}`)).toEqual([{ id: 1 }]);
    } finally {
      await single.query(`DROP TABLE IF EXISTS ${table}`).catch(() => undefined);
      await single.end();
    }
  });
});
