#!/usr/bin/env node
// Compiles the service's TypeScript (src/ without src/web, migrations/, bench/) to dist/ file by file,
// and only the files whose source is newer than their output: a one-file change rebuilds one file.
// Each file goes through TypeScript's own emitter (transpileModule, tsconfig.json's options) without
// the type checker, which is what makes a whole build take seconds rather than tens of them;
// `npm run typecheck` (tsc --noEmit) checks the types. Decorator metadata is emitted per file, as SWC
// does for the tests (vitest.config.mts): a type the file only imports is guarded at run time
// (`typeof X === "function" ? X : Object`), which also keeps import cycles between entities safe.
// SWC itself was tried: its CommonJS output reads such a cycle's binding before it is initialised.
"use strict";
const fs = require("node:fs");
const path = require("node:path");
const ts = require("typescript");

const root = path.resolve(__dirname, "..");
const outDir = path.join(root, "dist");
const TREES = ["src", "migrations", "bench"];
const SKIP = path.join(root, "src", "web");

/** Source files (.ts, and .json the code imports) under the trees, leaving out src/web. */
function sources() {
  const found = [];
  const walk = (dir) => {
    if (dir === SKIP || !fs.existsSync(dir)) return;
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const file = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if ((entry.name.endsWith(".ts") && !entry.name.endsWith(".d.ts")) || entry.name.endsWith(".json")) found.push(file);
    }
  };
  for (const tree of TREES) walk(path.join(root, tree));
  return found;
}

const { options: compilerOptions } = ts.parseJsonConfigFileContent(ts.readConfigFile(path.join(root, "tsconfig.json"), ts.sys.readFile).config, ts.sys, root);

const outputOf = (file) => path.join(outDir, path.relative(root, file)).replace(/\.ts$/, ".js");
const mtime = (file) => (fs.existsSync(file) ? fs.statSync(file).mtimeMs : 0);

function compile(file) {
  const out = outputOf(file);
  fs.mkdirSync(path.dirname(out), { recursive: true });
  if (file.endsWith(".json")) {
    fs.copyFileSync(file, out);
    return;
  }
  const { outputText, sourceMapText } = ts.transpileModule(fs.readFileSync(file, "utf8"), {
    compilerOptions,
    fileName: path.relative(root, file),
  });
  // The map names its source relative to the output, as tsc's maps do.
  const map = JSON.parse(sourceMapText);
  map.sources = [path.relative(path.dirname(out), file)];
  fs.writeFileSync(`${out}.map`, JSON.stringify(map));
  fs.writeFileSync(out, outputText);
}

function main() {
  const force = process.argv.includes("--force");
  // A change of the compiler options (or of this script) recompiles everything.
  const settings = Math.max(mtime(path.join(root, "tsconfig.json")), mtime(__filename));
  const stale = sources().filter((file) => force || Math.max(mtime(file), settings) > mtime(outputOf(file)));
  for (const file of stale) compile(file);
  console.error(`compile: ${stale.length} of ${sources().length} files compiled`);
}

main();
