import { defineConfig } from "vite";
import { minifyGuestSources } from "../scripts/guest_sources.mjs";

// Serves the e2e harness (harness/index.html); Playwright runs it built and previewed,
// which also checks that @islet/worker bundles with `vite build`. The sandbox worker's guest
// JavaScript is minified as the published worker ships it (scripts/guest_sources.mjs), so the
// worker specs run the platform code a user's browser runs.
export default defineConfig({
  root: "harness",
  worker: { format: "es", plugins: () => [minifyGuestSources()], rolldownOptions: { output: { keepNames: true } } },
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
