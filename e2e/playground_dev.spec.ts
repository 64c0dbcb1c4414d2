/**
 * The README's first command, `pnpm dev`, as a newcomer meets it: a fresh Vite
 * dev server (dependency pre-bundle cache cleared) and a Run clicked as soon as
 * the page shows. Vite discovering a dependency late reloads the page and the
 * click is lost; the playground's vite config pre-bundles what the page and its
 * workers import, so the first click always runs.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { expect, test } from "@playwright/test";

const APP = fileURLToPath(new URL("../apps/playground/", import.meta.url));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
    server.on("error", reject);
  });
}

let dev: ChildProcess | undefined;
let url = "";

test.beforeAll(async () => {
  test.setTimeout(120_000);
  const port = await freePort();
  dev = spawn("pnpm", ["exec", "vite", "--port", String(port), "--strictPort", "--force", "--clearScreen", "false"], {
    cwd: APP,
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  url = `http://127.0.0.1:${port}/`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    try {
      if ((await fetch(url)).ok) break;
    } catch {}
    if (Date.now() > deadline) throw new Error("vite dev server did not start");
    await new Promise((r) => setTimeout(r, 250));
  }
});

test.afterAll(() => {
  if (dev?.pid) process.kill(-dev.pid, "SIGTERM");
});

test("on a fresh `pnpm dev` the first Run click runs the program", async ({ page }) => {
  test.setTimeout(120_000);
  let reloads = 0;
  page.on("framenavigated", (frame) => {
    if (frame === page.mainFrame()) reloads++;
  });
  await page.goto(url);
  await expect(page.locator(".cm-content")).toBeVisible({ timeout: 60_000 });
  await page.getByRole("button", { name: "▶ Run" }).click();
  await expect(page.locator(".console-list")).toContainText("Hello from Islet!", { timeout: 60_000 });
  // Let late discoveries (the language service worker) happen: none may reload the page.
  await page.waitForTimeout(3000);
  expect(reloads).toBe(1);
});
