/**
 * One edit to the QuickJS wasm binary before it is compiled: export its
 * function table as `__islet_table`. With the table, the runtime can install
 * QuickJS's promise-rejection tracker (quickjs-emscripten 0.32 does not expose
 * one), which is how unhandled rejections are found the way Deno finds them.
 * The code is unchanged; only the export section grows by one entry.
 */
export const TABLE_EXPORT = "__islet_table";

function readLeb(bytes: Uint8Array, offset: number): [value: number, length: number] {
  let value = 0;
  let shift = 0;
  let length = 0;
  for (;;) {
    const byte = bytes[offset + length] as number;
    value += (byte & 0x7f) * 2 ** shift;
    length++;
    if ((byte & 0x80) === 0) return [value, length];
    shift += 7;
    if (length > 5) throw new Error("wasm patch: malformed LEB128");
  }
}

function leb(value: number): number[] {
  const out: number[] = [];
  do {
    let byte = value & 0x7f;
    value = Math.floor(value / 128);
    if (value !== 0) byte |= 0x80;
    out.push(byte);
  } while (value !== 0);
  return out;
}

/** Returns a copy of `bytes` whose export section also exports table 0; unchanged if already patched. */
export function exportFunctionTable(bytes: Uint8Array): Uint8Array {
  if (bytes[0] !== 0 || bytes[1] !== 0x61 || bytes[2] !== 0x73 || bytes[3] !== 0x6d) {
    throw new Error("wasm patch: not a WebAssembly binary");
  }
  const name = [...new TextEncoder().encode(TABLE_EXPORT)];
  const out: (Uint8Array | number[])[] = [bytes.subarray(0, 8)];
  let offset = 8;
  let patched = false;
  while (offset < bytes.length) {
    const id = bytes[offset] as number;
    const [size, sizeLength] = readLeb(bytes, offset + 1);
    const start = offset + 1 + sizeLength;
    const end = start + size;
    if (id === 7 && !patched) {
      const [count, countLength] = readLeb(bytes, start);
      const entries = bytes.subarray(start + countLength, end);
      if (new TextDecoder().decode(entries).includes(TABLE_EXPORT)) return bytes;
      const extra = [...leb(name.length), ...name, 0x01, 0x00]; // kind table, index 0
      const content = [...leb(count + 1)];
      const body = new Uint8Array(content.length + entries.length + extra.length);
      body.set(content, 0);
      body.set(entries, content.length);
      body.set(extra, content.length + entries.length);
      out.push([7, ...leb(body.length)], body);
      patched = true;
    } else {
      out.push(bytes.subarray(offset, end));
    }
    offset = end;
  }
  if (!patched) throw new Error("wasm patch: no export section");
  const total = out.reduce((n, p) => n + p.length, 0);
  const result = new Uint8Array(total);
  let at = 0;
  for (const p of out) {
    result.set(p, at);
    at += p.length;
  }
  return result;
}

/** Wasm value types for {@link wasmHostFunction}. */
export const I32 = 0x7f;
export const I64 = 0x7e;

/**
 * A wasm function with the given signature that calls the host function `fn`
 * (i64 values cross as BigInt), for storing in a function table. Built as a
 * tiny module that imports `fn` and re-exports it.
 */
export async function wasmHostFunction(
  params: readonly number[],
  results: readonly number[],
  fn: (...args: never[]) => unknown,
): Promise<unknown> {
  const type = [0x01, 0x60, params.length, ...params, results.length, ...results];
  // biome-ignore format: the module's bytes, section by section
  const bytes = new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    0x01, type.length, ...type, // type section: one function type
    0x02, 0x07, 0x01, 0x01, 0x65, 0x01, 0x66, 0x00, 0x00, // import "e" "f" func type 0
    0x07, 0x05, 0x01, 0x01, 0x66, 0x00, 0x00, // export "f" func 0
  ]);
  const instance = await WebAssembly.instantiate(await WebAssembly.compile(bytes), { e: { f: fn } });
  return instance.exports.f;
}

/**
 * A wasm function of type (i32, i64, i64, i32, i32) → void — the C signature of
 * `JSHostPromiseRejectionTracker` on wasm32 (JSValue is a NaN-boxed u64) —
 * that calls `fn`.
 */
export function trackerFunction(
  fn: (ctx: number, promise: bigint, reason: bigint, isHandled: number, opaque: number) => void,
): Promise<unknown> {
  return wasmHostFunction([I32, I64, I64, I32, I32], [], fn);
}
