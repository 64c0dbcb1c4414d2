/**
 * `locate.ts` for the standalone build (`dist/standalone/`, for pages without
 * a bundler): the page module `worker.js`, the worker `sandbox-worker.js` and
 * `quickjs.wasm` sit in one directory, on any static path or on a CDN.
 */
import { sameOriginWorkerUrl } from "./locate.ts";

export { sameOriginWorkerUrl };

/** Starts the sandbox's module worker: `workerUrl` when given, else `sandbox-worker.js` beside this module. */
export function startWorker(workerUrl: string | URL | undefined): Worker {
  const url = workerUrl ?? new URL("./sandbox-worker.js", import.meta.url);
  return new Worker(sameOriginWorkerUrl(url), { type: "module", name: "islet-sandbox" });
}

/** `quickjs.wasm` beside this module. */
export function defaultWasmUrl(): URL {
  return new URL("./quickjs.wasm", import.meta.url);
}
