#!/usr/bin/env node
// Builds the docs demo into dist/: the pages of site/ as they are (static HTML, no bundler)
// and, in dist/islet/, @islet/embed's standalone build — embed.js, its lazy chunks, the
// sandbox worker and quickjs.wasm — exactly what a site copies from
// node_modules/@islet/embed/dist/standalone/. Serve dist/ from any static server.
import { spawnSync } from "node:child_process";
import { cpSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";

const here = (path) => fileURLToPath(new URL(path, import.meta.url));
const build = spawnSync(process.execPath, [here("../../scripts/build-packages.mjs"), "--standalone"], {
  stdio: "inherit",
});
if (build.status !== 0) process.exit(build.status ?? 1);
rmSync(here("dist"), { recursive: true, force: true });
cpSync(here("site"), here("dist"), { recursive: true });
cpSync(here("../../packages/embed/dist/standalone"), here("dist/islet"), { recursive: true });
console.log("built the docs demo → apps/docs/dist");
