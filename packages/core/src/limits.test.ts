import { describe, expect, test } from "vitest";
import { Interrupted } from "./errors.ts";
import { op } from "./ops.ts";
import { JsRuntime } from "./runtime.ts";
import { exposeOps, withRuntime } from "./test/helpers.ts";

const ops = exposeOps(
  {
    op_echo: op.sync((_s, v: unknown) => v),
    op_pending: op.async(() => new Promise(() => {})),
  },
  `globalThis.setTimeout = (cb, ms) => core.startTimer(cb, ms);`,
);

describe("limits", () => {
  test("a CPU overrun ends with Interrupted, which guest try/catch cannot swallow", async () => {
    await withRuntime({ limits: { cpuMs: 100 } }, (rt) => {
      expect(() => rt.executeScript("spin.js", "for (;;) {}")).toThrow(Interrupted);
      expect(() =>
        rt.executeScript("swallow.js", "for (;;) { try { for (;;) {} } catch (e) { globalThis.caught = e } }"),
      ).toThrow(Interrupted);
      expect(rt.executeScript("t.js", "typeof caught")).toBe("undefined");
      // The runtime keeps working, with a fresh budget for the next call.
      expect(rt.executeScript("t.js", "1 + 1")).toBe(2);
    });
  });

  test("an interrupt that lands while an op converts its arguments still ends the run", async () => {
    await withRuntime({ extensions: [ops], limits: { cpuMs: 100 } }, (rt) => {
      // The getter spins inside the op's argument conversion; the catch must not keep the loop alive.
      const src = `const o = {}; Object.defineProperty(o, "x", { enumerable: true, get() { for (;;) {} } });
        for (;;) { try { t.op_echo([o]) } catch {} }`;
      expect(() => rt.executeScript("op-spin.js", src)).toThrow(Interrupted);
      expect(() => rt.executeScript("op-loop.js", `for (;;) { try { t.op_echo({ a: [1, 2, 3] }) } catch {} }`)).toThrow(
        Interrupted,
      );
      expect(rt.executeScript("t.js", "t.op_echo(5)")).toBe(5);
    });
  });

  test("CPU time in the event loop counts too: a spinning timer is interrupted", async () => {
    await withRuntime({ extensions: [ops], limits: { cpuMs: 100 } }, async (rt) => {
      rt.executeScript("t.js", "setTimeout(() => { for (;;) {} }, 0); 0");
      await expect(rt.runEventLoop()).rejects.toThrow(Interrupted);
      rt.executeScript("t.js", "Promise.resolve().then(() => { for (;;) {} }); 0");
      await expect(rt.runEventLoop()).rejects.toThrow(Interrupted);
      expect(rt.executeScript("t.js", "'alive'")).toBe("alive");
    });
  });

  test("interrupt() stops running guest code from the host", async () => {
    await withRuntime({ extensions: [ops] }, async (rt) => {
      rt.executeScript("t.js", "globalThis.n = 0; function tick() { n++; setTimeout(tick, 1) } tick(); 0");
      const loop = rt.runEventLoop();
      setTimeout(() => rt.interrupt(), 30);
      await expect(loop).rejects.toThrow(/host stopped it/);
    });
  });

  test("caps on pending async ops and timers give a RangeError naming the cap", async () => {
    await withRuntime({ extensions: [ops], limits: { maxPendingOps: 5, maxTimers: 3 } }, (rt) => {
      expect(
        rt.executeScript(
          "t.js",
          "try { for (let i = 0; i < 6; i++) t.op_pending(); 'no error' } catch (e) { e.name + ': ' + e.message }",
        ),
      ).toMatch(/^RangeError: op_pending: too many pending async ops \(the sandbox allows 5\)/);
      expect(
        rt.executeScript(
          "t.js",
          "try { for (let i = 0; i < 4; i++) core.startTimer(() => {}, 1e9, false); 'no error' } catch (e) { e.name + ': ' + e.message }",
        ),
      ).toMatch(/^RangeError: Too many timers: the sandbox allows 3/);
    });
  });

  test("bad limits are rejected with the limit named", async () => {
    await expect(JsRuntime.create({ limits: { memoryBytes: -1 } })).rejects.toThrow(/limits.memoryBytes/);
    await expect(JsRuntime.create({ limits: { cpuMs: Number.NaN } })).rejects.toThrow(/limits.cpuMs/);
    await expect(JsRuntime.create({ limits: { nope: 1 } as never })).rejects.toThrow(/limits.nope: unknown limit/);
    await expect(JsRuntime.create({ limits: { stackBytes: 1 } })).rejects.toThrow(/limits.stackBytes/);
  });
});

describe("setWallDeadline: one deadline across several calls", () => {
  test("a host call made of two runtime calls ends at the deadline, not wallMs into the second", async () => {
    // Each runtime call gets limits.wallMs on its own; the host's call (a spin, then a wait)
    // would last ~1.5 x wallMs without the shared deadline.
    const never = exposeOps({ op_never: op.async(() => new Promise(() => {})) });
    await withRuntime({ extensions: [never], limits: { wallMs: 1000 } }, async (rt) => {
      const start = performance.now();
      rt.setWallDeadline(start + 1000);
      const value = rt.evaluateScript("t.js", "const s = Date.now(); while (Date.now() - s < 600) {} t.op_never()");
      value.catch(() => {});
      const error = await rt.runEventLoop().catch((e: unknown) => e);
      const took = performance.now() - start;
      expect(error).toBeInstanceOf(Interrupted);
      expect((error as Error).message).toMatch(/wall-clock limit of 1000 ms \(limits\.wallMs\)/);
      expect(took).toBeGreaterThanOrEqual(990);
      expect(took).toBeLessThan(1400);
      // Cleared, the next call has its own wallMs again.
      rt.setWallDeadline(undefined);
      expect(rt.executeScript("n.js", "1 + 1")).toBe(2);
    });
  });

  test("a call that starts past the deadline ends at once; a spinning one at the deadline", async () => {
    await withRuntime({}, async (rt) => {
      rt.setWallDeadline(performance.now() - 1);
      expect(() => rt.executeScript("a.js", "for (;;) {}")).toThrow(/wall-clock deadline \(setWallDeadline\)/);
      rt.setWallDeadline(performance.now() + 150);
      const start = performance.now();
      expect(() => rt.executeScript("b.js", "for (;;) {}")).toThrow(Interrupted);
      expect(performance.now() - start).toBeLessThan(1000);
      rt.setWallDeadline(undefined);
      expect(rt.executeScript("c.js", "'alive'")).toBe("alive");
    });
  });

  test("refuses a deadline that is not a time", async () => {
    await withRuntime({}, (rt) => {
      expect(() => rt.setWallDeadline(Number.NaN)).toThrow(TypeError);
      expect(() => rt.setWallDeadline("soon" as unknown as number)).toThrow(/setWallDeadline/);
    });
  });
});
