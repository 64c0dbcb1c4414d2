import { prepareQuickJSWasmInSlices } from "@islet/core/wasm_patch";
import { defaultWasmUrl } from "./locate.ts";

/**
 * The QuickJS `.wasm`, compiled once per page and handed to every worker, so a
 * second sandbox neither downloads nor compiles it again.
 */
const compiled = new Map<string, Promise<WebAssembly.Module>>();
/** SHA-256 of each `.wasm`'s bytes as compiled (patched), by URL: what an image kept across page loads was made with (image_store.ts). */
const contentDigests = new Map<string, Promise<string | undefined>>();

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

/**
 * The SHA-256 (hex) of the `.wasm` that `source` names, once it is fetched; `undefined`
 * for a compiled module passed in (its bytes are not known) or without `crypto.subtle`
 * (pages that are not a secure context).
 */
export function wasmContentDigest(source?: WasmSource): Promise<string | undefined> {
  const key = wasmSourceKey(source);
  if (key instanceof WebAssembly.Module) return Promise.resolve(undefined);
  loadQuickJSModule(source).catch(() => {});
  return contentDigests.get(key) ?? Promise.resolve(undefined);
}

async function compileFrom(url: string): Promise<WebAssembly.Module> {
  // The table export lets each runtime install QuickJS's promise rejection tracker
  // (unhandled rejections fail a run, as in Deno); the loop meter keeps built-ins
  // within the limits. See core's wasm_patch.ts and wasm_fuel.ts.
  // Patched in slices: the page's thread never runs one long task for it.
  const prepared = fetchBytes(url).then((raw) => prepareQuickJSWasmInSlices(new Uint8Array(raw)));
  // The digest is of the bytes compiled: an image depends on the code that made it.
  contentDigests.set(
    url,
    prepared.then(
      (bytes) => sha256Hex(bytes),
      () => undefined,
    ),
  );
  return WebAssembly.compile((await prepared) as BufferSource);
}

async function fetchBytes(url: string): Promise<ArrayBuffer> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`createSandbox: fetching QuickJS wasm from ${url} failed: HTTP ${response.status}`);
  return response.arrayBuffer();
}

/** The SHA-256 of `data` in hex; `undefined` without `crypto.subtle` (not a secure context). */
export async function sha256Hex(data: BufferSource): Promise<string | undefined> {
  const subtle = globalThis.crypto?.subtle;
  if (subtle === undefined) return undefined;
  try {
    const hash = new Uint8Array(await subtle.digest("SHA-256", data));
    return Array.from(hash, (b) => b.toString(16).padStart(2, "0")).join("");
  } catch {
    return undefined;
  }
}
