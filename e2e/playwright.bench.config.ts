import { defineConfig } from "@playwright/test";
import base from "./playwright.config.ts";

// Benchmarks: one worker, nothing else running, so the numbers mean something. Servers: the
// harness (worker.bench.ts), the docs demo (embed.bench.ts) and the playground (playground.bench.ts).
export default defineConfig({
  ...base,
  testMatch: "bench/*.bench.ts",
  workers: 1,
  fullyParallel: false,
  retries: 0,
});
