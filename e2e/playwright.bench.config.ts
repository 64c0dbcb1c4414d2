import { defineConfig } from "@playwright/test";
import base from "./playwright.config.ts";

// Benchmarks: one worker, nothing else running, so the numbers mean something. Servers: the
// harness (worker.bench.ts) and the docs demo (embed.bench.ts); not the playground.
const servers = Array.isArray(base.webServer) ? base.webServer : [base.webServer];
export default defineConfig({
  ...base,
  testMatch: "bench/*.bench.ts",
  workers: 1,
  fullyParallel: false,
  retries: 0,
  webServer: servers.filter(
    (s): s is NonNullable<typeof s> => s !== undefined && !String(s.command).includes("apps/playground"),
  ),
});
