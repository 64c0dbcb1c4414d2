/**
 * What a runtime installs into a QuickJS instance compiled from prepared bytes
 * (the edits: wasm_patch.ts exports the function table, wasm_fuel.ts meters
 * the loops): the names of the exports the edits add, wasm functions that call
 * the host (for the table), the loop meter's fuel and its stop.
 *
 * Kept apart from the edits themselves: a runtime handed a compiled module (a
 * worker: the page prepared and compiled it, worker/src/wasm.ts) never runs the
 * binary rewriting, so the worker's bundle loads it only if it compiles QuickJS
 * itself (quickjs.ts: compileQuickJS imports wasm_patch.ts on first use).
 */

export const TABLE_EXPORT = "__islet_table";
export const FUEL_EXPORT = "__islet_fuel";
export const FUEL_SLOT_EXPORT = "__islet_fuel_slot";

/** A metered instance's globals (WebAssembly.Global objects; this package's lib types lack the class). */
export interface FuelGlobals {
  fuel: { value: number };
  slot: { value: number };
}

/** Loop iterations between two questions to the host: a few milliseconds of work. */
export const FUEL_PER_REFILL = 1 << 16;

/**
 * Installs the meter's host function in `table` and fills the tank.
 * `hostFunction(refill)` must make a wasm function of type () → () (
 * {@link wasmHostFunction}) that calls `refill`; `onEmpty` returns to refill (and the
 * loop goes on) or throws to stop the engine where it is.
 */
export function installFuel(
  globals: FuelGlobals,
  table: WebAssembly.Table,
  hostFunction: (refill: () => void) => unknown,
  onEmpty: () => void,
): void {
  const fn = hostFunction(() => {
    // If onEmpty throws, the next loop iteration anywhere asks again.
    globals.fuel.value = 1;
    onEmpty();
    globals.fuel.value = FUEL_PER_REFILL;
  });
  const slot = table.grow(1);
  table.set(slot, fn as never);
  globals.slot.value = slot;
  globals.fuel.value = FUEL_PER_REFILL;
}

/**
 * What the host function throws to stop the engine inside a built-in. Host
 * code that wasm calls (an op's dispatcher) lets it through instead of
 * turning it into a guest exception: the wasm stack must unwind to the host.
 */
export class BuiltinStopped extends Error {
  constructor() {
    super(
      "it was stopped inside a built-in that does not check its limits, so the runtime was discarded (create a new one)",
    );
  }
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
