/**
 * Hostile programs that need a real out-of-memory, so release build only
 * (see vite.config.ts: the debug build's LeakSanitizer aborts on OOM).
 */
import { describe, expect, test } from "vitest";
import { MemoryLimitExceeded } from "../errors.ts";
import { op } from "../ops.ts";
import { JsRuntime } from "../runtime.ts";
import { exposeOps } from "../test/helpers.ts";

const ops = exposeOps({ op_echo: op.sync((_s, v: unknown) => v) });

describe("hostile guests (release build)", () => {
  test("SEC-CORE-007 two runtimes share nothing", async () => {
    const a = await JsRuntime.create({ extensions: [ops] });
    const b = await JsRuntime.create({ extensions: [ops] });
    try {
      a.executeScript("a.js", "globalThis.mine = 'a'; Object.prototype.polluted = true; 0");
      expect(b.executeScript("b.js", "[typeof mine, ({}).polluted]")).toEqual(["undefined", undefined]);
      expect(() =>
        a.executeScript("bomb.js", "try { const k = []; for (;;) k.push(new ArrayBuffer(1 << 20)) } catch {} 0"),
      ).toThrow(MemoryLimitExceeded);
      expect(b.executeScript("b.js", "new ArrayBuffer(8 << 20).byteLength")).toBe(8 << 20);
    } finally {
      a.dispose();
      b.dispose();
    }
  });
});
