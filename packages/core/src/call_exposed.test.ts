/**
 * `core.exposeToHost` / `runtime.callExposed` (js/01_core.ts, runtime.ts): an
 * extension's host half calling a guest function its guest half named. Args
 * are copied in and the result out, a guest throw is a GuestError, a limit
 * ends it with Interrupted and the runtime goes on, it is refused while the
 * event loop runs, and user code can neither add a name nor replace one.
 * Plus `op_class_id`: a Proxy's class id, read without running a trap.
 */
import { describe, expect, test } from "vitest";
import { GuestError, Interrupted } from "./errors.ts";
import { defineExtension } from "./extension.ts";
import { withRuntime } from "./test/helpers.ts";

const exposing = defineExtension({
  name: "exposing",
  esm: {
    "ext:exposing/mod.js": `import { core } from "ext:core/mod.js";
import { op_class_id } from "ext:core/ops";
core.exposeToHost("t.echo", (...args) => ({ args, count: args.length }));
core.exposeToHost("t.throw", (message) => { throw new RangeError(message); });
core.exposeToHost("t.spin", () => { for (;;) {} });
core.exposeToHost("t.read", () => globalThis.shared);
let twice;
try { core.exposeToHost("t.echo", () => 0); } catch (e) { twice = e.message; }
core.exposeToHost("t.twice", () => twice);
globalThis.classId = op_class_id;
globalThis.later = (ms) => core.startTimer(() => {}, ms);`,
  },
  esmEntryPoints: ["ext:exposing/mod.js"],
});
const options = { extensions: [exposing], limits: { cpuMs: 100 } };

describe("runtime.callExposed", () => {
  test("copies arguments in and the result out", async () => {
    await withRuntime(options, async (rt) => {
      expect(rt.callExposed("t.echo", 1, "two", [3], { four: 4 })).toEqual({
        args: [1, "two", [3], { four: 4 }],
        count: 4,
      });
      rt.executeScript("s.js", "globalThis.shared = { from: 'guest' }; 0");
      expect(rt.callExposed("t.read")).toEqual({ from: "guest" });
      expect(rt.callExposed("t.twice")).toBe("exposeToHost: t.echo is already exposed");
    });
  });

  test("a throw is a GuestError; an unknown name is the guest's TypeError; bad names a host TypeError", async () => {
    await withRuntime(options, async (rt) => {
      expect(() => rt.callExposed("t.throw", "boom")).toThrow(GuestError);
      expect(() => rt.callExposed("t.throw", "boom")).toThrow(/boom/);
      expect(() => rt.callExposed("nobody")).toThrow(/no extension exposed nobody/);
      expect(() => rt.callExposed(42 as unknown as string)).toThrow(TypeError);
    });
  });

  test("a limit ends it with Interrupted, and the runtime goes on", async () => {
    await withRuntime(options, async (rt) => {
      expect(() => rt.callExposed("t.spin")).toThrow(Interrupted);
      expect(rt.executeScript("after.js", "1 + 1")).toBe(2);
    });
  });

  test("refused while the event loop runs; fine again after", async () => {
    await withRuntime(options, async (rt) => {
      rt.executeScript("t.js", "later(20); 0");
      const loop = rt.runEventLoop();
      expect(() => rt.callExposed("t.echo")).toThrow(/the event loop is running/);
      await loop;
      expect(rt.callExposed("t.echo", 1)).toEqual({ args: [1], count: 1 });
    });
  });

  test("user code cannot reach exposeToHost, nor replace what was exposed", async () => {
    await withRuntime(options, async (rt) => {
      const seen = rt.executeScript(
        "u.js",
        `[typeof globalThis.exposeToHost, typeof globalThis.__islet_bootstrap, Object.getOwnPropertyNames(globalThis).filter((k) => /expose|islet/i.test(k)).join()]`,
      );
      expect(seen).toEqual(["undefined", "undefined", ""]);
      // Replacing the built-ins the guest core uses changes nothing.
      rt.executeScript("r.js", "Map.prototype.get = () => () => 'forged'; Reflect.apply = () => 'forged'; 0");
      expect(rt.callExposed("t.echo", "x")).toEqual({ args: ["x"], count: 1 });
    });
  });
});

describe("op_class_id", () => {
  test("a Proxy has one class id, whatever its target, and reading it runs no trap", async () => {
    await withRuntime(options, async (rt) => {
      const out = rt.executeScript(
        "c.js",
        `{ let traps = 0;
           const h = new Proxy({}, { get() { traps++; return () => { traps++; } } });
           const ids = [classId(new Proxy({}, h)), classId(new Proxy([], h)), classId(new Proxy(function () {}, h)),
                        classId({}), classId([]), classId(1), classId("s"), classId(null)];
           [ids, traps] }`,
      ) as [number[], number];
      const [[p1, p2, p3, obj, arr, n, s, nul], traps] = out;
      expect(traps).toBe(0);
      expect(p2).toBe(p1);
      expect(p3).toBe(p1);
      expect([obj, arr]).not.toContain(p1);
      expect(obj).not.toBe(arr);
      expect([n, s, nul]).toEqual([-1, -1, -1]);
    });
  });
});
