/**
 * Heavy use of byte streams: 16 MiB through BYOB readers in small views, with the guest
 * heap measured before and after. Release build only: the debug build's allocator makes
 * this take minutes (its correctness cases are in byte_streams.test.ts, on both builds).
 */
import { describe, expect, test } from "vitest";
import { sharedWebRuntime } from "./test/shared_runtime.ts";

const { runtime, run, loop } = sharedWebRuntime();

describe("heavy use", () => {
  // 16 MiB through BYOB readers in 4 KiB views, reusing each returned buffer as the next view
  // (the idiom BYOB exists for), from a pull source answering byobRequests and from a Blob.
  // Afterwards the guest heap is back where it started: nothing the streams made is retained.
  const SOAK = `
    const TOTAL = 16 << 20, VIEW = 4096;
    let produced = 0;
    const source = new ReadableStream({
      type: "bytes",
      pull(c) {
        const v = c.byobRequest.view;
        const n = Math.min(v.byteLength, TOTAL - produced);
        for (let i = 0; i < n; i += 512) v[i] = (produced + i) & 255;
        produced += n;
        c.byobRequest.respond(n);
        if (produced === TOTAL) c.close();
      },
    });
    async function drain(stream) {
      const reader = stream.getReader({ mode: "byob" });
      let buffer = new ArrayBuffer(VIEW), total = 0, reads = 0, ok = true;
      for (;;) {
        const { value, done } = await reader.read(new Uint8Array(buffer, 0, VIEW));
        if (done) break;
        if (value[0] !== (total & 255)) ok = false;
        total += value.byteLength; reads++;
        buffer = value.buffer;
      }
      return [total, reads, ok];
    }
    return [await drain(source), await drain(globalThis.__soakBlob.stream())];`;
  test("16 MiB in 4 KiB views, twice; the heap returns to its baseline", async () => {
    // The Blob is made once: QuickJS frees a dead key's WeakMap entry (where the platform keeps a
    // Blob's bytes) only at its next cycle collection, which a steady heap may never reach.
    run("globalThis.__soakBlob = new Blob([new Uint8Array(16 << 20).map((_, i) => i & 255)]); 0");
    // A first round warms caches (shapes, atoms); the next two must leave the heap as the first did.
    expect(await loop(SOAK)).toEqual([
      [16 << 20, 4096, true],
      [16 << 20, 4096, true],
    ]);
    run("globalThis.__out = undefined; 0");
    const baseline = runtime().memoryUsed();
    for (let round = 0; round < 2; round++) {
      expect(await loop(SOAK)).toEqual([
        [16 << 20, 4096, true],
        [16 << 20, 4096, true],
      ]);
      run("globalThis.__out = undefined; 0");
    }
    const after = runtime().memoryUsed();
    run("delete globalThis.__soakBlob; 0");
    console.log(`byte stream soak: heap ${baseline} -> ${after} bytes`);
    expect(after - baseline).toBeLessThan(256 << 10);
  }, 120_000);
});
