// CPU overruns end with Interrupted; a worker that does not answer is killed and replaced;
// the page stays responsive throughout.
import { expect, type HarnessWindow, test } from "./fixtures.ts";

test("an infinite loop is interrupted and the page stays responsive", async ({ harness }) => {
  await harness.evaluate(async () => {
    const w = window as unknown as HarnessWindow;
    w.sb = await w.islet.createSandbox({ limits: { cpuMs: 1500 } });
    // Long-task entries arrive asynchronously: count only tasks that start from here on,
    // not ones from starting the sandbox that are reported late.
    w.spinStart = performance.now();
    w.pending = w.sb.eval("while (true) {}");
  });
  // While the guest spins, the page answers clicks.
  await expect
    .poll(() => harness.evaluate(() => (window as unknown as HarnessWindow).sb.status().state))
    .toBe("running");
  for (let i = 1; i <= 5; i++) {
    await harness.click("#tick");
    await expect(harness.locator("#tick")).toHaveText(String(i));
  }
  const out = await harness.evaluate(async () => {
    const w = window as unknown as HarnessWindow;
    const r = await w.pending;
    const after = await w.sb.eval("'alive'");
    const status = w.sb.status();
    w.sb.terminate();
    return {
      r,
      after,
      status,
      longTasks: w.islet.longTasks.filter((t) => t.start >= w.spinStart).map((t) => t.duration),
    };
  });
  expect(out.r).toMatchObject({ ok: false, error: { name: "Interrupted" } });
  expect(out.after).toMatchObject({ ok: true, value: "alive" });
  expect(out.status.workers).toBe(1);
  // No main-thread long task over 50 ms while the sandbox spun.
  expect(out.longTasks.filter((d) => d > 50)).toEqual([]);
});

test("a worker that does not answer in time is terminated and replaced", async ({ harness }) => {
  const out = await harness.evaluate(async () => {
    const w = window as unknown as HarnessWindow;
    const statuses: string[] = [];
    // cpuMs far above wallMs: the interrupt never comes, so the page's wall clock must kill it.
    const sb = await w.islet.createSandbox({
      limits: { cpuMs: 60_000, wallMs: 800 },
      onStatus: (s) => statuses.push(s.state),
    });
    await sb.eval("globalThis.before = 1");
    const t0 = performance.now();
    const killed = await sb.eval("for (;;) {}");
    const killMs = performance.now() - t0;
    const statusAfterKill = sb.status();
    const next = await sb.eval("typeof before");
    const status = sb.status();
    sb.terminate();
    const afterTerminate = await sb.eval("1").catch((e: Error) => `rejected: ${e.message}`);
    return { killed, killMs, statusAfterKill, next, status, statuses, afterTerminate };
  });
  expect(out.killed).toMatchObject({ ok: false, error: { name: "Terminated" } });
  expect(out.killMs).toBeGreaterThanOrEqual(790);
  expect(out.killMs).toBeLessThan(3000);
  expect(out.statusAfterKill.state).toBe("terminated");
  // A fresh worker: the old globals are gone.
  expect(out.next).toMatchObject({ ok: true, value: "undefined" });
  expect(out.status).toMatchObject({ state: "idle", workers: 2 });
  expect(out.statuses).toContain("terminated");
  expect(out.afterTerminate).toContain("rejected");
});

test("a memory bomb ends inside the sandbox", async ({ harness }) => {
  const out = await harness.evaluate(async () => {
    const w = window as unknown as HarnessWindow;
    const sb = await w.islet.createSandbox({ limits: { memoryBytes: 16 << 20 } });
    const bomb = await sb.eval("const a = []; for (;;) a.push(new Array(1e5).fill(1));");
    const after = await sb.eval("1 + 1");
    sb.terminate();
    return { bomb, after };
  });
  expect(out.bomb.ok).toBe(false);
  expect(out.after).toMatchObject({ ok: true, value: 2 });
});

test("terminate() and restart() end a call in flight at once", async ({ harness }) => {
  const out = await harness.evaluate(async () => {
    const w = window as unknown as HarnessWindow;
    const sb = await w.islet.createSandbox({ limits: { cpuMs: 60_000, wallMs: 60_000 } });
    const spinning = sb.eval("for (;;) {}");
    await new Promise((r) => setTimeout(r, 100));
    let t0 = performance.now();
    await sb.restart();
    const restarted = await spinning;
    const restartMs = performance.now() - t0;
    const after = await sb.eval("'fresh'");
    const again = sb.eval("for (;;) {}");
    await new Promise((r) => setTimeout(r, 100));
    t0 = performance.now();
    sb.terminate();
    const terminated = await again;
    const terminateMs = performance.now() - t0;
    return { restarted, restartMs, after, terminated, terminateMs, state: sb.status().state };
  });
  expect(out.restarted).toMatchObject({ ok: false, error: { name: "Terminated" } });
  expect(out.after).toMatchObject({ ok: true, value: "fresh" });
  expect(out.terminated).toMatchObject({ ok: false, error: { name: "Terminated" } });
  expect(out.terminateMs).toBeLessThan(1000);
  expect(out.restartMs).toBeLessThan(10_000);
  expect(out.state).toBe("terminated");
});
