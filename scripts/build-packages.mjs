#!/usr/bin/env node
// Builds the publishable @islet/* packages into each package's dist/:
//   core, web, worker  ESM JavaScript + .d.ts, emitted by tsc per source file
//                      (rewriteRelativeImportExtensions turns "./x.ts" into "./x.js");
//   worker             also dist/emscripten-module.wasm (the release QuickJS build, found by
//                      src/locate.ts beside the page code), dist/standalone/, the no-bundler
//                      build (worker.js for the page, sandbox-worker.js, quickjs.wasm), and
//                      dist/sandbox-worker.js, the worker script dist/locate.js starts.
// Usage: node scripts/build-packages.mjs [core] [web] [worker]   (none: all three).
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

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const require = createRequire(join(root, "package.json"));
const tsc = require.resolve("typescript/bin/tsc");

const ORDER = ["core", "web", "worker"];
const DEPS = { core: [], web: ["core"], worker: ["core", "web"] };

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

/** The no-bundler build: every dependency bundled, the worker and the wasm beside the page module. */
async function buildStandalone(pkg) {
  const { build } = await import("rolldown");
  const out = join(pkg, "dist/standalone");
  const locate = join(pkg, "src/locate.ts");
  const standaloneLocate = join(pkg, "src/standalone_locate.ts");
  const swapLocate = {
    name: "islet-standalone-locate",
    async resolveId(source, importer, options) {
      if (importer === undefined || importer === standaloneLocate) return null;
      const resolved = await this.resolve(source, importer, { ...options, skipSelf: true });
      return resolved?.id === locate ? standaloneLocate : null;
    },
  };
  const common = {
    platform: "browser",
    logLevel: "warn",
    plugins: [swapLocate],
    // Core's error classes carry literal names, but stack traces and the console show function names: keep them.
    output: { format: "es", minify: true, keepNames: true, codeSplitting: false, comments: { legal: true } },
  };
  const bundles = { "worker.js": "src/index.ts", "sandbox-worker.js": "src/worker/entry.ts" };
  for (const [file, input] of Object.entries(bundles)) {
    const { output } = await build({
      ...common,
      input: join(pkg, input),
      output: { ...common.output, file: join(out, file) },
    });
    // (An inlined dynamic import is listed as importing the chunk itself.)
    const imported = output
      .flatMap((chunk) => (chunk.type === "chunk" ? [...chunk.imports, ...chunk.dynamicImports] : []))
      .filter((name) => name !== file);
    if (output.length !== 1 || imported.length > 0)
      fail(`standalone/${file} is not one self-contained module (imports: ${imported.join(", ") || "none"})`);
  }
  copyFileSync(releaseWasm(), join(out, "quickjs.wasm"));
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
  if (name === "worker") {
    mkdirSync(join(pkg, "dist/standalone"), { recursive: true });
    await buildStandalone(pkg);
    // The published package starts the standalone worker script: it is self-contained, so a
    // bundler, or Vite's dev server (which serves a dependency's worker file as it is, with
    // CommonJS dependencies such as sucrase's unconverted), has nothing left to resolve in it.
    copyFileSync(join(pkg, "dist/standalone/sandbox-worker.js"), join(pkg, "dist/sandbox-worker.js"));
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

const asked = process.argv.slice(2);
for (const name of asked) if (!ORDER.includes(name)) fail(`unknown package "${name}" (known: ${ORDER.join(", ")})`);
// A named package's workspace dependencies are built too when their dist/ is missing.
const built = (name) => existsSync(join(root, "packages", name, "dist/index.d.ts"));
const wanted = new Set(asked.length === 0 ? ORDER : asked.flatMap((n) => [...DEPS[n].filter((d) => !built(d)), n]));
for (const name of ORDER) if (wanted.has(name)) await buildPackage(name);
