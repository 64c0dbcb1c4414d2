import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { nonZeroScanner, nonZeroSpan, usedGapScanner } from "./wasm_scan.ts";

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

describe("nonZeroSpan", () => {
  test("finds every non-zero byte of any range, at any alignment, however far apart", () => {
    const memory = new WebAssembly.Memory({ initial: 8, maximum: 8 });
    const u8 = new Uint8Array(memory.buffer);
    const span = nonZeroSpan(memory);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 4 * PAGE }),
        fc.integer({ min: 0, max: 4 * PAGE }),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { maxLength: 6 }),
        (start, length, writes) => {
          u8.fill(0);
          // Bytes around the range are not its own.
          u8.fill(9, Math.max(0, start - 8), start);
          const to = start + length;
          u8.fill(9, to, to + 8);
          const inside = writes.map(([at, value]) => [start + (length === 0 ? 0 : at % length), value] as const);
          if (length > 0) for (const [at, value] of inside) u8[at] = value;
          const written = length === 0 ? [] : inside.map(([at]) => at);
          const found = span(start, to);
          if (written.length === 0) {
            expect(found).toBeUndefined();
            return;
          }
          // Every written byte, nothing outside the range, and read a word at a time: at most 3 bytes more each side.
          const [first, end] = found ?? [Number.NaN, Number.NaN];
          const low = Math.min(...written);
          const high = Math.max(...written) + 1;
          expect(first).toBeGreaterThanOrEqual(Math.max(start, low - 3));
          expect(first).toBeLessThanOrEqual(low);
          expect(end).toBeGreaterThanOrEqual(high);
          expect(end).toBeLessThanOrEqual(Math.min(to, high + 3));
        },
      ),
      { numRuns: 400 },
    );
  });

  test("does not stop at an all-zero window: a run below one is found", () => {
    const memory = new WebAssembly.Memory({ initial: 8, maximum: 8 });
    const u8 = new Uint8Array(memory.buffer);
    const top = 6 * PAGE;
    u8[top - 5] = 1;
    u8[top - 3 * PAGE - 101] = 3;
    expect(nonZeroSpan(memory)(0, top)).toEqual([top - 3 * PAGE - 104, top - 4]);
  });
});

describe("usedGapScanner", () => {
  test("above the depth guests reach it is exact, whatever zeros lie between what they wrote", () => {
    const memory = new WebAssembly.Memory({ initial: 16, maximum: 16 });
    const u8 = new Uint8Array(memory.buffer);
    const top = 14 * PAGE;
    const exactFrom = 6 * PAGE;
    const scan = usedGapScanner(memory, exactFrom);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: exactFrom, max: top - 1 }), { minLength: 1, maxLength: 5 }), (at) => {
        u8.fill(0);
        for (const a of at) u8[a] = 7;
        const [first, end] = scan(PAGE, top) ?? [Number.NaN, Number.NaN];
        expect(first).toBeLessThanOrEqual(Math.min(...at));
        expect(end).toBeGreaterThan(Math.max(...at));
      }),
      { numRuns: 200 },
    );
  });

  test("deeper, in the gap below, it reads from the top down to the first all-zero window", () => {
    const memory = new WebAssembly.Memory({ initial: 16, maximum: 16 });
    const u8 = new Uint8Array(memory.buffer);
    const exactFrom = 8 * PAGE;
    const scan = usedGapScanner(memory, exactFrom);
    u8[exactFrom + 100] = 1;
    u8[exactFrom - 10] = 2; // just below: found, the window under the exact part is not zero
    u8[exactFrom - 4 * PAGE] = 3; // below an all-zero window: left, as in a new memory
    expect(scan(PAGE, 12 * PAGE)).toEqual([exactFrom - 12, exactFrom + 104]);
    // A gap wholly above or wholly below is read exactly.
    expect(scan(2 * PAGE, 5 * PAGE)).toEqual([exactFrom - 4 * PAGE, exactFrom - 4 * PAGE + 4]);
    expect(scan(exactFrom, 12 * PAGE)).toEqual([exactFrom + 100, exactFrom + 104]);
    u8.fill(0);
    expect(scan(PAGE, 12 * PAGE)).toBeUndefined();
  });
});
