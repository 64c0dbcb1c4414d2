// Benchmarks of @islet/worker in Chromium, printed as a table; compared with a sandboxed
// <iframe srcdoc> doing the same in the same run. Run: pnpm --filter @islet/e2e bench
import { existsSync, readdirSync, readFileSync } from "node:fs";
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

    // Later sandboxes: wasm module cached on the page. A spare worker (spare.ts) is started after
    // each sandbox: ready when the next one comes a moment later, still starting when it comes at once.
    const cached = async (pauseMs: number) => {
      const times: number[] = [];
      for (let i = 0; i < 5; i++) {
        await new Promise((r) => setTimeout(r, pauseMs));
        t0 = t();
        const sb = await w.islet.createSandbox();
        await sb.eval("1+1");
        times.push(t() - t0);
        sb.terminate();
      }
      return median(times);
    };
    out["createSandbox → eval('1+1'), module cached, spare worker ready (ms, median of 5)"] = await cached(1500);
    out["createSandbox → eval('1+1'), module cached, back to back (ms, median of 5)"] = await cached(0);
    w.islet.setSpareWorker(false);
    out["createSandbox → eval('1+1'), module cached, no spare worker (ms, median of 5)"] = await cached(300);
    w.islet.setSpareWorker(true);

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

test("a page load's first sandbox: reloaded with the image kept, and without", async ({ harness }) => {
  test.setTimeout(120_000);
  // The first load bootstraps and keeps the image (image_store.ts); each reload then starts
  // its first sandbox from it, or, with setImageCache(false) before it, bootstraps again.
  const firstOfPage = async (keep: boolean) => {
    await harness.reload();
    await harness.waitForFunction(() => document.querySelector("#state")?.textContent === "ready");
    return harness.evaluate(async (keep) => {
      const w = window as unknown as HarnessWindow;
      if (!keep) w.islet.setImageCache(false);
      const t0 = performance.now();
      const sb = await w.islet.createSandbox();
      await sb.eval("1+1");
      const ms = performance.now() - t0;
      sb.terminate();
      if (!keep) w.islet.setImageCache(true);
      // Leave time for the image to be kept (written when the page is idle).
      await new Promise((r) => setTimeout(r, 2500));
      return ms;
    }, keep);
  };
  await firstOfPage(true);
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
  const kept: number[] = [];
  const bootstrapped: number[] = [];
  for (let i = 0; i < 5; i++) {
    kept.push(await firstOfPage(true));
    bootstrapped.push(await firstOfPage(false));
    // setImageCache(false) deleted the store: the next load keeps it again.
    await firstOfPage(true);
  }
  console.log("\nA page load's first sandbox (module and worker script in the HTTP cache)");
  const rows: Record<string, number> = {
    "createSandbox → eval('1+1'), reloaded, image kept (ms, median of 5)": median(kept),
    "the same, bootstrapping (setImageCache(false)) (ms, median of 5)": median(bootstrapped),
  };
  for (const [k, v] of Object.entries(rows)) console.log(`  ${k.padEnd(66)} ${v.toFixed(2)}`);
  expect(kept.length).toBe(5);
});

/** Proportional set size (KiB) of every Chromium process on this machine (Linux: /proc); undefined elsewhere. */
function chromiumPssKiB(): number | undefined {
  if (!existsSync("/proc/self/smaps_rollup")) return undefined;
  let total = 0;
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, "utf8");
      if (!/chrom/i.test(cmd.split("\0")[0] ?? "")) continue;
      const pss = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, "utf8"));
      total += Number(pss?.[1] ?? 0);
    } catch {
      // a process that ended meanwhile
    }
  }
  return total;
}

test("100 idle sandboxes in one page", async ({ harness }) => {
  test.setTimeout(300_000);
  // Settle the page (its first sandbox compiles the module and makes the image), then count.
  await harness.evaluate(async () => {
    const w = window as unknown as HarnessWindow;
    const sb = await w.islet.createSandbox();
    await sb.eval("1+1");
    sb.terminate();
  });
  await new Promise((r) => setTimeout(r, 1000));
  const before = chromiumPssKiB();
  const count = 100;
  const started = await harness.evaluate(async (n) => {
    const w = window as unknown as HarnessWindow;
    const t0 = performance.now();
    w.idle = [];
    for (let i = 0; i < n; i++) {
      const sb = await w.islet.createSandbox();
      const r = await sb.eval("1+1");
      if (!r.ok) throw new Error(`sandbox ${i}: ${JSON.stringify(r)}`);
      w.idle.push(sb);
    }
    const heaps = w.idle.map((sb: { status(): { memoryUsed: number } }) => sb.status().memoryUsed);
    return { ms: performance.now() - t0, heap: heaps.reduce((a: number, b: number) => a + b, 0) };
  }, count);
  await new Promise((r) => setTimeout(r, 1000));
  const after = chromiumPssKiB();
  console.log(`\n${count} idle sandboxes in one page (each a worker with a restored runtime)`);
  console.log(`  ${"created one after another (ms per sandbox)".padEnd(66)} ${(started.ms / count).toFixed(2)}`);
  console.log(`  ${"guest heaps, QuickJS accounting (MiB, total)".padEnd(66)} ${(started.heap / 2 ** 20).toFixed(2)}`);
  if (before !== undefined && after !== undefined) {
    console.log(`  ${"Chromium memory added, PSS (MiB, total)".padEnd(66)} ${((after - before) / 1024).toFixed(1)}`);
    console.log(
      `  ${"Chromium memory added, PSS (MiB per sandbox)".padEnd(66)} ${((after - before) / 1024 / count).toFixed(2)}`,
    );
  }
  await harness.evaluate(() => {
    for (const sb of (window as unknown as HarnessWindow).idle) sb.terminate();
  });
  expect(started.ms).toBeGreaterThan(0);
});
