import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

// Relative base: the built site works from any static server and any sub-path.
export default defineConfig({
  base: "./",
  resolve: {
    // Only the declarations string of @islet/web: importing its index would pull the
    // whole guest runtime into the page bundle. (Same alias in tsconfig.json "paths".)
    alias: {
      "@islet/web/islet_dts": fileURLToPath(new URL("../../packages/web/src/islet_dts.ts", import.meta.url)),
    },
  },
  // Pre-bundle, at server start, every dependency the page and its workers
  // import. Vite otherwise discovers the sandbox worker's (and the language
  // service worker's) dependencies only when they first load and then reloads
  // the page, which swallows the first Run click on a fresh `pnpm dev`.
  optimizeDeps: {
    include: [
      "@islet/worker > comlink",
      "@islet/worker > @islet/core > quickjs-emscripten-core",
      "@islet/worker > @islet/core > sucrase",
      "@islet/worker > @islet/core > es-module-lexer",
      "@islet/worker > @islet/core > @jitl/quickjs-wasmfile-release-sync",
      "@islet/worker > @islet/core > @jitl/quickjs-wasmfile-debug-sync",
      "typescript",
    ],
  },
  server: { host: "127.0.0.1", port: 5173, strictPort: true },
  preview: { host: "127.0.0.1", port: 4173, strictPort: true },
  // Keep function and class names in the minified build: stack traces and
  // inspected values in the console show them.
  worker: { format: "es", rolldownOptions: { output: { keepNames: true } } },
  build: { target: "es2022", chunkSizeWarningLimit: 1200, rolldownOptions: { output: { keepNames: true } } },
});
