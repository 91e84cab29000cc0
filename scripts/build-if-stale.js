#!/usr/bin/env node
// Compiles the service's TypeScript (scripts/compile.js: per file, without type-checking) and builds the browser pages (Vite) only when their sources are newer
// than their last build, so `npm start` and the command-line tools start from dist/ at once on an
// unchanged checkout (`npm run build` too); `--force` always builds.
// The stamp (dist/.build-stamp) gets the time the build started: a file saved during it counts as newer.
// Each build, or the check that none was needed, prints one line with its time on stderr.
// `--prepare` (npm's prepare script, run by `npm install` and `npm ci`) builds a fresh clone during the
// install, and skips quietly where the sources or the compilers are absent (a Docker layer, --omit=dev).
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const { spawnSync } = require("node:child_process");

const root = path.resolve(__dirname, "..");
/** The two builds: what each reads, and the stamp that records when it last succeeded. */
const TARGETS = [
  {
    name: "service",
    stamp: path.join(root, "dist", ".build-stamp"),
    inputs: ["src", "migrations", "bench", "tsconfig.json", "package.json", "package-lock.json", "scripts/compile.js"],
    skip: path.join(root, "src", "web"),
    command: () => [path.join(root, "scripts", "compile.js")],
  },
  {
    name: "pages",
    stamp: path.join(root, "dist", "web", ".build-stamp"),
    // The playground's example queries come from README.md and docs/api.md; the pages link the docs.
    inputs: ["src/web", "README.md", "docs", "package-lock.json"],
    command: () => [
      path.join(root, "node_modules", "vite", "bin", "vite.js"),
      "build",
      "--config",
      path.join(root, "src", "web", "vite.config.mts"),
      "--logLevel",
      "warn",
    ],
  },
];

/** Newest modification time under a path (folders count too: a deleted file changes its folder), leaving out `skip`. */
function newest(file, skip) {
  if (file === skip) return 0;
  let stat;
  try {
    stat = fs.statSync(file);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let time = stat.mtimeMs;
  for (const entry of fs.readdirSync(file)) time = Math.max(time, newest(path.join(file, entry), skip));
  return time;
}

/**
 * The compiler never deletes what an earlier build wrote: a compiled file whose source was removed or moved
 * stays in dist/ and can shadow its replacement (`stats/engine.js` before `stats/engine/index.js`).
 * After each compile, outputs without a source are removed.
 */
function removeOrphans() {
  const walk = (dir) => {
    if (!fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) {
        walk(file);
        if (fs.readdirSync(file).length === 0) fs.rmdirSync(file);
        continue;
      }
      // Only compiled code is judged; files the compiler copies as they are (JSON) mirror their source by name.
      const compiled = /(\.d\.ts|\.js)(\.map)?$/;
      if (!compiled.test(entry.name)) {
        if (!fs.existsSync(path.join(root, path.relative(path.join(root, "dist"), file)))) fs.rmSync(file);
        continue;
      }
      const stem = path.relative(path.join(root, "dist"), file).replace(compiled, "");
      if (![".ts", ".tsx", ".mts"].some((ext) => fs.existsSync(path.join(root, stem + ext)))) fs.rmSync(file);
    }
  };
  for (const tree of ["src", "migrations", "bench"]) walk(path.join(root, "dist", tree));
}

const isStale = (target) => {
  const built = fs.existsSync(target.stamp) ? fs.statSync(target.stamp).mtimeMs : 0;
  const sources = Math.max(...target.inputs.map((input) => newest(path.join(root, input), target.skip)));
  return built === 0 || sources > built;
};
const force = process.argv.includes("--force");
const checkStarted = Date.now();
const seconds = (since) => `${((Date.now() - since) / 1000).toFixed(1)} s`;
if (process.argv.includes("--prepare")) {
  const hasCompilers = ["typescript", "vite"].every((name) => {
    try {
      require.resolve(`${name}/package.json`, { paths: [root] });
      return true;
    } catch {
      return false;
    }
  });
  if (!hasCompilers || !fs.existsSync(path.join(root, "src", "main.ts"))) {
    console.error("build: skipped (no sources or no development dependencies here)");
    process.exit(0);
  }
}
if (!force && !TARGETS.some(isStale)) {
  console.error(`build: up to date (checked in ${seconds(checkStarted)})`);
  process.exit(0);
}

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
    } catch {
      // no such process: the lock is stale
    }
    if (!alive) fs.rmSync(lock, { force: true });
    else sleep(200);
  }
}
try {
  for (const target of TARGETS) {
    if (!force && !isStale(target)) continue;
    const started = new Date();
    // The pages are always built for production (vitest, for one, sets NODE_ENV=test).
    const env = target.name === "pages" ? { ...process.env, NODE_ENV: "production" } : process.env;
    const result = spawnSync(process.execPath, target.command(), { stdio: "inherit", cwd: root, env });
    if (result.status !== 0) {
      process.exitCode = result.status ?? 1;
      break;
    }
    if (target.name === "service") removeOrphans();
    fs.mkdirSync(path.dirname(target.stamp), { recursive: true });
    fs.writeFileSync(target.stamp, `${started.toISOString()}\n`);
    fs.utimesSync(target.stamp, started, started);
    console.error(`build: ${target.name === "service" ? "service" : "pages (vite)"} in ${seconds(started.getTime())}`);
  }
} finally {
  fs.rmSync(lock, { force: true });
}
