/**
 * Hostile programs against the core bridge. Each case has an ID and says what
 * it attacks; cases are never deleted (STYLE.md, "Tests").
 */
import { describe, expect, test } from "vitest";
import { Interrupted } from "../errors.ts";
import { hostObject } from "../marshal.ts";
import { op } from "../ops.ts";
import { exposeOps, withRuntime } from "../test/helpers.ts";

const secret = { token: "host-secret" };
const ops = exposeOps(
  {
    op_echo: op.sync((_s, v: unknown) => v),
    op_later: op.async(async (_s, v: unknown) => v),
    op_handle: op.sync(() => hostObject(secret)),
    op_is_secret: op.sync((_s, v: unknown) => v === secret),
  },
  `globalThis.setTimeout = (cb, ms) => core.startTimer(cb, ms);`,
);

describe("hostile guests", () => {
  test("SEC-CORE-001 replacing builtins the runtime's guest code uses does not break ops, timers or async ops", async () => {
    await withRuntime({ extensions: [ops] }, async (rt) => {
      rt.executeScript(
        "evil.js",
        `const boom = () => { throw new Error("hijacked") };
         Array.prototype.push = boom; Array.prototype.pop = boom; Array.prototype.includes = boom;
         Map.prototype.get = boom; Map.prototype.set = boom; Map.prototype.delete = boom;
         Promise.prototype.then = boom; Function.prototype.call = boom; Function.prototype.apply = boom;
         Reflect.apply = boom; JSON.stringify = boom; JSON.parse = boom; Object.keys = boom;
         Object.getPrototypeOf = boom; Array.isArray = boom; String.prototype.slice = boom;
         Object.defineProperty(Object.prototype, "then", { get: boom, configurable: true });
         globalThis.results = [];
         results[0] = t.op_echo({ a: [1, 2], s: "x" });
         t.op_later(41).constructor; // a promise
         setTimeout(() => { results[1] = "timer ran" }, 1); 0`,
      );
      await rt.runEventLoop();
      expect(rt.executeScript("t.js", "results[0].a[1] + results[1]")).toBe("2timer ran");
    });
  });

  test("SEC-CORE-002 a guest cannot forge a host handle or resource id", async () => {
    await withRuntime({ extensions: [ops] }, (rt) => {
      expect(rt.executeScript("t.js", "t.op_is_secret(t.op_handle())")).toBe(true);
      expect(rt.executeScript("t.js", "t.op_is_secret({ token: 'host-secret' })")).toBe(false);
      expect(rt.executeScript("t.js", "t.op_is_secret(Object.create(Object.getPrototypeOf(t.op_handle())))")).toBe(
        false,
      );
      expect(
        rt.executeScript("t.js", "const h = t.op_handle(); [String(h.token), Object.getOwnPropertyNames(h).length]"),
      ).toEqual(["undefined", 0]);
      for (const rid of ["0", "-1", "2**31", "1.5", "NaN", "'3'"]) {
        expect(rt.executeScript("t.js", `try { core.close(${rid}); 'closed' } catch (e) { e.name }`), rid).toMatch(
          /BadResource|TypeError/,
        );
      }
    });
  });

  test("SEC-CORE-003 an infinite loop that catches everything is still interrupted", async () => {
    await withRuntime({ extensions: [ops], limits: { cpuMs: 80 } }, async (rt) => {
      expect(() =>
        rt.executeScript("loop.js", "for (;;) { try { for (;;) {} } catch {} finally { continue } }"),
      ).toThrow(Interrupted);
      rt.executeScript("loop.js", "(async () => { for (;;) { try { await t.op_later(1) } catch {} } })(); 0");
      await expect(rt.runEventLoop()).rejects.toThrow(Interrupted);
      expect(rt.executeScript("t.js", "'usable'")).toBe("usable");
    });
  });

  test("SEC-CORE-004 floods of timers and pending ops hit their caps instead of exhausting the host", async () => {
    await withRuntime({ extensions: [ops], limits: { maxTimers: 100, maxPendingOps: 100 } }, async (rt) => {
      expect(rt.executeScript("t.js", "try { for (;;) setTimeout(() => {}, 1e9) } catch (e) { e.name }")).toBe(
        "RangeError",
      );
      expect(rt.executeScript("t.js", "try { for (;;) t.op_later(1) } catch (e) { e.name }")).toBe("RangeError");
    });
  });

  test("SEC-CORE-005 a thrown value with hostile getters cannot hang or crash error reporting", async () => {
    await withRuntime({ limits: { cpuMs: 100 } }, (rt) => {
      expect(() =>
        rt.executeScript("t.js", "throw { get name() { for (;;) {} }, get message() { for (;;) {} } }"),
      ).toThrow(Interrupted);
      expect(() => rt.executeScript("t.js", "throw { get message() { throw new Error('nested') } }")).toThrow();
      expect(() => rt.executeScript("t.js", "throw new Proxy({}, { get() { throw 1 } })")).toThrow();
      expect(rt.executeScript("t.js", "'still fine'")).toBe("still fine");
    });
  });

  test("SEC-CORE-006 proxies and huge values given to ops end as guest errors or copies, never host faults", async () => {
    await withRuntime({ extensions: [ops], limits: { cpuMs: 2000 } }, (rt) => {
      expect(
        rt.executeScript(
          "t.js",
          "t.op_echo(new Proxy({ a: 1 }, { get: (o, k) => k === 'a' ? 2 : undefined, ownKeys: () => ['a'], getOwnPropertyDescriptor: () => ({ value: 2, enumerable: true, configurable: true }) }))",
        ),
      ).toEqual({ a: 2 });
      expect(
        rt.executeScript(
          "t.js",
          "try { t.op_echo(new Proxy({}, { ownKeys() { throw new Error('trap') } })) } catch (e) { e.message }",
        ),
      ).toBe("trap");
      expect(rt.executeScript("t.js", "t.op_echo('x'.repeat(1 << 22)).length")).toBe(1 << 22);
      expect(rt.executeScript("t.js", "t.op_echo(new Uint8Array(1 << 22)).length")).toBe(1 << 22);
    });
  });
});

describe("hostile guests: copies to the host are bounded", () => {
  test("SEC-CORE-008 one big string referenced many times is read once; distinct bulk hits the copy budget", async () => {
    await withRuntime({ extensions: [ops], limits: { memoryBytes: 128 << 20 } }, (rt) => {
      const before = process.memoryUsage().rss;
      const kind = rt.executeScript("t.js", `const s = "a".repeat(1e7); t.op_is_secret(Array(1000).fill(s))`);
      expect(kind).toBe(false);
      // 1000 references to a 10 MB string must not become 10 GB on the host.
      expect((process.memoryUsage().rss - before) / 2 ** 20).toBeLessThan(400);
      expect(
        rt.executeScript(
          "t.js",
          "try { t.op_is_secret(Array(100).fill(new Uint8Array(1 << 20))); 'copied' } catch (e) { e.name + ': ' + e.message }",
        ),
      ).toMatch(/^TypeError: op_is_secret: argument 1\[\d+\]: value is too large to copy/);
    });
  });
});
