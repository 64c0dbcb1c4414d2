/**
 * Sees, on the host, that the guest ran out of memory.
 *
 * QuickJS reports a failed allocation as a guest exception (`InternalError:
 * out of memory`, or `null` when even that error cannot be allocated), which
 * guest code can catch and which guest code can forge. The host therefore
 * watches the allocator itself: every QuickJS allocation goes through the
 * function pointers in `rt->mf` (`JSMallocFunctions`, the first field of
 * `JSRuntime`), and this file points `js_malloc` and `js_realloc` at two wasm
 * functions that call the originals and raise a flag when one returns NULL.
 * The wrappers are wasm (a tiny module built below), so an allocation never
 * crosses into JavaScript.
 *
 * The layout is checked before anything is written: the four `mf` words must
 * be function-table indices and `malloc_state.malloc_limit` (word 6) must hold
 * the limit the runtime just set. Where it does not match, no watch is
 * installed and out-of-memory stays a guest exception (`installed` is false).
 */

export interface AllocationWatch {
  /** Whether the flag is up: an allocation failed since the last `clear()`. */
  failed(): boolean;
  clear(): void;
  readonly installed: boolean;
}

const NO_WATCH: AllocationWatch = { failed: () => false, clear: () => {}, installed: false };

// biome-ignore format: the module's bytes, section by section
const WRAPPER_MODULE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
  // type: 0 = (i32 i32) -> i32 (js_malloc), 1 = (i32 i32 i32) -> i32 (js_realloc)
  0x01, 0x0e, 0x02, 0x60, 0x02, 0x7f, 0x7f, 0x01, 0x7f, 0x60, 0x03, 0x7f, 0x7f, 0x7f, 0x01, 0x7f,
  // import: "e" "t" table funcref (min 0); "e" "m", "e" "r" const i32 globals (the original indices)
  0x02, 0x17, 0x03,
  0x01, 0x65, 0x01, 0x74, 0x01, 0x70, 0x00, 0x00,
  0x01, 0x65, 0x01, 0x6d, 0x03, 0x7f, 0x00,
  0x01, 0x65, 0x01, 0x72, 0x03, 0x7f, 0x00,
  // function: 0 of type 0, 1 of type 1
  0x03, 0x03, 0x02, 0x00, 0x01,
  // global 2: mutable i32 = 0 (the flag)
  0x06, 0x06, 0x01, 0x7f, 0x01, 0x41, 0x00, 0x0b,
  // export: "m" func 0, "r" func 1, "f" global 2
  0x07, 0x0d, 0x03, 0x01, 0x6d, 0x00, 0x00, 0x01, 0x72, 0x00, 0x01, 0x01, 0x66, 0x03, 0x02,
  // code
  0x0a, 0x3d, 0x02,
  // m(s, size): r = original(s, size); if (r == 0) flag = 1; return r
  0x19, 0x01, 0x01, 0x7f,
  0x20, 0x00, 0x20, 0x01, 0x23, 0x00, 0x11, 0x00, 0x00, 0x22, 0x02,
  0x45, 0x04, 0x40, 0x41, 0x01, 0x24, 0x02, 0x0b, 0x20, 0x02, 0x0b,
  // r(s, p, size): r = original(s, p, size); if (r == 0 && size != 0) flag = 1; return r
  0x21, 0x01, 0x01, 0x7f,
  0x20, 0x00, 0x20, 0x01, 0x20, 0x02, 0x23, 0x01, 0x11, 0x01, 0x00, 0x22, 0x03,
  0x45, 0x20, 0x02, 0x41, 0x00, 0x47, 0x71, 0x04, 0x40, 0x41, 0x01, 0x24, 0x02, 0x0b, 0x20, 0x03, 0x0b,
]);

let compiled: WebAssembly.Module | undefined;

/**
 * Installs the watch on the QuickJS runtime at `rt`, whose memory limit was
 * just set to `limit`. `i32` views the instance's memory.
 */
export function watchAllocations(
  table: WebAssembly.Table | undefined,
  i32: Int32Array,
  rt: number,
  limit: number,
): AllocationWatch {
  if (table === undefined) return NO_WATCH;
  const base = rt >> 2;
  const [malloc, free, realloc, usableSize] = [0, 1, 2, 3].map((i) => i32[base + i] as number);
  const isIndex = (i: number | undefined) => i !== undefined && i > 0 && i < table.length;
  if (![malloc, free, realloc, usableSize].every(isIndex) || i32[base + 6] !== (limit | 0)) return NO_WATCH;
  // A tiny module: compiled and instantiated synchronously (any thread allows it; no task hop).
  compiled ??= new WebAssembly.Module(WRAPPER_MODULE);
  const instance = new WebAssembly.Instance(compiled, {
    e: {
      t: table,
      // Immutable i32 globals are imported from plain numbers.
      m: malloc,
      r: realloc,
    },
  });
  // A WebAssembly.Global (this package's lib types do not declare the class).
  const flag = instance.exports.f as unknown as { value: number };
  const at = table.grow(2);
  table.set(at, instance.exports.m as () => number);
  table.set(at + 1, instance.exports.r as () => number);
  i32[base] = at;
  i32[base + 2] = at + 1;
  return {
    failed: () => flag.value !== 0,
    clear: () => {
      flag.value = 0;
    },
    installed: true,
  };
}
