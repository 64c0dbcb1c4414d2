#!/usr/bin/env node
// Builds the publishable @islet/* packages into each package's dist/:
//   core, web, worker  ESM JavaScript + .d.ts, emitted by tsc per source file
//                      (rewriteRelativeImportExtensions turns "./x.ts" into "./x.js");
//   worker             also dist/emscripten-module.wasm (the release QuickJS build, found by
//                      src/locate.ts beside the page code), dist/standalone/, the no-bundler
//                      build (worker.js for the page, sandbox-worker.js with its sandbox-worker-*.js
//                      chunks, quickjs.wasm), and dist/sandbox-worker.js (+ chunks), the worker
//                      script dist/locate.js starts; the guest JavaScript in these worker
//                      bundles is minified (guest_sources.mjs), sucrase, es-module-lexer and
//                      pako are chunks loaded on first use;
//   embed              also dist/standalone/: embed.js (the <islet-run> definition), its lazy
//                      chunks (the run chunk, the CodeMirror chunk) and, beside them, the
//                      worker's sandbox-worker.js (+ chunks) and quickjs.wasm, so one directory serves a page.
// Usage: node scripts/build-packages.mjs [core] [web] [worker] [embed]   (none: all four).
//        node scripts/build-packages.mjs --standalone   only the standalone builds of worker and
//        embed, bundled from the sources (no tsc): what apps/docs serves (its `pnpm build`).
// A package is built after the workspace packages it imports, whose .d.ts it compiles against.
// Each package's `prepack` runs this, so `pnpm pack` always packs a fresh dist/.
import { spawnSync } from "node:child_process";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { createRequire } from "node:module";
import { dirname, join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { minifyGuestSources } from "./guest_sources.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(join(root, "package.json"));
const tsc = require.resolve("typescript/bin/tsc");

const ORDER = ["core", "web", "worker", "embed"];
const DEPS = { core: [], web: ["core"], worker: ["core", "web"], embed: ["core", "web", "worker"] };
/** Budget (gzip) of embed.js, the only code a page loads before a block is used (issue 14). */
const EMBED_DEFINITION_BUDGET = 10 * 1024;

function fail(message) {
  console.error(`build-packages: ${message}`);
  process.exit(1);
}

function runTsc(project) {
  const r = spawnSync(process.execPath, [tsc, "-p", project], { cwd: root, stdio: "inherit" });
  if (r.status !== 0) fail(`tsc -p ${project} failed`);
}

function filesUnder(dir) {
  return readdirSync(dir, { recursive: true })
    .map((f) => join(dir, String(f)))
    .filter((f) => statSync(f).isFile());
}

/**
 * tsc rewrites ".ts" import specifiers in the JavaScript it emits but not in
 * the .d.ts files; consumers without allowImportingTsExtensions need ".js" there too.
 */
function rewriteDeclarationSpecifiers(dist) {
  const specifier = /(\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)(["'])(\.{1,2}\/[^"']+)\.ts\2/g;
  for (const file of filesUnder(dist).filter((f) => f.endsWith(".d.ts"))) {
    const code = readFileSync(file, "utf8");
    const rewritten = code.replace(specifier, (_, head, quote, path) => `${head}${quote}${path}.js${quote}`);
    if (rewritten !== code) writeFileSync(file, rewritten);
  }
}

/** Every relative import in emitted JavaScript names a .js file that exists: no TypeScript sources leak into dist. */
function checkEmitted(dist) {
  const specifier = /(?:\bfrom\s*|\bimport\s*\(\s*|\bimport\s+)["'](\.{1,2}\/[^"']+)["']/g;
  for (const file of filesUnder(dist).filter((f) => f.endsWith(".js") || f.endsWith(".d.ts"))) {
    const code = readFileSync(file, "utf8");
    for (const [, spec] of code.matchAll(specifier)) {
      if (spec.endsWith(".ts")) fail(`${relative(root, file)} imports TypeScript source ${spec}`);
      const target = join(dirname(file), spec);
      const dts = target.replace(/\.js$/, ".d.ts");
      if (!existsSync(target) && !(file.endsWith(".d.ts") && existsSync(dts)))
        fail(`${relative(root, file)} imports ${spec}, which is not in dist`);
    }
    if (/\bimport\s*\(?\s*["']node:/.test(code) && !file.endsWith(".d.ts"))
      fail(`${relative(root, file)} statically imports a node: built-in, which browser bundles cannot resolve`);
  }
}

const releaseWasm = () =>
  createRequire(join(root, "packages/worker/package.json")).resolve("@jitl/quickjs-wasmfile-release-sync/wasm");

/** Bundles `@islet/worker`'s standalone_locate.ts in place of its locate.ts (files beside the page module). */
function swapLocatePlugin() {
  const worker = join(root, "packages/worker");
  const locate = join(worker, "src/locate.ts");
  const standaloneLocate = join(worker, "src/standalone_locate.ts");
  return {
    name: "islet-standalone-locate",
    async resolveId(source, importer, options) {
      if (importer === undefined || importer === standaloneLocate) return null;
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      return resolved?.id === locate ? standaloneLocate : null;
    },
  };
}

const HOST_KEEP_NAMES = { class: true, function: false };

/**
 * A class keeps the name it has in the bundle, which is its source name unless the bundler
 * renamed it to avoid a clash (`Resource$1`): that would change a message, so it fails the build.
 */
function checkClassNames(chunks, where) {
  for (const chunk of chunks) {
    if (chunk.type !== "chunk") continue;
    const renamed = chunk.code.match(/\bclass [\w$]+\$\d+\b|\b[\w$]+\$\d+\s*=\s*class\b/g);
    if (renamed !== null)
      fail(`${where}/${chunk.fileName}: a class was renamed by the bundler (${renamed.join(", ")})`);
  }
}

/** The no-bundler build: every dependency bundled, the worker and the wasm beside the page module. */
async function buildStandalone(pkg) {
  const { build } = await import("rolldown");
  const out = join(pkg, "dist/standalone");
  const common = {
    platform: "browser",
    logLevel: "warn",
    // The guest JavaScript QuickJS evaluates is minified too (guest_sources.mjs).
    plugins: [swapLocatePlugin(), minifyGuestSources()],
    optimization: { inlineConst: { mode: "all", pass: 2 } },
    // Host code: classes keep their names (messages name them: `BadResource` "is a X, not a Y",
    // OpState's missing class key, the bridge's "an object of class X"; core's error classes also
    // carry literal names), functions do not (no behaviour reads a host function's name; only a
    // host stack trace, already minified, shows it): 1.4 KB gzip off the worker. The guest never
    // sees host names: its sources are strings, minified by guest_sources.mjs with every name kept.
    output: {
      format: "es",
      minify: {
        compress: { keepNames: HOST_KEEP_NAMES },
        mangle: { keepNames: HOST_KEEP_NAMES },
        codegen: { removeWhitespace: true },
      },
      keepNames: false,
      codeSplitting: false,
      comments: { legal: true },
    },
  };
  // The page module: one self-contained file.
  const page = await build({
    ...common,
    input: join(pkg, "src/index.ts"),
    output: { ...common.output, file: join(out, "worker.js") },
  });
  // (An inlined dynamic import is listed as importing the chunk itself.)
  const imported = page.output
    .flatMap((chunk) => (chunk.type === "chunk" ? [...chunk.imports, ...chunk.dynamicImports] : []))
    .filter((name) => name !== "worker.js");
  checkClassNames(page.output, "standalone");
  if (page.output.length !== 1 || imported.length > 0)
    fail(`standalone/worker.js is not one self-contained module (imports: ${imported.join(", ") || "none"})`);
  // The worker: what every run needs in sandbox-worker.js; what loads on first use (core's
  // modules/graph.ts: sucrase for TypeScript, es-module-lexer for imports; web's zlib) and QuickJS's
  // own loader pieces in chunks beside it, named sandbox-worker-<name>.js.
  const worker = await build({
    ...common,
    input: join(pkg, "src/worker/entry.ts"),
    // A worker script's exports are never read.
    preserveEntrySignatures: false,
    output: {
      ...common.output,
      dir: out,
      entryFileNames: "sandbox-worker.js",
      chunkFileNames: "sandbox-worker-[name].js",
      // Code that chunks loaded later import back from the code around them (QuickJS's own lazily
      // imported loader pieces; core's wasm_binary.ts, errors.ts and host_fetch.ts, which the wasm
      // edits, host_fetch_hops.ts and modules/remote.ts use) is grouped in one chunk loaded at start beside the entry, so no
      // chunk imports the entry itself (Vite's dev server loads the worker entry under another
      // URL, `?worker_file`, and a chunk importing "./sandbox-worker.js" would start a second copy
      // of the worker).
      codeSplitting: {
        groups: [
          ...LAZY_CHUNKS,
          {
            name: "shared",
            test: /node_modules[\\/](?:\.pnpm[\\/][^\\/]+[\\/]node_modules[\\/])?(?:quickjs-emscripten-core|@jitl)[\\/]|[\\/]core[\\/](?:src|dist)[\\/](?:wasm_binary|errors|host_fetch)\.[jt]s$/,
          },
        ],
      },
    },
  });
  checkClassNames(worker.output, "standalone");
  const chunks = new Map(worker.output.filter((c) => c.type === "chunk").map((c) => [c.fileName, c]));
  const atStart = new Set(["sandbox-worker.js"]);
  for (const file of atStart) for (const dep of chunks.get(file)?.imports ?? []) atStart.add(dep);
  for (const [file, chunk] of chunks)
    if (chunk.imports.includes("sandbox-worker.js") || chunk.dynamicImports.includes("sandbox-worker.js"))
      fail(
        `standalone/${file} imports the worker entry: a second copy of the worker would start (add the module it shares to the "shared" group)`,
      );
  for (const { name } of LAZY_CHUNKS) {
    const file = `sandbox-worker-${name}.js`;
    if (!chunks.has(file)) fail(`standalone/${file} was not emitted: is it still loaded on first use?`);
    if (atStart.has(file)) fail(`standalone/${file} is imported statically: it must load on first use`);
  }
  copyFileSync(releaseWasm(), join(out, "quickjs.wasm"));
}

/**
 * The worker's chunks loaded on first use (core's modules/graph.ts and quickjs.ts, web's
 * compression.ts), by the modules in them. scripts/worker_payload.mjs counts every chunk the
 * worker imports only dynamically as loaded on first use; this list is what the build checks.
 */
const LAZY_CHUNKS = [
  {
    name: "typescript",
    test: /node_modules[\\/](?:\.pnpm[\\/][^\\/]+[\\/]node_modules[\\/])?(?:sucrase|ts-interface-checker|lines-and-columns|@jridgewell)[\\/]|[\\/]core[\\/](?:src|dist)[\\/]modules[\\/]transpile\.[jt]s$/,
  },
  { name: "lexer", test: /node_modules[\\/](?:\.pnpm[\\/][^\\/]+[\\/]node_modules[\\/])?es-module-lexer[\\/]/ },
  // Core's redirect follower (host_fetch.ts imports it on the first fetch() or https: import) and
  // remote module loading (modules/graph.ts imports it on the first https: import).
  {
    name: "fetch",
    test: /[\\/]core[\\/](?:src|dist)[\\/](?:host_fetch_hops|modules[\\/]remote)\.[jt]s$/,
    includeDependenciesRecursively: false,
  },
  // Core's edits to the QuickJS binary (quickjs.ts imports them only to compile QuickJS itself;
  // a worker gets the module compiled by the page, so it never loads them).
  {
    name: "wasm-patch",
    test: /[\\/]core[\\/](?:src|dist)[\\/]wasm_(?:patch|fuel)\.[jt]s$/,
    // Not what they import from wasm_hooks.ts (export names), which every runtime needs.
    includeDependenciesRecursively: false,
  },
  // @islet/web's zlib (compression.ts loads it for the first CompressionStream or DecompressionStream).
  {
    name: "compression",
    test: /(?:node_modules[\\/](?:\.pnpm[\\/][^\\/]+[\\/]node_modules[\\/])?pako[\\/]|[\\/]web[\\/](?:src|dist)[\\/]compression_codec\.[jt]s$)/,
  },
];

/**
 * The embed's no-bundler build: embed.js (the element definition) plus its lazy chunks, every
 * dependency bundled, next to the worker's standalone sandbox-worker.js and quickjs.wasm (which the
 * run chunk's bundled @islet/worker finds beside itself).
 */
async function buildEmbedStandalone(pkg) {
  const { build } = await import("rolldown");
  const out = join(pkg, "dist/standalone");
  rmSync(out, { recursive: true, force: true });
  const workerStandalone = join(root, "packages/worker/dist/standalone");
  if (!existsSync(join(workerStandalone, "sandbox-worker.js"))) await buildStandalone(join(root, "packages/worker"));
  const { output } = await build({
    input: { embed: join(pkg, "src/index.ts") },
    platform: "browser",
    logLevel: "warn",
    plugins: [swapLocatePlugin()],
    output: {
      dir: out,
      format: "es",
      minify: true,
      keepNames: true,
      entryFileNames: "[name].js",
      chunkFileNames: "embed-[name]-[hash].js",
      comments: { legal: true },
    },
  });
  for (const chunk of output) {
    if (chunk.type !== "chunk") continue;
    const external = chunk.imports.filter((name) => !output.some((c) => c.fileName === name));
    if (external.length > 0) fail(`standalone/${chunk.fileName} imports ${external.join(", ")}, which is not bundled`);
  }
  // The worker with its chunks (sandbox-worker-*.js), and the wasm.
  for (const file of readdirSync(workerStandalone))
    if (/^sandbox-worker(-.+)?\.js$/.test(file) || file === "quickjs.wasm")
      copyFileSync(join(workerStandalone, file), join(out, file));
  const { gzipSync } = await import("node:zlib");
  const definition = gzipSync(readFileSync(join(out, "embed.js")), { level: 9 }).byteLength;
  if (definition > EMBED_DEFINITION_BUDGET)
    fail(`standalone/embed.js is ${definition} bytes gzip, over its ${EMBED_DEFINITION_BUDGET}-byte budget`);
}

async function buildPackage(name) {
  const pkg = join(root, "packages", name);
  rmSync(join(pkg, "dist"), { recursive: true, force: true });
  runTsc(join(pkg, "tsconfig.build.json"));
  if (name === "worker") {
    runTsc(join(pkg, "src/worker/tsconfig.build.json"));
    // locate.ts finds the wasm beside it (src/emscripten-module.wasm is a symlink to the same file).
    copyFileSync(releaseWasm(), join(pkg, "dist/emscripten-module.wasm"));
    rmSync(join(pkg, "dist/standalone_locate.js"), { force: true });
    rmSync(join(pkg, "dist/standalone_locate.d.ts"), { force: true });
  }
  rewriteDeclarationSpecifiers(join(pkg, "dist"));
  if (name === "core") {
    // quickjs-emscripten-core's declarations, which core's reach, use Disposable and
    // Symbol.dispose: bring that lib into a consumer's compilation, as @types packages do.
    const index = join(pkg, "dist/index.d.ts");
    writeFileSync(index, `/// <reference lib="esnext.disposable" />\n${readFileSync(index, "utf8")}`);
  }
  checkEmitted(join(pkg, "dist"));
  if (name === "embed") await buildEmbedStandalone(pkg);
  if (name === "worker") {
    mkdirSync(join(pkg, "dist/standalone"), { recursive: true });
    await buildStandalone(pkg);
    // The published package starts the standalone worker script: it is self-contained, so a
    // bundler, or Vite's dev server (which serves a dependency's worker file as it is, with
    // CommonJS dependencies such as sucrase's unconverted), has nothing left to resolve in it.
    for (const file of readdirSync(join(pkg, "dist/standalone")))
      if (/^sandbox-worker(-.+)?\.js$/.test(file))
        copyFileSync(join(pkg, "dist/standalone", file), join(pkg, "dist", file));
    const locatePath = join(pkg, "dist/locate.js");
    const source = 'new Worker(new URL("./worker/entry.js", import.meta.url), { type: "module"';
    const locate = readFileSync(locatePath, "utf8");
    if (!locate.includes(source)) fail(`dist/locate.js lost the bundler-visible pattern ${source}`);
    writeFileSync(locatePath, locate.replace(source, source.replace("./worker/entry.js", "./sandbox-worker.js")));
    if (!locate.includes('new URL("./emscripten-module.wasm", import.meta.url)'))
      fail("dist/locate.js lost the bundler-visible pattern for emscripten-module.wasm");
  }
  console.log(`built @islet/${name} → ${relative(root, join(pkg, "dist"))}`);
}

if (process.argv[2] === "--standalone") {
  const worker = join(root, "packages/worker");
  rmSync(join(worker, "dist/standalone"), { recursive: true, force: true });
  mkdirSync(join(worker, "dist/standalone"), { recursive: true });
  await buildStandalone(worker);
  await buildEmbedStandalone(join(root, "packages/embed"));
  console.log("built the standalone builds → packages/{worker,embed}/dist/standalone");
  process.exit(0);
}
const asked = process.argv.slice(2);
for (const name of asked) if (!ORDER.includes(name)) fail(`unknown package "${name}" (known: ${ORDER.join(", ")})`);
// A named package's workspace dependencies are built too when their dist/ is missing.
const built = (name) => existsSync(join(root, "packages", name, "dist/index.d.ts"));
const wanted = new Set(asked.length === 0 ? ORDER : asked.flatMap((n) => [...DEPS[n].filter((d) => !built(d)), n]));
for (const name of ORDER) if (wanted.has(name)) await buildPackage(name);
