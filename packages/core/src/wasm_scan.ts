/**
 * Finding what a new wasm instance wrote into a gap of a snapshot image.
 *
 * Restoring a snapshot into a new instance (snapshot.ts: unpackSegments)
 * zeros what the instance's creation calls wrote into the image's gaps —
 * above all the top of the C stack, inside a gap of several MiB — and must
 * not write or even read the rest: a new memory's pages are not there yet,
 * and touching them costs a page fault each (in Chromium ~20–45 ms for the
 * 5 MiB stack, more than the whole copy of the image). So the scan reads
 * from the top of the gap downwards, 64 KiB at a time, and stops at the
 * first window that is all zero: the stack grows down from the top, so what
 * the creation calls wrote there is one run. Anything written below such a
 * window would be the creation calls' own stack garbage, which C code never
 * reads before writing and which holds nothing of any guest. A tiny wasm
 * module over the instance's memory reads it 8 bytes at a time.
 */
import { leb, wasmModule } from "./wasm_binary.ts";

/** `[first, end)`: what was written in the range, found as described above; `undefined` when nothing. */
export type NonZeroScan = (from: number, to: number) => [first: number, end: number] | undefined;

const I32 = 0x7f;
// Instructions used below.
const BLOCK = 0x02;
const LOOP = 0x03;
const BR = 0x0c;
const BR_IF = 0x0d;
const END = 0x0b;
const GET = 0x20;
const SET = 0x21;
const I32_LOAD = [0x28, 0x00, 0x00];
const I64_LOAD = [0x29, 0x00, 0x00];
/** i32.const of a small non-negative number (< 64: one byte of signed LEB128). */
const I32_CONST = (n: number) => [0x41, n];
const I32_EQZ = 0x45;
const I64_EQZ = 0x50;
const I32_LT_U = 0x49;
const I32_GT_U = 0x4b;
const I32_LE_U = 0x4d;
const I32_GE_U = 0x4f;
const I32_ADD = 0x6a;
const I32_SUB = 0x6b;
const VOID = 0x40;

// first(from, to): the address of the first non-zero 4-byte word in [from, to), else `to`.
// biome-ignore format: wasm instructions, one step per line
const FIRST = [
  BLOCK, VOID, LOOP, VOID, // 8 bytes at a time while they fit
    GET, 0, ...I32_CONST(8), I32_ADD, GET, 1, I32_GT_U, BR_IF, 1,
    GET, 0, ...I64_LOAD, I64_EQZ, I32_EQZ, BR_IF, 1,
    GET, 0, ...I32_CONST(8), I32_ADD, SET, 0, BR, 0,
  END, END,
  BLOCK, VOID, LOOP, VOID, // then 4 bytes at a time
    GET, 0, GET, 1, I32_GE_U, BR_IF, 1,
    GET, 0, ...I32_LOAD, BR_IF, 1,
    GET, 0, ...I32_CONST(4), I32_ADD, SET, 0, BR, 0,
  END, END,
  GET, 0, END,
];

// end(from, to): one past the last non-zero 4-byte word in [from, to), else `from`.
// biome-ignore format: wasm instructions, one step per line
const LAST = [
  BLOCK, VOID, LOOP, VOID,
    GET, 1, GET, 0, I32_SUB, ...I32_CONST(8), I32_LT_U, BR_IF, 1,
    GET, 1, ...I32_CONST(8), I32_SUB, ...I64_LOAD, I64_EQZ, I32_EQZ, BR_IF, 1,
    GET, 1, ...I32_CONST(8), I32_SUB, SET, 1, BR, 0,
  END, END,
  BLOCK, VOID, LOOP, VOID,
    GET, 1, GET, 0, I32_LE_U, BR_IF, 1,
    GET, 1, ...I32_CONST(4), I32_SUB, ...I32_LOAD, BR_IF, 1,
    GET, 1, ...I32_CONST(4), I32_SUB, SET, 1, BR, 0,
  END, END,
  GET, 1, END,
];

const name = (s: string) => [s.length, ...Array.from(s, (c) => c.charCodeAt(0))];
const code = (body: number[]) => [...leb(body.length + 1), 0x00, ...body]; // no locals besides the params

const scannerBytes = () =>
  wasmModule(
    [1, [1, 0x60, 2, I32, I32, 1, I32]], // type: (i32, i32) → i32
    [2, [1, ...name("m"), ...name("memory"), 0x02, 0x00, 0x00]], // import a memory, min 0, no max
    [3, [2, 0, 0]], // two functions of that type
    [7, [2, ...name("first"), 0x00, 0, ...name("end"), 0x00, 1]],
    [10, [2, ...code(FIRST), ...code(LAST)]],
  );

/** Bytes read per step; a window of only zeros ends the scan. */
const WINDOW = 64 << 10;

let compiled: WebAssembly.Module | undefined;
const scanners = new WeakMap<WebAssembly.Memory, Record<"first" | "end", (from: number, to: number) => number>>();

/** The scanner module's functions over `memory` (compiled once per thread: a few hundred bytes, so synchronously). */
function scannerOf(memory: WebAssembly.Memory): Record<"first" | "end", (from: number, to: number) => number> {
  let exports = scanners.get(memory);
  if (exports === undefined) {
    compiled ??= new WebAssembly.Module(scannerBytes());
    exports = new WebAssembly.Instance(compiled, { m: { memory } }).exports as Record<
      "first" | "end",
      (from: number, to: number) => number
    >;
    scanners.set(memory, exports);
  }
  return exports;
}

/** What was written at the top of a gap of `memory`, as described above. */
export function nonZeroScanner(memory: WebAssembly.Memory): NonZeroScan {
  const exports = scannerOf(memory);
  return (from, to) => {
    let end = -1;
    let first = -1;
    for (let high = to; high > from; ) {
      const low = Math.max(from, high - WINDOW);
      const last = exports.end(low, high) >>> 0;
      if (last === low) break;
      if (end < 0) end = last;
      first = exports.first(low, last) >>> 0;
      high = low;
    }
    return end < 0 ? undefined : [first, end];
  };
}

/**
 * `first(from, to)`: the address of the first non-zero 4-byte word of
 * `memory` in [from, to), or `to` — read natively, for making an image
 * (snapshot.ts: packSegments), which must find every non-zero run.
 */
export function firstNonZero(memory: WebAssembly.Memory): (from: number, to: number) => number {
  const exports = scannerOf(memory);
  return (from, to) => exports.first(from, to) >>> 0;
}

/** One past the last non-zero 4-byte word of `memory` in [from, to), or `from`; read natively, downwards. */
export function nonZeroEnd(memory: WebAssembly.Memory, from: number, to: number): number {
  return scannerOf(memory).end(from, to) >>> 0;
}

/**
 * Exactly where `[from, to)` of `memory` is not zero: from its first to one
 * past its last non-zero byte (read a word at a time), or `undefined`.
 */
export function nonZeroSpan(memory: WebAssembly.Memory): NonZeroScan {
  const exports = scannerOf(memory);
  return (from, to) => {
    const u8 = new Uint8Array(memory.buffer);
    const low = Math.min((from + 3) & ~3, to);
    const high = Math.max(to & ~3, low);
    let first = -1;
    let end = -1;
    const seen = (at: number, next: number) => {
      if (first < 0) first = at;
      end = next;
    };
    // The unaligned bytes at the edges one by one, the words between natively.
    for (let i = from; i < low; i++) if (u8[i] !== 0) seen(i, i + 1);
    const inner = exports.first(low, high) >>> 0;
    if (inner < high) seen(inner, exports.end(inner, high) >>> 0);
    for (let i = high; i < to; i++) if (u8[i] !== 0) seen(i, i + 1);
    return first < 0 ? undefined : [first, end];
  };
}

/**
 * Where a gap of a used engine's memory is not zero, for a reset (snapshot.ts:
 * unpackSegments), which must leave nothing of the runs before: read exactly
 * (nonZeroSpan), except in the C stack deeper than `exactFrom`, the depth no
 * guest of the engine can reach (QuickJS checks its recursion against the
 * stack limit; the caller adds room for the C frames under the last check).
 * Down there, in the gap that holds the stack's never-touched bottom (several
 * MiB), the scan goes on from the top down to the first all-zero window, as
 * in a new memory (nonZeroScanner). Reading the whole of it would commit every
 * one of its pages (V8 backs a page of wasm memory once it is read), the same
 * as writing zeros over it did.
 */
export function usedGapScanner(memory: WebAssembly.Memory, exactFrom: number): NonZeroScan {
  const exact = nonZeroSpan(memory);
  const windowed = nonZeroScanner(memory);
  return (from, to) => {
    if (from >= exactFrom || to <= exactFrom) return exact(from, to);
    const top = exact(exactFrom, to);
    const deep = windowed(from, exactFrom);
    if (deep === undefined) return top;
    return [deep[0], top?.[1] ?? deep[1]];
  };
}
