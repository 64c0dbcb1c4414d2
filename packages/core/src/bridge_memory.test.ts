/**
 * Host memory the guest's cap does not see: the copies the bridge makes in the
 * wasm heap (outside QuickJS's accounting) are freed on every path, and a copy
 * that cannot be made is a clear guest error, never empty or stale data.
 */
import { describe, expect, test } from "vitest";
import { op } from "./ops.ts";
import { exposeOps, withRuntime } from "./test/helpers.ts";

const ops = exposeOps({
  op_len: op.sync((_s, b: Uint8Array) => b.byteLength),
  op_sum: op.sync((_s, b: Uint8Array) => {
    let n = 0;
    for (let i = 0; i < b.length; i += 1021) n += b[i] as number;
    return n + b.length;
  }),
  op_echo: op.sync((_s, v: unknown) => v),
});

describe("bytes crossing the bridge", () => {
  test("A.1: byte arguments never leak their copy: 200 × 1 MiB under a 16 MiB guest keep arriving whole", {
    timeout: 120_000,
  }, async () => {
    await withRuntime({ extensions: [ops], limits: { memoryBytes: 16 << 20 } }, (rt) => {
      const result = rt.executeScript(
        "bytes.js",
        `const d = new Uint8Array(1 << 20).fill(1);
         const seen = [];
         for (let i = 0; i < 200; i++) seen.push(t.op_sum(d), t.op_len(d.buffer));
         seen`,
      ) as number[];
      expect(new Set(result)).toEqual(new Set([(1 << 20) + Math.ceil((1 << 20) / 1021), 1 << 20]));
      expect(result).toHaveLength(400);
    });
  });

  test("A.3: a getter that frees a string and makes another at its address does not get the old text", async () => {
    await withRuntime({ extensions: [ops] }, (rt) => {
      const result = rt.executeScript(
        "stale.js",
        `const o = { a: "x".repeat(301) };
         Object.defineProperty(o, "b", { enumerable: true, get() { delete o.a; return "y".repeat(301); } });
         const r = [];
         for (let i = 0; i < 20; i++) {
           const p = { a: "x".repeat(301) };
           Object.defineProperty(p, "b", { enumerable: true, get() { delete p.a; return "y".repeat(301); } });
           const got = t.op_echo(p);
           r.push(got.a[0] + got.b[0]);
         }
         r`,
      ) as string[];
      expect(new Set(result)).toEqual(new Set(["xy"]));
    });
  });
});
