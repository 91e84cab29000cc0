import "reflect-metadata";
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { createDataSource } from "../src/db/data-source";
import { migrate } from "../src/migrate";
import { ENTITIES } from "../src/entities";
import { benchDatabaseName, benchServer } from "./database";
import { generateSynthetic } from "./generate";
import pg from "pg";
import { to as copyTo } from "pg-copy-streams";
import { EXPORT_ENTITIES, listExportSql } from "../src/export";

/** Resident set size of a process, in MB, from /proc (Linux). */
const rssMb = (pid: number): number => {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return match ? Number(match[1]) / 1024 : NaN;
};

/**
 * Exports N SYNTHETIC operations (default 100,000) from a service running in its own process and
 * prints that process's RSS before, during (peak, sampled every 50 ms) and after the export: with a
 * cursor and backpressure the peak stays near the idle size however many rows go out. Reads slowly
 * on request (`--slow`) to show that a slow client does not make the service buffer rows.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      operations: { type: "string", default: "100000" },
      format: { type: "string", default: "csv" },
      slow: { type: "boolean", default: false },
      database: { type: "string" },
    },
  });
  const operations = Number(values.operations);
  const server = await benchServer();
  // A database of its own: other benchmarks may regenerate the shared synthetic databases meanwhile.
  const database = values.database ?? `${benchDatabaseName(operations)}_export`;
  const url = server.urlFor(database);
  try {
    const created = await server.ensureDatabase(database);
    const dataSource = createDataSource({ url, entities: ENTITIES, poolSize: 2, log: console.error });
    await dataSource.initialize();
    try {
      await migrate(dataSource);
      const [{ n }] = await dataSource.query("SELECT count(*)::int AS n FROM operation");
      if (created || n !== operations) {
        console.log(`generating ${operations} SYNTHETIC operations into ${database} ...`);
        await generateSynthetic(dataSource, operations);
      }
    } finally {
      await dataSource.destroy();
    }

    let exported: { rows: number; bytes: number; seconds: number } | undefined;
    const service = spawn(process.execPath, [path.resolve(__dirname, "../src/main.js")], {
      env: {
        ...process.env,
        DATABASE_URL: url,
        PORT: "0",
        LOAD_DATASET: "false",
        RATE_LIMIT_POINTS: "1000000000",
        STATEMENT_TIMEOUT_MS: "600000",
        REQUEST_TIMEOUT_MS: "3600000",
      },
      stdio: ["ignore", "pipe", "inherit"],
    });
    try {
      const base = await new Promise<string>((resolve, reject) => {
        let out = "";
        service.stdout!.on("data", (chunk: Buffer) => {
          out += chunk.toString();
          const match = /serving (http:\/\/\S+)\/graphql/.exec(out);
          if (match) resolve(match[1]);
        });
        service.once("exit", (code) => reject(new Error(`the service exited with ${code}`)));
      });
      // Warm up (schema build, pool, JIT) so "before" is the service at rest, not at birth.
      await (await fetch(`${base}/export/countries.csv`)).text();
      const before = rssMb(service.pid!);
      let peak = before;
      const sampler = setInterval(() => (peak = Math.max(peak, rssMb(service.pid!))), 50);
      const started = Date.now();
      const response = await fetch(`${base}/export/operations.${values.format}`);
      if (response.status !== 200) throw new Error(`export answered ${response.status}: ${await response.text()}`);
      let bytes = 0;
      let lines = 0;
      // RSS at each tenth of the rows: flat means memory does not grow with the rows sent.
      const total = Number(response.headers.get("x-total-count"));
      const progress: string[] = [];
      let nextMark = 1;
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        bytes += chunk.length;
        for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) lines += 1;
        while (nextMark <= 10 && lines >= (total * nextMark) / 10) {
          progress.push(`${nextMark * 10}%: ${rssMb(service.pid!).toFixed(0)}`);
          nextMark += 1;
        }
        if (values.slow) await new Promise((resolve) => setTimeout(resolve, 2));
      }
      const seconds = (Date.now() - started) / 1000;
      clearInterval(sampler);
      const after = rssMb(service.pid!);
      console.log(
        `exported /export/operations.${values.format}: ${lines} lines (${response.headers.get("x-total-count")} records), ${(bytes / 1e6).toFixed(1)} MB in ${seconds.toFixed(1)} s`,
      );
      console.log(`service RSS (MB) as the rows went out: ${progress.join(", ")}`);
      console.log(
        `service RSS: before ${before.toFixed(0)} MB, peak during ${peak.toFixed(0)} MB (+${(peak - before).toFixed(0)} MB), after ${after.toFixed(0)} MB`,
      );
      exported = { rows: total, bytes, seconds };
    } finally {
      service.kill("SIGTERM");
      await new Promise((resolve) => service.once("exit", resolve));
    }
    const copy = await copyOut(url);
    const rate = (r: { rows: number; bytes: number; seconds: number }) =>
      `${Math.round(r.rows / r.seconds)} rows/s, ${(r.bytes / 1e6 / r.seconds).toFixed(1)} MB/s (${r.rows} rows, ${(r.bytes / 1e6).toFixed(1)} MB in ${r.seconds.toFixed(2)} s)`;
    console.log(`export ${values.format}: ${rate(exported!)}`);
    console.log(`COPY (the same query) TO STDOUT (csv) through pg: ${rate(copy)}`);
    console.log(`export / COPY: ${(exported!.rows / exported!.seconds / (copy.rows / copy.seconds)).toFixed(2)}x in rows/s`);
  } finally {
    await server.stop();
  }
}

/**
 * The floor the export is measured against: the export's own SELECT (every column of
 * /export/operations, in its order) run as `COPY (...) TO STDOUT` through pg with pg-copy-streams,
 * the bytes counted and dropped, so only PostgreSQL producing the rows and the wire are timed.
 */
async function copyOut(url: string): Promise<{ rows: number; bytes: number; seconds: number }> {
  const entity = EXPORT_ENTITIES.operations;
  const sql = listExportSql(entity, entity.columns);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const started = Date.now();
    const stream = client.query(copyTo(`COPY (${sql}) TO STDOUT WITH (FORMAT csv, HEADER)`));
    let bytes = 0;
    for await (const chunk of stream as AsyncIterable<Buffer>) bytes += chunk.length;
    return { rows: Number(stream.rowCount), bytes, seconds: (Date.now() - started) / 1000 };
  } finally {
    await client.end();
  }
}

main().catch((error: Error) => {
  console.error(`bench:export failed: ${error.message}`);
  process.exit(1);
});
