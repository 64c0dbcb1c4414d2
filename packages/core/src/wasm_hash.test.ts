// snapshot.ts's digest hashes long parts with wasm_hash.ts: the same result as the whole
// algorithm in JavaScript, for any strings (images made before keep matching).
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { digest } from "./snapshot.ts";

/** The digest as written before the wasm word loop (the reference). */
function referenceDigest(parts: readonly string[]): string {
  let a = 0x811c9dc5;
  let b = 0x9e3779b9;
  for (const part of parts) {
    const bytes = new TextEncoder().encode(part);
    const whole = bytes.length >> 2;
    const words = new Int32Array(bytes.buffer, bytes.byteOffset, whole);
    const tail = [...bytes.subarray(whole << 2), 0x1ffff ^ bytes.length];
    for (let i = 0; i < whole + tail.length; i++) {
      const c = i < whole ? (words[i] as number) : (tail[i - whole] as number);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995);
      b ^= b >>> 15;
    }
  }
  return (a >>> 0).toString(16).padStart(8, "0") + (b >>> 0).toString(16).padStart(8, "0");
}

describe("digest", () => {
  test("equals the reference for any parts, short and long (native from 1024 units), any Unicode, lone surrogates", () => {
    const part = fc.oneof(
      fc.string({ unit: "binary", maxLength: 40 }),
      fc.string({ unit: "binary", minLength: 1000, maxLength: 6000 }),
      fc.string({
        unit: fc.constantFrom("a", "é", "€", "𝄞", "\ud800", "\udfff", "\0"),
        minLength: 1020,
        maxLength: 1100,
      }),
    );
    fc.assert(
      fc.property(fc.array(part, { maxLength: 6 }), (parts) => {
        expect(digest(parts)).toBe(referenceDigest(parts));
      }),
      { numRuns: 300 },
    );
  });

  test("a part of several MiB (the hasher's memory grows) and the empty list", () => {
    const big = "x€".repeat(1 << 20);
    expect(digest([big, "tail"])).toBe(referenceDigest([big, "tail"]));
    expect(digest([])).toBe(referenceDigest([]));
    // Parts are separated: moving a character across a boundary changes the digest.
    const long = "y".repeat(2000);
    expect(digest([`${long}a`, "bc"])).not.toBe(digest([long, "abc"]));
  });
});
