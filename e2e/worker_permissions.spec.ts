// Permission prompts: onPermissionRequest decides requests neither allowed nor denied.
import { expect, type HarnessWindow, test } from "./fixtures.ts";

test("the page's prompt allows and denies, once per target", async ({ harness }) => {
  const out = await harness.evaluate(async () => {
    const w = window as unknown as HarnessWindow;
    const asked: unknown[] = [];
    const sb = await w.islet.createSandbox({
      host: { open: () => "open", allowMe: () => "allowed", denyMe: () => "nope" },
      // Only `open` is granted statically; the others go to the prompt.
      permissions: { host: ["open"] },
      onPermissionRequest: async (req) => {
        asked.push(req);
        return req.target === "allowMe";
      },
    });
    await sb.eval(`
      globalThis.res = {};
      const settle = (k, p) => p.then((v) => { res[k] = v }, (e) => { res[k] = e.name + ": " + e.message });
      (async () => {
        await settle("open", host.open());
        await settle("allow", host.allowMe());
        await settle("allowAgain", host.allowMe());
        await settle("deny", host.denyMe());
        await settle("denyAgain", host.denyMe());
      })();
      1`);
    const r = await sb.eval("res");
    sb.terminate();
    return { r, asked };
  });
  expect(out.r.ok).toBe(true);
  const value = (out.r as { value: Record<string, string> }).value;
  expect(value.open).toBe("open");
  expect(value.allow).toBe("allowed");
  expect(value.allowAgain).toBe("allowed");
  expect(value.deny).toMatch(/^PermissionDenied: /);
  expect(value.denyAgain).toMatch(/^PermissionDenied: /);
  // Asked once per target: the answers are remembered.
  expect(out.asked).toEqual([
    expect.objectContaining({ kind: "host", target: "allowMe" }),
    expect.objectContaining({ kind: "host", target: "denyMe" }),
  ]);
});

test("without a prompt, undecided requests are denied", async ({ harness }) => {
  const out = await harness.evaluate(async () => {
    const w = window as unknown as HarnessWindow;
    const sb = await w.islet.createSandbox({ host: { f: () => 1 }, permissions: { host: [] } });
    await sb.eval("globalThis.res = null; host.f().then((v) => { res = v }, (e) => { res = e.name })");
    const r = await sb.eval("res");
    sb.terminate();
    return r;
  });
  expect(out).toMatchObject({ ok: true, value: "PermissionDenied" });
});

test("a limit that ends the call cancels the page's pending prompt: its signal aborts, the next call works", async ({
  harness,
}) => {
  const out = await harness.evaluate(async () => {
    const w = window as unknown as HarnessWindow;
    const prompts: { target: string; signal: AbortSignal; abortedAt?: number }[] = [];
    const sb = await w.islet.createSandbox({
      limits: { wallMs: 4000 },
      host: { f: () => "called" },
      permissions: { host: [] },
      onPermissionRequest: (req, { signal }) => {
        const entry: { target: string; signal: AbortSignal; abortedAt?: number } = { target: req.target, signal };
        signal.addEventListener("abort", () => {
          entry.abortedAt = performance.now();
        });
        prompts.push(entry);
        // The first prompt is never answered (a dialog left open); later ones allow.
        return prompts.length === 1 ? new Promise<boolean>(() => {}) : true;
      },
    });
    // Warm up (the first TypeScript module with an import loads the worker's transpiler and
    // lexer), so the measured call spends its wall-clock budget waiting on the prompt.
    const warm = await sb.run({
      files: { "main.ts": "import { f } from 'islet:host'; export const ok: string = typeof f;" },
      entry: "main.ts",
    });
    const t0 = performance.now();
    const first = await sb.run({
      files: { "main.ts": "import { f } from 'islet:host'; await f();" },
      entry: "main.ts",
    });
    const endedAt = performance.now() - t0;
    const abortedAt = (prompts[0]?.abortedAt ?? Number.NaN) - t0;
    const reason = String(prompts[0]?.signal.reason?.message);
    const second = await sb.run({
      files: { "main.ts": "import { f } from 'islet:host'; export const out = await f();" },
      entry: "main.ts",
    });
    const workers = sb.status().workers;
    sb.terminate();
    return { warm, first, endedAt, abortedAt, reason, second, asked: prompts.length, workers };
  });
  expect(out.warm).toMatchObject({ ok: true, exports: { ok: "function" } });
  expect(out.first).toMatchObject({ ok: false, reason: "interrupted", error: { name: "Interrupted" } });
  // Aborted when the call ended, not later when a worker was killed.
  expect(out.abortedAt).toBeGreaterThan(3900);
  expect(out.abortedAt).toBeLessThan(out.endedAt + 100);
  expect(out.reason).toMatch(/ended/);
  expect(out.second).toMatchObject({ ok: true, exports: { out: "called" } });
  expect(out.asked).toBe(2);
  expect(out.workers).toBe(1);
});
