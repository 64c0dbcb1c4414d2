/**
 * The edits to the QuickJS wasm binary before it is compiled
 * ({@link prepareQuickJSWasm}): export its function table as `__islet_table`
 * — with the table, the runtime can install QuickJS's promise-rejection
 * tracker (quickjs-emscripten 0.32 does not expose one), which is how
 * unhandled rejections are found the way Deno finds them — and meter its loops
 * (wasm_fuel.ts), so that no built-in can outrun the limits.
 */
import { leb, readLeb, rewriteSections } from "./wasm_binary.ts";
import { meterLoops } from "./wasm_fuel.ts";

export const TABLE_EXPORT = "__islet_table";

/** Returns a copy of `bytes` whose export section also exports table 0; unchanged if already patched. */
export function exportFunctionTable(bytes: Uint8Array): Uint8Array {
  const name = [...new TextEncoder().encode(TABLE_EXPORT)];
  let patched = false;
  let already = false;
  const result = rewriteSections(bytes, (id, body) => {
    if (id !== 7 || patched) return undefined;
    patched = true;
    const [count, countLength] = readLeb(body, 0);
    const entries = body.subarray(countLength);
    if (new TextDecoder().decode(entries).includes(TABLE_EXPORT)) {
      already = true;
      return undefined;
    }
    const extra = [...leb(name.length), ...name, 0x01, 0x00]; // kind table, index 0
    const content = leb(count + 1);
    const out = new Uint8Array(content.length + entries.length + extra.length);
    out.set(content, 0);
    out.set(entries, content.length);
    out.set(extra, content.length + entries.length);
    return out;
  });
  if (!patched) throw new Error("wasm patch: no export section");
  return already ? bytes : result;
}

/**
 * The bytes to compile for a QuickJS build: the variant's `.wasm` with its
 * function table exported and its loops metered. Pages that compile QuickJS
 * themselves compile these bytes; an unprepared module still works, without
 * unhandled-rejection tracking and without limits inside built-ins.
 */
export function prepareQuickJSWasm(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return meterLoops(exportFunctionTable(bytes)) as Uint8Array<ArrayBuffer>;
}

/** Wasm value types for {@link wasmHostFunction}. */
export const I32 = 0x7f;
export const I64 = 0x7e;

/** The compiled host-function modules, one per signature: each runtime only instantiates. */
const hostFunctionModules = new Map<string, WebAssembly.Module>();

/**
 * A wasm function with the given signature that calls the host function `fn`
 * (i64 values cross as BigInt), for storing in a function table. Built as a
 * tiny module that imports `fn` and re-exports it; compiled and instantiated
 * synchronously (a few dozen bytes: allowed on any thread, and no task hop).
 */
export function wasmHostFunction(
  params: readonly number[],
  results: readonly number[],
  fn: (...args: never[]) => unknown,
): unknown {
  const key = `${params.join(",")}:${results.join(",")}`;
  let compiled = hostFunctionModules.get(key);
  if (compiled === undefined) {
    const type = [0x01, 0x60, params.length, ...params, results.length, ...results];
    // biome-ignore format: the module's bytes, section by section
    compiled = new WebAssembly.Module(new Uint8Array([
      0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
      0x01, type.length, ...type, // type section: one function type
      0x02, 0x07, 0x01, 0x01, 0x65, 0x01, 0x66, 0x00, 0x00, // import "e" "f" func type 0
      0x07, 0x05, 0x01, 0x01, 0x66, 0x00, 0x00, // export "f" func 0
    ]));
    hostFunctionModules.set(key, compiled);
  }
  return new WebAssembly.Instance(compiled, { e: { f: fn } }).exports.f;
}

/**
 * A wasm function of type (i32, i64, i64, i32, i32) → void — the C signature of
 * `JSHostPromiseRejectionTracker` on wasm32 (JSValue is a NaN-boxed u64) —
 * that calls `fn`.
 */
export function trackerFunction(
  fn: (ctx: number, promise: bigint, reason: bigint, isHandled: number, opaque: number) => void,
): unknown {
  return wasmHostFunction([I32, I64, I64, I32, I32], [], fn);
}
