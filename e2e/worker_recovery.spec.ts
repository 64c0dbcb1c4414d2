// A sandbox recovers: after every kind of failed call the next run/eval on the same sandbox
// works without `fresh: true`; limits are named; guest code cannot pose as a limit.
import { expect, type HarnessWindow, test } from "./fixtures.ts";

test("after Interrupted, a memory error or a guest exception, the next run works", async ({ harness }) => {
  const out = await harness.evaluate(async () => {
    const w = window as unknown as HarnessWindow;
    // cpuMs is measured on the clock: with 300 ms, a loaded machine sometimes ran the memory
    // step past it inside Array.prototype.fill, a built-in, which discards the runtime (and
    // `kept` with it) — a limit doing its job, not what this test is about.
    const sb = await w.islet.createSandbox({ limits: { cpuMs: 1000, wallMs: 5000, memoryBytes: 16 << 20 } });
    const main = (code: string) => ({ files: { "main.js": code }, entry: "main.js" });
    const steps: Record<string, unknown> = {};
    const after = async (label: string) => {
      steps[`${label}:run`] = await sb.run(main("export const v = 1 + 1;"));
      steps[`${label}:eval`] = await sb.eval("'alive'");
    };
    steps.interrupted = await sb.run(main("globalThis.kept = 1; for (;;) {}"));
    steps.interruptedState = sb.status().state;
    await after("interrupted");
    steps.interruptedAsync = await sb.run(
      main("const loop = async () => { await Promise.resolve(); for (;;) {} }; await loop();"),
    );
    await after("interruptedAsync");
    steps.memory = await sb.run(main("const a = []; for (;;) a.push(new Array(1e5).fill(1));"));
    await after("memory");
    steps.exception = await sb.run(main("throw new RangeError('guest')"));
    await after("exception");
    steps.evalInterrupted = await sb.eval("for (;;) {}");
    await after("evalInterrupted");
    steps.kept = await sb.eval("typeof kept");
    sb.terminate();
    return steps;
  });
  expect(out.interrupted).toMatchObject({ ok: false, error: { name: "Interrupted" } });
  expect(out.interruptedState).toBe("interrupted");
  expect(out.interruptedAsync).toMatchObject({ ok: false, error: { name: "Interrupted" } });
  expect((out.memory as { ok: boolean }).ok).toBe(false);
  expect(out.exception).toMatchObject({ ok: false, error: { name: "RangeError", message: "guest" } });
  expect(out.evalInterrupted).toMatchObject({ ok: false, error: { name: "Interrupted" } });
  for (const label of ["interrupted", "interruptedAsync", "memory", "exception", "evalInterrupted"]) {
    expect(out[`${label}:run`], label).toMatchObject({ ok: true, exports: { v: 2 } });
    expect(out[`${label}:eval`], label).toMatchObject({ ok: true, value: "alive" });
  }
  // The same runtime throughout: globals set before the first failure are still there.
  expect(out.kept).toMatchObject({ ok: true, value: "number" });
});

test("a program idling on setInterval past wallMs is reported as reaching the wall-clock limit", async ({
  harness,
}) => {
  const out = await harness.evaluate(async () => {
    const w = window as unknown as HarnessWindow;
    const sb = await w.islet.createSandbox({ limits: { wallMs: 700 } });
    const r = await sb.eval("setInterval(() => {}, 50); 'idle'");
    const state = sb.status().state;
    const next = await sb.eval("'after'");
    const workers = sb.status().workers;
    sb.terminate();
    return { r, state, next, workers };
  });
  // Core's own wall-clock limit ended it inside the worker: no kill, the same worker goes on.
  expect(out.r).toMatchObject({ ok: false, reason: "interrupted", error: { name: "Interrupted" } });
  expect(out.state).toBe("interrupted");
  expect(out.workers).toBe(1);
  const message = out.r.ok === false ? out.r.error.message : "";
  expect(message).toMatch(/wall-clock limit/);
  expect(message).toMatch(/700 ms/);
  expect(message).not.toMatch(/did not answer/);
  expect(out.next).toMatchObject({ ok: true, value: "after" });
});

test("guest code cannot pose as a limit or as a value that failed to copy", async ({ harness }) => {
  const out = await harness.evaluate(async () => {
    const w = window as unknown as HarnessWindow;
    const sb = await w.islet.createSandbox();
    const fakeInterrupt = await sb.eval("throw { name: 'Interrupted', message: 'Execution interrupted: fake' }");
    const fakeState = sb.status().state;
    const fakeInterruptError = await sb.eval(
      "const e = new Error('Execution interrupted: fake'); e.name = 'Interrupted'; throw e",
    );
    const fakeState2 = sb.status().state;
    const fakeInternal = await sb.eval("throw { name: 'InternalError', message: 'interrupted' }");
    const fakeCopy = await sb.eval("throw new TypeError('evaluateScript: completion value: a function cannot cross')");
    const fakeResolved = await sb.eval(
      "Promise.reject(new TypeError('evaluateScript: resolved value: a function cannot cross'))",
    );
    sb.terminate();
    return { fakeInterrupt, fakeState, fakeInterruptError, fakeState2, fakeInternal, fakeCopy, fakeResolved };
  });
  expect(out.fakeInterrupt).toMatchObject({ ok: false, reason: "exception" });
  expect(out.fakeState).toBe("idle");
  expect(out.fakeInterruptError).toMatchObject({ ok: false, reason: "exception", error: { name: "Interrupted" } });
  expect(out.fakeState2).toBe("idle");
  expect(out.fakeInternal).toMatchObject({ ok: false, reason: "exception" });
  expect(out.fakeCopy).toMatchObject({ ok: false, reason: "exception", error: { name: "TypeError" } });
  expect(out.fakeResolved).toMatchObject({ ok: false, reason: "exception", error: { name: "TypeError" } });
});
