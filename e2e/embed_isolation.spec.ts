// Issue 14: blocks on one page never share state, and a looping block is stopped without
// freezing the page or the other blocks (docs demo, standalone build, Chromium).
import { expect, type Page, test } from "@playwright/test";
import { block, openDocs, outputRows, run } from "./embed_helpers.ts";
import { mainThreadTasks } from "./trace_helpers.ts";

type Block = HTMLElement & {
  run(): Promise<{ ok: boolean; reason?: string; error?: { message: string } } | undefined>;
  stop(): void;
  code: string;
};

/** Adds `<islet-run>` blocks with these codes to the page (ids b0, b1, …) and returns their ids. */
async function addBlocks(page: Page, codes: string[], attrs: Record<string, string> = {}): Promise<string[]> {
  return page.evaluate(
    ({ codes, attrs }) =>
      codes.map((code, i) => {
        const el = document.createElement("islet-run");
        el.id = `added-${document.querySelectorAll("[id^=added-]").length}-${i}`;
        for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
        const script = document.createElement("script");
        script.type = "text/islet-code";
        script.textContent = code;
        el.append(script);
        document.querySelector("main")!.prepend(el);
        return el.id;
      }),
    { codes, attrs },
  );
}

test("two blocks running at once share no state", async ({ page }) => {
  await openDocs(page);
  const program = (me: string) => `
    globalThis.owner ??= ${JSON.stringify(me)};
    Object.prototype.polluted = ${JSON.stringify(me)};
    await new Promise((r) => setTimeout(r, 400));
    console.log(${JSON.stringify(me)}, "sees owner", globalThis.owner, "and polluted", ({}).polluted);`;
  const ids = await addBlocks(page, [program("A"), program("B")]);
  const ran = await page.evaluate(async (ids) => {
    const blocks = ids.map((id) => document.getElementById(id) as Block);
    const started = performance.now();
    const results = await Promise.all(blocks.map((b) => b.run()));
    return { ok: results.map((r) => r?.ok), ms: performance.now() - started };
  }, ids);
  expect(ran.ok).toEqual([true, true]);
  await expect(outputRows(page.locator(`#${ids[0]}`))).toHaveText(["A sees owner A and polluted A"]);
  await expect(outputRows(page.locator(`#${ids[1]}`))).toHaveText(["B sees owner B and polluted B"]);
});

test("a run never sees what an earlier run (its own or another block's) left behind", async ({ page }) => {
  await openDocs(page);
  const ids = await addBlocks(page, [
    "globalThis.runs = (globalThis.runs ?? 0) + 1; Array.prototype.leak = 1; console.log('runs', runs);",
    "console.log('leftovers', typeof globalThis.runs, [].leak);",
  ]);
  const first = page.locator(`#${ids[0]}`);
  for (let i = 0; i < 3; i++) {
    await run(first);
    await expect(outputRows(first)).toHaveText(["runs 1"]);
  }
  const second = page.locator(`#${ids[1]}`);
  await run(second);
  await expect(outputRows(second)).toHaveText(["leftovers undefined undefined"]);
});

test("Stop ends a looping block while the page stays responsive and other blocks keep running", async ({
  page,
  browser,
}) => {
  await page.addInitScript(() => {
    const w = window as unknown as { longTasks: number[] };
    w.longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.longTasks.push(e.duration);
    }).observe({ type: "longtask", buffered: true });
  });
  await openDocs(page);
  // Warm up first: the sandbox's first start (compiling QuickJS) is not what is measured.
  await run(block(page, "Hello"));
  await page.evaluate(() => {
    (window as unknown as { longTasks: number[] }).longTasks.length = 0;
  });
  await browser.startTracing(page, { categories: ["disabled-by-default-devtools.timeline", "devtools.timeline"] });
  // A loop with a long timeout, so only Stop can end it while the rest of the test runs.
  const [loopId] = await addBlocks(page, ['console.log("looping forever…"); for (;;) {}'], {
    timeout: "60000",
    "aria-label": "Endless",
  });
  const loop = page.locator(`#${loopId}`);
  await loop.locator("button.run").click();
  await expect(loop.locator(".output .row")).toHaveText(["looping forever…"]);
  // While it loops: the page answers, and another block runs to completion.
  const t0 = Date.now();
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(null))));
  expect(Date.now() - t0).toBeLessThan(500);
  const other = block(page, "Event loop order");
  await run(other);
  await expect(outputRows(other)).toHaveText(["1. synchronous", "2. microtask", "3. timeout"]);
  await expect(loop).toHaveAttribute("running");
  await loop.getByRole("button", { name: "Stop Endless" }).click();
  await expect(loop.locator(".output .note").last()).toHaveText("■ Stopped");
  await expect(loop).not.toHaveAttribute("running");
  await expect(loop.locator("[role=status]")).toHaveText("Run stopped: 1 line of output.");
  const tasks = mainThreadTasks(await browser.stopTracing());
  const longTasks = await page.evaluate(() => (window as unknown as { longTasks: number[] }).longTasks);
  const worst = tasks.reduce((w, t) => (t.cpu > w.cpu ? t : w), { wall: 0, cpu: 0 });
  console.log(
    `main thread while a block looped: ${tasks.length} tasks, the costliest ${worst.cpu.toFixed(1)} ms CPU (${worst.wall.toFixed(1)} ms wall); long tasks by wall clock: ${JSON.stringify(longTasks.map(Math.round))}`,
  );
  expect(tasks.length).toBeGreaterThan(0);
  expect(tasks.filter((t) => t.cpu > 50)).toEqual([]);
  // It runs again afterwards, in a new worker.
  await loop.locator("button.run").click();
  await expect(loop.locator(".output .row")).toHaveText(["looping forever…"]);
  await loop.getByRole("button", { name: "Stop Endless" }).click();
  await expect(loop.locator(".output .note").last()).toHaveText("■ Stopped");
});

test("a looping block stops by itself at its timeout", async ({ page }) => {
  await openDocs(page);
  const loop = block(page, "An infinite loop");
  await loop.scrollIntoViewIfNeeded();
  const started = Date.now();
  await run(loop);
  const took = Date.now() - started;
  await expect(loop.locator(".output .note").last()).toHaveText("Stopped: still running after 2000 ms (timeout)");
  expect(took).toBeGreaterThanOrEqual(1900);
  expect(took).toBeLessThan(15_000);
});

test("many blocks started at once all finish, through a pool of at most four workers", async ({ page }) => {
  test.setTimeout(90_000); // ten runs through four workers, on a machine that may be busy
  // Sandbox workers alive at once, as the page sees them: started and not yet terminated.
  await page.addInitScript(() => {
    const w = window as unknown as { workersAlive: number; workersMost: number };
    w.workersAlive = 0;
    w.workersMost = 0;
    const Original = Worker;
    const terminate = Original.prototype.terminate;
    globalThis.Worker = class extends Original {
      constructor(url: string | URL, options?: WorkerOptions) {
        super(url, options);
        w.workersMost = Math.max(w.workersMost, ++w.workersAlive);
      }
    };
    Original.prototype.terminate = function (this: Worker) {
      w.workersAlive--;
      terminate.call(this);
    };
  });
  await openDocs(page);
  const ids = await addBlocks(
    page,
    Array.from({ length: 10 }, (_, i) => `await new Promise((r) => setTimeout(r, 100)); console.log("block ${i}");`),
    // Throughput, not timeouts: on a loaded machine a queued block's fresh runtime may take seconds.
    { timeout: "60000" },
  );
  const results = await page.evaluate(
    (ids) => Promise.all(ids.map((id) => (document.getElementById(id) as Block).run().then((r) => r?.ok || r))),
    ids,
  );
  expect(results).toEqual(Array(10).fill(true));
  for (const [i, id] of ids.entries()) await expect(outputRows(page.locator(`#${id}`))).toHaveText([`block ${i}`]);
  const most = await page.evaluate(() => (window as unknown as { workersMost: number }).workersMost);
  expect(most).toBeGreaterThan(1);
  expect(most).toBeLessThanOrEqual(4);
});
