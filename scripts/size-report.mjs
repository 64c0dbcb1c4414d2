#!/usr/bin/env node
// Payload of @islet/worker as a page downloads it (gzip level 9), from a fresh standalone
// build (`--no-build`: the existing one): the page-side client, and the worker side (the QuickJS
// .wasm + the worker script and the chunks it imports statically; the chunks it imports
// dynamically load on first use and are listed apart: worker_payload.mjs). Budgets from issue 13: page ≤ 15 KB, worker side ≤ 300 KB.
// Run by `pnpm bench`; e2e/packaging.spec.ts checks the same budgets on the packed package.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";
import { gzipSize, workerPayload } from "./worker_payload.mjs";

const dir = new URL("../packages/worker/dist/standalone/", import.meta.url).pathname;
if (!process.argv.includes("--no-build") || !existsSync(join(dir, "sandbox-worker.js"))) {
  // From the sources (no tsc): a stale dist/ of core or web cannot fail or skew it.
  const r = spawnSync(process.execPath, [new URL("build-packages.mjs", import.meta.url).pathname, "--standalone"], {
    stdio: "inherit",
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const KB = 1024;
const sum = (parts) => parts.reduce((a, b) => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip }), { raw: 0, gzip: 0 });
const kb = (n) => `${(n / KB).toFixed(1)} KB`;
/** What each chunk that loads on first use is for (build-packages.mjs LAZY_CHUNKS). */
const LAZY_USE = {
  "sandbox-worker-typescript.js":
    "on first TypeScript module: sandbox-worker-typescript.js (sucrase and core's transpile.ts)",
  "sandbox-worker-lexer.js": "on first module with an import: sandbox-worker-lexer.js (es-module-lexer)",
  "sandbox-worker-compression.js": "on first Compression/DecompressionStream: sandbox-worker-compression.js (pako)",
  "sandbox-worker-fetch.js":
    "on first fetch() or https: import: sandbox-worker-fetch.js (the redirect follower, remote modules)",
  "sandbox-worker-rolldown-runtime.js": "with the first chunk loaded on first use: sandbox-worker-rolldown-runtime.js",
  "sandbox-worker-wasm-patch.js":
    "only if the worker compiles QuickJS itself (never: the page posts it compiled): sandbox-worker-wasm-patch.js",
};
const { wasm, atStart, lazy } = workerPayload(dir);
const script = sum(atStart);
const rows = [
  ["page-side client (worker.js)", gzipSize(join(dir, "worker.js")), 15 * KB],
  ["worker: quickjs.wasm", wasm],
  [`worker: sandbox-worker.js + ${atStart.length - 1} chunks it loads at start`, script],
  ["worker side total (a plain JavaScript run)", sum([wasm, script]), 300 * KB],
  ...lazy.map((part) => [LAZY_USE[part.file] ?? `on first use: ${part.file}`, part]),
];
console.log("\n@islet/worker payload (standalone build)");
console.log("| part | raw | gzip | budget (gzip) |\n| --- | --- | --- | --- |");
for (const [name, s, budget] of rows) {
  const verdict = budget === undefined ? "" : `${kb(budget)} ${s.gzip <= budget ? "ok" : "OVER"}`;
  console.log(`| ${name} | ${kb(s.raw)} | ${kb(s.gzip)} | ${verdict} |`);
}
