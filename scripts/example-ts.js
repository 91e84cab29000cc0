#!/usr/bin/env node
// `npm run examples:ts`: installs the TypeScript example's own tooling (examples/typescript has its
// own package and lockfile, so GraphQL Code Generator stays out of the service's install), generates
// its types from schema.graphql, type-checks and compiles it, then runs it and prints its answers.
// It asks MISUSE_GRAPH_URL when set; otherwise it starts this checkout's service on a free port with
// an embedded PostgreSQL of its own (.data/example-postgres, or DATABASE_URL's server), and stops it after.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { spawn, spawnSync } = require("node:child_process");

const root = path.resolve(__dirname, "..");
const example = path.join(root, "examples", "typescript");
const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const step = (line) => console.error(`examples:ts: ${line}`);

function run(command, args, cwd) {
  const result = spawnSync(command, args, { cwd, stdio: "inherit" });
  if (result.status !== 0) {
    step(`${[command, ...args].join(" ")} failed (exit ${result.status ?? result.signal})`);
    process.exit(1);
  }
}

/** Installs the example's dependencies when missing or older than its lockfile. */
function install() {
  const installed = path.join(example, "node_modules", ".package-lock.json");
  const lock = path.join(example, "package-lock.json");
  if (fs.existsSync(installed) && fs.statSync(installed).mtimeMs >= fs.statSync(lock).mtimeMs) return;
  step("installing the example's tooling (examples/typescript/package-lock.json)");
  run(npm, ["ci", "--no-audit", "--no-fund"], example);
}

/** Starts the service on a free port; resolves with its URL and a stop function. */
function startService() {
  run(process.execPath, [path.join(root, "scripts", "build-if-stale.js")], root);
  const env = { ...process.env, PORT: "0" };
  if (!env.DATABASE_URL && !env.EMBEDDED_PG_DIR) env.EMBEDDED_PG_DIR = path.join(root, ".data", "example-postgres");
  const child = spawn(process.execPath, [path.join(root, "dist", "src", "main.js")], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  return new Promise((resolve, reject) => {
    const onData = (chunk) => {
      output += chunk.toString();
      const match = /serving (http:\/\/\S+\/graphql)/.exec(output);
      if (match) {
        child.stdout.removeAllListeners("data");
        child.stderr.removeAllListeners("data");
        child.stdout.resume();
        child.stderr.resume();
        const exited = new Promise((done) => child.once("exit", done));
        child.removeAllListeners("exit");
        resolve({ url: match[1], stop: () => (child.kill("SIGTERM"), exited) });
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code) => reject(new Error(`the service exited (${code}) before serving:\n${output}`)));
  });
}

async function main() {
  install();
  step("generating types from schema.graphql, type-checking and compiling");
  run(npm, ["run", "--silent", "build"], example);
  let service = null;
  let url = process.env.MISUSE_GRAPH_URL;
  if (!url) {
    step("starting the service for the example (set MISUSE_GRAPH_URL to use a running one)");
    service = await startService();
    url = service.url;
  }
  step(`running the example against ${url}`);
  const result = spawnSync(process.execPath, [path.join(example, "dist", "run.js"), url], { stdio: "inherit" });
  await service?.stop();
  process.exit(result.status ?? 1);
}

main().catch((error) => {
  step(error.message);
  process.exit(1);
});
