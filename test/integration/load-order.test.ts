import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../helpers/app";

/**
 * The modules refer to each other in a cycle (a report's publisher, a company's reports), yet no
 * file has to load first: cross-module types are named in thunks (`() => Company`) or explicitly
 * (`@Args(() => ReportConnectionArgs)`), never read from reflection while a module may still be
 * loading. Each case starts a fresh Node process on the build (dist/, as production runs), loads
 * one file first (a module's index, its resolver, its entity, a layer, a top-level file), then
 * builds the schema and TypeORM's entity metadata: the schema must be the committed
 * schema.graphql and every relation must reach its entity.
 */

const run = promisify(execFile);

const PROBE = `
require("reflect-metadata");
require(process.argv[1]);
const { buildAppSchema, schemaSdl } = require("./dist/src/schema");
const { ENTITIES } = require("./dist/src/entities");
const { DataSource } = require("typeorm");
(async () => {
  const sdl = schemaSdl(await buildAppSchema());
  const dataSource = new DataSource({ type: "postgres", entities: ENTITIES });
  await dataSource.buildMetadatas();
  const relations = dataSource.entityMetadatas.flatMap((m) => m.relations.map((r) => m.name + "." + r.propertyName + " -> " + r.inverseEntityMetadata.name)).sort();
  process.stdout.write(JSON.stringify({ sdl, relations }));
})().catch((error) => { console.error(error); process.exit(1); });
`;

/** First loads: every module's index, resolvers and entities, the layers beside the modules, and the top-level files. */
function firstLoads(): string[] {
  const modules = fs.readdirSync(path.join(ROOT, "src/modules"));
  const inner = modules.flatMap((name) =>
    fs
      .readdirSync(path.join(ROOT, "src/modules", name))
      .filter((file) => /^index\.ts$|\.(resolver|entity)\.ts$/.test(file))
      .map((file) => `src/modules/${name}/${file}`),
  );
  const layers = ["stats", "export", "import", "taxii", "feed"].map((name) => `src/${name}/index.ts`);
  return [...inner, ...layers, "src/entities.ts", "src/context.ts", "src/schema.ts"];
}

async function probe(entry: string): Promise<{ sdl: string; relations: string[] }> {
  const compiled = path.join(ROOT, "dist", entry.replace(/\.ts$/, ".js"));
  const { stdout } = await run("node", ["-e", PROBE, compiled], { cwd: ROOT, timeout: 60_000 });
  return JSON.parse(stdout);
}

beforeAll(async () => {
  await run("npm", ["run", "--silent", "build"], { cwd: ROOT });
}, 300_000);

describe("load order", () => {
  it("builds the same schema and entity relations whichever file loads first", async () => {
    const committed = fs.readFileSync(path.join(ROOT, "schema.graphql"), "utf8");
    const entries = firstLoads();
    expect(entries.length).toBeGreaterThan(20);
    const results: [string, { sdl: string; relations: string[] }][] = [];
    // Two at a time: the machine's cores are shared with the other test files.
    for (let i = 0; i < entries.length; i += 2) {
      const pair = entries.slice(i, i + 2);
      results.push(...(await Promise.all(pair.map(async (entry) => [entry, await probe(entry)] as [string, { sdl: string; relations: string[] }]))));
    }
    const reference = results.find(([entry]) => entry === "src/entities.ts")![1].relations;
    // Every relation an entity declares reaches an entity (none resolved to a class still loading).
    expect(reference.length).toBeGreaterThan(10);
    for (const [entry, { sdl, relations }] of results) {
      expect(sdl === committed, `${entry} first: schema differs from schema.graphql`).toBe(true);
      expect(relations, `${entry} first`).toEqual(reference);
    }
  }, 300_000);
});
