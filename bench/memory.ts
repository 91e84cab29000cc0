import "reflect-metadata";
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { benchServer } from "./database";

/**
 * The memory ceiling of one service process, whatever documents arrive. The caches a client can
 * fill are bounded in bytes (bench/README.md), so the live heap (after a full collection) stays
 * under HEAP_CEILING_MB; with the heap limit the Dockerfile runs the service with
 * (`--max-old-space-size=${HEAP_LIMIT_MB}`), garbage is collected before the process grows past
 * RSS_CEILING_MB.
 */
export const HEAP_CEILING_MB = 256;
export const HEAP_LIMIT_MB = 512;
export const RSS_CEILING_MB = 768;

const MB = 1024 * 1024;

/** Resident set size of a process, in MB, from /proc (Linux). */
const rssMb = (pid: number): number => {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return match ? Number(match[1]) / 1024 : NaN;
};

/** The service's memory after a full collection (bench/memory-probe.ts answers over IPC). */
const memoryOf = (service: ChildProcess): Promise<NodeJS.MemoryUsage> =>
  new Promise((resolve) => {
    service.once("message", (usage) => resolve(usage as NodeJS.MemoryUsage));
    service.send("memory");
  });

/**
 * The i-th document: a page of 50 operations with their reports, distinct in its text (operation
 * name, alias, and which optional fields it selects), so each is parsed, validated, priced and
 * compiled anew and fills every cache keyed by the document.
 */
const OPTIONAL = ["firstSeen", "lastSeen", "breakoutScale", "accountsBanned", "aliases", "categories", "actorType", "firstDisclosedOn"];
function distinctDocument(i: number): string {
  const fields = OPTIONAL.filter((_, bit) => (i >> bit) & 1).join(" ");
  return `query Page${i} { page${i}: operations(first: 50) { totalCount nodes { key name ${fields} reports(first: 5) { nodes { key title publishedOn } } } pageInfo { endCursor hasNextPage } } }`;
}

/**
 * Starts the service in its own process (the shipped dataset loaded into a database of its own),
 * sends N distinct accepted documents (default 20,000; 8 at a time) and prints the service's RSS
 * and heap (after a full collection) before and after, against the documented ceiling.
 */
async function main(): Promise<void> {
  const { values } = parseArgs({ options: { documents: { type: "string", default: "20000" }, concurrency: { type: "string", default: "8" } } });
  const documents = Number(values.documents);
  const concurrency = Number(values.concurrency);
  const server = await benchServer();
  const database = "misuse_graph_memory_bench";
  try {
    await server.ensureDatabase(database);
    const service = spawn(
      process.execPath,
      ["--expose-gc", `--max-old-space-size=${HEAP_LIMIT_MB}`, "-r", path.resolve(__dirname, "memory-probe.js"), path.resolve(__dirname, "../src/main.js")],
      {
        env: {
          ...process.env,
          DATABASE_URL: server.urlFor(database),
          PORT: "0",
          LOAD_DATASET: "true",
          RATE_LIMIT_POINTS: "1000000000",
          FAILED_REQUESTS_PER_MINUTE: "1000000000",
        },
        stdio: ["ignore", "pipe", "inherit", "ipc"],
      },
    );
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
      const send = async (query: string) => {
        const response = await fetch(`${base}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query }) });
        const body = (await response.json()) as { errors?: { message: string }[] };
        if (response.status !== 200 || body.errors) throw new Error(`a document was not accepted (${response.status}): ${JSON.stringify(body.errors)}`);
      };
      // Warm up (schema, pool, JIT) on one document sent many times, so "before" is the service at rest.
      for (let i = 0; i < 50; i++) await send(distinctDocument(0));
      const before = { rss: rssMb(service.pid!), memory: await memoryOf(service) };
      let peak = before.rss;
      const sampler = setInterval(() => (peak = Math.max(peak, rssMb(service.pid!))), 100);
      const started = Date.now();
      let next = 1;
      const progress: string[] = [];
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next <= documents) {
            const i = next++;
            await send(distinctDocument(i));
            if (i % (documents / 10) === 0) progress.push(`${i}: ${rssMb(service.pid!).toFixed(0)}`);
          }
        }),
      );
      const seconds = (Date.now() - started) / 1000;
      clearInterval(sampler);
      const after = { rss: rssMb(service.pid!), memory: await memoryOf(service) };
      const heap = (usage: NodeJS.MemoryUsage) => (usage.heapUsed / MB).toFixed(0);
      console.log(`sent ${documents} distinct accepted documents (${concurrency} at a time) in ${seconds.toFixed(1)} s`);
      console.log(`service RSS (MB) as they went: ${progress.join(", ")}`);
      console.log(`before: RSS ${before.rss.toFixed(0)} MB, heap used ${heap(before.memory)} MB (after a full GC)`);
      console.log(`after:  RSS ${after.rss.toFixed(0)} MB (peak ${peak.toFixed(0)} MB), heap used ${heap(after.memory)} MB (after a full GC)`);
      console.log(`ceiling: heap ${HEAP_CEILING_MB} MB, RSS ${RSS_CEILING_MB} MB`);
      const within = after.memory.heapUsed / MB <= HEAP_CEILING_MB && peak <= RSS_CEILING_MB;
      console.log(within ? "within the ceiling" : "OVER the ceiling");
      if (!within) process.exitCode = 1;
    } finally {
      service.kill("SIGTERM");
      await new Promise((resolve) => service.once("exit", resolve));
    }
  } finally {
    await server.stop();
  }
}

main().catch((error: Error) => {
  console.error(`bench:memory failed: ${error.message}`);
  process.exit(1);
});
