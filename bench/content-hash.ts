import "reflect-metadata";
import { spawn } from "node:child_process";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { createDataSource } from "../src/db/data-source";
import { migrate } from "../src/migrate";
import { ENTITIES } from "../src/entities";
import { benchDatabaseName, benchServer } from "./database";
import { generateSynthetic } from "./generate";

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
const ms = (started: bigint) => Number(process.hrtime.bigint() - started) / 1e6;

/**
 * The maintained content hash at size: generates N SYNTHETIC operations (default 1,000,000) into a
 * database of its own (dropped at the end unless `--keep`), starts the service in its own process
 * with its default statement timeout, checks that answers carry `extensions.dataset`, then times
 * single writes: the write statement with every trigger (facts and digests), the digest refresh of
 * the written record alone, and from commit to the first answer that carries the new hash.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { operations: { type: "string", default: "1000000" }, writes: { type: "string", default: "20" }, keep: { type: "boolean", default: false } },
  });
  const operations = Number(values.operations);
  const writes = Number(values.writes);
  const server = await benchServer();
  const database = `${benchDatabaseName(operations)}_hash`;
  const url = server.urlFor(database);
  const admin = new pg.Client({ connectionString: server.urlFor("postgres") });
  try {
    const created = await server.ensureDatabase(database);
    const dataSource = createDataSource({ url, entities: ENTITIES, poolSize: 2, log: console.error });
    await dataSource.initialize();
    try {
      await migrate(dataSource);
      const [{ n }] = await dataSource.query("SELECT count(*)::int AS n FROM operation");
      if (created || n !== operations) {
        const started = Date.now();
        await generateSynthetic(dataSource, operations);
        console.log(`generated ${operations} SYNTHETIC operations into ${database} in ${((Date.now() - started) / 1000).toFixed(1)} s (digests included)`);
      }
    } finally {
      await dataSource.destroy();
    }

    const service = spawn(process.execPath, [path.resolve(__dirname, "../src/main.js")], {
      env: { ...process.env, DATABASE_URL: url, PORT: "0", LOAD_DATASET: "false", RATE_LIMIT_POINTS: "1000000000" },
      stdio: ["ignore", "pipe", "inherit"],
    });
    const db = new pg.Client({ connectionString: url });
    await db.connect();
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
      // The first answer counts the operations; later ones ask for nothing, so that the time from a
      // commit to the new hash is the service's, not that of counting a million rows.
      const ask = async (query = "{ __typename }") => {
        const response = await fetch(`${base}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query }) });
        return (await response.json()) as {
          data: { dataset: { counts: { operations: number } } };
          extensions?: { dataset?: { contentHash: string; version: string | null } };
        };
      };
      const first = await ask("{ dataset { counts { operations } } }");
      console.log(`operations: ${first.data.dataset.counts.operations}; extensions.dataset: ${JSON.stringify(first.extensions?.dataset ?? null)}`);
      if (!first.extensions?.dataset) throw new Error("the answer carries no extensions.dataset");

      const timings: Record<string, number[]> = { write: [], digest: [], visible: [], report: [] };
      let hash = first.extensions.dataset.contentHash;
      for (let i = 0; i < writes; i += 1) {
        const [{ id, key }] = (await db.query("SELECT id, key FROM operation WHERE id = $1", [1 + Math.floor(Math.random() * operations)])).rows;
        await db.query("BEGIN");
        let started = process.hrtime.bigint();
        await db.query("UPDATE operation SET summary = summary || ' (edited)' WHERE key = $1", [key]);
        timings.write.push(ms(started));
        started = process.hrtime.bigint();
        await db.query("SELECT refresh_record_digests('operations', ARRAY[$1::int])", [id]);
        timings.digest.push(ms(started));
        // A new revision, as an import's log row makes one: the service then reads the hash again.
        await db.query("INSERT INTO dataset_import (source, bundle_hash, summary) VALUES ('SYNTHETIC bench/content-hash.ts', 'bench', '{}')");
        await db.query("COMMIT");
        started = process.hrtime.bigint();
        let answer = await ask();
        while (answer.extensions?.dataset?.contentHash === hash || !answer.extensions?.dataset) answer = await ask();
        timings.visible.push(ms(started));
        hash = answer.extensions.dataset.contentHash;
      }
      // A report's date orders its operations' reports: one statement that changes the canonical form of all of them.
      for (let i = 0; i < Math.min(writes, 5); i += 1) {
        const [{ id, n }] = (
          await db.query("SELECT r.id, (SELECT count(*)::int FROM operation_report x WHERE x.report_id = r.id) AS n FROM report r ORDER BY random() LIMIT 1")
        ).rows;
        await db.query("BEGIN");
        const started = process.hrtime.bigint();
        await db.query("UPDATE report SET published_on = published_on + 1 WHERE id = $1", [id]);
        timings.report.push(ms(started));
        await db.query("ROLLBACK");
        if (i === 0) console.log(`(a report disclosing ${n} operations)`);
      }
      console.log(`\nsingle writes at ${operations} operations (${writes} writes, ms: median / max)`);
      const row = (label: string, values: number[]) => console.log(`| ${label} | ${median(values).toFixed(1)} | ${Math.max(...values).toFixed(1)} |`);
      console.log("| what | median ms | max ms |\n| --- | --- | --- |");
      row("UPDATE of one operation's summary, every trigger included (facts, counts, digest)", timings.write);
      row("refresh_record_digests of that one operation (the digest trigger's work)", timings.digest);
      row("commit to the first answer carrying the new extensions.dataset", timings.visible);
      row("UPDATE of one report's date (its operations' digests recomputed)", timings.report);
    } finally {
      await db.end();
      service.kill();
    }
  } finally {
    if (!values.keep) {
      await admin.connect();
      await admin.query(`DROP DATABASE IF EXISTS ${admin.escapeIdentifier(database)} WITH (FORCE)`);
      await admin.end();
    }
    await server.stop();
  }
}

main().catch((error: Error) => {
  console.error(`bench:hash failed: ${error.message}`);
  process.exit(1);
});
