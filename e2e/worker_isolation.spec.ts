// Sandboxes are isolated from each other, many run at once, and a pool hands out warm ones.
import { expect, type HarnessWindow, test } from "./fixtures.ts";

test("two sandboxes cannot see each other's globals or resources", async ({ harness }) => {
  const out = await harness.evaluate(async () => {
    const w = window as unknown as HarnessWindow;
    const a = await w.islet.createSandbox();
    const b = await w.islet.createSandbox();
    await a.eval("globalThis.secret = 'a-only'; Object.prototype.polluted = 1");
    const seen = await b.eval("[typeof secret, typeof ({}).polluted]");
    const own = await a.eval("[typeof secret, typeof ({}).polluted]");
    const resources = [await a.resources(), await b.resources()];
    a.terminate();
    const bAfter = await b.eval("'b alive'");
    b.terminate();
    return { seen, own, resources, bAfter };
  });
  expect(out.seen).toMatchObject({ ok: true, value: ["undefined", "undefined"] });
  expect(out.own).toMatchObject({ ok: true, value: ["string", "number"] });
  expect(Array.isArray(out.resources[0]) && Array.isArray(out.resources[1])).toBe(true);
  expect(out.bAfter).toMatchObject({ ok: true, value: "b alive" });
});

test("20 sandboxes at once", async ({ harness }) => {
  const out = await harness.evaluate(async () => {
    const w = window as unknown as HarnessWindow;
    const t0 = performance.now();
    const sandboxes = await Promise.all(
      Array.from({ length: 20 }, () => w.islet.createSandbox({ limits: { memoryBytes: 16 << 20 } })),
    );
    const created = performance.now() - t0;
    const results = await Promise.all(
      sandboxes.map((sb, i) =>
        sb.eval(`globalThis.id = ${i}; let s = 0; for (let k = 0; k < 1e5; k++) s += k; id * 2`),
      ),
    );
    const ids = await Promise.all(sandboxes.map((sb) => sb.eval("id")));
    for (const sb of sandboxes) sb.terminate();
    return { created, values: results.map((r) => r.ok && r.value), ids: ids.map((r) => r.ok && r.value) };
  });
  expect(out.values).toEqual(Array.from({ length: 20 }, (_, i) => i * 2));
  expect(out.ids).toEqual(Array.from({ length: 20 }, (_, i) => i));
  console.log(`20 sandboxes created in ${out.created.toFixed(0)} ms`);
});

test("a pool hands out warm sandboxes, each to one client only", async ({ harness }) => {
  const out = await harness.evaluate(async () => {
    const w = window as unknown as HarnessWindow;
    const pool = w.islet.createSandboxPool({ size: 2 });
    // Let the pool warm up.
    await (await pool.acquire()).eval("1");
    const t0 = performance.now();
    const a = await pool.acquire();
    const r = await a.eval("1 + 1");
    const warmMs = performance.now() - t0;
    await a.eval("globalThis.mine = 1");
    const b = await pool.acquire();
    const c = await pool.acquire();
    const seen = await Promise.all([b.eval("typeof mine"), c.eval("typeof mine")]);
    const distinct = new Set([a, b, c]).size;
    pool.dispose();
    for (const s of [a, b, c]) s.terminate();
    return { r, warmMs, seen, distinct };
  });
  expect(out.r).toMatchObject({ ok: true, value: 2 });
  expect(out.distinct).toBe(3);
  expect(out.seen.map((s) => s.ok && s.value)).toEqual(["undefined", "undefined"]);
  console.log(`warm pool: acquire + eval("1+1") in ${out.warmMs.toFixed(1)} ms`);
});
