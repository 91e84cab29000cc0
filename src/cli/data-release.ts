import "reflect-metadata";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import pg from "pg";
import { loadConfig } from "../config";
import { createDataSource } from "../db/data-source";
import { startEmbeddedPostgres } from "../db/embedded";
import { migrate } from "../migrate";
import { ENTITIES } from "../entities";
import { ENTITY_KINDS, formatProblem, importBundle, readBundle } from "../import";
import type { EntityKind } from "../import";
import { DatasetVersionTracker, CALVER, DATASET_NAME, DATA_LICENCE, citationText, fileChecksums, readReleaseManifest } from "../modules/dataset";
import type { ReleaseManifest } from "../modules/dataset";

const USAGE = `usage: npm run data:release -- <version> [--date YYYY-MM-DD] [--data DIR]   write data/manifest.json and data/releases/<version>.keys.json
       npm run data:release -- --check [--data DIR]                         exit 1 when the manifest or released keys do not match data/`;

type ReleasedKeys = Record<EntityKind, string[]>;

/** Every record key of the bundle, per kind, sorted: what a release promises to keep. */
async function bundleKeys(dataDir: string): Promise<ReleasedKeys> {
  const bundle = await readBundle(dataDir);
  if (bundle.problems.length > 0) throw new Error(`${dataDir} has problems:\n${bundle.problems.map(formatProblem).join("\n")}`);
  return Object.fromEntries(ENTITY_KINDS.map((kind) => [kind, [...new Set(bundle[kind].map((located) => located.record.key))].sort()])) as ReleasedKeys;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

/**
 * The content hash a database loaded from this folder reports (`dataset { contentHash }`): the
 * bundle is imported into a scratch database (on DATABASE_URL's server, or an embedded one) with
 * the same importer the service uses, hashed with the same SQL, and the scratch database dropped.
 */
async function releaseContentHash(dataDir: string, log: (message: string) => void): Promise<string> {
  const config = loadConfig();
  let url: string;
  let cleanup: () => Promise<void>;
  if (config.database.kind === "url") {
    const adminUrl = config.database.url;
    const name = `mg_release_${randomBytes(5).toString("hex")}`;
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const parsed = new URL(adminUrl);
    parsed.pathname = `/${name}`;
    url = parsed.toString();
    cleanup = async () => {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await client.end();
    };
  } else {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "mg-release-"));
    const embedded = await startEmbeddedPostgres({ dataDir: dir, port: await freePort(), database: "misuse_graph", log });
    url = embedded.url;
    cleanup = async () => {
      await embedded.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    };
  }
  try {
    const dataSource = createDataSource({ url, entities: ENTITIES, poolSize: 2, log });
    await dataSource.initialize();
    try {
      await migrate(dataSource);
      const result = await importBundle(dataSource, await readBundle(dataDir));
      if (!result.ok) throw new Error(`${dataDir} does not import:\n${result.problems.map(formatProblem).join("\n")}`);
      return (await new DatasetVersionTracker(dataSource, null).state()).contentHash;
    } finally {
      await dataSource.destroy();
    }
  } finally {
    await cleanup();
  }
}

/** Rewrites the `version:` and `date-released:` lines of CITATION.cff to the release's. */
function updateCitationFile(root: string, version: string, releasedOn: string): void {
  const file = path.join(root, "CITATION.cff");
  if (!fs.existsSync(file)) return;
  const text = fs.readFileSync(file, "utf8");
  fs.writeFileSync(file, text.replace(/^version: .*$/m, `version: "${version}"`).replace(/^date-released: .*$/m, `date-released: "${releasedOn}"`));
}

const keysFile = (dataDir: string, version: string) => path.join(dataDir, "releases", `${version}.keys.json`);

async function release(dataDir: string, version: string, date: string | undefined): Promise<number> {
  if (!CALVER.test(version)) throw new Error(`"${version}" is not a calendar version YYYY.MM.N (e.g. 2026.12.0)`);
  const previous = readReleaseManifest(dataDir);
  const releasedOn = date ?? (previous?.version === version ? previous.releasedOn : new Date().toISOString().slice(0, 10));
  if (!/^\d{4}-\d{2}-\d{2}$/.test(releasedOn)) throw new Error(`--date must be YYYY-MM-DD (got ${releasedOn})`);
  const keys = await bundleKeys(dataDir);
  const contentHash = await releaseContentHash(dataDir, (message) => console.error(`[data:release] ${message}`));
  const manifest: ReleaseManifest = {
    dataset: DATASET_NAME,
    version,
    releasedOn,
    licence: DATA_LICENCE,
    citation: citationText(version, releasedOn),
    contentHash,
    bundleHash: (await readBundle(dataDir)).contentHash,
    files: fileChecksums(dataDir),
  };
  fs.writeFileSync(path.join(dataDir, "manifest.json"), `${JSON.stringify(manifest, null, 2)}\n`);
  fs.mkdirSync(path.join(dataDir, "releases"), { recursive: true });
  fs.writeFileSync(keysFile(dataDir, version), `${JSON.stringify(keys, null, 2)}\n`);
  updateCitationFile(path.resolve(dataDir, ".."), version, releasedOn);
  console.log(`release ${version} (${releasedOn}): ${Object.keys(manifest.files).length} files, content hash ${contentHash}`);
  for (const kind of ENTITY_KINDS) console.log(`  ${kind.padEnd(11)} ${keys[kind].length}`);
  return 0;
}

/** CI's check: checksums match the files, and no key of any release has gone from the data. */
async function check(dataDir: string): Promise<number> {
  const manifest = readReleaseManifest(dataDir);
  if (!manifest) {
    console.error(`${dataDir}/manifest.json is missing; run npm run data:release -- <version>`);
    return 1;
  }
  const problems: string[] = [];
  const actual = fileChecksums(dataDir);
  for (const name of new Set([...Object.keys(actual), ...Object.keys(manifest.files)])) {
    if (!(name in manifest.files)) problems.push(`${name}: not in the manifest (a new file)`);
    else if (!(name in actual)) problems.push(`${name}: in the manifest but missing`);
    else if (actual[name] !== manifest.files[name]) problems.push(`${name}: checksum differs from the manifest (the file changed)`);
  }
  if (manifest.bundleHash !== (await readBundle(dataDir)).contentHash) problems.push(`bundleHash differs from the importer's hash of the files`);
  if (!fs.existsSync(keysFile(dataDir, manifest.version))) problems.push(`releases/${manifest.version}.keys.json is missing`);
  const current = await bundleKeys(dataDir);
  const releases = fs.existsSync(path.join(dataDir, "releases"))
    ? fs
        .readdirSync(path.join(dataDir, "releases"))
        .filter((n) => n.endsWith(".keys.json"))
        .sort()
    : [];
  for (const name of releases) {
    const released = JSON.parse(fs.readFileSync(path.join(dataDir, "releases", name), "utf8")) as ReleasedKeys;
    for (const kind of ENTITY_KINDS) {
      const have = new Set(current[kind]);
      for (const key of released[kind] ?? [])
        if (!have.has(key)) problems.push(`${kind} key "${key}" of release ${name.replace(/\.keys\.json$/, "")} is gone from the data`);
    }
  }
  if (problems.length > 0) {
    console.error(`data/ does not match release ${manifest.version}:\n${problems.map((p) => `  ${p}`).join("\n")}`);
    console.error(`Keys never change once released. For new or changed files: npm run data:release -- <version> (and a DATA_CHANGELOG.md entry).`);
    return 1;
  }
  console.log(`data/ matches release ${manifest.version} (${Object.keys(actual).length} files; released keys all present)`);
  return 0;
}

/**
 * `npm run data:release -- <version>` writes the release manifest and the released keys;
 * `npm run data:release -- --check` verifies them against data/ (for CI).
 */
async function main(): Promise<number> {
  const { values, positionals } = parseArgs({
    options: {
      check: { type: "boolean", default: false },
      date: { type: "string" },
      data: { type: "string", default: "data" },
      help: { type: "boolean", short: "h" },
    },
    allowPositionals: true,
  });
  if (values.help || (values.check ? positionals.length !== 0 : positionals.length !== 1)) {
    console.error(USAGE);
    return values.help ? 0 : 2;
  }
  const dataDir = path.resolve(values.data!);
  return values.check ? check(dataDir) : release(dataDir, positionals[0], values.date);
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`data:release failed: ${error.message}`);
    process.exit(1);
  },
);
