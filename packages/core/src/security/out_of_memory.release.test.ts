/**
 * OOM-xx: programs that exhaust the guest heap (issue 9 B.1). Release build only
 * (see vite.config.ts: the debug build's LeakSanitizer aborts on OOM). Each
 * attacks the host's reading of QuickJS's out-of-memory, which the guest can
 * catch (or which arrives as `null` when even the error cannot be allocated):
 * the call must end with the host-made MemoryLimitExceeded naming the limit,
 * and the runtime must work afterwards (or say it was discarded).
 */
import { describe, expect, test } from "vitest";
import { GuestError, MemoryLimitExceeded, RuntimeFault } from "../errors.ts";
import type { JsRuntime } from "../runtime.ts";
import { withRuntime } from "../test/helpers.ts";

const LIMIT = 16 << 20;

async function outcome(rt: JsRuntime, src: string, asScript: boolean): Promise<unknown> {
  try {
    if (asScript) return rt.executeScript("oom.js", src);
    rt.executeScript("oom.js", `${src}; 0`);
    await rt.runEventLoop();
    return "no error";
  } catch (error) {
    return error;
  }
}

/** The runtime works afterwards, or the error of the next call says it was discarded (and stays so). */
function expectWorksAfter(rt: JsRuntime): void {
  try {
    expect(rt.executeScript("after.js", "[1, 2, 3].map((v) => v * 2)")).toEqual([2, 4, 6]);
  } catch (error) {
    expect(error instanceof RuntimeFault || error instanceof MemoryLimitExceeded).toBe(true);
    expect((error as Error).message).toMatch(/discarded/);
    expect(() => rt.executeScript("after.js", "1")).toThrow(RuntimeFault);
  }
}

describe("out of memory is a host-made, uncatchable end", () => {
  test.each([
    ["OOM-01 a growing Map", "const m = new Map(); for (let i = 0; ; i++) m.set(i, { i })", true],
    [
      "OOM-02 a growing array of objects",
      `globalThis.a = []; for (;;) a.push({ i: a.length, s: "x" + a.length })`,
      true,
    ],
    ["OOM-03 ten million promise reactions", "for (let i = 0; i < 1e7; i++) Promise.resolve(i).then((x) => x)", false],
    [
      "OOM-04 an unbounded microtask chain",
      "globalThis.keep = []; const step = () => { keep.push({ s: 'x'.repeat(64) }); return Promise.resolve().then(step) }; step()",
      false,
    ],
    ["OOM-05 a returned array of 3e6 objects", "Array.from({ length: 3e6 }, (_, i) => ({ i }))", true],
    [
      "OOM-06 the guest catches and carries on",
      "const k = []; try { for (;;) k.push(new Array(1000).fill(1)) } catch (e) { k.length = 0; 'swallowed' }",
      true,
    ],
    [
      "OOM-07 the guest catches in an async function",
      "(async () => { const k = []; try { for (;;) k.push({ k }) } catch { k.length = 0 } })()",
      false,
    ],
  ])("%s", async (_name, src, asScript) => {
    await withRuntime({ limits: { memoryBytes: LIMIT, cpuMs: 20_000 } }, async (rt) => {
      const error = await outcome(rt, src, asScript as boolean);
      expect(error).toBeInstanceOf(MemoryLimitExceeded);
      expect((error as Error).message).toContain(`${LIMIT} bytes (limits.memoryBytes)`);
      expectWorksAfter(rt);
    });
  });

  test("OOM-08 JSON.stringify of a 1e6-deep object ends cleanly, never as `null`", async () => {
    await withRuntime({ limits: { memoryBytes: LIMIT, cpuMs: 20_000 } }, async (rt) => {
      const error = await outcome(rt, "let o = {}; for (let i = 0; i < 1e6; i++) o = { o }; JSON.stringify(o)", true);
      if (error instanceof GuestError) expect(error.message).toMatch(/stack|recursion/i);
      else expect(error instanceof MemoryLimitExceeded || error instanceof RuntimeFault).toBe(true);
      if (!(error instanceof RuntimeFault)) expectWorksAfter(rt);
    });
  });
});
