/**
 * Loading QuickJS: one compiled `WebAssembly.Module` per build, shared; one
 * instance per runtime, with its own fixed-size memory.
 *
 * Why an instance per runtime: `setMemoryLimit` alone does not bound the host
 * (a growable memory let a typed-array bomb grow the host past 2 GB), and after
 * a fatal fault QuickJS cannot be freed safely. With a fixed memory
 * (initial = maximum) an allocation bomb ends in the guest as
 * `InternalError: out of memory`, and a faulted instance is simply dropped.
 */
import releaseModuleLoader from "@jitl/quickjs-wasmfile-release-sync/emscripten-module";
import { QuickJSFFI as ReleaseFFI } from "@jitl/quickjs-wasmfile-release-sync/ffi";
import { type QuickJSSyncVariant, QuickJSWASMModule } from "quickjs-emscripten-core";
import { FUEL_EXPORT, FUEL_SLOT_EXPORT, type FuelGlobals, TABLE_EXPORT } from "./wasm_hooks.ts";

export type QuickJSBuild = "release" | "debug";

const WASM_PAGE = 64 * 1024;

/**
 * The release build, its glue imported statically: a bundler puts it in the
 * worker's own module graph, which the browser fetches at once, instead of
 * two chunks quickjs-emscripten would import on the first instantiation
 * (tens of milliseconds later, in a new worker).
 */
const releaseVariant: QuickJSSyncVariant = {
  type: "sync",
  importFFI: async () => ReleaseFFI,
  importModuleLoader: async () => releaseModuleLoader,
};
const DEBUG_VARIANT = "@jitl/quickjs-wasmfile-debug-sync";

/**
 * `import()` of a computed specifier. Bundlers that build for browsers do not
 * follow it, so neither a `node:` built-in nor the 1.2 MB debug build of
 * QuickJS ever reaches a browser bundle; Node resolves it as usual.
 */
// biome-ignore lint/suspicious/noExplicitAny: the caller names what it imported
function importAtRuntime(specifier: string): Promise<any> {
  return import(/* @vite-ignore */ /* webpackIgnore: true */ specifier);
}

/**
 * The debug build (LeakSanitizer; a leaked handle fails loudly) is a dev
 * dependency for tests in Node, not part of the published package's graph.
 */
async function debugVariant(): Promise<QuickJSSyncVariant> {
  try {
    return (await importAtRuntime(DEBUG_VARIANT)).default as QuickJSSyncVariant;
  } catch (cause) {
    throw new Error(
      `QuickJS debug build: cannot import "${DEBUG_VARIANT}"; install it (npm install -D ${DEBUG_VARIANT}@0.32.0) to run with build "debug"`,
      { cause },
    );
  }
}
const compiled = new Map<QuickJSBuild, Promise<WebAssembly.Module>>();

/** The build unit tests pick with `ISLET_QUICKJS_BUILD=debug`; release otherwise. */
export function defaultBuild(): QuickJSBuild {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  return env?.ISLET_QUICKJS_BUILD === "debug" ? "debug" : "release";
}

/**
 * Provide the compiled QuickJS module yourself (a page that compiled it once and
 * posts it to each worker). Otherwise, in Node, the `.wasm` is read from the
 * variant package and compiled once per process.
 */
export function setCompiledQuickJS(build: QuickJSBuild, module: WebAssembly.Module): void {
  compiled.set(build, Promise.resolve(module));
}

export function compileQuickJS(build: QuickJSBuild): Promise<WebAssembly.Module> {
  let pending = compiled.get(build);
  if (pending === undefined) {
    // The binary edits load only here: a runtime handed a compiled module never needs them.
    pending = readWasmBytes(build).then(async (bytes) => {
      const { prepareQuickJSWasm } = await import("./wasm_patch.ts");
      return WebAssembly.compile(prepareQuickJSWasm(bytes));
    });
    pending.catch(() => compiled.delete(build));
    compiled.set(build, pending);
  }
  return pending;
}

async function readWasmBytes(build: QuickJSBuild): Promise<Uint8Array<ArrayBuffer>> {
  if (build === "debug") await debugVariant(); // not installed: say so, before resolving its .wasm
  const specifier = `@jitl/quickjs-wasmfile-${build}-sync/wasm`;
  const isNode =
    typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node === "string";
  if (isNode) {
    const { createRequire }: typeof import("node:module") = await importAtRuntime("node:module");
    const { readFile }: typeof import("node:fs/promises") = await importAtRuntime("node:fs/promises");
    const path = createRequire(import.meta.url).resolve(specifier);
    return new Uint8Array(await readFile(path));
  }
  throw new Error(
    `QuickJS ${build} build: no compiled module was provided. In a browser, fetch and compile ` +
      `"${specifier}" and pass it to setCompiledQuickJS() (or JsRuntime.create({ wasmModule })).`,
  );
}

export interface QuickJSInstance {
  module: QuickJSWASMModule;
  memory: WebAssembly.Memory;
  /** The function table, when the module was compiled from prepareQuickJSWasm() bytes. */
  table: WebAssembly.Table | undefined;
  /** The loop meter's globals (wasm_fuel.ts), likewise. */
  fuel: FuelGlobals | undefined;
}

/** Bytes of wasm memory to reserve beyond the guest heap limit: static data, C stack, allocator slack. */
export const WASM_HEADROOM_BYTES = 16 << 20;

export async function instantiateQuickJS(
  build: QuickJSBuild,
  heapLimitBytes: number,
  wasmModule?: WebAssembly.Module,
): Promise<QuickJSInstance> {
  const compiledModule = wasmModule ?? (await compileQuickJS(build));
  // The debug build runs LeakSanitizer, whose own allocator needs room beside the guest heap.
  const bytes = build === "debug" ? heapLimitBytes * 2 + (128 << 20) : heapLimitBytes + WASM_HEADROOM_BYTES;
  const pages = Math.ceil(bytes / WASM_PAGE);
  const memory = new WebAssembly.Memory({ initial: pages, maximum: pages });
  const variant = build === "debug" ? await debugVariant() : releaseVariant;
  let instance: WebAssembly.Instance | undefined;
  // The Emscripten module's options: our memory, and our instantiation.
  const options = {
    wasmMemory: memory,
    // Instantiate ourselves so the instance's exports (the table) are ours to read.
    // Typed from `instantiate` itself, so this checks under core's own WebAssembly
    // declarations (types/) and under the DOM lib's (pages that import core's types).
    instantiateWasm(
      imports: Parameters<typeof WebAssembly.instantiate>[1],
      onSuccess: (i: WebAssembly.Instance) => void,
    ) {
      // Synchronously where the platform allows it (Node, workers): no task hop, which in a
      // busy worker can wait behind other work. A browser's main thread refuses large modules.
      try {
        instance = new WebAssembly.Instance(compiledModule, imports as WebAssembly.Imports);
      } catch (error) {
        if (!(error instanceof RangeError)) throw error;
      }
      if (instance !== undefined) {
        onSuccess(instance);
        return {};
      }
      WebAssembly.instantiate(compiledModule, imports).then((created) => {
        instance = created;
        onSuccess(created);
      });
      return {};
    },
  };
  // What newQuickJSWASMModuleFromVariant(newVariant(variant, { wasmMemory, emscriptenModule }))
  // does, without the two: newVariant's wrapper only copies these options into the loader's
  // (its locateFile, wasmBinary and source-map plumbing are for options core never passes),
  // and newQuickJSWASMModuleFromVariant import()s quickjs-emscripten's own module file, in a
  // bundler's output a separate chunk, fetched only now, in a new worker. Neither is bundled.
  const imported = await variant.importModuleLoader();
  const load = (typeof imported === "function" ? imported : imported.default) as typeof releaseModuleLoader;
  const emscripten = await load(options as never);
  emscripten.type = "sync";
  const FFI = await variant.importFFI();
  const module = new QuickJSWASMModule(emscripten, new FFI(emscripten));
  const exports = instance?.exports;
  const table = exports?.[TABLE_EXPORT] as WebAssembly.Table | undefined;
  const fuel = exports?.[FUEL_EXPORT] as unknown as FuelGlobals["fuel"] | undefined;
  const slot = exports?.[FUEL_SLOT_EXPORT] as unknown as FuelGlobals["slot"] | undefined;
  return { module, memory, table, fuel: fuel && slot ? { fuel, slot } : undefined };
}
