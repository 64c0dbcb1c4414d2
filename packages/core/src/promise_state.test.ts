/**
 * `op_promise_state` / `op_promise_result` (core_extension.ts): a promise's
 * state and result read by the host, for inspection. Reading must change
 * nothing (no handler attached, no rejection marked handled, no guest code
 * run), tell real promises from look-alikes, and leak no handle (the debug
 * build fails dispose() on a leak).
 */
import { describe, expect, test } from "vitest";
import { defineExtension } from "./extension.ts";
import { withRuntime } from "./test/helpers.ts";

const peek = defineExtension({
  name: "peek",
  esm: {
    "ext:peek/mod.js": `import { op_promise_state, op_promise_result } from "ext:core/ops";
globalThis.peek = (...args) => [op_promise_state(...args), op_promise_result(...args)];`,
  },
  esmEntryPoints: ["ext:peek/mod.js"],
});
const options = { extensions: [peek] };

describe("op_promise_state / op_promise_result", () => {
  test("pending, fulfilled and rejected, with the very value or reason", async () => {
    await withRuntime(options, async (rt) => {
      expect(rt.executeScript("t.js", "peek(new Promise(() => {}))")).toEqual([0, undefined]);
      expect(rt.executeScript("t.js", "peek(Promise.resolve(42))")).toEqual([1, 42]);
      expect(
        rt.executeScript(
          "t.js",
          "{ const o = { a: 1 }; const p = Promise.resolve(o); const [s, r] = peek(p); [s, r === o] }",
        ),
      ).toEqual([1, true]);
      expect(
        rt.executeScript(
          "t.js",
          "{ const e = new Error('x'); const p = Promise.reject(e); p.catch(() => {}); const [s, r] = peek(p); [s, r === e] }",
        ),
      ).toEqual([2, true]);
      // A promise resolved with another promise follows it: pending until a job runs.
      rt.executeScript("t.js", "globalThis.q = new Promise((r) => r(Promise.resolve(3))); 0");
      expect(rt.executeScript("t.js", "peek(q)")).toEqual([0, undefined]);
      await rt.runEventLoop();
      expect(rt.executeScript("t.js", "peek(q)")).toEqual([1, 3]);
    });
  });

  test("a subclass instance is a promise; a Proxy, a thenable, a forged toStringTag and primitives are not", async () => {
    await withRuntime(options, (rt) => {
      expect(rt.executeScript("t.js", "class P extends Promise {}; peek(P.resolve(1))")).toEqual([1, 1]);
      expect(
        rt.executeScript(
          "t.js",
          `const traps = [];
           const handler = new Proxy({}, { get(_, name) { traps.push(name); return undefined; } });
           const out = peek(new Proxy(Promise.resolve(1), handler));
           [out, traps]`,
        ),
      ).toEqual([[-1, undefined], []]);
      expect(rt.executeScript("t.js", "peek({ then(r) { r(1) } })")).toEqual([-1, undefined]);
      expect(
        rt.executeScript("t.js", "peek({ [Symbol.toStringTag]: 'Promise', __proto__: Promise.prototype })"),
      ).toEqual([-1, undefined]);
      expect(rt.executeScript("t.js", "[peek(1), peek('p'), peek(null), peek(undefined), peek()]")).toEqual([
        [-1, undefined],
        [-1, undefined],
        [-1, undefined],
        [-1, undefined],
        [-1, undefined],
      ]);
      // No getter or then runs: a promise whose then/constructor throw is read all the same.
      expect(
        rt.executeScript(
          "t.js",
          `const p = Promise.resolve(5);
           Object.defineProperty(p, "then", { get() { throw new Error("then read") } });
           Object.defineProperty(p, "constructor", { get() { throw new Error("constructor read") } });
           peek(p)`,
        ),
      ).toEqual([1, 5]);
    });
  });

  test("reading a rejected promise leaves it unhandled: the loop still fails, and a later catch still counts", async () => {
    await withRuntime(options, async (rt) => {
      rt.executeScript("t.js", "globalThis.r = Promise.reject(new TypeError('lost')); peek(r); peek(r); 0");
      await expect(rt.runEventLoop()).rejects.toThrow(/Uncaught \(in promise\) lost/);
      rt.executeScript(
        "t.js",
        `globalThis.h = Promise.reject(new Error('late')); peek(h);
         (async () => { await 0; h.catch((e) => { globalThis.caught = e.message }) })(); 0`,
      );
      await rt.runEventLoop();
      expect(rt.executeScript("t.js", "caught")).toBe("late");
    });
  });

  test("the ops are not on globalThis, and only core makes raw ops", async () => {
    await withRuntime(options, (rt) => {
      expect(
        rt.executeScript(
          "t.js",
          "[typeof op_promise_state, Object.getOwnPropertyNames(globalThis).filter((k) => /^op_|core|ops/i.test(k))]",
        ),
      ).toEqual(["undefined", []]);
    });
    expect(() =>
      defineExtension({
        name: "fake",
        // biome-ignore lint/suspicious/noExplicitAny: a look-alike of core's raw op
        ops: { op_fake: { kind: "raw", arity: 1, fn: () => 0 } as any },
      }),
    ).toThrow(/op "op_fake" must be made with op.sync\(\) or op.async\(\)/);
  });
});
