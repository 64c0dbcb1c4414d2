import { defineConfig } from "vite";

// Serves the e2e harness (harness/index.html); Playwright runs it built and previewed,
// which also checks that @islet/worker bundles with `vite build`.
export default defineConfig({
  root: "harness",
  worker: { format: "es", rolldownOptions: { output: { keepNames: true } } },
  build: {
    outDir: "../dist",
    emptyOutDir: true,
    target: "es2022",
    // Core's error classes take their guest-visible name from the class name; a minifier must keep it.
    rolldownOptions: { output: { keepNames: true } },
  },
  preview: { host: "127.0.0.1", port: 4179, strictPort: true },
  server: { host: "127.0.0.1", port: 4179, strictPort: true },
});
