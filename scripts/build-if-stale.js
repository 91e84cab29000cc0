#!/usr/bin/env node
// Compiles the TypeScript (tsc) only when a source is newer than the last build, so `npm start` and
// the command-line tools start from dist/ at once on an unchanged checkout (`npm run build` too);
// `--force` always builds.
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

const isStale = () => {
  const built = fs.existsSync(stamp) ? fs.statSync(stamp).mtimeMs : 0;
  const sources = Math.max(...INPUTS.map((input) => newest(path.join(root, input))));
  return built === 0 || sources > built;
};
const force = process.argv.includes("--force");
if (!force && !isStale()) process.exit(0);

// One build at a time (npm start, the CLIs and test files may all ask at once): the others wait
// for it, then find the build fresh. A lock left by a killed build is taken over.
const lock = path.join(root, "dist", ".build-lock");
fs.mkdirSync(path.dirname(lock), { recursive: true });
const sleep = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
for (;;) {
  try {
    fs.writeFileSync(lock, String(process.pid), { flag: "wx" });
    break;
  } catch {
    const holder = Number(fs.readFileSync(lock, "utf8") || 0);
    let alive = false;
    try {
      process.kill(holder, 0);
      alive = holder > 0;
    } catch {}
    if (!alive) fs.rmSync(lock, { force: true });
    else sleep(200);
  }
}
try {
  if (force || isStale()) {
    const started = new Date();
    const tsc = require.resolve("typescript/bin/tsc", { paths: [root] });
    const result = spawnSync(process.execPath, [tsc, "-p", path.join(root, "tsconfig.json")], { stdio: "inherit" });
    if (result.status !== 0) process.exitCode = result.status ?? 1;
    else {
      fs.writeFileSync(stamp, `${started.toISOString()}\n`);
      fs.utimesSync(stamp, started, started);
    }
  }
} finally {
  fs.rmSync(lock, { force: true });
}
