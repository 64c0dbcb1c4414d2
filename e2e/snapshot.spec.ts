// Snapshots through @islet/worker (issue 12): fresh runs and pool hand-outs reset
// the worker's runtime to its image in place; nothing of an earlier run is visible.
import { expect, type HarnessWindow, test } from "./fixtures.ts";

test("a fresh run sees nothing of earlier runs, in the same worker: globals, prototypes, modules, resources", async ({
  harness,
}) => {
  const out = await harness.evaluate(async () => {
    const w = window as unknown as HarnessWindow;
    const logs: string[] = [];
    const sb = await w.islet.createSandbox({ onConsole: (e) => logs.push(e.text) });
    const first = await sb.run({
      files: {
        "main.js": `import { v } from "./lib.js";
          globalThis.secret = v; Array.prototype.evil = 1; globalThis.URL = null;
          new TextDecoder().decode(new Uint8Array([104]), { stream: true });
          export const seen = secret;`,
        "lib.js": "export const v = 'first';",
      },
      entry: "main.js",
    });
    const fresh = await sb.run({
      files: {
        "main.js": `import { v } from "./lib.js";
          export const state = [typeof secret, "evil" in [], typeof URL, v].join();`,
        "lib.js": "export const v = 'second';",
      },
      entry: "main.js",
      fresh: true,
    });
    const resources = await sb.resources();
    const workers = sb.status().workers;
    sb.terminate();
    return { first, fresh, resources, workers, logs };
  });
  expect(out.first).toMatchObject({ ok: true, exports: { seen: "first" } });
  expect(out.fresh).toMatchObject({ ok: true, exports: { state: "undefined,false,function,second" } });
  expect(out.resources).toEqual([]);
  // Reset in place: no new worker was started for the fresh run.
  expect(out.workers).toBe(1);
});

test("sandboxes restored from the page's image are independent (their own globals and Math.random)", async ({
  harness,
}) => {
  const out = await harness.evaluate(async () => {
    const w = window as unknown as HarnessWindow;
    const a = await w.islet.createSandbox();
    const b = await w.islet.createSandbox();
    const c = await w.islet.createSandbox({ host: { hello: async () => "hi" } });
    await a.eval("globalThis.mine = 'a'");
    const draw = "Array.from({ length: 3 }, Math.random).join()";
    const results = {
      bMine: await b.eval("typeof mine"),
      aDraw: await a.eval(draw),
      bDraw: await b.eval(draw),
      bWeb: await b.eval("[typeof URL, typeof structuredClone, typeof setTimeout].join()"),
      cHost: await c.run({
        files: { "m.js": "import { hello } from 'islet:host'; export const h = await hello();" },
        entry: "m.js",
      }),
    };
    for (const s of [a, b, c]) s.terminate();
    return results;
  });
  expect(out.bMine).toMatchObject({ ok: true, value: "undefined" });
  expect(out.bWeb).toMatchObject({ ok: true, value: "function,function,function" });
  expect(out.aDraw.ok && out.bDraw.ok && out.aDraw.value !== out.bDraw.value).toBe(true);
  expect(out.cHost).toMatchObject({ ok: true, exports: { h: "hi" } });
});

test("a released sandbox comes back from the pool reset: the next client sees nothing of the last one", async ({
  harness,
}) => {
  const out = await harness.evaluate(async () => {
    const w = window as unknown as HarnessWindow;
    const pool = w.islet.createSandboxPool({ size: 1 });
    const first = await pool.acquire();
    await first.eval("globalThis.clientA = 'private'; Object.prototype.leak = 1; 0");
    await pool.release(first);
    const t0 = performance.now();
    const second = await pool.acquire();
    const handOutMs = performance.now() - t0;
    const seen = await second.eval("typeof clientA + ' ' + ({}).leak");
    const same = first === second;
    const workers = second.status().workers;
    pool.dispose();
    second.terminate();
    return { seen, same, workers, handOutMs };
  });
  expect(out.seen).toMatchObject({ ok: true, value: "undefined undefined" });
  expect(out.same).toBe(true);
  expect(out.workers).toBe(1);
  console.log(`pool hand-out after release: ${out.handOutMs.toFixed(2)} ms`);
});
