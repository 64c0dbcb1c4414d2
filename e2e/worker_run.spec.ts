// run / eval / console streaming / state across calls / restart / fresh.
import { expect, type HarnessWindow, test } from "./fixtures.ts";

test("eval returns the completion value", async ({ harness }) => {
  const result = await harness.evaluate(async () => {
    const w = window as unknown as HarnessWindow;
    const sb = await w.islet.createSandbox();
    const r = await sb.eval("1 + 1");
    const awaited = await sb.eval("new Promise((resolve) => setTimeout(() => resolve({ later: true }), 10))");
    const fn = await sb.eval("(function f() {})");
    sb.terminate();
    return { ...r, awaited, fn };
  });
  expect(result).toMatchObject({ ok: true, value: 2 });
  // A Promise completion value is awaited; a value that cannot be copied comes back undefined.
  expect((result as { awaited: unknown }).awaited).toMatchObject({ ok: true, value: { later: true } });
  const fn = (result as { fn: { ok: boolean; value?: unknown } }).fn;
  expect(fn.ok).toBe(true);
  expect(fn.value).toBeUndefined();
  expect(typeof (result as { durationMs: number }).durationMs).toBe("number");
});

test("state persists across calls until restart, and fresh runs start clean", async ({ harness }) => {
  const out = await harness.evaluate(async () => {
    const w = window as unknown as HarnessWindow;
    const sb = await w.islet.createSandbox();
    const a = await sb.run({
      files: { "main.js": "globalThis.x = 41; export const x = globalThis.x;" },
      entry: "main.js",
    });
    const b = await sb.eval("x + 1");
    const c = await sb.run({ files: { "main.js": "export const t = typeof x;" }, entry: "main.js", fresh: true });
    await sb.eval("globalThis.y = 1");
    await sb.restart();
    const d = await sb.eval("typeof y");
    const status = sb.status();
    sb.terminate();
    return { a, b, c, d, status };
  });
  expect(out.a).toMatchObject({ ok: true, exports: { x: 41 } });
  expect(out.b).toMatchObject({ ok: true, value: 42 });
  expect(out.c).toMatchObject({ ok: true, exports: { t: "undefined" } });
  expect(out.d).toMatchObject({ ok: true, value: "undefined" });
  expect(out.status.state).toBe("idle");
  expect(out.status.memoryUsed).toBeGreaterThan(0);
});

test("guest errors resolve as results with name, message and stack", async ({ harness }) => {
  const out = await harness.evaluate(async () => {
    const w = window as unknown as HarnessWindow;
    const sb = await w.islet.createSandbox();
    const thrown = await sb.eval("function f() { throw new TypeError('bad thing') }\nf()");
    const syntax = await sb.eval("let = ;");
    const later = await sb.eval("Promise.resolve().then(() => { throw new RangeError('later') }); 1");
    const after = await sb.eval("'still alive'");
    sb.terminate();
    return { thrown, syntax, later, after };
  });
  expect(out.thrown).toMatchObject({ ok: false, error: { name: "TypeError", message: "bad thing" } });
  expect(out.thrown.ok === false && out.thrown.error.stack).toContain("f");
  expect(out.syntax).toMatchObject({ ok: false, error: { name: "SyntaxError" } });
  expect(out.after).toMatchObject({ ok: true, value: "still alive" });
});

test("console entries stream to the page while the guest still runs", async ({ harness }) => {
  await harness.evaluate(async () => {
    const w = window as unknown as HarnessWindow;
    w.entries = [];
    w.sb = await w.islet.createSandbox({
      limits: { cpuMs: 20_000, wallMs: 20_000 },
      onConsole: (e) => w.entries.push(e),
    });
    // Logs once, then spins for ~1.5 s before returning.
    w.pending = w.sb.eval(
      "console.log('hello', {a: 1}, [2]); console.warn('careful'); const t = Date.now(); while (Date.now() - t < 1500) {} 'done'",
    );
  });
  // The entry arrives before the run finishes.
  await expect.poll(() => harness.evaluate(() => (window as unknown as HarnessWindow).entries.length)).toBe(2);
  const status = await harness.evaluate(() => (window as unknown as HarnessWindow).sb.status().state);
  expect(status).toBe("running");
  const out = await harness.evaluate(async () => {
    const w = window as unknown as HarnessWindow;
    const r = await w.pending;
    w.sb.terminate();
    return { r, entries: w.entries };
  });
  expect(out.r).toMatchObject({ ok: true, value: "done" });
  expect(out.entries[0]).toMatchObject({ level: "log", text: "hello { a: 1 } [ 2 ]", groupDepth: 0 });
  expect(out.entries[1]).toMatchObject({ level: "warn", text: "careful" });
});

test("web() is installed: timers run inside the event loop", async ({ harness }) => {
  const out = await harness.evaluate(async () => {
    const w = window as unknown as HarnessWindow;
    const sb = await w.islet.createSandbox();
    const r = await sb.eval(
      "globalThis.order = []; setTimeout(() => order.push('timer'), 20); queueMicrotask(() => order.push('micro')); 1",
    );
    const order = await sb.eval("order");
    sb.terminate();
    return { r, order };
  });
  expect(out.r).toMatchObject({ ok: true, value: 1 });
  expect(out.order).toMatchObject({ ok: true, value: ["micro", "timer"] });
});
