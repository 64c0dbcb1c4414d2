import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { nonZeroScanner } from "./wasm_scan.ts";

const PAGE = 64 << 10;

/** The reference: first and one past the last non-zero 4-byte word of [from, to). */
function reference(u8: Uint8Array, from: number, to: number): [number, number] | undefined {
  const words = new Uint32Array(u8.buffer, from, (to - from) >> 2);
  const first = words.findIndex((w) => w !== 0);
  if (first < 0) return undefined;
  let last = words.length;
  while (words[last - 1] === 0) last--;
  return [from + first * 4, from + last * 4];
}

describe("nonZeroScanner", () => {
  test("finds a written run at the top of a gap, at any alignment and length", () => {
    const memory = new WebAssembly.Memory({ initial: 8, maximum: 8 });
    const u8 = new Uint8Array(memory.buffer);
    const scan = nonZeroScanner(memory);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 32 * 1024 }).map((n) => n * 4), // gap start
        fc.integer({ min: 1, max: 64 * 1024 }).map((n) => n * 4), // gap length
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { maxLength: 40 }),
        fc.integer({ min: 0, max: 16 * 1024 }).map((n) => n * 4), // depth of the written run below the top (≤ one window)
        (start, length, writes, depth) => {
          u8.fill(0);
          const to = Math.min(start + length, u8.length);
          const low = Math.max(start, to - depth);
          for (const [at, value] of writes) if (to > low) u8[low + (at % (to - low))] = value;
          expect(scan(start, to)).toEqual(reference(u8, start, to));
        },
      ),
      { numRuns: 300 },
    );
  });

  test("reads no further down than the first all-zero 64 KiB window", () => {
    const memory = new WebAssembly.Memory({ initial: 8, maximum: 8 });
    const u8 = new Uint8Array(memory.buffer);
    const top = 6 * PAGE;
    u8[top - 5] = 1; // the top of the stack
    u8[top - PAGE - 100] = 2; // a second window
    u8[top - 3 * PAGE - 100] = 3; // below a zero window: not reached
    expect(nonZeroScanner(memory)(0, top)).toEqual([top - PAGE - 100 - ((top - PAGE - 100) % 4), top - 4]);
  });

  test("an all-zero range and an empty range find nothing", () => {
    const memory = new WebAssembly.Memory({ initial: 2, maximum: 2 });
    const scan = nonZeroScanner(memory);
    expect(scan(0, 2 * PAGE)).toBeUndefined();
    expect(scan(400, 400)).toBeUndefined();
  });
});
