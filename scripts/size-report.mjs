#!/usr/bin/env node
// Payload of @islet/worker as a page downloads it (gzip level 9), from a fresh standalone
// build (`--no-build`: the existing one): the page-side client, and the worker side (the QuickJS
// .wasm + the worker script and the chunks it loads at start; sucrase, es-module-lexer and pako
// load on first use and are listed apart). Budgets from issue 13: page ≤ 15 KB, worker side ≤ 300 KB.
// Run by `pnpm bench`; e2e/packaging.spec.ts checks the same budgets on the packed package.
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

const dir = new URL("../packages/worker/dist/standalone/", import.meta.url).pathname;
if (!process.argv.includes("--no-build") || !existsSync(join(dir, "sandbox-worker.js"))) {
  // From the sources (no tsc): a stale dist/ of core or web cannot fail or skew it.
  const r = spawnSync(process.execPath, [new URL("build-packages.mjs", import.meta.url).pathname, "--standalone"], {
    stdio: "inherit",
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

const KB = 1024;
const size = (file) => {
  const bytes = readFileSync(join(dir, file));
  return { raw: bytes.byteLength, gzip: gzipSync(bytes, { level: 9 }).byteLength };
};
const sum = (parts) => parts.reduce((a, b) => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip }), { raw: 0, gzip: 0 });
const kb = (n) => `${(n / KB).toFixed(1)} KB`;
// The worker's chunks that load on first use (build-packages.mjs LAZY_CHUNKS); every other
// sandbox-worker chunk loads when a sandbox starts and counts toward the worker side.
const LAZY = ["sandbox-worker-typescript.js", "sandbox-worker-lexer.js", "sandbox-worker-compression.js"];
const chunks = readdirSync(dir).filter((f) => /^sandbox-worker-.+\.js$/.test(f) && !LAZY.includes(f));
const page = size("worker.js");
const wasm = size("quickjs.wasm");
const script = sum(["sandbox-worker.js", ...chunks].map(size));
const rows = [
  ["page-side client (worker.js)", page, 15 * KB],
  ["worker: quickjs.wasm", wasm],
  [`worker: sandbox-worker.js + ${chunks.length} chunks it loads at start`, script],
  ["worker side total (a plain JavaScript run)", sum([wasm, script]), 300 * KB],
  ["on first TypeScript module: sandbox-worker-typescript.js (sucrase)", size(LAZY[0])],
  ["on first module with an import: sandbox-worker-lexer.js (es-module-lexer)", size(LAZY[1])],
  ["on first Compression/DecompressionStream: sandbox-worker-compression.js (pako)", size(LAZY[2])],
];
console.log("\n@islet/worker payload (standalone build)");
console.log("| part | raw | gzip | budget (gzip) |\n| --- | --- | --- | --- |");
for (const [name, s, budget] of rows) {
  const verdict = budget === undefined ? "" : `${kb(budget)} ${s.gzip <= budget ? "ok" : "OVER"}`;
  console.log(`| ${name} | ${kb(s.raw)} | ${kb(s.gzip)} | ${verdict} |`);
}
