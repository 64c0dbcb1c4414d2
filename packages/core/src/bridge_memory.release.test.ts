/**
 * Bridge copies that cannot be made (release build only: the debug build's
 * LeakSanitizer allocator aborts on a failed malloc instead of returning null).
 * A copy too large for the sandbox's fixed memory is a clear guest error, and
 * the runtime keeps working — never empty bytes, stale text or a wasm fault.
 */
import { expect, test } from "vitest";
import { BridgeRangeError } from "./engine.ts";
import { MemoryLimitExceeded } from "./errors.ts";
import { op } from "./ops.ts";
import { exposeOps, withRuntime } from "./test/helpers.ts";

const ops = exposeOps({
  op_echo: op.sync((_s, v: unknown) => v),
  op_len: op.sync((_s, b: Uint8Array | ArrayBuffer) => b.byteLength),
});

test("A.2: a string too large to convert back is a guest error; the scratch buffer does not dangle", async () => {
  await withRuntime({ extensions: [ops], limits: { memoryBytes: 16 << 20 } }, (rt) => {
    let result: [string, boolean] | undefined;
    try {
      result = rt.executeScript(
        "big.js",
        `const big = "a".repeat(1e7);
       let first;
       try { const r = t.op_echo(big); first = r.length === big.length ? "copied" : "wrong length " + r.length; }
       catch (e) { first = e.name + ": " + e.message; }
       const after = [];
       for (let i = 0; i < 50; i++) after.push(t.op_echo("small " + i + " é😀"));
       [first, after.every((s, i) => s === "small " + i + " é😀")]`,
      ) as [string, boolean];
    } catch (error) {
      // Out of memory in the guest ends the call, uncatchably (issue 9 B.1).
      expect(error).toBeInstanceOf(MemoryLimitExceeded);
    }
    if (result !== undefined) {
      expect(result[0]).toMatch(/^(copied|RangeError: op_echo: return value: .*too large)/);
      expect(result[1]).toBe(true);
    }
    expect(rt.executeScript("t.js", "t.op_echo({ still: ['fine'] })")).toEqual({ still: ["fine"] });
  });
});

test("A.1: bytes that cannot be copied out are a RangeError naming the op and the size, never an empty copy", async () => {
  await withRuntime({ extensions: [ops], limits: { memoryBytes: 64 << 20 } }, (rt) => {
    // 60 MiB in the guest leaves less than that free in its fixed memory for the host's copy.
    const result = rt.executeScript(
      "big.js",
      `const b = new Uint8Array(60 << 20);
       let r;
       try { r = "got " + t.op_len(b); } catch (e) { r = e.name + ": " + e.message; }
       [r, t.op_len(new Uint8Array(1 << 20))]`,
    ) as [string, number];
    expect(result[0]).toMatch(/^RangeError: op_len: argument 1: cannot copy 62914560 bytes out of the sandbox/);
    expect(result[1]).toBe(1 << 20);
  });
});

test("executeScript: a completion value too large to copy out is a BridgeRangeError, not a fault; the runtime stays usable", async () => {
  await withRuntime({ limits: { memoryBytes: 64 << 20 } }, (rt) => {
    expect(() => rt.executeScript("big.js", "globalThis.b = new Uint8Array(60 << 20); b")).toThrow(BridgeRangeError);
    expect(rt.executeScript("t.js", "b.length")).toBe(60 << 20);
  });
});

test("A.2: after a large string crosses, the bridge keeps no large buffer (the wasm heap returns to its level)", async () => {
  await withRuntime({ extensions: [ops], limits: { memoryBytes: 32 << 20 } }, (rt) => {
    rt.executeScript("warm.js", "t.op_echo('warm é'); 0");
    const before = rt.wasmHeapFreeBytes();
    expect(rt.executeScript("big.js", `{ const s = "é".repeat(1_000_000); t.op_echo(s) === s }`)).toBe(true);
    // The old scratch buffer grew to 3 × the string and stayed; within one 64 KiB probe granule now.
    expect(Math.abs(before - rt.wasmHeapFreeBytes())).toBeLessThanOrEqual(64 << 10);
  });
});
