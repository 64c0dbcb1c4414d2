// Benchmarks of @islet/worker in Chromium, printed as a table; compared with a sandboxed
// <iframe srcdoc> doing the same in the same run. Run: pnpm --filter @islet/e2e bench
import { expect, type HarnessWindow, test } from "../fixtures.ts";

test("worker benchmarks", async ({ harness }) => {
  test.setTimeout(120_000);
  const rows = await harness.evaluate(async () => {
    const w = window as unknown as HarnessWindow;
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
    const out: Record<string, number> = {};
    const t = () => performance.now();

    // Cold: the first sandbox ever (fetch + compile wasm, start worker, boot runtime).
    let t0 = t();
    const first = await w.islet.createSandbox();
    await first.eval("1+1");
    out["createSandbox → eval('1+1'), cold (ms)"] = t() - t0;

    // Second sandbox: wasm module cached on the page.
    const seconds: number[] = [];
    for (let i = 0; i < 5; i++) {
      t0 = t();
      const sb = await w.islet.createSandbox();
      await sb.eval("1+1");
      seconds.push(t() - t0);
      sb.terminate();
    }
    out["createSandbox → eval('1+1'), module cached (ms, median of 5)"] = median(seconds);

    // Warm pool.
    const pool = w.islet.createSandboxPool({ size: 2 });
    await (await pool.acquire()).eval("0");
    await new Promise((r) => setTimeout(r, 1500));
    const warm: number[] = [];
    for (let i = 0; i < 3; i++) {
      t0 = t();
      const sb = await pool.acquire();
      await sb.eval("1+1");
      warm.push(t() - t0);
      sb.terminate();
      await new Promise((r) => setTimeout(r, 1500));
    }
    // Released and reset in place (snapshots): hand-out is a message, no worker starts.
    const handOut: number[] = [];
    const resetRound: number[] = [];
    for (let i = 0; i < 10; i++) {
      const sb = await pool.acquire();
      await sb.eval("globalThis.client = 1; 0");
      t0 = t();
      await pool.release(sb);
      resetRound.push(t() - t0);
      t0 = t();
      const again = await pool.acquire();
      handOut.push(t() - t0);
      await again.eval("1+1");
      await pool.release(again);
    }
    pool.dispose();
    out["pool.acquire → eval('1+1'), warm (ms, median of 3)"] = median(warm);
    out["pool.release (reset in place, round trip) (ms, median of 10)"] = median(resetRound);
    out["pool.acquire after release: hand-out (ms, median of 10)"] = median(handOut);

    // run({ fresh: true }): a reset in place instead of a new runtime.
    const freshRuns: number[] = [];
    for (let i = 0; i < 10; i++) {
      t0 = t();
      await first.run({ files: { "m.js": "export const x = 1;" }, entry: "m.js", fresh: true });
      freshRuns.push(t() - t0);
    }
    out["run({ fresh: true }) of a one-line module (ms, median of 10)"] = median(freshRuns);

    // Round trips on a live sandbox.
    const rt: number[] = [];
    for (let i = 0; i < 200; i++) {
      t0 = t();
      await first.eval("1+1");
      rt.push(t() - t0);
    }
    out["eval('1+1') round trip (ms, median of 200)"] = median(rt);

    const hostSb = await w.islet.createSandbox({ host: { ping: (x: number) => x } });
    await hostSb.eval(
      "globalThis.d = []; (async () => { for (let i = 0; i < 200; i++) { const s = performance.now(); await host.ping(i); d.push(performance.now() - s); } })(); 0",
    );
    const calls = await hostSb.eval("d");
    out["host API call round trip, guest → page → guest (ms, median of 200)"] = median(
      calls.ok ? (calls.value as number[]) : [],
    );
    t0 = t();
    await hostSb.eval("Promise.all(Array.from({ length: 200 }, (_, i) => host.ping(i))); 0");
    out["host API calls, 200 concurrent (ms per call)"] = (t() - t0) / 200;
    out["guest heap of an idle sandbox (KiB, QuickJS accounting)"] = hostSb.status().memoryUsed / 1024;
    hostSb.terminate();
    first.terminate();

    // The same with <iframe sandbox="allow-scripts" srcdoc>.
    const frameEval = (frame: HTMLIFrameElement, code: string) =>
      new Promise<unknown>((resolve) => {
        const id = Math.random();
        const on = (e: MessageEvent) => {
          if (e.source === frame.contentWindow && e.data?.id === id) {
            window.removeEventListener("message", on);
            resolve(e.data.value);
          }
        };
        window.addEventListener("message", on);
        frame.contentWindow?.postMessage({ id, code }, "*");
      });
    const makeFrame = () =>
      new Promise<HTMLIFrameElement>((resolve) => {
        const f = document.createElement("iframe");
        f.setAttribute("sandbox", "allow-scripts");
        f.srcdoc = `<script>addEventListener("message", (e) => e.source.postMessage({ id: e.data.id, value: (0, eval)(e.data.code) }, "*"));</script>`;
        f.onload = () => resolve(f);
        document.body.append(f);
      });
    const frames: number[] = [];
    for (let i = 0; i < 5; i++) {
      t0 = t();
      const f = await makeFrame();
      await frameEval(f, "1+1");
      frames.push(t() - t0);
      f.remove();
    }
    out["iframe srcdoc create → eval('1+1') (ms, median of 5)"] = median(frames);
    const f = await makeFrame();
    const frt: number[] = [];
    for (let i = 0; i < 200; i++) {
      t0 = t();
      await frameEval(f, "1+1");
      frt.push(t() - t0);
    }
    out["iframe srcdoc eval('1+1') round trip (ms, median of 200)"] = median(frt);
    f.remove();
    return out;
  });
  console.log("\n@islet/worker in Chromium");
  for (const [k, v] of Object.entries(rows)) console.log(`  ${k.padEnd(66)} ${v.toFixed(2)}`);
  expect(Object.keys(rows).length).toBeGreaterThan(0);
});
