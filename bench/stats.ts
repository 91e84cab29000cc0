import "reflect-metadata";
import { parseArgs } from "node:util";
import pg from "pg";
import type { DataSource } from "typeorm";
import { loadConfig } from "../src/config";
import { createApp } from "../src/app";
import { SESSION_SETTINGS } from "../src/db/data-source";
import { createContext } from "../src/context";
import type { Context } from "../src/context";
import { resolveOperationFilter } from "../src/modules/operation";
import type { OperationFilter } from "../src/modules/operation";
import { operationCrossTab, operationDistribution, operationTimeSeries, operationTotals, DateAxis, OperationDimension, TimeInterval } from "../src/stats";
import { benchDatabaseName, benchServer } from "./database";
import { generateSynthetic } from "./generate";

/** One statistic: the GraphQL request a client sends, and the service call that runs its SQL. */
interface Case {
  name: string;
  filter: Partial<OperationFilter> | null;
  query: string;
  run(ctx: Context, selection: { filters: Awaited<ReturnType<typeof resolveOperationFilter>>[] }): Promise<unknown>;
}

const CASES: Case[] = [
  { name: "totals", filter: null, query: `totals { operations disclosures reports accountsBanned }`, run: (ctx, s) => operationTotals(ctx, s) },
  ...(["ORIGIN_COUNTRY", "TARGET_REGION", "CATEGORY", "PUBLISHER", "AI_TOOL", "YEAR"] as OperationDimension[]).map((d) => ({
    name: `by ${d}`,
    filter: null,
    query: `by(dimension: ${d}) { denominator buckets { key count share } }`,
    run: (ctx: Context, s: any) => operationDistribution(ctx, s, d, 10, true),
  })),
  {
    name: "by CATEGORY, origin CN",
    filter: { originCountry: ["CN"] },
    query: `by(dimension: CATEGORY) { denominator buckets { key count share } }`,
    run: (ctx, s) => operationDistribution(ctx, s, OperationDimension.CATEGORY, 10, true),
  },
  {
    name: "crossTab ORIGIN_COUNTRY x CATEGORY",
    filter: null,
    query: `crossTab(rows: ORIGIN_COUNTRY, columns: CATEGORY) { grandTotal cells { row column count } }`,
    run: (ctx, s) => operationCrossTab(ctx, s, OperationDimension.ORIGIN_COUNTRY, OperationDimension.CATEGORY),
  },
  {
    name: "overTime MONTH FIRST_DISCLOSED",
    filter: null,
    query: `overTime(interval: MONTH) { buckets { start count } }`,
    run: (ctx, s) => operationTimeSeries(ctx, s, { interval: TimeInterval.MONTH, dateAxis: DateAxis.FIRST_DISCLOSED, cumulative: false }),
  },
  {
    name: "overTime QUARTER DISCLOSURE by PUBLISHER",
    filter: null,
    query: `overTime(interval: QUARTER, dateAxis: DISCLOSURE, splitBy: PUBLISHER) { buckets { start count splits { key count } } }`,
    run: (ctx, s) =>
      operationTimeSeries(ctx, s, { interval: TimeInterval.QUARTER, dateAxis: DateAxis.DISCLOSURE, splitBy: OperationDimension.PUBLISHER, cumulative: false }),
  },
];

/** Runs `fn` with every SQL statement it sends through the request's database access recorded. */
async function captureSql(dataSource: DataSource, fn: (ctx: Context) => Promise<unknown>): Promise<{ sql: string; params: unknown[] }[]> {
  const captured: { sql: string; params: unknown[] }[] = [];
  const ctx = createContext(dataSource);
  const run = ctx.sql;
  ctx.sql = (sql, params = []) => {
    captured.push({ sql, params: [...params] });
    return run(sql, params);
  };
  await fn(ctx);
  return captured;
}

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
};

async function time(fn: () => Promise<unknown>): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { sizes: { type: "string", default: "10000,100000,1000000" }, runs: { type: "string", default: "15" } } });
  const sizes = values.sizes!.split(",").map(Number);
  const runs = Number(values.runs);
  const server = await benchServer();
  const rows: string[][] = [["operations", "statistic", "api p50 ms", "api p95 ms", "sql p50 ms", "sql p95 ms", "api/sql (p50)"]];
  try {
    for (const size of sizes) {
      const database = benchDatabaseName(size);
      await server.ensureDatabase(database);
      const url = server.urlFor(database);
      const app = await createApp(
        loadConfig({ DATABASE_URL: url, PORT: "0", LOG_LEVEL: "silent", LOAD_DATASET: "false", NODE_ENV: "production", EXPOSE_SQL_STATEMENT_COUNT: "false" }),
      );
      try {
        const [{ n }] = await app.dataSource.query("SELECT count(*)::int AS n FROM operation");
        if (n !== size) {
          process.stderr.write(`generating ${size} SYNTHETIC operations into ${database}...\n`);
          await generateSynthetic(app.dataSource, size);
        }
        const endpoint = await app.listen();
        // The same session settings as the service's pool, so both sides run the same plans.
        const direct = new pg.Client({ connectionString: url, options: SESSION_SETTINGS });
        await direct.connect();
        try {
          for (const c of CASES) {
            const body = JSON.stringify({
              query: `query ($filter: OperationFilter) { operationStats(filter: $filter) { ${c.query} } }`,
              variables: { filter: c.filter },
            });
            const api = async () => {
              const response = await fetch(endpoint, { method: "POST", headers: { "content-type": "application/json" }, body });
              const json = (await response.json()) as { errors?: unknown };
              if (json.errors) throw new Error(`${c.name}: ${JSON.stringify(json.errors)}`);
            };
            const statements = await captureSql(app.dataSource, async (ctx) =>
              c.run(ctx, { filters: [await resolveOperationFilter(ctx, c.filter as OperationFilter)] }),
            );
            const sql = async () => {
              for (const s of statements) await direct.query(s.sql, s.params);
            };
            await api();
            await sql();
            const apiTimes: number[] = [];
            const sqlTimes: number[] = [];
            for (let i = 0; i < runs; i++) {
              apiTimes.push(await time(api));
              sqlTimes.push(await time(sql));
            }
            const row = [
              String(size),
              c.name,
              percentile(apiTimes, 50).toFixed(1),
              percentile(apiTimes, 95).toFixed(1),
              percentile(sqlTimes, 50).toFixed(1),
              percentile(sqlTimes, 95).toFixed(1),
              (percentile(apiTimes, 50) / percentile(sqlTimes, 50)).toFixed(2),
            ];
            rows.push(row);
            process.stderr.write(`${row.join("  ")}\n`);
          }
        } finally {
          await direct.end();
        }
      } finally {
        await app.close();
      }
    }
  } finally {
    await server.stop();
  }
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  console.log(rows.map((r) => r.map((cell, i) => (i < 2 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join("  ")).join("\n"));
}

main().catch((error: Error) => {
  console.error(`bench:stats failed: ${error.stack ?? error.message}`);
  process.exit(1);
});
