// ESLint for the service, its tests, benchmarks and scripts: typescript-eslint's recommended rules,
// the module boundaries (eslint-plugin-boundaries), and eslint-config-prettier last so that no
// stylistic rule disagrees with Prettier.
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import boundaries from "eslint-plugin-boundaries";
import prettier from "eslint-config-prettier";
import globals from "globals";

/**
 * A module is a folder whose inner files only it may import; everyone else goes through its
 * index.ts: the entity modules, and statistics, the importer, the exports, the TAXII server and
 * the feed beside them.
 */
const MODULE_TYPES = ["module", "stats", "import", "export", "taxii", "feed"];

/**
 * The layers, each importing only from those below it (ARCHITECTURE.md): src/http on top, the
 * modules beside statistics, the importer and the exports in the middle, and at the bottom
 * src/common, src/db and src/context.ts, which know no module.
 */
const ABOVE_BOTTOM = [...MODULE_TYPES, "http"];

/**
 * Sizes a reader can hold (STYLE.md: one job per file, about 300 lines): a file of at most 300
 * lines and functions of at most 60, blank lines and comments not counted, each with a cyclomatic
 * complexity of at most 15.
 */
export const SIZE_RULES = {
  "max-lines": ["error", { max: 300, skipBlankLines: true, skipComments: true }],
  "max-lines-per-function": ["error", { max: 60, skipBlankLines: true, skipComments: true }],
  complexity: ["error", 15],
};

export default tseslint.config(
  {
    ignores: [
      "dist/**",
      "data/**",
      ".data/**",
      "test-artifacts/**",
      "node_modules/**",
      ".bench/**",
      "clients/**",
      "examples/**",
      "migrations/**",
      "bench/postgraphile/**",
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    files: ["**/*.{ts,mts,js,mjs,cjs}"],
    languageOptions: { globals: { ...globals.node } },
    rules: {
      // `const { stacktrace: _stack, ...rest } = x` is how the code drops a field.
      "@typescript-eslint/no-unused-vars": ["error", { ignoreRestSiblings: true }],
      // NUL is matched on purpose: PostgreSQL text cannot store it, so cursors, search text and
      // request bodies are checked for it (src/common/cursor.ts, search.ts, src/http/edge-guards.ts).
      "no-control-regex": "off",
    },
  },
  {
    // The browser pages, bundled by Vite.
    files: ["src/web/**/*.{ts,tsx}"],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    // Tests and benchmarks read GraphQL responses as untyped JSON; typing each one would restate the schema unchecked.
    files: ["test/**/*.ts", "bench/**/*.ts"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  {
    // Plain Node scripts, run before any build, are CommonJS.
    files: ["scripts/**/*.js"],
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    files: ["src/**/*.{ts,tsx,mts}"],
    rules: SIZE_RULES,
  },
  {
    // The command-line tools open the database through src/open-database.ts, without Apollo and the HTTP server.
    files: ["src/cli/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["../app"], message: "CLIs use src/open-database.ts (openDatabase), not the whole service." }] },
      ],
    },
  },
  {
    files: ["src/**/*.ts", "test/**/*.ts", "bench/**/*.ts", "scripts/**/*.{js,mjs,ts}"],
    // Unit tests exercise a module's inner pure functions (merge rules, cursor codec, calendar) directly.
    ignores: ["test/unit/**"],
    plugins: { boundaries },
    settings: {
      // Resolves `../report` to src/modules/report/index.ts, so the rule sees which file an import reaches.
      "import/resolver": { node: { extensions: [".ts", ".mts", ".js", ".json"] } },
      "boundaries/elements": [
        { type: "module", pattern: "src/modules/*" },
        { type: "stats", pattern: "src/stats" },
        { type: "import", pattern: "src/import" },
        { type: "export", pattern: "src/export" },
        { type: "taxii", pattern: "src/taxii" },
        { type: "feed", pattern: "src/feed" },
        { type: "http", pattern: "src/http" },
        { type: "common", pattern: "src/common" },
        { type: "db", pattern: "src/db" },
        // Everything else, so that its imports are checked too (files outside any element are not).
        { type: "other", pattern: ["src", "test", "bench", "scripts"] },
      ],
      // Elements are folders; src/context.ts, one file at the bottom layer, is named by a file category.
      "boundaries/files": [{ category: "context", pattern: "src/context.ts" }],
    },
    rules: {
      "boundaries/dependencies": [
        "error",
        {
          default: "allow",
          policies: [
            {
              disallow: { to: { element: { types: MODULE_TYPES, fileInternalPath: "!index.ts" } } },
              message: "Import another module through its index.ts, not its inner files (ARCHITECTURE.md: modules).",
            },
            {
              from: { element: { types: MODULE_TYPES } },
              disallow: { to: { element: { types: "http" } } },
              message: "The modules, statistics, the importer and the exports sit below src/http and must not import it.",
            },
            {
              from: { element: { types: ["common", "db"] } },
              disallow: { to: { element: { types: ABOVE_BOTTOM } } },
              message: "src/common and src/db sit below the modules, statistics, the importer, the exports and src/http, and must not import them.",
            },
            {
              // Nor the files at the top of src/ that assemble the layers (entities.ts, migrate.ts,
              // schema.ts, app.ts); a type such as config.ts's Config may be named.
              from: { element: { types: ["common", "db"] } },
              disallow: { to: { element: { types: "other" } }, dependency: { kind: "value" } },
              message: "src/common and src/db must not import the files at the top of src/ that assemble the layers above them.",
            },
            {
              // The request context carries the viewer, whose type the auth module defines; a type
              // import is erased at run time, so it adds no load-order dependency.
              from: { file: { categories: "context" } },
              disallow: { to: { element: { types: ABOVE_BOTTOM } }, dependency: { kind: "value" } },
              message: "src/context.ts sits below the modules: it may name their types (import type), never import their values.",
            },
          ],
        },
      ],
    },
  },
  prettier,
);
