/**
 * Hostile programs against the per-call limits and the loop's bookkeeping
 * (issue 9 B/C, issue 10 D core). Each test names what it attacks.
 */
import { describe, expect, test } from "vitest";
import { GuestError, Interrupted, MemoryLimitExceeded, RuntimeFault } from "../errors.ts";
import { op } from "../ops.ts";
import { exposeOps, withRuntime } from "../test/helpers.ts";

const ops = exposeOps(
  {
    op_never: op.async(() => new Promise(() => {})),
    op_sleep: op.async((_s, ms: number) => new Promise((r) => setTimeout(r, ms))),
    op_log: op.sync((_s, v: unknown) => {
      hostLog.push(v);
    }),
    // Returns what cannot cross for 3 (a host symbol), the number otherwise.
    op_value: op.async(async (_s, v: unknown) => (v === 3 ? Symbol("host") : v)),
  },
  `globalThis.setTimeout = (cb, ms) => core.startTimer(cb, ms);
   globalThis.setInterval = (cb, ms) => { const tick = () => { id.v = core.startTimer(tick, ms); cb(); }; const id = { v: core.startTimer(tick, ms) }; return id; };`,
);
const hostLog: unknown[] = [];

describe("limits hold against hostile guests", () => {
  // LIM-01 attacks: an interrupt landing in an async function becomes a rejection the guest catches.
  test("LIM-01 an interrupt stays uncatchable across promise jobs", async () => {
    await withRuntime({ extensions: [ops], limits: { cpuMs: 200 } }, async (rt) => {
      rt.executeScript(
        "spin.js",
        `(async () => { const loop = async () => { await Promise.resolve(); while (true) {} };
           while (true) { await loop().catch(() => {}); } })(); 0`,
      );
      const error = await rt.runEventLoop().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(Interrupted);
      expect((error as Error).message).toMatch(/CPU limit of 200 ms \(limits.cpuMs\)/);
      // The chain keeps queueing work after the stop: the runtime is either clean or says it was discarded.
      if ((error as Error).message.includes("discarded")) {
        expect(() => rt.executeScript("t.js", "1")).toThrow(RuntimeFault);
      } else {
        expect(rt.executeScript("t.js", "1 + 1")).toBe(2);
      }
    });
  });

  // LIM-02 attacks: guest code calling the host after its call was stopped.
  test("LIM-02 after a limit trips, guest code cannot reach the host", async () => {
    hostLog.length = 0;
    await withRuntime({ extensions: [ops], limits: { cpuMs: 100 } }, async (rt) => {
      expect(() =>
        rt.executeScript(
          "t.js",
          `Promise.resolve().then(() => t.op_log("microtask after stop"));
           try { for (;;) {} } finally { t.op_log("finally after stop") }`,
        ),
      ).toThrow(Interrupted);
      await rt.runEventLoop();
      expect(hostLog).toEqual([]);
      expect(rt.executeScript("t.js", "t.op_log('next call'), 3")).toBe(3);
      expect(hostLog).toEqual(["next call"]);
    });
  });

  // LIM-03 attacks: a loop that never ends without using CPU.
  test.each([
    ["a zero-delay timer chain", "const f = () => setTimeout(f, 0); f();", 1],
    // Started 100 per call, so that starting them fits in each call's own limit on the debug build.
    ["10 000 never-settling async ops", "for (let i = 0; i < 100; i++) t.op_never();", 100],
    ["sequential sleeps", "(async () => { for (let i = 0; i < 100; i++) await t.op_sleep(50); })();", 1],
  ])("LIM-03 limits.wallMs ends %s, naming the limit", async (_what, src, calls) => {
    await withRuntime({ extensions: [ops], limits: { cpuMs: 1000, wallMs: 1500 } }, async (rt) => {
      for (let i = 0; i < calls; i++) rt.executeScript("t.js", `${src} 0`);
      const started = performance.now();
      await expect(rt.runEventLoop()).rejects.toThrow(/wall-clock limit of 1500 ms \(limits.wallMs\)/);
      expect(performance.now() - started).toBeLessThan(6000);
      // The next call starts clean: nothing of the failed call is pending.
      await rt.runEventLoop();
      expect(rt.executeScript("t.js", "'ok'")).toBe("ok");
    });
  });

  test("LIM-03b limits.wallMs bounds executeScript too", async () => {
    await withRuntime({ limits: { wallMs: 150 } }, (rt) => {
      expect(() => rt.executeScript("spin.js", "for (;;) {}")).toThrow(/limits.wallMs/);
    });
  });

  // LIM-04 attacks: a loop asleep on a far timer ignores the host's stop.
  test("LIM-04 interrupt() wakes a waiting loop; the pending timer never runs", async () => {
    hostLog.length = 0;
    await withRuntime({ extensions: [ops] }, async (rt) => {
      rt.executeScript("t.js", "setTimeout(() => t.op_log('fired'), 1000); 0");
      const started = performance.now();
      setTimeout(() => rt.interrupt(), 50);
      await expect(rt.runEventLoop()).rejects.toThrow(/host stopped it/);
      expect(performance.now() - started).toBeLessThan(800);
      await rt.runEventLoop();
      expect(hostLog).toEqual([]);
    });
  });

  // LIM-05 attacks: a delay past the host timer's range (it would overflow and fire at once).
  test("LIM-05 a delay of 2^40 ms does not spin the waiting loop", async () => {
    await withRuntime({ extensions: [ops] }, async (rt) => {
      rt.executeScript("t.js", "globalThis.n = 0; setTimeout(() => { n++ }, 2 ** 40); 0");
      const loop = rt.runEventLoop();
      const turns = await new Promise<number>((resolve) =>
        setTimeout(() => {
          rt.interrupt();
          resolve(0);
        }, 200),
      );
      await expect(loop).rejects.toThrow(Interrupted);
      expect(turns).toBe(0);
      expect(rt.executeScript("t.js", "n")).toBe(0);
    });
  });

  // LIM-06 attacks: state of a failed call leaking into the next one.
  test("LIM-06 an interval left by an interrupted call does not keep the next loop alive", async () => {
    await withRuntime({ extensions: [ops], limits: { cpuMs: 100 } }, async (rt) => {
      expect(() => rt.executeScript("t.js", "setInterval(() => {}, 5); for (;;) {}")).toThrow(Interrupted);
      await rt.runEventLoop();
      expect(rt.executeScript("t.js", "'clean'")).toBe("clean");
    });
  });

  test("LIM-06b an interrupted module does not fail the next loop with the old error", async () => {
    await withRuntime({ extensions: [ops], limits: { cpuMs: 100 } }, async (rt) => {
      const id = await rt.loadMainModule("main.js", "await Promise.resolve(); for (;;) {}");
      const evaluated = rt.evaluateModule(id);
      await expect(rt.runEventLoop()).rejects.toThrow(Interrupted);
      await expect(evaluated).rejects.toThrow(Interrupted);
      rt.executeScript("t.js", "setTimeout(() => {}, 1); 0");
      await rt.runEventLoop();
    });
  });

  // LIM-07 attacks: one throwing callback taking the rest of its batch down with it.
  test("LIM-07 a throwing timer is reported and the rest of its batch still fires", async () => {
    hostLog.length = 0;
    await withRuntime({ extensions: [ops] }, async (rt) => {
      rt.executeScript(
        "t.js",
        `setTimeout(() => t.op_log("a"), 0); setTimeout(() => { throw new Error("boom") }, 0);
         setTimeout(() => t.op_log("c"), 0); 0`,
      );
      await new Promise((r) => setTimeout(r, 10));
      await expect(rt.runEventLoop()).rejects.toThrow(/boom/);
      expect(hostLog).toEqual(["a", "c"]);
    });
  });

  test("LIM-07b op results that cannot be converted reject that op alone", async () => {
    await withRuntime({ extensions: [ops] }, async (rt) => {
      rt.executeScript(
        "t.js",
        `globalThis.out = [];
         for (let i = 0; i < 40; i++) t.op_value(i).then((v) => out.push(v), (e) => out.push(e.name));
         0`,
      );
      await rt.runEventLoop();
      const out = rt.executeScript("t.js", "out") as unknown[];
      expect(out).toHaveLength(40);
      expect(out).toContain("TypeError");
      expect(out.filter((v) => typeof v === "number")).toHaveLength(39);
    });
  });
});

describe("guest errors cannot forge host errors", () => {
  // ERR-01 attacks: the host reading the interrupt from the thrown value's text.
  test.each([
    `throw { name: "InternalError", message: "interrupted" }`,
    `throw { name: "Interrupted", message: "x" }`,
    `throw { name: "MemoryLimitExceeded", message: "x" }`,
    `const e = new Error("interrupted"); e.name = "InternalError"; throw e`,
  ])("ERR-01 %s stays a GuestError", async (src) => {
    await withRuntime({ limits: { cpuMs: 1000 } }, (rt) => {
      let error: unknown;
      try {
        rt.executeScript("t.js", src);
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(GuestError);
      expect(error).not.toBeInstanceOf(Interrupted);
      expect(error).not.toBeInstanceOf(MemoryLimitExceeded);
    });
  });

  test("ERR-02 throw 42 keeps the thrown value in GuestError.thrown", async () => {
    await withRuntime({}, (rt) => {
      for (const [src, value] of [
        ["throw 42", 42],
        ["throw 'text'", "text"],
        ["throw { code: 7 }", { code: 7 }],
        ["throw null", null],
      ] as const) {
        try {
          rt.executeScript("t.js", src);
          expect.unreachable();
        } catch (e) {
          expect(e).toBeInstanceOf(GuestError);
          expect((e as GuestError).thrown).toEqual(value);
        }
      }
    });
  });
});
