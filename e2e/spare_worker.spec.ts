// Spare workers (issue 12, packages/worker/src/spare.ts): after a sandbox starts, the page
// readies one more worker of its kind, and the next createSandbox of that kind takes it
// instead of starting one. What a user would notice: no worker starts for that sandbox,
// yet it is exactly a new sandbox (its own settings, no state of anything before).
import { expect, type HarnessWindow, test } from "./fixtures.ts";

/** Counts `new Worker()` calls on the page from now on, in `window.workersMade`. */
const COUNT_WORKERS = () => {
  const w = window as unknown as HarnessWindow;
  const Original = window.Worker;
  w.workersMade = 0;
  window.Worker = class extends Original {
    constructor(...args: ConstructorParameters<typeof Worker>) {
      super(...args);
      w.workersMade++;
    }
  };
};

test("the next sandbox takes the spare worker: none starts for it, and it has its own settings and a clean runtime", async ({
  harness,
}) => {
  await harness.evaluate(COUNT_WORKERS);
  const out = await harness.evaluate(async () => {
    const w = window as unknown as HarnessWindow;
    const a = await w.islet.createSandbox({ permissions: { net: true } });
    await a.eval("globalThis.secret = 'a'; Object.prototype.polluted = 1; 0");
    // The spare starts after A is ready; give it time to warm up.
    await new Promise((r) => setTimeout(r, 2000));
    const beforeB = w.workersMade;
    const logs: string[] = [];
    // A sandbox starts its worker within the createSandbox() call; a replacement spare starts in a later task.
    const creating = w.islet.createSandbox({ limits: { cpuMs: 200 }, onConsole: (e) => logs.push(e.text) });
    const madeForB = w.workersMade - beforeB;
    const b = await creating;
    const state = await b.eval(
      "console.log('from b'); [typeof secret, 'polluted' in {}, typeof URL, typeof fetch, typeof prepare].join()",
    );
    const loop = await b.eval("for (;;) {}");
    const net = await b.eval("fetch('http://127.0.0.1:9/').then(() => 'fetched', (e) => e.name)");
    const draws = [await a.eval("Math.random()"), await b.eval("Math.random()")];
    const status = b.status();
    a.terminate();
    b.terminate();
    return { madeForB, state, loop, net, draws, logs, status };
  });
  expect(out.madeForB).toBe(0);
  expect(out.state).toMatchObject({ ok: true, value: "undefined,false,function,function,undefined" });
  // B's own limits and permissions, not the spare's (it was readied with none).
  expect(out.loop).toMatchObject({ ok: false, reason: "interrupted" });
  expect(out.net).toMatchObject({ ok: true, value: "PermissionDenied" });
  expect(out.logs).toEqual(["from b"]);
  expect(out.draws[0]).not.toEqual(out.draws[1]);
  expect(out.status).toMatchObject({ state: "idle", workers: 1 });
});

test("a sandbox of another kind (host functions, memory limit) starts its own worker and works", async ({
  harness,
}) => {
  await harness.evaluate(COUNT_WORKERS);
  const out = await harness.evaluate(async () => {
    const w = window as unknown as HarnessWindow;
    const a = await w.islet.createSandbox();
    await new Promise((r) => setTimeout(r, 2000));
    const before = w.workersMade;
    const creating = w.islet.createSandbox({ host: { twice: (x: number) => 2 * x } });
    const madeForB = w.workersMade - before;
    const b = await creating;
    const twice = await b.run({
      files: { "m.js": "import { twice } from 'islet:host'; export const v = await twice(21);" },
      entry: "m.js",
    });
    const c = await w.islet.createSandbox({ limits: { memoryBytes: 32 << 20 } });
    const big = await c.eval("'x'.repeat(40 << 20).length");
    a.terminate();
    b.terminate();
    c.terminate();
    return { madeForB, twice, big };
  });
  expect(out.madeForB).toBe(1);
  expect(out.twice).toMatchObject({ ok: true, exports: { v: 42 } });
  expect(out.big).toMatchObject({ ok: false, reason: "memory" });
});

test("many sandboxes created at once, and sandboxes terminated while they start, all settle; the next one works", async ({
  harness,
}) => {
  const out = await harness.evaluate(async () => {
    const w = window as unknown as HarnessWindow;
    const first = await w.islet.createSandbox();
    await new Promise((r) => setTimeout(r, 1500));
    const many = await Promise.all(
      Array.from({ length: 6 }, async (_, i) => {
        const sb = await w.islet.createSandbox();
        const r = await sb.eval(`globalThis.n = ${i}; n * 2`);
        return { sb, r };
      }),
    );
    const values = many.map(({ r }) => r);
    // Terminated while taking a spare or starting: its calls end, nothing else breaks.
    const killed: unknown[] = [];
    for (let i = 0; i < 4; i++) {
      const sb = new w.islet.Sandbox();
      const started = sb.start().then(
        () => "started",
        (e: Error) => e.message,
      );
      sb.terminate();
      killed.push(await started, await sb.eval("1").catch((e: Error) => e.message));
    }
    const after = await w.islet.createSandbox();
    const last = await after.eval("typeof n");
    for (const { sb } of many) sb.terminate();
    first.terminate();
    after.terminate();
    return { values, killed, last };
  });
  expect(out.values.map((r) => (r.ok ? r.value : r.error.name))).toEqual([0, 2, 4, 6, 8, 10]);
  for (let i = 0; i < out.killed.length; i += 2) {
    expect(out.killed[i]).toMatch(/terminated/);
    expect(out.killed[i + 1]).toBe("sandbox.eval: the sandbox was terminated");
  }
  expect(out.last).toMatchObject({ ok: true, value: "undefined" });
});

test("setSpareWorker(false) ends the spare and starts no more; true brings them back", async ({ harness }) => {
  await harness.evaluate(COUNT_WORKERS);
  const live = () => harness.workers().length;
  await harness.evaluate(async () => {
    const w = window as unknown as HarnessWindow;
    w.keep = await w.islet.createSandbox();
  });
  // The sandbox's worker and the spare.
  await expect.poll(live).toBe(2);
  await harness.evaluate(() => (window as unknown as HarnessWindow).islet.setSpareWorker(false));
  await expect.poll(live).toBe(1);
  const off = await harness.evaluate(async () => {
    const w = window as unknown as HarnessWindow;
    const before = w.workersMade;
    const sb = await w.islet.createSandbox();
    const r = await sb.eval("1+1");
    await new Promise((r) => setTimeout(r, 500));
    sb.terminate();
    return { made: w.workersMade - before, r };
  });
  expect(off).toMatchObject({ made: 1, r: { ok: true, value: 2 } });
  await expect.poll(live).toBe(1);
  const bad = await harness.evaluate(() => {
    try {
      (window as unknown as HarnessWindow).islet.setSpareWorker("yes" as unknown as boolean);
      return "accepted";
    } catch (e) {
      return `${(e as Error).name}: ${(e as Error).message}`;
    }
  });
  expect(bad).toBe("TypeError: setSpareWorker: expected true or false");
  const badOption = await harness.evaluate(() =>
    (window as unknown as HarnessWindow).islet.createSandbox({ spare: "no" as unknown as boolean }).then(
      () => "accepted",
      (e: Error) => `${e.name}: ${e.message}`,
    ),
  );
  expect(badOption).toBe("TypeError: createSandbox: spare must be true or false, got no");
  await harness.evaluate(async () => {
    const w = window as unknown as HarnessWindow;
    w.islet.setSpareWorker(true);
    const sb = await w.islet.createSandbox();
    await sb.eval("0");
    sb.terminate();
  });
  // The kept sandbox and a new spare.
  await expect.poll(live).toBe(2);
});

test("a pool keeps its own warm sandboxes: they neither take nor leave a spare", async ({ harness }) => {
  await harness.evaluate(COUNT_WORKERS);
  const out = await harness.evaluate(async () => {
    const w = window as unknown as HarnessWindow;
    const pool = w.islet.createSandboxPool({ size: 2 });
    const sb = await pool.acquire();
    const r = await sb.eval("1 + 1");
    await new Promise((r) => setTimeout(r, 2000));
    // The two warm sandboxes, and the replacement for the one handed out: no spare.
    const made = w.workersMade;
    pool.dispose();
    sb.terminate();
    return { r, made };
  });
  expect(out).toMatchObject({ r: { ok: true, value: 2 }, made: 3 });
  await expect.poll(() => harness.workers().length).toBe(0);
});
