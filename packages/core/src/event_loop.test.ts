import { describe, expect, test } from "vitest";
import { GuestError } from "./errors.ts";
import { op } from "./ops.ts";
import { exposeOps, withRuntime } from "./test/helpers.ts";

const sleepOps = exposeOps(
  {
    op_sleep: op.async(async (_s, ms: number, value: unknown) => {
      await new Promise((r) => setTimeout(r, ms));
      return value;
    }),
    op_fail: op.async(async () => {
      throw new RangeError("host said no");
    }),
  },
  `globalThis.log = []; globalThis.setTimeout = (cb, ms) => core.startTimer(cb, ms);`,
);

describe("event loop", () => {
  test("async ops settle through the loop, in completion order, with microtasks in between", async () => {
    await withRuntime({ extensions: [sleepOps] }, async (rt) => {
      rt.executeScript(
        "t.js",
        `t.op_sleep(500, "slow").then((v) => log.push(v));
         t.op_sleep(1, "fast").then((v) => { log.push(v); Promise.resolve().then(() => log.push("micro")); });
         log.push("sync"); 0`,
      );
      await rt.runEventLoop();
      expect(rt.executeScript("t.js", "log")).toEqual(["sync", "fast", "micro", "slow"]);
    });
  });

  test("an async op that throws rejects with the host error's class", async () => {
    await withRuntime({ extensions: [sleepOps] }, async (rt) => {
      rt.executeScript("t.js", `t.op_fail().catch((e) => log.push(e instanceof RangeError, e.message)); 0`);
      await rt.runEventLoop();
      expect(rt.executeScript("t.js", "log")).toEqual([true, "host said no"]);
    });
  });

  test("timers fire by deadline then creation order, each followed by a microtask checkpoint", async () => {
    await withRuntime({ extensions: [sleepOps] }, async (rt) => {
      rt.executeScript(
        "t.js",
        `setTimeout(() => log.push("b20"), 2000);
         setTimeout(() => { log.push("a0"); Promise.resolve().then(() => log.push("a0-micro")); }, 0);
         setTimeout(() => log.push("c0"), 0);
         setTimeout(() => setTimeout(() => log.push("nested"), 5), 1); 0`,
      );
      await rt.runEventLoop();
      expect(rt.executeScript("t.js", "log")).toEqual(["a0", "a0-micro", "c0", "nested", "b20"]);
    });
  });

  test("cancelled and unref'd timers do not keep the loop alive", async () => {
    await withRuntime({ extensions: [sleepOps] }, async (rt) => {
      rt.executeScript(
        "t.js",
        `const id = setTimeout(() => log.push("cancelled"), 10); core.cancelTimer(id);
         core.startTimer(() => log.push("unref"), 10_000, false); 0`,
      );
      const started = performance.now();
      await rt.runEventLoop();
      expect(performance.now() - started).toBeLessThan(5_000);
      expect(rt.executeScript("t.js", "log")).toEqual([]);
    });
  });

  test("an uncaught exception in a timer rejects the loop, unless an extension handles it", async () => {
    await withRuntime({ extensions: [sleepOps] }, async (rt) => {
      rt.executeScript("t.js", `setTimeout(() => { throw new TypeError("in timer") }, 0); 0`);
      await expect(rt.runEventLoop()).rejects.toThrow(
        expect.objectContaining({ name: "TypeError", message: "in timer" }),
      );
      rt.executeScript(
        "t.js",
        `core.setUncaughtExceptionHandler((e) => { log.push("handled " + e.message); return true; });
         setTimeout(() => { throw new Error("again") }, 0); setTimeout(() => log.push("next timer ran"), 1); 0`,
      );
      await rt.runEventLoop();
      expect(rt.executeScript("t.js", "log")).toEqual(["handled again", "next timer ran"]);
    });
  });

  test("the loop resolves at once when nothing is pending", async () => {
    await withRuntime({}, async (rt) => {
      await rt.runEventLoop();
      rt.executeScript("t.js", "Promise.resolve().then(() => { globalThis.done = true }); 0");
      await rt.runEventLoop();
      expect(rt.executeScript("t.js", "done")).toBe(true);
    });
  });

  test("guest errors from the loop are GuestErrors with the guest stack", async () => {
    await withRuntime({ extensions: [sleepOps] }, async (rt) => {
      rt.executeScript("timer.js", `setTimeout(function boom() { null.x }, 0); 0`);
      const error = await rt.runEventLoop().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(GuestError);
      expect((error as GuestError).guestStack).toMatch(/boom/);
    });
  });

  test("runEventLoop cannot run twice at once", async () => {
    await withRuntime({ extensions: [sleepOps] }, async (rt) => {
      rt.executeScript("t.js", "t.op_sleep(10, 1); 0");
      const first = rt.runEventLoop();
      await expect(rt.runEventLoop()).rejects.toThrow(/already running/);
      await first;
    });
  });
});

describe("unhandled rejections (Deno's rule, through QuickJS's rejection tracker)", () => {
  test("a rejection nobody handles fails the loop, with the reason's class and message", async () => {
    await withRuntime({}, async (rt) => {
      expect(rt.tracksUnhandledRejections).toBe(true);
      rt.executeScript("main.js", "(async function main() { throw new TypeError('lost') })(); 0");
      await expect(rt.runEventLoop()).rejects.toThrow(
        expect.objectContaining({ name: "TypeError", message: "Uncaught (in promise) lost" }),
      );
      rt.executeScript("reject.js", "Promise.reject(42); 0");
      await expect(rt.runEventLoop()).rejects.toThrow(/Uncaught \(in promise\) 42/);
    });
  });

  test("a handler attached later in the same turn counts: p = Promise.reject(x); await 0; p.catch(f)", async () => {
    await withRuntime({}, async (rt) => {
      rt.executeScript(
        "late.js",
        `globalThis.p = Promise.reject(new Error("x"));
         (async () => { await 0; await 0; p.catch((e) => { globalThis.caught = e.message }) })(); 0`,
      );
      await rt.runEventLoop();
      expect(rt.executeScript("t.js", "caught")).toBe("x");
    });
  });

  test("an async op rejection nobody handles is reported; a handled one is not", async () => {
    await withRuntime({ extensions: [sleepOps] }, async (rt) => {
      rt.executeScript("t.js", "t.op_fail().catch(() => log.push('handled')); 0");
      await rt.runEventLoop();
      expect(rt.executeScript("t.js", "log")).toEqual(["handled"]);
      rt.executeScript("t.js", "t.op_fail(); 0");
      await expect(rt.runEventLoop()).rejects.toThrow(expect.objectContaining({ name: "RangeError" }));
    });
  });

  test("an extension's unhandled-rejection handler can handle it (web's unhandledrejection event)", async () => {
    await withRuntime({ extensions: [sleepOps] }, async (rt) => {
      rt.executeScript(
        "t.js",
        `core.setUnhandledRejectionHandler((promise, reason) => { log.push(promise instanceof Promise, reason); return true; });
         Promise.reject("quiet"); 0`,
      );
      await rt.runEventLoop();
      expect(rt.executeScript("t.js", "log")).toEqual([true, "quiet"]);
    });
  });
});

describe("evaluateScript", () => {
  test("awaits a Promise completion value and copies what it resolves to", async () => {
    await withRuntime({ extensions: [sleepOps] }, async (rt) => {
      const plain = rt.evaluateScript("a.js", "6 * 7");
      await expect(plain).resolves.toBe(42);
      const later = rt.evaluateScript("b.js", "t.op_sleep(5, { ok: [1, 2] })");
      await rt.runEventLoop();
      await expect(later).resolves.toEqual({ ok: [1, 2] });
    });
  });

  test("a rejected completion promise rejects evaluateScript, not the loop; uncopyable values reject with a TypeError", async () => {
    await withRuntime({ extensions: [sleepOps] }, async (rt) => {
      const failed = rt.evaluateScript("c.js", "t.op_fail()");
      await rt.runEventLoop();
      await expect(failed).rejects.toThrow(expect.objectContaining({ name: "RangeError", message: "host said no" }));
      await expect(rt.evaluateScript("d.js", "() => 1")).rejects.toThrow(
        /evaluateScript: completion value: a function/,
      );
      const fn = rt.evaluateScript("e.js", "Promise.resolve(Symbol('s'))");
      await rt.runEventLoop();
      await expect(fn).rejects.toThrow(/a symbol/);
      await expect(rt.evaluateScript("f.js", "throw new URIError('bad')")).rejects.toThrow(/bad/);
    });
  });
});

describe("dispose while the host awaits an evaluation", () => {
  test("the evaluation rejects, naming the disposal, instead of never settling", async () => {
    const { JsRuntime } = await import("./runtime.ts");
    const rt = await JsRuntime.create();
    const awaited = rt.evaluateScript("await.js", "new Promise(() => {})");
    rt.dispose();
    await expect(awaited).rejects.toThrow("the runtime was disposed");
  });
});
