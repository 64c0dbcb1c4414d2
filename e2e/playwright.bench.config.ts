import { defineConfig } from "@playwright/test";
import base from "./playwright.config.ts";

// Benchmarks: one worker, nothing else running, so the numbers mean something.
const servers = Array.isArray(base.webServer) ? base.webServer : [base.webServer];
export default defineConfig({
  ...base,
  testMatch: "bench/*.bench.ts",
  workers: 1,
  fullyParallel: false,
  retries: 0,
  webServer: servers.filter((s) => s !== undefined).slice(0, 1),
});
