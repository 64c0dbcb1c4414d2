import { existsSync } from "node:fs";
import { defineConfig } from "@playwright/test";

const SYSTEM_CHROMIUM = "/usr/bin/chromium";
/** The harness port; set ISLET_E2E_PORT to run two suites side by side on one machine. */
const PORT = Number(process.env.ISLET_E2E_PORT ?? 4179);
/** The playground's port (playground*.spec.ts read the same variable). */
const PLAYGROUND_PORT = Number(process.env.ISLET_PLAYGROUND_PORT ?? 4173);
/** The docs demo's port (embed*.spec.ts read the same variable). */
const DOCS_PORT = Number(process.env.ISLET_DOCS_PORT ?? 4175);

export default defineConfig({
  testDir: ".",
  testMatch: "**/*.spec.ts",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: true,
  workers: 4,
  retries: process.env.CI ? 1 : 0,
  reporter: [["list"]],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    browserName: "chromium",
    launchOptions: {
      ...(existsSync(SYSTEM_CHROMIUM) ? { executablePath: SYSTEM_CHROMIUM } : {}),
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  webServer: [
    {
      command: `pnpm exec vite build --logLevel warn && pnpm exec vite preview --port ${PORT}`,
      url: `http://127.0.0.1:${PORT}`,
      reuseExistingServer: !process.env.CI,
      timeout: 120_000,
    },
    {
      // The playground, built and served statically (playground*.spec.ts use absolute URLs).
      command: `pnpm --dir ../apps/playground exec vite build --logLevel warn && pnpm --dir ../apps/playground exec vite preview --port ${PLAYGROUND_PORT}`,
      url: `http://127.0.0.1:${PLAYGROUND_PORT}`,
      reuseExistingServer: !process.env.CI,
      timeout: 120_000,
    },
    {
      // The docs demo (apps/docs), built with @islet/embed's standalone build and served as
      // static files (embed*.spec.ts use absolute URLs).
      command: `pnpm --dir ../apps/docs build && pnpm --dir ../apps/docs exec vite preview --host 127.0.0.1 --strictPort --port ${DOCS_PORT}`,
      url: `http://127.0.0.1:${DOCS_PORT}`,
      reuseExistingServer: !process.env.CI,
      timeout: 120_000,
    },
  ],
});
