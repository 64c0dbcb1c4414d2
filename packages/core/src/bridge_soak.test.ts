/**
 * Soak: many op calls carrying 1 MiB of bytes each way under a 16 MiB guest.
 * Every call gives the first call's result, and the wasm heap in use — the
 * allocator's own figure, which sees the bridge's copies that QuickJS's
 * accounting cannot — is back where it started. Sized per build: the debug
 * build (LeakSanitizer allocator) is many times slower, and a failed malloc
 * there aborts, which fails the run just as loudly.
 */
import { expect, test } from "vitest";
import { op } from "./ops.ts";
import { defaultBuild } from "./quickjs.ts";
import { exposeOps, withRuntime } from "./test/helpers.ts";

const MiB = 1 << 20;
const release = defaultBuild() === "release";
const CALLS = release ? 10_000 : 300;

/** A checksum over the length and a spread of bytes (a full hash per call would dominate the run). */
function sample(b: Uint8Array): number {
  let h = b.byteLength;
  for (let i = 0; i < b.byteLength; i += 4093) h = (h * 31 + (b[i] as number)) >>> 0;
  return (h * 31 + (b[b.byteLength - 1] ?? 0)) >>> 0;
}

const ops = exposeOps({
  op_check: op.sync((_s, b: Uint8Array | ArrayBuffer) => sample(b instanceof ArrayBuffer ? new Uint8Array(b) : b)),
  op_make: op.sync((_s, seed: number) => {
    const out = new Uint8Array(MiB);
    for (let i = 0; i < out.length; i += 4093) out[i] = (seed + i) & 0xff;
    out[out.length - 1] = seed & 0xff;
    return out;
  }),
});

test(`soak: ${CALLS} × 1 MiB each way under memoryBytes 16 MiB give identical results and leave the wasm heap as it was`, {
  timeout: 300_000,
}, async () => {
  await withRuntime({ extensions: [ops], limits: { memoryBytes: 16 << 20, cpuMs: 600_000 } }, (rt) => {
    rt.executeScript(
      "setup.js",
      `globalThis.d = new Uint8Array(${MiB}); for (let i = 0; i < d.length; i += 7) d[i] = i & 0xff;
       globalThis.view = d.subarray(3, ${MiB} - 5);
       globalThis.sampleGuest = (b) => { let h = b.byteLength; for (let i = 0; i < b.byteLength; i += 4093) h = (h * 31 + b[i]) >>> 0; return (h * 31 + b[b.byteLength - 1]) >>> 0; };
       0`,
    );
    // One warm-up call of each kind, so the scratch buffer and argv exist before measuring.
    rt.executeScript("warm.js", "t.op_check(d); t.op_check(view); t.op_check(d.buffer); sampleGuest(t.op_make(1)); 0");
    const before = release ? rt.wasmHeapFreeBytes() : 0;
    const summary = rt.executeScript(
      "soak.js",
      `const first = [t.op_check(d), t.op_check(view), t.op_check(d.buffer), sampleGuest(t.op_make(1))];
       let mismatches = 0;
       for (let i = 0; i < ${CALLS}; i++) {
         const k = i % 4;
         const r = k === 0 ? t.op_check(d) : k === 1 ? t.op_check(view) : k === 2 ? t.op_check(d.buffer) : sampleGuest(t.op_make(1));
         if (r !== first[k]) mismatches++;
       }
       ({ first, mismatches })`,
    ) as { first: number[]; mismatches: number };
    expect(summary.mismatches).toBe(0);
    const d = new Uint8Array(MiB);
    for (let i = 0; i < d.length; i += 7) d[i] = i & 0xff;
    const made = new Uint8Array(MiB);
    for (let i = 0; i < made.length; i += 4093) made[i] = (1 + i) & 0xff;
    made[made.length - 1] = 1;
    expect(summary.first).toEqual([sample(d), sample(d.subarray(3, MiB - 5)), sample(d), sample(made)]);
    if (release) {
      const after = rt.wasmHeapFreeBytes();
      // The allocator's free space is back to where it was, within one 64 KiB probe granule.
      expect(Math.abs(before - after)).toBeLessThanOrEqual(64 << 10);
    }
  });
});
