#!/usr/bin/env node
// Makes sure a Chromium exists for the e2e tests: Debian's /usr/bin/chromium if
// present (installed with apt when we are root on Debian), else Playwright's own.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";

const SYSTEM = "/usr/bin/chromium";
if (existsSync(SYSTEM)) process.exit(0);
const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
if (isRoot && existsSync("/usr/bin/apt-get")) {
  console.log("Installing Debian's chromium with apt-get …");
  spawnSync("apt-get", ["update", "-qq"], { stdio: "inherit" });
  const r = spawnSync("apt-get", ["install", "-y", "-qq", "chromium"], { stdio: "inherit" });
  if (r.status === 0 && existsSync(SYSTEM)) process.exit(0);
}
console.log("Installing Playwright's Chromium …");
const r = spawnSync("pnpm", ["--filter", "@islet/e2e", "exec", "playwright", "install", "chromium"], {
  stdio: "inherit",
});
process.exit(r.status ?? 1);
