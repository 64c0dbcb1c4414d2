import { prepareQuickJSWasmInSlices } from "@islet/core/wasm_patch";
import { defaultWasmUrl } from "./locate.ts";

/**
 * The QuickJS `.wasm`, compiled once per page and handed to every worker, so a
 * second sandbox neither downloads nor compiles it again.
 */
const compiled = new Map<string, Promise<WebAssembly.Module>>();

/** What `createSandbox({ wasm })` accepts: a compiled module, or the URL of the release `.wasm`. */
export type WasmSource = WebAssembly.Module | string | URL;

let defaultWasm: WasmSource | undefined;

/** Sets the `.wasm` every sandbox uses when its options name none. */
export function setDefaultWasm(source: WasmSource): void {
  defaultWasm = source;
}

/**
 * The compiled QuickJS module for `source`: by default the `setDefaultWasm()`
 * source, else the release `.wasm` shipped with this package (see locate.ts).
 */
export function loadQuickJSModule(source?: WasmSource): Promise<WebAssembly.Module> {
  const key = wasmSourceKey(source);
  if (key instanceof WebAssembly.Module) return Promise.resolve(key);
  const url = key;
  let pending = compiled.get(url);
  if (pending === undefined) {
    pending = compileFrom(url);
    pending.catch(() => compiled.delete(url));
    compiled.set(url, pending);
  }
  return pending;
}

/** What {@link loadQuickJSModule} loads for `source`, known at once: the module itself, or the `.wasm`'s absolute URL. */
export function wasmSourceKey(source: WasmSource = defaultWasm ?? defaultWasmUrl()): WebAssembly.Module | string {
  if (source instanceof WebAssembly.Module) return source;
  return new URL(String(source), globalThis.location?.href).href;
}

async function compileFrom(url: string): Promise<WebAssembly.Module> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`createSandbox: fetching QuickJS wasm from ${url} failed: HTTP ${response.status}`);
  // The table export lets each runtime install QuickJS's promise rejection tracker
  // (unhandled rejections fail a run, as in Deno); the loop meter keeps built-ins
  // within the limits. See core's wasm_patch.ts and wasm_fuel.ts.
  // Patched in slices: the page's thread never runs one long task for it.
  return WebAssembly.compile(
    (await prepareQuickJSWasmInSlices(new Uint8Array(await response.arrayBuffer()))) as BufferSource,
  );
}
