// Images kept across page loads (issue 12, packages/worker/src/image_store.ts): the first
// sandbox of a page bootstraps and the page keeps its image in IndexedDB; the first sandbox
// of the next page load restores it instead. What a user would notice: the reloaded page's
// first sandbox starts without a bootstrap, yet is exactly a new sandbox; a damaged or
// foreign record is never used; storage off or missing changes nothing but the time.
import type { Page } from "@playwright/test";
import { expect, type HarnessWindow, test } from "./fixtures.ts";

/**
 * Records, on every page load from now on, what each worker's `init` carried (an image from
 * the page or none, asked for an image or not) and whether its reply returned a new image (it
 * bootstrapped): `window.inits`. Comlink's wire format: APPLY messages, replies by id.
 */
const RECORD_INITS = () => {
  interface Init {
    sent: boolean;
    make: boolean;
    returned?: boolean;
  }
  const w = window as unknown as HarnessWindow;
  const inits: Init[] = [];
  w.inits = inits;
  const Original = window.Worker;
  window.Worker = class extends Original {
    constructor(...args: ConstructorParameters<typeof Worker>) {
      super(...args);
      const pending = new Map<unknown, Init>();
      const post = this.postMessage.bind(this) as (message: unknown, transfer?: Transferable[]) => void;
      this.postMessage = ((
        message: {
          type?: string;
          id?: unknown;
          path?: string[];
          argumentList?: { value?: { snapshot?: unknown; makeSnapshot?: unknown } }[];
        },
        transfer?: Transferable[],
      ) => {
        if (message?.type === "APPLY" && message.path?.[0] === "init") {
          const config = message.argumentList?.[0]?.value ?? {};
          const init: Init = { sent: config.snapshot !== undefined, make: config.makeSnapshot === true };
          inits.push(init);
          pending.set(message.id, init);
        }
        post(message, transfer);
      }) as Worker["postMessage"];
      this.addEventListener("message", (event: MessageEvent) => {
        const init = pending.get(event.data?.id);
        if (init === undefined) return;
        pending.delete(event.data.id);
        init.returned = event.data?.value?.snapshot !== undefined;
      });
    }
  };
};

/** The records in the page's image store: key, memory size, save time (none when there is no store). */
async function storedRecords(page: Page): Promise<{ key: string; bytes: number; savedAt: number }[]> {
  return page.evaluate(async () => {
    const names = (await indexedDB.databases()).map((d) => d.name);
    if (!names.includes("islet-images")) return [];
    return new Promise((resolve, reject) => {
      const open = indexedDB.open("islet-images");
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const db = open.result;
        const all = db.transaction("images").objectStore("images").getAll();
        all.onsuccess = () => {
          db.close();
          resolve(
            all.result.map((r: { key: string; savedAt: number; image: { memory: Uint8Array } }) => ({
              key: r.key,
              bytes: r.image.memory.length,
              savedAt: r.savedAt,
            })),
          );
        };
      };
    });
  });
}

/** Rewrites every record of the store with `damage` applied to its image (in the page). */
async function damageRecords(page: Page, damage: string): Promise<void> {
  await page.evaluate(async (damage: string) => {
    const change = new Function("image", damage) as (image: Record<string, unknown>) => void;
    await new Promise<void>((resolve, reject) => {
      const open = indexedDB.open("islet-images");
      open.onerror = () => reject(open.error);
      open.onsuccess = () => {
        const db = open.result;
        const tx = db.transaction("images", "readwrite");
        const store = tx.objectStore("images");
        const all = store.getAll();
        all.onsuccess = () => {
          for (const record of all.result) {
            change(record.image);
            store.put(record);
          }
        };
        tx.oncomplete = () => {
          db.close();
          resolve();
        };
      };
    });
  }, damage);
}

async function reload(page: Page): Promise<void> {
  await page.reload();
  await expect(page.locator("#state")).toHaveText("ready");
}

/** Starts a sandbox on the page and reads what its runtime holds. */
async function firstSandbox(page: Page) {
  return page.evaluate(async () => {
    const w = window as unknown as HarnessWindow;
    const sb = await w.islet.createSandbox({ spare: false, limits: { cpuMs: 300 } });
    const state = await sb.eval(
      "[typeof ReadableStream, typeof fetch, typeof indexedDB, typeof kept, 'polluted' in {}].join()",
    );
    const draw = await sb.eval("Math.random()");
    const loop = await sb.eval("for (;;) {}");
    await sb.eval("globalThis.kept = 1; Object.prototype.polluted = 1");
    sb.terminate();
    return { state, draw, loop, inits: w.inits as { sent: boolean; make: boolean; returned?: boolean }[] };
  });
}

/**
 * From a fresh context: records inits from the next load on, loads the page, starts its first
 * sandbox (which bootstraps) and waits until the page has kept the image. Returns that record.
 */
async function firstLoadKeeps(page: Page) {
  await page.addInitScript(RECORD_INITS);
  await reload(page);
  const run = await firstSandbox(page);
  expect(run.inits).toEqual([{ sent: false, make: true, returned: true }]);
  return waitForNewerRecord(page, 0);
}

/** Waits until the store holds one record saved after `savedAt`, and returns it. */
async function waitForNewerRecord(page: Page, savedAt: number) {
  await expect.poll(async () => (await storedRecords(page)).map((r) => r.savedAt > savedAt)).toEqual([true]);
  const [record] = await storedRecords(page);
  return record as { key: string; bytes: number; savedAt: number };
}

test("a reloaded page's first sandbox restores the image the page before kept: no bootstrap, a new sandbox all the same", async ({
  harness,
}) => {
  await harness.addInitScript(RECORD_INITS);
  await reload(harness);
  const before = await firstSandbox(harness);
  // Bootstrapped and asked for the image, which the page keeps.
  expect(before.inits).toEqual([{ sent: false, make: true, returned: true }]);
  const record = await waitForNewerRecord(harness, 0);
  expect(record.bytes).toBeGreaterThan(100_000);

  await reload(harness);
  const after = await firstSandbox(harness);
  // The kept image went to the worker, which restored it and made none.
  expect(after.inits).toEqual([{ sent: true, make: true, returned: false }]);
  // The guest sees a whole platform, nothing of the page before's program, and no storage.
  for (const run of [before, after]) {
    expect(run.state).toMatchObject({ ok: true, value: "function,function,undefined,undefined,false" });
    expect(run.loop).toMatchObject({ ok: false, reason: "interrupted" });
  }
  // Its own Math.random sequence, not the image's.
  expect(after.draw).toMatchObject({ ok: true });
  expect(after.draw).not.toEqual(before.draw);
  // Later sandboxes of the page use the image in memory.
  const later = await harness.evaluate(async () => {
    const w = window as unknown as HarnessWindow;
    const sb = await w.islet.createSandbox({ spare: false });
    const r = await sb.eval("typeof URL");
    sb.terminate();
    return { r, inits: w.inits };
  });
  expect(later.r).toMatchObject({ ok: true, value: "function" });
  expect(later.inits.at(-1)).toEqual({ sent: true, make: false, returned: false });
  expect(await storedRecords(harness)).toEqual([record]);
});

test("a damaged or foreign kept image is never restored: the sandbox bootstraps and the page keeps a good one", async ({
  harness,
}) => {
  let record = await firstLoadKeeps(harness);
  const damages = [
    // Bytes changed in the store: the page's digest check refuses it before any worker sees it.
    { damage: "image.memory.fill(0xff, 4096, 8192)", sent: false },
    // Made by another release (another format version): the worker refuses it and bootstraps.
    { damage: "image.version = 999", sent: true },
    // Its layout garbage (a restore that throws, not a format mismatch): the same.
    { damage: "image.layout = { owned: 'x', keys: 7 }", sent: true },
  ];
  for (const { damage, sent } of damages) {
    await damageRecords(harness, damage);
    await reload(harness);
    const run = await firstSandbox(harness);
    expect(run.inits, damage).toEqual([{ sent, make: true, returned: true }]);
    expect(run.state, damage).toMatchObject({ ok: true, value: "function,function,undefined,undefined,false" });
    expect(run.loop, damage).toMatchObject({ ok: false, reason: "interrupted" });
    // The bootstrapped image replaced the damaged record.
    record = await waitForNewerRecord(harness, record.savedAt);
  }
});

test("setImageCache(false) reads and keeps nothing and deletes what was kept; a bad argument is a TypeError", async ({
  harness,
}) => {
  await firstLoadKeeps(harness);
  const off = await harness.evaluate(async () => {
    const w = window as unknown as HarnessWindow;
    let bad = "";
    try {
      w.islet.setImageCache("no" as unknown as boolean);
    } catch (error) {
      bad = `${(error as Error).name}: ${(error as Error).message}`;
    }
    w.islet.setImageCache(false);
    // Another kind (memory limit): bootstraps, and is not kept.
    const sb = await w.islet.createSandbox({ spare: false, limits: { memoryBytes: 48 << 20 } });
    const r = await sb.eval("1 + 1");
    sb.terminate();
    await new Promise((resolve) => setTimeout(resolve, 2500));
    const names = (await indexedDB.databases()).map((d) => d.name);
    return { bad, r, names };
  });
  expect(off.bad).toBe("TypeError: setImageCache: expected true or false");
  expect(off.r).toMatchObject({ ok: true, value: 2 });
  expect(off.names).not.toContain("islet-images");

  await reload(harness);
  const after = await harness.evaluate(async () => {
    const w = window as unknown as HarnessWindow;
    w.islet.setImageCache(false);
    const sb = await w.islet.createSandbox({ spare: false });
    const r = await sb.eval("1 + 1");
    sb.terminate();
    return { r, inits: w.inits };
  });
  expect(after.r).toMatchObject({ ok: true, value: 2 });
  expect(after.inits).toEqual([{ sent: false, make: true, returned: true }]);
});

test("setImageCache(false) right after a first sandbox, before its image is written: nothing is kept", async ({
  harness,
}) => {
  const names = await harness.evaluate(async () => {
    const w = window as unknown as HarnessWindow;
    const sb = await w.islet.createSandbox({ spare: false });
    // The image is written when the page is next idle; turned off before that.
    w.islet.setImageCache(false);
    const r = await sb.eval("1 + 1");
    sb.terminate();
    if (!r.ok) throw new Error(JSON.stringify(r));
    await new Promise((resolve) => setTimeout(resolve, 3000));
    return (await indexedDB.databases()).map((d) => d.name);
  });
  expect(names).not.toContain("islet-images");
});

test("without IndexedDB (storage blocked), sandboxes start and work as before", async ({ harness }) => {
  await harness.addInitScript(() => {
    Object.defineProperty(window, "indexedDB", {
      get() {
        throw new DOMException("storage is blocked", "SecurityError");
      },
    });
  });
  await harness.addInitScript(RECORD_INITS);
  await reload(harness);
  const runs = await harness.evaluate(async () => {
    const w = window as unknown as HarnessWindow;
    const out = [];
    for (let i = 0; i < 2; i++) {
      const sb = await w.islet.createSandbox({ spare: false });
      out.push(await sb.eval("typeof TextEncoder"));
      sb.terminate();
    }
    return { out, inits: w.inits };
  });
  expect(runs.out).toEqual([
    expect.objectContaining({ ok: true, value: "function" }),
    expect.objectContaining({ ok: true, value: "function" }),
  ]);
  // The page's image in memory still serves its second sandbox.
  expect(runs.inits).toEqual([
    { sent: false, make: true, returned: true },
    { sent: true, make: false, returned: false },
  ]);
});

test("a page with many kinds of sandbox keeps the images of the latest four only", async ({ harness }) => {
  const sizes = [40, 44, 48, 52, 56, 60].map((mib) => mib << 20);
  const runs = await harness.evaluate(async (sizes) => {
    const w = window as unknown as HarnessWindow;
    const out = [];
    for (const memoryBytes of sizes) {
      const sb = await w.islet.createSandbox({ spare: false, limits: { memoryBytes } });
      out.push(await sb.eval("1 + 1"));
      sb.terminate();
      // Each is written when the page is next idle, oldest first.
      await new Promise((r) => setTimeout(r, 300));
    }
    return out;
  }, sizes);
  expect(runs.every((r) => r.ok)).toBe(true);
  await expect
    .poll(async () => (await storedRecords(harness)).map((r) => (JSON.parse(r.key) as unknown[])[3]).sort())
    .toEqual(
      sizes
        .slice(-4)
        .map((bytes) => JSON.stringify([bytes, [], null]))
        .sort(),
    );
});
