/**
 * The word loop of snapshot.ts's `digest`, in a tiny wasm module: a new
 * worker hashes its extensions' sources (~300 KB) before its first restore,
 * while its JavaScript is still cold (~9 ms for the loop in JavaScript; the
 * module's baseline code reads about a gigabyte a second). Same arithmetic,
 * same result: words(p, end, a, b) folds the little-endian 4-byte words in
 * [p, end) into the two hashes and stores them at addresses 0 and 4.
 */
import { leb, wasmName as name, OP, wasmModule } from "./wasm_binary.ts";

const { I32, BLOCK, LOOP, BR, BR_IF, END, GET, SET, I32_GE_U, I32_ADD, I32_MUL, I32_XOR, I32_SHR_U, VOID } = OP;
const I32_LOAD = [0x28, 0x02, 0x00];
const I32_STORE = [0x36, 0x02, 0x00];

/** `i32.const n`: signed LEB128 of a 32-bit value. */
function i32Const(n: number): number[] {
  const out = [0x41];
  let value = n | 0;
  for (;;) {
    const byte = value & 0x7f;
    value >>= 7;
    const done = (value === 0 && (byte & 0x40) === 0) || (value === -1 && (byte & 0x40) !== 0);
    out.push(done ? byte : byte | 0x80);
    if (done) return out;
  }
}

// Locals: 0 p, 1 end, 2 a, 3 b (params), 4 c.
// biome-ignore format: wasm instructions, one step per line
const WORDS = [
  BLOCK, VOID, LOOP, VOID,
    GET, 0, GET, 1, I32_GE_U, BR_IF, 1,
    GET, 0, ...I32_LOAD, SET, 4,
    GET, 2, GET, 4, I32_XOR, ...i32Const(0x01000193), I32_MUL, SET, 2,
    GET, 3, GET, 4, I32_XOR, ...i32Const(0x5bd1e995), I32_MUL, SET, 3,
    GET, 3, GET, 3, ...i32Const(15), I32_SHR_U, I32_XOR, SET, 3,
    GET, 0, ...i32Const(4), I32_ADD, SET, 0,
    BR, 0,
  END, END,
  ...i32Const(0), GET, 2, ...I32_STORE,
  ...i32Const(4), GET, 3, ...I32_STORE,
  END,
];

const body = [1, 1, I32, ...WORDS]; // one group of one i32 local
const hasherBytes = () =>
  wasmModule(
    [1, [1, 0x60, 4, I32, I32, I32, I32, 0]], // type: (i32, i32, i32, i32) → ()
    [3, [1, 0]],
    [5, [1, 0x00, 1]], // a memory of at least one page
    [7, [2, ...name("words"), 0x00, 0, ...name("memory"), 0x02, 0]],
    [10, [1, ...leb(body.length), ...body]],
  );

interface Hasher {
  words(p: number, end: number, a: number, b: number): void;
  // This package's lib types lack Memory.grow.
  memory: { buffer: ArrayBuffer; grow(pages: number): number };
}

let hasher: Hasher | undefined;
const utf8 = new TextEncoder();

/** Where {@link hashWords} puts a part's UTF-8 bytes (after the two results). */
const BYTES_AT = 8;

/**
 * Folds `part`'s UTF-8 bytes, whole 4-byte words only, into `state`; returns
 * the bytes (a view valid until the next call) so the caller hashes the tail.
 */
export function hashWords(part: string, state: { a: number; b: number }): Uint8Array {
  hasher ??= new WebAssembly.Instance(new WebAssembly.Module(hasherBytes())).exports as unknown as Hasher;
  const { memory } = hasher;
  // UTF-8 takes at most 3 bytes per UTF-16 unit.
  const need = BYTES_AT + part.length * 3;
  if (memory.buffer.byteLength < need) memory.grow(Math.ceil((need - memory.buffer.byteLength) / 65536));
  const u8 = new Uint8Array(memory.buffer);
  const { written } = utf8.encodeInto(part, u8.subarray(BYTES_AT));
  const whole = written >> 2;
  hasher.words(BYTES_AT, BYTES_AT + whole * 4, state.a, state.b);
  const results = new Int32Array(memory.buffer, 0, 2);
  state.a = results[0] as number;
  state.b = results[1] as number;
  return u8.subarray(BYTES_AT, BYTES_AT + written);
}
