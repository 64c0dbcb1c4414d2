#!/usr/bin/env node
// The one test command (`pnpm test`): lint, typecheck every package, unit tests
// (release + debug QuickJS) and, when e2e specs exist, Playwright in Chromium.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { tsProjects } from "./ts_projects.mjs";

function run(label, cmd, args, env = {}) {
  console.log(`\n▶ ${label}`);
  const r = spawnSync(cmd, args, { stdio: "inherit", env: { ...process.env, ...env } });
  if (r.status !== 0) {
    console.error(`✖ ${label} failed`);
    process.exit(r.status ?? 1);
  }
}

run("lint (biome)", "pnpm", ["exec", "biome", "check", "."]);
for (const p of tsProjects()) run(`typecheck ${p}`, "pnpm", ["exec", "tsc", "-p", p, "--noEmit"]);
run("unit tests (Node, QuickJS release + debug)", "pnpm", ["exec", "vitest", "run"]);
const hasE2e = existsSync("e2e") && readdirSync("e2e", { recursive: true }).some((f) => String(f).endsWith(".spec.ts"));
if (hasE2e) {
  run("ensure Chromium", "node", ["scripts/ensure-chromium.mjs"]);
  run("e2e (Playwright, Chromium)", "pnpm", ["--filter", "@islet/e2e", "exec", "playwright", "test"]);
}
console.log("\n✔ all tests passed");
