import path from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";
import { siteChrome } from "./site-chrome.mts";

// The browser pages (front page, dashboard, playground), bundled into dist/web with every script,
// style and font they use, so the service serves them itself under `default-src 'self'`.
const root = path.dirname(fileURLToPath(import.meta.url));

export default defineConfig({
  root,
  base: "/",
  publicDir: false,
  // Every page's head and site navigation, written once (site-chrome.mts).
  plugins: [siteChrome()],
  // Production React and GraphiQL whatever NODE_ENV the build runs under (vitest sets "test").
  define: { "process.env.NODE_ENV": JSON.stringify("production") },
  // Automatic JSX runtime for the React playground (esbuild, no Babel plugin needed).
  oxc: { jsx: { runtime: "automatic", development: false } },
  build: {
    outDir: path.resolve(root, "../../dist/web"),
    emptyOutDir: true,
    // Inlined assets become data: URLs; keep them as files the service serves.
    assetsInlineLimit: 0,
    // The polyfill adds an inline script; modern browsers need none.
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 2000,
    rollupOptions: {
      // React libraries mark modules "use client" (a server-components hint with no meaning here).
      onwarn(warning, warn) {
        if (warning.code !== "MODULE_LEVEL_DIRECTIVE") warn(warning);
      },
      input: {
        front: path.resolve(root, "front/index.html"),
        dashboard: path.resolve(root, "dashboard/index.html"),
        playground: path.resolve(root, "playground/index.html"),
      },
    },
  },
});
