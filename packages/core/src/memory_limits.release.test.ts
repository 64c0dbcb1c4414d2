import { describe, expect, test } from "vitest";
import { MemoryLimitExceeded, RuntimeFault } from "./errors.ts";
import { JsRuntime } from "./runtime.ts";
import { withRuntime } from "./test/helpers.ts";

// Release build only (see vite.config.ts): the debug build runs LeakSanitizer, whose
// own allocator aborts on out-of-memory and whose frames are larger, so memory and
// stack limits are measured on the build users run.
describe("memory and stack limits", () => {
  test("a memory bomb ends the call with MemoryLimitExceeded even if the guest catches, and the runtime still works", async () => {
    await withRuntime({ limits: { memoryBytes: 16 << 20 } }, (rt) => {
      expect(() =>
        rt.executeScript(
          "bomb.js",
          `const keep = []; try { for (;;) keep.push(new Uint8Array(1 << 20)); } catch (e) { keep.length = 0; String(e) }`,
        ),
      ).toThrow(MemoryLimitExceeded);
      expect(() => rt.executeScript("bomb2.js", `let s = "x"; for (;;) s += s;`)).toThrow(
        /out of memory|string too long|invalid string length/i,
      );
      expect(rt.executeScript("t.js", "[1, 2, 3].map((x) => x * 2)")).toEqual([2, 4, 6]);
    });
  });

  test("the memory limit bounds what the sandbox makes the host allocate", async () => {
    const before = process.memoryUsage().rss;
    const runtimes: JsRuntime[] = [];
    try {
      for (let i = 0; i < 3; i++) {
        const rt = await JsRuntime.create({ limits: { memoryBytes: 32 << 20 } });
        runtimes.push(rt);
        expect(() =>
          rt.executeScript("bomb.js", `const a = []; try { for (;;) a.push(new ArrayBuffer(4 << 20)); } catch {} 0`),
        ).toThrow(MemoryLimitExceeded);
      }
      const grown = process.memoryUsage().rss - before;
      // Three 32 MiB sandboxes each filled to the brim: the host grows by their fixed
      // memories (limit + headroom; debug builds reserve more), never by what the guest asked for (unbounded).
      const perSandboxCap = process.env.ISLET_QUICKJS_BUILD === "debug" ? 32 * 2 + 128 + 48 : 32 + 16 + 48;
      expect(grown / 2 ** 20).toBeLessThan(3 * perSandboxCap);
    } finally {
      for (const rt of runtimes) rt.dispose();
    }
  });

  test("deep recursion is a guest stack overflow, and the runtime still works", async () => {
    await withRuntime({}, (rt) => {
      expect(
        rt.executeScript(
          "deep.js",
          "let n = 0; function f() { n++; return f() + 1 } try { f() } catch (e) { [e.name, e.message, n > 1000] }",
        ),
      ).toEqual(["InternalError", "stack overflow", true]);
      expect(rt.executeScript("t.js", "'still alive'")).toBe("still alive");
    });
  });

  test("native recursion that overflows the host stack faults the instance cleanly; a new runtime works", async () => {
    // JSON.stringify of a deeply nested value recurses in C; on some hosts that exhausts
    // the host's own stack before QuickJS's limit. Either outcome must be clean.
    const rt = await JsRuntime.create({});
    let outcome: string;
    try {
      outcome = String(
        rt.executeScript(
          "json.js",
          "let o = []; for (let i = 0; i < 200000; i++) o = [o]; try { JSON.stringify(o); 'no error' } catch (e) { e.name }",
        ),
      );
    } catch (error) {
      outcome = (error as Error).name;
      expect(() => rt.executeScript("t.js", "1")).toThrow(RuntimeFault);
    } finally {
      rt.dispose();
    }
    expect(["InternalError", "RangeError", "RuntimeFault"]).toContain(outcome);
    await withRuntime({}, (fresh) => expect(fresh.executeScript("t.js", "6 * 7")).toBe(42));
  });
});
