/**
 * Where the page finds the sandbox's worker script and the QuickJS `.wasm`
 * when `createSandbox()` names neither: beside this module, written as the
 * literal `new URL("…", import.meta.url)` patterns that bundlers (Vite,
 * webpack 5, Parcel, Rollup/rolldown and esbuild with their URL plugins)
 * rewrite into emitted files. Keep them literal (the options object too), or
 * bundlers no longer see them.
 *
 * The layouts this serves:
 * - the published package: `dist/locate.js`, `dist/emscripten-module.wasm` (a
 *   copy of the release build from `@jitl/quickjs-wasmfile-release-sync`), and
 *   the worker as one self-contained script, `dist/sandbox-worker.js`: the
 *   build (scripts/build-packages.mjs) points the worker URL below at it;
 * - workspace sources: `./worker/entry.js` resolves to `entry.ts` (Vite maps a
 *   `.js` URL to its `.ts` source), and `src/emscripten-module.wasm` is a
 *   symlink to that package's `.wasm`;
 * - the standalone build swaps this file for `standalone_locate.ts`.
 */

/** Starts the sandbox's module worker: `workerUrl` when given, else the one shipped beside this module. */
export function startWorker(workerUrl: string | URL | undefined): Worker {
  if (workerUrl !== undefined)
    return new Worker(sameOriginWorkerUrl(workerUrl), { type: "module", name: "islet-sandbox" });
  // The options too must be a literal: Vite reads `type` from them.
  return new Worker(new URL("./worker/entry.js", import.meta.url), { type: "module", name: "islet-sandbox" });
}

/**
 * The release QuickJS `.wasm` shipped with this package. Its name and bytes are
 * those of the `.wasm` that QuickJS's own loader (bundled into the worker)
 * names, so a bundler emits the two as one file.
 */
export function defaultWasmUrl(): URL {
  return new URL("./emscripten-module.wasm", import.meta.url);
}

/**
 * A module worker must be same-origin with its page. A worker script on another
 * origin (a CDN) is started through a same-origin `blob:` module that imports
 * it; that script's server must allow CORS, as CDNs do.
 */
export function sameOriginWorkerUrl(url: string | URL): string | URL {
  const page = globalThis.location;
  if (page === undefined) return url;
  const absolute = new URL(String(url), page.href);
  if (absolute.origin === page.origin || absolute.protocol === "blob:" || absolute.protocol === "data:") return url;
  const source = `import ${JSON.stringify(absolute.href)};`;
  return URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
}
