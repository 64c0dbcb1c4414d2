#!/usr/bin/env node
// Payload of @islet/worker as a page downloads it (gzip level 9), from a fresh standalone
// build (`--no-build`: the existing one): the page-side client, and the worker side (the QuickJS
// .wasm + the worker script). Budgets from issue 13: page ≤ 15 KB, worker side ≤ 300 KB.
// Run by `pnpm bench`; e2e/packaging.spec.ts checks the same budgets on the packed package.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const dir = new URL("../packages/worker/dist/standalone/", import.meta.url).pathname;
if (!process.argv.includes("--no-build") || !existsSync(join(dir, "sandbox-worker.js"))) {
  const r = spawnSync(process.execPath, [new URL("build-packages.mjs", import.meta.url).pathname, "worker"], {
    stdio: "inherit",
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const KB = 1024;
const size = (file) => {
  const bytes = readFileSync(join(dir, file));
  return { raw: bytes.byteLength, gzip: gzipSync(bytes, { level: 9 }).byteLength };
};
const kb = (n) => `${(n / KB).toFixed(1)} KB`;
const page = size("worker.js");
const wasm = size("quickjs.wasm");
const script = size("sandbox-worker.js");
const rows = [
  ["page-side client (worker.js)", page, 15 * KB],
  ["worker: quickjs.wasm", wasm],
  ["worker: sandbox-worker.js", script],
  ["worker side total", { raw: wasm.raw + script.raw, gzip: wasm.gzip + script.gzip }, 300 * KB],
];
console.log("\n@islet/worker payload (standalone build)");
console.log("| part | raw | gzip | budget (gzip) |\n| --- | --- | --- | --- |");
for (const [name, s, budget] of rows) {
  const verdict = budget === undefined ? "" : `${kb(budget)} ${s.gzip <= budget ? "ok" : "OVER"}`;
  console.log(`| ${name} | ${kb(s.raw)} | ${kb(s.gzip)} | ${verdict} |`);
}
