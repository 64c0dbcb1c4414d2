// Issue 13: the packages as a newcomer gets them. Every @islet/* package is
// packed (`pnpm pack`, which builds dist/), then used from temporary apps
// outside the repository: a fresh Vite app, a plain static page with the
// standalone build, a strict `tsc` consumer and a Node program. The examples
// are the root README's "Install" blocks, so a README that stops working fails here.
import { spawn } from "node:child_process";
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { type AddressInfo, createServer } from "node:net";
import { basename, join } from "node:path";
import { gzipSync } from "node:zlib";
import { expect, type Page, test } from "@playwright/test";
import { workerPayload } from "../scripts/worker_payload.mjs";
import { outputRows, run as runBlock } from "./embed_helpers.ts";
import {
  consumerEnv,
  makeApp,
  makeAppAsync,
  PACKAGES,
  type Packed,
  packAll,
  REPO,
  readmeBlock,
  run,
  STRICT_CONSUMER,
  TSC_BIN,
  VITE_BIN,
  workspaceVersion,
} from "./packaging/consumer.ts";
import { serveStatic } from "./packaging/static_server.ts";

test.describe.configure({ mode: "serial" });
// Packing builds three packages and the standalone bundles; installs and builds follow.
test.setTimeout(240_000);

const RELEASE_WASM = createRequire(join(REPO, "packages/worker/package.json")).resolve(
  "@jitl/quickjs-wasmfile-release-sync/wasm",
);
const KB = 1024;
const gzipBytes = (file: string) => gzipSync(readFileSync(file), { level: 9 }).byteLength;
const filesUnder = (dir: string) =>
  readdirSync(dir, { recursive: true })
    .map((f) => join(dir, String(f)))
    .filter((f) => statSync(f).isFile());

/** Every file an `exports` map points at. */
const exportTargets = (value: unknown): string[] =>
  typeof value === "string" ? [value] : Object.values(value as object).flatMap(exportTargets);

/**
 * The standalone build's fixed files, and the worker chunks that load on first use (zlib, the
 * redirect follower, imports, TypeScript; the binary edits, which a worker handed a compiled
 * module never loads).
 */
const STANDALONE_CORE = ["quickjs.wasm", "sandbox-worker.js", "worker.js"];
const LAZY_CHUNKS = [
  "sandbox-worker-compression.js",
  "sandbox-worker-fetch.js",
  "sandbox-worker-lexer.js",
  "sandbox-worker-typescript.js",
  "sandbox-worker-wasm-patch.js",
];

let packed: Packed;
let viteApp: string;
let standalone: string;
/** The Node consumer, installed with npm in the background while the browser tests run. */
let nodeApp: Promise<string>;

test.beforeAll(async () => {
  test.setTimeout(300_000);
  packed = packAll();
  nodeApp = makeAppAsync(
    packed,
    "node-app",
    ["core", "web"],
    {
      "main.ts": readmeBlock("node"),
      "tsconfig.json": JSON.stringify({
        // As the README's Node section says: QuickJS's declarations use WebAssembly (lib DOM).
        compilerOptions: {
          ...STRICT_CONSUMER,
          noEmit: false,
          outDir: "out",
          module: "NodeNext",
          moduleResolution: "NodeNext",
          lib: ["ES2022", "DOM"],
          types: ["node"],
        },
        files: ["main.ts"],
      }),
    },
    workspaceVersion("@types/node"),
    "npm", // the Vite app uses pnpm; this one what most newcomers type
  );
  nodeApp.catch(() => {}); // awaited (and reported) by the Node test
});

test.afterAll(() => {
  if (packed !== undefined) rmSync(packed.dir, { recursive: true, force: true });
});

/** Opens `url` and waits for the README example's two console lines; returns everything logged. */
async function runExample(page: Page, url: string): Promise<string[]> {
  const logged: string[] = [];
  page.on("console", (m) => logged.push(m.text()));
  page.on("pageerror", (e) => logged.push(`pageerror: ${e.message}`));
  await page.goto(url);
  const relevant = () => logged.filter((l) => !l.startsWith("Failed to load resource") && !l.startsWith("[vite]"));
  await expect.poll(relevant, { timeout: 60_000 }).toEqual(["[sandbox log] 1", "sandbox ran"]);
  return logged;
}

/** Serves the standalone site, runs the example at `path` in a new page; returns the file names it requested. */
async function filesRequested(page: Page, path: string): Promise<string[]> {
  const site = await serveStatic(standalone);
  const tab = await page.context().newPage();
  const requested: string[] = [];
  tab.on("request", (r) => requested.push(basename(new URL(r.url()).pathname)));
  try {
    await runExample(tab, `${site.url}/${path}`);
  } finally {
    await tab.close();
    await site.close();
  }
  return requested;
}

/** A port the OS says is free now (Vite's dev server takes a number, not 0). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

test("each tarball holds built ESM, .d.ts and an MIT license, exports no TypeScript source, and passes npm publish --dry-run", () => {
  for (const name of PACKAGES) {
    const tgz = packed.tarballs[name];
    const files = run("tar", ["tzf", tgz], packed.dir).trim().split("\n");
    expect(files, name).toEqual(
      expect.arrayContaining(["package/LICENSE", "package/dist/index.js", "package/dist/index.d.ts"]),
    );
    expect(
      files.filter((f) => /\.(ts|tsx|mts)$/.test(f) && !f.endsWith(".d.ts")),
      `${name}: TypeScript sources`,
    ).toEqual([]);
    expect(
      files.filter((f) => f.includes("debug")),
      `${name}: debug build`,
    ).toEqual([]);
    const manifest = JSON.parse(run("tar", ["xzOf", tgz, "package/package.json"], packed.dir));
    expect(manifest.license).toBe("MIT");
    expect(manifest.sideEffects).toBeDefined();
    for (const target of exportTargets(manifest.exports).filter((t) => t !== "./package.json")) {
      expect(target, `${name}: exports`).toMatch(/^\.\/dist\//);
      expect(target, `${name}: exports`).not.toMatch(/(?<!\.d)\.ts$/);
    }
    expect(manifest.exports["."]).toEqual({
      types: "./dist/index.d.ts",
      import: "./dist/index.js",
      default: "./dist/index.js",
    });
    for (const [dep, range] of Object.entries({ ...manifest.dependencies, ...manifest.peerDependencies }))
      expect(range, `${name}: ${dep}`).not.toMatch(/^workspace:/);
    run("npm", ["publish", "--dry-run", "--ignore-scripts", tgz], packed.dir);
  }
  // The release wasm is @islet/worker's own dependency; the debug build is not a dependency of anything.
  const worker = JSON.parse(run("tar", ["xzOf", packed.tarballs.worker, "package/package.json"], packed.dir));
  expect(worker.dependencies["@jitl/quickjs-wasmfile-release-sync"]).toBe("0.32.0");
  const core = JSON.parse(run("tar", ["xzOf", packed.tarballs.core, "package/package.json"], packed.dir));
  expect(core.dependencies["@jitl/quickjs-wasmfile-debug-sync"]).toBeUndefined();
});

test("a fresh Vite app with the tarballs builds with no config and runs the README example: createSandbox() without options", async ({
  page,
}) => {
  viteApp = makeApp(packed, "vite-app", ["worker"], {
    "index.html": `<!doctype html>\n<html><body><script type="module" src="./main.ts"></script></body></html>\n`,
    "main.ts": readmeBlock("bundler"),
  });
  const log = run(process.execPath, [VITE_BIN, "build"], viteApp);
  // Nothing Node-only reaches the browser bundle (Vite would stub it and warn).
  expect(log).not.toContain("externalized for browser compatibility");
  const dist = join(viteApp, "dist");
  const built = filesUnder(dist);
  expect(built.some((f) => basename(f).startsWith("__vite-browser-external"))).toBe(false);
  // One .wasm: the release build (the page's copy and the QuickJS loader's reference are the same file); no debug build.
  const wasm = built.filter((f) => f.endsWith(".wasm"));
  expect(wasm).toHaveLength(1);
  expect(readFileSync(wasm[0] as string).equals(readFileSync(RELEASE_WASM))).toBe(true);
  for (const f of built.filter((f) => f.endsWith(".js")))
    expect(readFileSync(f, "utf8"), basename(f)).not.toContain("quickjs-wasmfile-debug-sync/emscripten-module");

  const server = await serveStatic(dist);
  try {
    await runExample(page, `${server.url}/`);
  } finally {
    await server.close();
  }
});

test("the same app runs the README example under Vite's dev server, with no config", async ({ page }) => {
  const port = await freePort();
  const dev = spawn(process.execPath, [VITE_BIN, "--host", "127.0.0.1", "--port", String(port), "--strictPort"], {
    cwd: viteApp,
    env: consumerEnv(),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  dev.stdout.on("data", (d) => {
    output += d;
  });
  dev.stderr.on("data", (d) => {
    output += d;
  });
  try {
    await expect.poll(() => output, { timeout: 30_000 }).toContain(`127.0.0.1:${port}`);
    await runExample(page, `http://127.0.0.1:${port}/`);
  } finally {
    dev.kill();
  }
  expect(output).not.toContain("externalized for browser compatibility");
});

test("the standalone build runs from a plain static page on a sub-path, and from another origin as from a CDN", async ({
  page,
}) => {
  standalone = join(packed.dir, "site");
  const demo = join(standalone, "docs/demo");
  mkdirSync(join(demo, "islet"), { recursive: true });
  run(
    "tar",
    ["xzf", packed.tarballs.worker, "-C", join(demo, "islet"), "--strip-components=3", "package/dist/standalone"],
    packed.dir,
  );
  // The page module, the worker and the wasm, and the worker's chunks (LAZY_CHUNKS load on first use).
  const files = readdirSync(join(demo, "islet")).sort();
  expect(files).toEqual(expect.arrayContaining([...STANDALONE_CORE, ...LAZY_CHUNKS]));
  expect(files.filter((f) => !STANDALONE_CORE.includes(f) && !/^sandbox-worker-[\w.-]+\.js$/.test(f))).toEqual([]);
  const html = readmeBlock("standalone");
  writeFileSync(join(demo, "index.html"), `<!doctype html>\n<html><body>\n${html}</body></html>\n`);

  const site = await serveStatic(standalone);
  try {
    await runExample(page, `${site.url}/docs/demo/`);
  } finally {
    await site.close();
  }

  // A plain JavaScript run downloads none of them (TypeScript stripper, import scanner, zlib,
  // redirect follower, binary edits).
  writeFileSync(
    join(demo, "plain.html"),
    `<!doctype html>\n<html><body><script type="module">
      import { createSandbox } from "./islet/worker.js";
      const sandbox = await createSandbox({ onConsole: (e) => console.log("[sandbox log]", e.text) });
      await sandbox.run({ files: { "main.js": "console.log(1)" }, entry: "main.js" });
      console.log("sandbox ran");
    </script></body></html>\n`,
  );
  const requested = await filesRequested(page, "docs/demo/plain.html");
  expect(requested).toContain("sandbox-worker.js");
  expect(requested.filter((f) => LAZY_CHUNKS.includes(f))).toEqual([]);
  // What the payload test counts as loaded at start (the worker's static imports) is what it loaded.
  const payload = workerPayload(join(demo, "islet"));
  expect(new Set(requested.filter((f) => f.startsWith("sandbox-worker")))).toEqual(
    new Set(payload.atStart.map((p) => p.file)),
  );
  expect(payload.lazy.map((p) => p.file)).toEqual(expect.arrayContaining(LAZY_CHUNKS));
  // Core's module graph keeps its remote-module and TypeScript paths in those chunks too.
  const builtCode = (file: string) => readFileSync(join(demo, "islet", file), "utf8");
  const atStartCode = payload.atStart.map((p) => builtCode(p.file)).join("\n");
  for (const [marker, chunk] of [
    ["the module is larger than", "sandbox-worker-fetch.js"], // modules/remote.ts
    ["disableESTransforms", "sandbox-worker-typescript.js"], // modules/transpile.ts
  ] as const) {
    expect(atStartCode, marker).not.toContain(marker);
    expect(builtCode(chunk), marker).toContain(marker);
  }
  // Core loads QuickJS without quickjs-emscripten's variant wrapper (newVariant, whose messages these are).
  expect(atStartCode).not.toContain("locateFile .wasm: provide wasmLocation");

  // The run's first CompressionStream loads zlib (its chunk) before its first chunk is compressed.
  writeFileSync(
    join(demo, "compress.html"),
    `<!doctype html>\n<html><body><script type="module">
      import { createSandbox } from "./islet/worker.js";
      const sandbox = await createSandbox({ onConsole: (e) => console.log("[sandbox log]", e.text) });
      const program = \`
        const text = "abc".repeat(1000);
        const cs = new CompressionStream("gzip"); const w = cs.writable.getWriter();
        w.write(new TextEncoder().encode(text)); w.close();
        const parts = []; for await (const c of cs.readable) parts.push(c);
        const ds = new DecompressionStream("gzip"); const dw = ds.writable.getWriter();
        for (const p of parts) dw.write(p); dw.close();
        let back = ""; for await (const c of ds.readable.pipeThrough(new TextDecoderStream())) back += c;
        console.log(back === text && parts.reduce((n, p) => n + p.length, 0) < 100 ? 1 : 0);\`;
      const result = await sandbox.run({ files: { "main.js": program }, entry: "main.js" });
      console.log(result.ok ? "sandbox ran" : result.error.message);
    </script></body></html>\n`,
  );
  const zlibRequested = await filesRequested(page, "docs/demo/compress.html");
  expect(zlibRequested.filter((f) => LAZY_CHUNKS.includes(f))).toEqual(["sandbox-worker-compression.js"]);

  // The run's first fetch() loads the redirect follower (its chunk) before the request is checked and sent.
  writeFileSync(
    join(demo, "fetch.html"),
    `<!doctype html>\n<html><body><script type="module">
      import { createSandbox } from "./islet/worker.js";
      const sandbox = await createSandbox({
        permissions: { net: [location.host] },
        location: location.href,
        onConsole: (e) => console.log("[sandbox log]", e.text),
      });
      const program = \`
        const denied = await fetch("https://example.invalid/").then(() => "sent", (e) => e.name);
        const text = await (await fetch("plain.html")).text();
        console.log(denied === "PermissionDenied" && text.includes("createSandbox") ? 1 : 0);\`;
      const result = await sandbox.run({ files: { "main.js": program }, entry: "main.js" });
      console.log(result.ok ? "sandbox ran" : result.error.message);
    </script></body></html>\n`,
  );
  const fetchRequested = await filesRequested(page, "docs/demo/fetch.html");
  expect(fetchRequested.filter((f) => LAZY_CHUNKS.includes(f))).toEqual(["sandbox-worker-fetch.js"]);
  expect(fetchRequested).toContain("plain.html");

  // The same page importing worker.js from another origin (a CDN serves with CORS).
  const cdn = await serveStatic(join(demo, "islet"), { cors: true });
  const crossOrigin = html.replace('"./islet/worker.js"', JSON.stringify(`${cdn.url}/worker.js`));
  expect(crossOrigin).not.toBe(html);
  writeFileSync(join(demo, "cdn.html"), `<!doctype html>\n<html><body>\n${crossOrigin}</body></html>\n`);
  const page2 = await page.context().newPage();
  const site2 = await serveStatic(standalone);
  try {
    await runExample(page2, `${site2.url}/docs/demo/cdn.html`);
  } finally {
    await site2.close();
    await cdn.close();
  }
});

test("a consumer's strict tsc (exactOptionalPropertyTypes, skipLibCheck false, no allowImportingTsExtensions) passes against the packed .d.ts", () => {
  // The browser app, as bundler users compile it.
  const browser = {
    compilerOptions: {
      ...STRICT_CONSUMER,
      module: "ESNext",
      moduleResolution: "Bundler",
      lib: ["ES2022", "DOM", "DOM.Iterable"],
      types: [],
    },
    files: ["main.ts"],
  };
  writeFileSync(join(viteApp, "tsconfig.json"), JSON.stringify(browser));
  run(process.execPath, [TSC_BIN, "-p", "."], viteApp);
});

test("Node ≥ 20: the README's @islet/core + @islet/web example, installed with npm, compiles strictly and runs, finding the wasm itself", async () => {
  const app = await nodeApp;
  run(process.execPath, [TSC_BIN, "-p", "."], app);
  const out = run(process.execPath, ["out/main.js"], app);
  expect(out.trim()).toBe(`[ 'hello from function' ]`);
  // The debug build is an optional peer, not installed: asking for it says what to install.
  const debug = run(
    process.execPath,
    [
      "--input-type=module",
      "-e",
      `import { JsRuntime } from "@islet/core";
       await JsRuntime.create({ build: "debug" }).then(() => console.log("created"), (e) => console.log(e.message));`,
    ],
    app,
  );
  expect(debug).toContain('cannot import "@jitl/quickjs-wasmfile-debug-sync"; install it');
});

test("payload, gzip: the page-side client is at most 15 KB", () => {
  const standalonePage = gzipBytes(join(standalone, "docs/demo/islet/worker.js"));
  const dist = join(viteApp, "dist");
  const index = readFileSync(join(dist, "index.html"), "utf8");
  const pageChunk = /src="\.?\/?(assets\/[^"]+\.js)"/.exec(index)?.[1];
  expect(pageChunk).toBeDefined();
  const vitePage = gzipBytes(join(dist, pageChunk as string));
  console.log(
    `page-side client, gzip: standalone worker.js ${(standalonePage / KB).toFixed(1)} KB; Vite app ${(vitePage / KB).toFixed(1)} KB`,
  );
  expect(standalonePage).toBeLessThanOrEqual(15 * KB);
  expect(vitePage).toBeLessThanOrEqual(15 * KB);
});

test("payload, gzip: the worker side of a plain JavaScript run (wasm + worker JavaScript) is at most 300 KB", () => {
  // The worker script and every chunk it imports statically (scripts/worker_payload.mjs, which
  // `pnpm size` prints too); what it imports only dynamically loads on first use.
  const payload = workerPayload(join(standalone, "docs/demo/islet"));
  const wasm = payload.wasm.gzip;
  const script = payload.atStart.reduce((sum, p) => sum + p.gzip, 0);
  const atStart = payload.atStart.map((p) => p.file);
  const lazy = payload.lazy.map((p) => `${p.file} ${(p.gzip / KB).toFixed(1)} KB`).join(", ");
  console.log(
    `worker side, gzip: quickjs.wasm ${(wasm / KB).toFixed(1)} KB + ${atStart.join(" + ")} ${(script / KB).toFixed(1)} KB = ${((wasm + script) / KB).toFixed(1)} KB (budget 300 KB); on first use: ${lazy}`,
  );
  test.fail(
    true,
    "Known gap (issue 13): what every sandbox loads at start is still ~324 KB gzip: the 228 KB wasm (-Oz does not shrink it), ~47 KB of minified and mangled guest JS, ~37 KB of host code, ~13 KB of QuickJS glue (8 KB of it quickjs-emscripten-core's classes, which no bundler can shrink: QuickJSContext reaches all of them); sucrase, es-module-lexer, pako, the redirect follower and the wasm edits load on first use. `pnpm size` prints the parts. Remove this line once under budget.",
  );
  expect(wasm + script).toBeLessThanOrEqual(300 * KB);
});

// Issue 14, "done when": the one-tag setup works from the packed @islet/embed. Its tarball's
// dist/standalone/ is copied, as the root README says, into islet/ beside a plain page holding
// the README's one-tag example, served by a plain static server, and run in Chromium.
test("the README's one-tag example runs from the packed @islet/embed's standalone build", async ({ page }) => {
  // Packed last, after core, web and worker (serial mode): its build compiles against their dist/.
  const dir = join(packed.dir, "embed");
  mkdirSync(dir, { recursive: true });
  {
    const printed = run("pnpm", ["pack", "--pack-destination", dir], join(REPO, "packages/embed"));
    const tgz = printed
      .trim()
      .split("\n")
      .map((l) => l.trim())
      .findLast((l) => l.endsWith(".tgz"));
    expect(tgz, printed).toBeDefined();
    run("tar", ["-xzf", tgz as string, "-C", dir], dir);
    const standalone = join(dir, "package/dist/standalone");
    const files = readdirSync(standalone);
    expect(files).toEqual(expect.arrayContaining(["embed.js", "sandbox-worker.js", "quickjs.wasm"]));
    expect(existsSync(join(dir, "package/dist/index.d.ts"))).toBe(true);
    expect(existsSync(join(dir, "package/dist/console/render.js"))).toBe(true);
    expect(readdirSync(join(dir, "package")).some((f) => f === "src")).toBe(false);

    const site = join(dir, "site");
    cpSync(standalone, join(site, "islet"), { recursive: true });
    writeFileSync(
      join(site, "index.html"),
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>docs</title></head><body>${readmeBlock("embed")}</body></html>`,
    );
    const server = await serveStatic(site);
    try {
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      await page.goto(`${server.url}/`);
      const blocks = page.locator("islet-run");
      await expect(blocks).toHaveCount(2);
      await runBlock(blocks.nth(0));
      await expect(outputRows(blocks.nth(0))).toHaveText(["sum: 6"]);
      await runBlock(blocks.nth(1));
      await expect(outputRows(blocks.nth(1))).toHaveText(["a plain code block, now runnable"]);
      // Editing loads the CodeMirror chunk from the same directory.
      await blocks.nth(0).locator(".static .line").first().click();
      await expect(blocks.nth(0).locator(".cm-content")).toBeFocused();
      expect(errors).toEqual([]);
    } finally {
      await server.close();
    }
  }
});
