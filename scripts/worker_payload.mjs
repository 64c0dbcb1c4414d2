// The worker side of @islet/worker's payload, as a page downloads it (gzip level 9), read from
// a standalone build directory: quickjs.wasm, and the worker script with every chunk it imports
// statically (what a plain JavaScript run loads) apart from the chunks it imports dynamically,
// which load on first use (build-packages.mjs LAZY_CHUNKS). Used by scripts/size-report.mjs and
// e2e/packaging.spec.ts, so both count the same files.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { gzipSync } from "node:zlib";

/** A static `import … from "./x.js"` (or `import "./x.js"`) in built code; `import("./x.js")` is not one. */
const STATIC_IMPORT =
  /\bimport\s*(?:[\w$]+\s*,?\s*)?(?:\{[^}]*\}|\*\s*as\s*[\w$]+)?\s*(?:from\s*)?["'`]\.\/([^"'`]+)["'`]/g;
const DYNAMIC_IMPORT = /\bimport\s*\(\s*["'`]\.\/([^"'`]+)["'`]\s*\)/g;

export function gzipSize(file) {
  const bytes = readFileSync(file);
  return { raw: bytes.byteLength, gzip: gzipSync(bytes, { level: 9 }).byteLength };
}

/**
 * `{ wasm, atStart, lazy }` for the build in `dir`: each part `{ file, raw, gzip }`; `atStart`
 * begins with sandbox-worker.js, `lazy` is every chunk reached only through a dynamic import.
 */
export function workerPayload(dir) {
  const code = (file) => readFileSync(join(dir, file), "utf8");
  const atStart = ["sandbox-worker.js"];
  for (const file of atStart)
    for (const [, dep] of code(file).matchAll(STATIC_IMPORT)) if (!atStart.includes(dep)) atStart.push(dep);
  const lazy = [];
  for (const file of [...atStart, ...lazy])
    for (const [, dep] of code(file).matchAll(DYNAMIC_IMPORT))
      if (!atStart.includes(dep) && !lazy.includes(dep)) lazy.push(dep);
  // A lazy chunk's own static imports load with it, on first use.
  for (const file of lazy)
    for (const [, dep] of code(file).matchAll(STATIC_IMPORT))
      if (!atStart.includes(dep) && !lazy.includes(dep)) lazy.push(dep);
  const part = (file) => ({ file, ...gzipSize(join(dir, file)) });
  return { wasm: part("quickjs.wasm"), atStart: atStart.map(part), lazy: lazy.sort().map(part) };
}
