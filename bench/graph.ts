/**
 * `npm run bench:graph`: misuse-graph against PostGraphile v5 over the same SYNTHETIC database, per
 * query shape (bench/graph-shapes.ts) and size: req/s at a fixed concurrency, p50/p99, their ratio,
 * and the SQL statements misuse-graph ran per request (X-SQL-Statements).
 *
 * For each size it reuses or generates `misuse_graph_synthetic_N` (bench/database.ts, generate.ts),
 * starts misuse-graph from dist/ (it migrates the database), then PostGraphile, both as child
 * processes on 127.0.0.1. Per shape it first fetches one answer from each server and fails if the
 * two differ once PostGraphile's naming is mapped back, then loads each server in turn with
 * autocannon (a warm-up, then the measured run), in rounds (below). Requests that fail under load (errors, non-2xx,
 * a body other than the compared one) are counted, listed after the table and make the exit code 1.
 *
 * Why PostGraphile lives in a cache folder (.bench/postgraphile, git-ignored) installed by this
 * script with `npm install --prefix`, not in package.json: PostGraphile 5 needs Node >= 22 while
 * the service supports Node 20, so it runs on a Node 22 binary from the npm `node` package; and
 * neither is part of the service. As dependencies they would add about 190 packages (and a
 * 120 MB binary) to every `npm ci`, the Docker image and the lockfile's audit surface, for a
 * comparison only this benchmark makes.
 *
 * Both servers run on that same Node 22 binary by default, so that the ratio compares the two
 * servers and not two runtimes (Node 22 is also the runtime the README recommends for the service);
 * `--ours-node machine` runs misuse-graph on the Node running this script instead.
 *
 * Options: --sizes 10000,100000[,1000000] (default 10000,100000), --duration seconds measured per
 * shape and server (default 10), --warmup seconds before each (default 2), --shapes 1,4,7 (shape
 * numbers; default all), --ours-node bench|machine (default bench), --rounds pairs of runs per shape
 * (default 3), --draw shapes drawn from the schema (default 20) with --seed (default 1), --modes
 * repeated,unique (the same document each request, or one no cache has seen), --get (misuse-graph
 * loaded with anonymous GET requests, which its shared answer cache serves after the first in
 * "repeated"; PostGraphile keeps POST, uncached), --database-suffix (databases of one's own:
 * `misuse_graph_synthetic_N<suffix>`), --execution
 * compiled|standard|sql (our server's EXECUTION setting; default sql, as the service).
 *
 * A single run of a few seconds moves by 10-20% on a shared 2-core machine, so each shape is run in
 * `--rounds` pairs, the two servers taking turns to go first; the ratio column is the median of the
 * pairs' ratios with their range, and req/s, latencies and CPU are each server's median round.
 */
import "reflect-metadata";
import { execFileSync } from "node:child_process";
import { parseArgs } from "node:util";
import path from "node:path";
import { isDeepStrictEqual } from "node:util";
import autocannon from "autocannon";
import pg from "pg";
import { createDataSource } from "../src/db/data-source";
import { migrate } from "../src/migrate";
import { ENTITIES } from "../src/entities";
import { benchDatabaseName, benchServer } from "./database";
import { generateSynthetic, SYNTHETIC_GENERATION } from "./generate";
import { drawShapes } from "./drawn-shapes";
import { ONE_CLIENT_SHAPE, oursNameCursor, PG_ROW_AT_OFFSET, SHAPES } from "./graph-shapes";
import type { Shape, ShapeContext } from "./graph-shapes";
import { startOurs, startPostgraphile } from "./graph-servers";
import type { ServedGraph } from "./graph-servers";
import { ensurePostgraphile } from "./postgraphile/install";

interface Answer {
  body: string;
  data: any;
  statements: number | null;
}

/** POSTs one query; fails on a non-200 status or GraphQL errors, naming the server and query. */
async function ask(server: ServedGraph, query: string): Promise<Answer> {
  const response = await fetch(server.endpoint, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query }) });
  const body = await response.text();
  const json = JSON.parse(body) as { data?: unknown; errors?: unknown };
  if (response.status !== 200 || json.errors) throw new Error(`${server.name} answered ${response.status} ${body.slice(0, 1000)}\nto ${query}`);
  const statements = response.headers.get("x-sql-statements");
  return { body, data: json.data, statements: statements === null ? null : Number(statements) };
}

interface Load {
  /** Answers per second that were 200 with the expected body. */
  rps: number;
  /** Answers that came back within the measured run (latencies are theirs). */
  answered: number;
  duration: number;
  p50: number;
  p99: number;
  /** Requests of the measured run that failed: errors, timeouts, non-2xx answers or other bodies. */
  failed: number;
  /** What failed, in words; empty when nothing did. */
  failures: string;
  /**
   * The server's own CPU time per answered request, in ms. Unlike req/s it hardly moves when
   * other processes share the cores, so it tells what a request costs the server itself.
   */
  cpuPerRequest: number | null;
}

function failuresOf(result: autocannon.Result): { count: number; words: string } {
  // autocannon counts a timeout as an error too, and a non-2xx answer as a body mismatch too (its
  // body is never the expected 200 body).
  const parts = {
    "errors (incl. timeouts)": result.errors,
    timeouts: result.timeouts,
    "non-2xx": result.non2xx,
    "unexpected bodies (incl. non-2xx)": result.mismatches,
  };
  const words = Object.entries(parts)
    .filter(([, n]) => n > 0)
    .map(([what, n]) => `${n} ${what}`)
    .join(", ");
  return { count: result.errors + Math.max(result.non2xx, result.mismatches), words };
}

/**
 * A warm-up, then `duration` seconds at `connections`. Every answer should be 200 with the body the
 * comparison saw; failures are counted and reported (a server failing under load is a result), not
 * thrown, so one bad shape does not lose the rest of the run.
 */
async function load(
  server: ServedGraph,
  query: string,
  expectBody: string,
  connections: number,
  warmup: number,
  duration: number,
  mode: Mode,
  get = false,
): Promise<Load> {
  const body = JSON.stringify({ query });
  // `get`: anonymous GET requests, which misuse-graph answers from its shared answer cache after the
  // first ("repeated"); "unique" documents miss it every time.
  const getPath = (document: string) => `${new URL(server.endpoint).pathname}?query=${encodeURIComponent(document)}`;
  // "unique": every request a document no cache has seen (its own operation name), same answer.
  // autocannon checks `expectBody` only without `requests`, so here each answer is checked by hand.
  let sent = 0;
  let unexpected = 0;
  const unique = {
    requests: [
      {
        setupRequest: (request: object) => {
          const document = `query Q${(sent += 1)} ${query}`;
          return get ? { ...request, path: getPath(document) } : { ...request, body: JSON.stringify({ query: document }) };
        },
        onResponse: (status: number, answer: string) => {
          if (status === 200 && answer !== expectBody) unexpected += 1;
        },
      },
    ],
  };
  const options = {
    ...(get
      ? { url: `${server.endpoint}?query=${encodeURIComponent(query)}`, method: "GET" as const, headers: {} }
      : { url: server.endpoint, method: "POST" as const, headers: { "content-type": "application/json" }, body }),
    connections,
    timeout: 60,
    ...(mode === "unique" ? unique : { expectBody }),
  };
  // Failures counted as autocannon counts them with expectBody: non-2xx answers, and 200s with another body.
  const run = async (seconds: number) => {
    unexpected = 0;
    const result = await autocannon({ ...options, duration: seconds });
    if (mode === "unique") result.mismatches = result.non2xx + unexpected;
    return result;
  };
  // autocannon stops at the deadline without waiting for requests in flight; the server still runs
  // them. One more request, answered once that backlog has cleared, keeps it out of the next run.
  const drain = () =>
    fetch(server.endpoint, { method: "POST", headers: { "content-type": "application/json" }, body }).then(
      (r) => r.text(),
      () => undefined,
    );
  if (warmup > 0) {
    const { words } = failuresOf(await run(warmup));
    if (words) process.stderr.write(`${server.name} warm-up: ${words}\n`);
    await drain();
  }
  const cpuBefore = server.cpuMs();
  const result = await run(duration);
  await drain();
  const cpuAfter = server.cpuMs();
  const { count, words } = failuresOf(result);
  const good = result["2xx"] - Math.max(0, result.mismatches - result.non2xx);
  // Every request sent ran on the server within the window (those in flight at the deadline finish
  // before the drain request's answer), and so did the drain request.
  const cpuPerRequest = cpuBefore === null || cpuAfter === null || result.requests.sent === 0 ? null : (cpuAfter - cpuBefore) / (result.requests.sent + 1);
  return {
    rps: good / result.duration,
    answered: result.requests.total,
    duration: result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failed: count,
    failures: words,
    cpuPerRequest,
  };
}

/** Reuses the size's database if this generator version filled it with that many operations, else (re)generates it. */
async function prepareDatabase(server: Awaited<ReturnType<typeof benchServer>>, size: number, suffix = ""): Promise<string> {
  const database = `${benchDatabaseName(size)}${suffix}`;
  await server.ensureDatabase(database);
  const url = server.urlFor(database);
  const dataSource = createDataSource({ url, entities: ENTITIES, poolSize: 2, log: console.error });
  await dataSource.initialize();
  try {
    await migrate(dataSource);
    const [{ n, generation }] = await dataSource.query(
      "SELECT (SELECT count(*)::int FROM operation) AS n, (SELECT bundle_hash FROM dataset_import ORDER BY id DESC LIMIT 1) AS generation",
    );
    if (n !== size || generation !== SYNTHETIC_GENERATION) {
      process.stderr.write(`generating ${size} SYNTHETIC operations into ${database}...\n`);
      await generateSynthetic(dataSource, size);
    }
  } finally {
    await dataSource.destroy();
  }
  return url;
}

async function hasFirstDisclosedColumn(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const result = await client.query(
      "SELECT 1 FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'operation' AND column_name = 'first_disclosed_on'",
    );
    return result.rowCount === 1;
  } finally {
    await client.end();
  }
}

/** The key of the record in the middle of a table (by id), for lookups. */
async function middleKey(url: string, table: string, column = "key"): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query(`SELECT ${column} AS key FROM ${table} ORDER BY ${column} OFFSET (SELECT count(*) / 2 FROM ${table}) LIMIT 1`);
    return rows[0].key;
  } finally {
    await client.end();
  }
}

/** The values the shapes need, read through PostGraphile (its cursor) and checked through ours by the comparison. */
async function shapeContext(size: number, url: string, pgServer: ServedGraph): Promise<ShapeContext> {
  const offset = Math.floor(size * 0.9) - 1;
  const row = (await ask(pgServer, PG_ROW_AT_OFFSET(offset))).data.allOperations.edges[0];
  if (!row) throw new Error(`PostGraphile has no operation at offset ${offset}`);
  return {
    size,
    key: `synthetic-op-${Math.floor(size / 2)}`,
    oursDeepCursor: oursNameCursor(row.node.name, row.node.rowId),
    pgDeepCursor: row.cursor,
    firstDisclosedColumn: await hasFirstDisclosedColumn(url),
    keys: {
      operation: await middleKey(url, "operation"),
      report: await middleKey(url, "report"),
      company: await middleKey(url, "company"),
      country: await middleKey(url, "(SELECT DISTINCT country_code FROM operation_origin) o", "country_code"),
      statement: await middleKey(url, "statement"),
    },
  };
}

/** "repeated": the same document every request (document caches warm on both servers); "unique": a new document every request. */
type Mode = "repeated" | "unique";

interface Row {
  shape: Shape;
  size: number;
  mode: Mode;
  /** The round with the median req/s of each server, with the failures of every round. */
  ours: Load;
  pg: Load;
  /** ours/PG req/s of each round (measured back to back), sorted. */
  ratios: number[];
  statements: number | null;
}

const median = (sorted: number[]) => (sorted.length % 2 ? sorted[(sorted.length - 1) / 2] : (sorted[sorted.length / 2 - 1] + sorted[sorted.length / 2]) / 2);

/** One server's rounds as one Load: the round with the median req/s, and every round's failures. */
function medianRound(loads: Load[]): Load {
  const sorted = [...loads].sort((a, b) => a.rps - b.rps);
  const middle = sorted[Math.floor((sorted.length - 1) / 2)];
  const failures = loads.map((l) => l.failures).filter(Boolean);
  return { ...middle, failed: loads.reduce((n, l) => n + l.failed, 0), failures: failures.join("; ") };
}

/**
 * `rounds` pairs of runs of one shape, the servers taking turns to go first, so that neither
 * always runs on the warmer or the quieter machine; the ratio is the median of the pairs' ratios.
 */
async function measurePairs(rounds: number, ours: () => Promise<Load>, pg: () => Promise<Load>): Promise<Pick<Row, "ours" | "pg" | "ratios">> {
  const pairs: { ours: Load; pg: Load }[] = [];
  for (let round = 0; round < rounds; round++) {
    if (round % 2 === 0) {
      const o = await ours();
      pairs.push({ ours: o, pg: await pg() });
    } else {
      const p = await pg();
      pairs.push({ ours: await ours(), pg: p });
    }
  }
  const ratios = pairs.filter((r) => r.ours.answered && r.pg.answered).map((r) => r.ours.rps / r.pg.rps);
  return { ours: medianRound(pairs.map((r) => r.ours)), pg: medianRound(pairs.map((r) => r.pg)), ratios: ratios.sort((a, b) => a - b) };
}

async function benchSize(
  oursNode: string,
  size: number,
  url: string,
  pgInstall: Awaited<ReturnType<typeof ensurePostgraphile>>,
  shapes: readonly Shape[],
  modes: readonly Mode[],
  warmup: number,
  duration: number,
  rounds: number,
  get = false,
  execution = "sql",
): Promise<Row[]> {
  const rows: Row[] = [];
  const ours = await startOurs(url, oursNode, execution);
  try {
    // The dataset's version (extensions.dataset) is read once per revision from the maintained
    // content hash: read it before measuring, so the first measured request does not.
    await ask(ours, "{ dataset { version } }").catch((error: Error) => process.stderr.write(`dataset version: ${error.message.slice(0, 200)}\n`));
    // After ours: it migrates the database PostGraphile introspects.
    const postgraphile = await startPostgraphile(pgInstall, url);
    try {
      const ctx = await shapeContext(size, url, postgraphile);
      for (const shape of shapes) {
        const oursQuery = shape.ours(ctx);
        const pgQuery = shape.postgraphile(ctx);
        const [a, b] = [await ask(ours, oursQuery), await ask(postgraphile, pgQuery)];
        const [x, y] = [shape.normaliseOurs(a.data), shape.normalisePostgraphile(b.data)];
        // Two empty answers agree but compare nothing: the data or the query is wrong.
        const empty = (v: any) => (Array.isArray(v) ? v.length === 0 : Array.isArray(v?.nodes) && v.nodes.length === 0);
        if (empty(x)) throw new Error(`"${shape.name}" at ${size}: misuse-graph returned no operations, so there is nothing to compare\n${oursQuery}`);
        if (!isDeepStrictEqual(x, y)) {
          throw new Error(
            `"${shape.name}" at ${size}: the servers' answers differ\nmisuse-graph: ${JSON.stringify(x).slice(0, 3000)}\nPostGraphile: ${JSON.stringify(y).slice(0, 3000)}`,
          );
        }
        for (const mode of modes) {
          const measured = await measurePairs(
            rounds,
            () => load(ours, oursQuery, a.body, shape.concurrency, warmup, duration, mode, get),
            () => load(postgraphile, pgQuery, b.body, shape.concurrency, warmup, duration, mode),
          );
          const row: Row = { shape, size, mode, ...measured, statements: a.statements };
          rows.push(row);
          process.stderr.write(`${format(row).join(" | ")}\n`);
        }
      }
    } finally {
      await postgraphile.stop();
    }
  } finally {
    await ours.stop();
  }
  return rows;
}

const ms = (n: number) => (n >= 100 ? n.toFixed(0) : n.toFixed(1));
const sizeLabel = (n: number) => (n >= 1_000_000 ? `${n / 1_000_000}M` : n >= 1000 ? `${n / 1000}k` : String(n));

// No answer within the measured run: every request took longer than the run.
const rate = (l: Load) => (l.answered ? l.rps.toFixed(1) : `< ${(1 / l.duration).toFixed(2)}`);
const latency = (l: Load) => (l.answered ? `${ms(l.p50)} / ${ms(l.p99)}` : `> ${Math.floor(l.duration)} s`);

/** The median of the rounds' ratios, with their range when there were several. */
function ratioCell(ratios: number[]): string {
  if (ratios.length === 0) return "n/a";
  const range = ratios.length > 1 ? ` (${ratios[0].toFixed(2)}-${ratios[ratios.length - 1].toFixed(2)})` : "";
  return `${median(ratios).toFixed(2)}${range}`;
}

function format(row: Row): string[] {
  return [
    row.shape.name,
    sizeLabel(row.size),
    row.mode,
    String(row.shape.concurrency),
    rate(row.ours),
    rate(row.pg),
    ratioCell(row.ratios),
    latency(row.ours),
    latency(row.pg),
    row.statements === null ? "?" : String(row.statements),
    row.ours.cpuPerRequest === null || row.pg.cpuPerRequest === null ? "n/a" : `${row.ours.cpuPerRequest.toFixed(2)} / ${row.pg.cpuPerRequest.toFixed(2)}`,
    `${row.ours.failed} / ${row.pg.failed}`,
  ];
}

/** The version a Node binary reports (`v22.x.y`). */
function nodeVersion(binary: string): string {
  return execFileSync(binary, ["--version"], { encoding: "utf8" }).trim().replace(/^v/, "");
}

function markdownTable(header: string[], body: string[][]): string {
  return [header, header.map(() => "---"), ...body].map((cells) => `| ${cells.join(" | ")} |`).join("\n");
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      sizes: { type: "string", default: "10000,100000" },
      duration: { type: "string", default: "10" },
      warmup: { type: "string", default: "2" },
      shapes: { type: "string" },
      "ours-node": { type: "string", default: "bench" },
      rounds: { type: "string", default: "3" },
      draw: { type: "string", default: "20" },
      seed: { type: "string", default: "1" },
      modes: { type: "string", default: "repeated,unique" },
      get: { type: "boolean", default: false },
      "database-suffix": { type: "string", default: "" },
      execution: { type: "string", default: "sql" },
    },
  });
  const drawn = Number(values.draw);
  const seed = Number(values.seed);
  const modes = values.modes!.split(",") as Mode[];
  const sizes = values.sizes!.split(",").map(Number);
  const duration = Number(values.duration);
  const warmup = Number(values.warmup);
  const rounds = Number(values.rounds);
  const oursNodeChoice = values["ours-node"];
  if (
    sizes.some((n) => !Number.isInteger(n) || n < 100) ||
    !(duration >= 1) ||
    !(warmup >= 0) ||
    !(Number.isInteger(rounds) && rounds >= 1) ||
    !["bench", "machine"].includes(oursNodeChoice!) ||
    !(Number.isInteger(drawn) && drawn >= 0) ||
    !Number.isInteger(seed) ||
    modes.some((m) => m !== "repeated" && m !== "unique") ||
    !["compiled", "standard", "sql"].includes(values.execution!)
  ) {
    console.error(
      "usage: npm run bench:graph [-- --sizes 10000,100000,1000000 --duration 10 --warmup 2 --rounds 3 --draw 20 --seed 1 --modes repeated,unique --shapes 1,4,7 --ours-node bench|machine --get --database-suffix _mine --execution compiled|standard|sql]",
    );
    process.exit(2);
  }
  // The hand-written shapes, then `--draw` shapes drawn from the schema with `--seed` (bench/drawn-shapes.ts).
  const allShapes = [...SHAPES, ...drawShapes(drawn, seed, SHAPES.length + 1)];
  const chosen = values.shapes ? values.shapes.split(",").map((n) => allShapes[Number(n) - 1]) : allShapes;
  if (chosen.includes(undefined as unknown as Shape)) {
    console.error(`--shapes takes shape numbers from 1 to ${allShapes.length}:\n${allShapes.map((s) => s.name).join("\n")}`);
    process.exit(2);
  }
  const pgInstall = await ensurePostgraphile(path.resolve(__dirname, "../../.bench/postgraphile"));
  const oursNode = oursNodeChoice === "machine" ? process.execPath : pgInstall.node;
  const server = await benchServer();
  const rows: Row[] = [];
  try {
    for (const size of sizes) {
      const url = await prepareDatabase(server, size, values["database-suffix"]);
      rows.push(...(await benchSize(oursNode, size, url, pgInstall, chosen, modes, warmup, duration, rounds, values.get, values.execution!)));
    }
  } finally {
    await server.stop();
  }
  const header = [
    "shape",
    "size",
    "document",
    "c",
    "ours req/s",
    "PG req/s",
    "ours/PG (rounds)",
    "ours p50 / p99 ms",
    "PG p50 / p99 ms",
    "SQL/req (ours)",
    "CPU ms/req ours / PG",
    "failed ours / PG",
  ];
  const versions = `misuse-graph on Node ${nodeVersion(oursNode)}, PostGraphile on Node ${nodeVersion(pgInstall.node)}`;
  console.log(
    `\nmisuse-graph vs PostGraphile ${pgInstall.version} (${versions}), ${rounds} round(s) of ${duration} s per shape and server after ${warmup} s warm-up, taking turns to go first; req/s, latencies and CPU of each server's median round\n`,
  );
  console.log(markdownTable(header, rows.map(format)));
  console.log(`\nDrawn with --seed ${seed}. ours/PG over all shapes (median of each shape's rounds):`);
  for (const size of sizes) {
    for (const mode of modes) {
      const ratios = rows
        .filter((r) => r.size === size && r.mode === mode && r.ratios.length)
        .map((r) => median(r.ratios))
        .sort((a, b) => a - b);
      if (ratios.length === 0) continue;
      const lowest = rows.find((r) => r.size === size && r.mode === mode && r.ratios.length && median(r.ratios) === ratios[0])!;
      console.log(
        `  ${sizeLabel(size)}, ${mode}: minimum ${ratios[0].toFixed(2)} (${lowest.shape.name}), median ${median(ratios).toFixed(2)}, over ${ratios.length} shapes`,
      );
    }
  }
  const failed: string[] = [];
  for (const r of rows) {
    for (const [who, l] of [
      ["misuse-graph", r.ours],
      ["PostGraphile", r.pg],
    ] as const) {
      if (l.failed > 0) failed.push(`  ${r.shape.name}, ${sizeLabel(r.size)}, ${who}: ${l.failures}`);
    }
  }
  if (failed.length > 0) {
    console.log(`\nFAILED requests under load (req/s counts only 200s with the expected body):\n${failed.join("\n")}`);
    process.exitCode = 1;
  }
  const oneClient = rows.filter((r) => r.shape === ONE_CLIENT_SHAPE && r.mode === modes[0]);
  if (oneClient.length > 0) {
    const base = oneClient[0];
    console.log(`\n${ONE_CLIENT_SHAPE.name}, p50:`);
    for (const r of oneClient) {
      const ratio =
        r === base
          ? ""
          : `  (${sizeLabel(r.size)}/${sizeLabel(base.size)}: ours ${(r.ours.p50 / base.ours.p50).toFixed(2)}x, PG ${(r.pg.p50 / base.pg.p50).toFixed(2)}x)`;
      console.log(`  ${sizeLabel(r.size)}: ours ${ms(r.ours.p50)} ms, PG ${ms(r.pg.p50)} ms${ratio}`);
    }
  }
}

main().catch((error: Error) => {
  console.error(`bench:graph failed: ${error.stack ?? error.message}`);
  process.exit(1);
});
