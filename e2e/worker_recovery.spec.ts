// A sandbox recovers: after every kind of failed call the next run/eval on the same sandbox
// works without `fresh: true`; limits are named; guest code cannot pose as a limit.
import { expect, type HarnessWindow, test } from "./fixtures.ts";

test("a program idling on setInterval past wallMs is reported as reaching the wall-clock limit", async ({
  harness,
}) => {
  const out = await harness.evaluate(async () => {
    const w = window as unknown as HarnessWindow;
    const sb = await w.islet.createSandbox({ limits: { wallMs: 700 } });
    const r = await sb.eval("setInterval(() => {}, 50); 'idle'");
    const state = sb.status().state;
    const next = await sb.eval("'after'");
    sb.terminate();
    return { r, state, next };
  });
  expect(out.r.ok).toBe(false);
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
    const fakeCopy = await sb.eval("throw new TypeError('evaluateScript: completion value: a function cannot cross')");
    const fakeResolved = await sb.eval(
      "Promise.reject(new TypeError('evaluateScript: resolved value: a function cannot cross'))",
    );
    sb.terminate();
    return { fakeInterrupt, fakeState, fakeInterruptError, fakeState2, fakeCopy, fakeResolved };
  });
  expect(out.fakeInterrupt).toMatchObject({ ok: false, reason: "exception" });
  expect(out.fakeState).toBe("idle");
  expect(out.fakeInterruptError).toMatchObject({ ok: false, reason: "exception", error: { name: "Interrupted" } });
  expect(out.fakeState2).toBe("idle");
  expect(out.fakeCopy).toMatchObject({ ok: false, reason: "exception", error: { name: "TypeError" } });
  expect(out.fakeResolved).toMatchObject({ ok: false, reason: "exception", error: { name: "TypeError" } });
});
