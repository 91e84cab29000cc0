import { createRequire } from "node:module";
import { defineConfig } from "vitest/config";
import swc from "unplugin-swc";

// esbuild, Vite's default transform, drops decorator metadata, which type-graphql and TypeORM
// read; SWC keeps it, as tsc does for the build.
const require = createRequire(import.meta.url);

export default defineConfig({
  resolve: {
    // graphql ships CJS (`main`) and ESM (`module`) builds without an exports map: Node loads the CJS
    // one for the dependencies, so the tests' own imports must get it too, or two copies of graphql
    // meet (and `instanceof GraphQLScalarType` fails).
    alias: [{ find: /^graphql$/, replacement: require.resolve("graphql") }],
  },
  plugins: [
    swc.vite({
      jsc: {
        parser: { syntax: "typescript", decorators: true },
        transform: { legacyDecorator: true, decoratorMetadata: true, useDefineForClassFields: false },
        target: "es2022",
      },
    }),
  ],
  test: {
    setupFiles: ["reflect-metadata"],
    pool: "forks",
    testTimeout: 60_000,
    hookTimeout: 180_000,
    reporters: ["default"],
    // Unit tests need no PostgreSQL: their project skips the global setup that provides (or starts) one.
    projects: [
      { extends: true, test: { name: "unit", include: ["test/unit/**/*.test.ts"], isolate: false } },
      {
        extends: true,
        test: { name: "integration", include: ["test/integration/**/*.test.ts", "test/browser/**/*.test.ts"], globalSetup: ["test/global-setup.ts"] },
      },
    ],
  },
});
