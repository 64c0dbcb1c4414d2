#!/usr/bin/env node
// `pnpm typecheck`: every project the test command checks (scripts/ts_projects.mjs).
import { spawnSync } from "node:child_process";
import { tsProjects } from "./ts_projects.mjs";

let failed = 0;
for (const p of tsProjects()) {
  console.log(`▶ typecheck ${p}`);
  const r = spawnSync("pnpm", ["exec", "tsc", "-p", p, "--noEmit"], { stdio: "inherit" });
  if (r.status !== 0) failed++;
}
if (failed > 0) {
  console.error(`✖ typecheck failed in ${failed} project(s)`);
  process.exit(1);
}
