import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";

/**
 * The cache folder's package.json: PostGraphile v5 with the connection-filter plugin, and the npm
 * `node` package, whose install script fetches a Node 22 binary (PostGraphile 5 needs Node >= 22).
 * allowScripts lets npm 11 run that one install script and no other.
 */
const MANIFEST = {
  name: "misuse-graph-bench-postgraphile",
  private: true,
  description: "PostGraphile for npm run bench:graph only; installed by bench/postgraphile/install.ts, not part of the service",
  dependencies: {
    node: "^22.12.0",
    postgraphile: "^5.1.5",
    "postgraphile-plugin-connection-filter": "^4.0.1",
  },
  allowScripts: { node: true },
};

export interface PostgraphileInstall {
  /** The Node 22 binary to run PostGraphile with. */
  node: string;
  /** The cache folder's node_modules, for NODE_PATH. */
  nodeModules: string;
  /** The PostGraphile version installed. */
  version: string;
}

function run(command: string, args: string[], cwd: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, stdio: ["ignore", "inherit", "inherit"] });
    child.once("error", reject);
    child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${args.join(" ")} exited with ${code}`))));
  });
}

/**
 * Installs PostGraphile and Node 22 into `folder` (once; again only when MANIFEST changes) with
 * `npm install --prefix`, and returns where the binary and modules are. Fails with the step that
 * failed if the binary or PostGraphile is missing afterwards.
 */
export async function ensurePostgraphile(folder: string): Promise<PostgraphileInstall> {
  const manifestPath = path.join(folder, "package.json");
  const manifest = `${JSON.stringify(MANIFEST, null, 2)}\n`;
  const nodeModules = path.join(folder, "node_modules");
  const node = path.join(nodeModules, "node", "bin", "node");
  const pgPackage = path.join(nodeModules, "postgraphile", "package.json");
  const current = existsSync(manifestPath) ? readFileSync(manifestPath, "utf8") : null;
  if (current !== manifest || !existsSync(node) || !existsSync(pgPackage)) {
    mkdirSync(folder, { recursive: true });
    writeFileSync(manifestPath, manifest);
    process.stderr.write(`installing PostGraphile and Node 22 into ${folder} (once; takes a few minutes)...\n`);
    await run("npm", ["install", "--prefix", folder, "--no-audit", "--no-fund", "--loglevel", "error"], folder);
  }
  if (!existsSync(node)) throw new Error(`npm install left no Node binary at ${node} (the node package's install script did not run?)`);
  if (!existsSync(pgPackage)) throw new Error(`npm install left no postgraphile in ${nodeModules}`);
  const version = (JSON.parse(readFileSync(pgPackage, "utf8")) as { version: string }).version;
  return { node, nodeModules, version };
}
