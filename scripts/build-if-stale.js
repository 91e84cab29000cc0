#!/usr/bin/env node
// Compiles the TypeScript (tsc) only when a source is newer than the last build, so `npm start` and
// the command-line tools start from dist/ at once on an unchanged checkout. `--force` always builds.
// The stamp (dist/.build-stamp) gets the time the build started: a file saved during it counts as newer.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { spawnSync } = require("node:child_process");

const root = path.resolve(__dirname, "..");
const stamp = path.join(root, "dist", ".build-stamp");
const INPUTS = ["src", "migrations", "bench", "tsconfig.json", "package.json", "package-lock.json"];

/** Newest modification time under a path (folders count too: a deleted file changes its folder). */
function newest(file) {
  let stat;
  try {
    stat = fs.statSync(file);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let time = stat.mtimeMs;
  for (const entry of fs.readdirSync(file)) time = Math.max(time, newest(path.join(file, entry)));
  return time;
}

const built = fs.existsSync(stamp) ? fs.statSync(stamp).mtimeMs : 0;
const sources = Math.max(...INPUTS.map((input) => newest(path.join(root, input))));
if (!process.argv.includes("--force") && built > 0 && sources <= built) process.exit(0);

const started = new Date();
const tsc = require.resolve("typescript/bin/tsc", { paths: [root] });
const result = spawnSync(process.execPath, [tsc, "-p", path.join(root, "tsconfig.json")], { stdio: "inherit" });
if (result.status !== 0) process.exit(result.status ?? 1);
fs.mkdirSync(path.dirname(stamp), { recursive: true });
fs.writeFileSync(stamp, `${started.toISOString()}\n`);
fs.utimesSync(stamp, started, started);
