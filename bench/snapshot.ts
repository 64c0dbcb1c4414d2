/**
 * Snapshots (issue 12): a sandbox with web() created from an image vs. by
 * bootstrapping it, vs. raw quickjs-emscripten's runtime + context on a shared
 * module; reset in place; the image's size and the time to make it. Medians
 * of many rounds, all in this process and run.
 */
import { gzipSync } from "node:zlib";
import { JsRuntime } from "@islet/core";
import { web } from "@islet/web";
import releaseVariant from "@jitl/quickjs-wasmfile-release-sync";
import { newQuickJSWASMModuleFromVariant } from "quickjs-emscripten-core";
import type { Row } from "./core.ts";

const now = () => performance.now();

async function median(rounds: number, f: () => unknown | Promise<unknown>): Promise<number> {
  return (await timed(rounds, f)).median;
}

/** Median and mean (total ÷ rounds: what many creates cost, collections included) after `warmUp` untimed rounds. */
async function timed(rounds: number, f: () => unknown | Promise<unknown>, warmUp = 0) {
  for (let r = 0; r < warmUp; r++) await f();
  const times: number[] = [];
  const start = now();
  for (let r = 0; r < rounds; r++) {
    const t0 = now();
    await f();
    times.push(now() - t0);
  }
  const mean = (now() - start) / rounds;
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)] as number, mean };
}

const WARM_UP = 300;
const MEASURED = 1000;

export async function snapshotBench(): Promise<Row[]> {
  const shared = await newQuickJSWASMModuleFromVariant(releaseVariant);
  // Both sides of the first row run WARM_UP rounds first, so V8 has compiled both hosts' code
  // (a sandbox host creates many); what is timed then is steady-state creates.
  const rawTimes = await timed(
    MEASURED,
    () => {
      const rt = shared.newRuntime();
      const ctx = rt.newContext();
      ctx.unwrapResult(ctx.evalCode("1 + 1")).dispose();
      ctx.dispose();
      rt.dispose();
    },
    WARM_UP,
  );

  const extensions = web();
  const booted = await JsRuntime.create({ extensions });
  const makeImage = await median(1, () => booted.snapshot());
  const image = booted.snapshot();
  booted.dispose();
  // Taking the image again on a fresh bootstrap, for a median of the real cost.
  const makeTimes: number[] = [makeImage];
  for (let i = 0; i < 4; i++) {
    const rt = await JsRuntime.create({ extensions });
    const t0 = now();
    rt.snapshot();
    makeTimes.push(now() - t0);
    rt.dispose();
  }
  makeTimes.sort((a, b) => a - b);

  const bootstrap = await median(10, async () => {
    const rt = await JsRuntime.create({ extensions });
    rt.executeScript("first.js", "1 + 1");
    rt.dispose();
  });
  // Each disposed sandbox leaves its engine, reset, for the next create of the image.
  const restoreTimes = await timed(
    MEASURED,
    async () => {
      const rt = await JsRuntime.create({ extensions, snapshot: image });
      rt.executeScript("first.js", "1 + 1");
      rt.dispose();
    },
    WARM_UP,
  );
  // A new wasm instance: first the engines disposed sandboxes left (a few per image) are taken.
  const coldTimes: number[] = [];
  for (let i = 0; i < 10; i++) {
    const holders = await Promise.all([0, 1, 2].map(() => JsRuntime.create({ extensions, snapshot: image })));
    const t0 = now();
    const rt = await JsRuntime.create({ extensions, snapshot: image });
    rt.executeScript("first.js", "1 + 1");
    coldTimes.push(now() - t0);
    rt.dispose();
    for (const h of holders) h.dispose();
  }
  coldTimes.sort((a, b) => a - b);
  const cold = coldTimes[Math.floor(coldTimes.length / 2)] as number;

  const sandbox = await JsRuntime.create({ extensions, snapshot: image });
  const program = `(() => { globalThis.state = new URL("https://example.com/?q=" + Math.random()).search;
    const t = new TextEncoder().encode(state.repeat(100)); setTimeout(() => {}, 1); return t.length; })()`;
  const reset = await median(200, () => {
    sandbox.executeScript("run.js", program);
    sandbox.reset();
  });
  const runOnly = await median(200, () => {
    sandbox.executeScript("run.js", program);
  });
  sandbox.reset();
  sandbox.dispose();
  const resetOnly = Math.max(reset - runOnly, 0);

  // Memory the host sees (resident set), per live sandbox: restored, run, reset (a fresh run
  // or a pool release) — against raw runtimes + contexts kept alive the same way.
  const rssMiB = () => process.memoryUsage().rss / 2 ** 20;
  const LIVE = 10;
  const resident = async (make: () => Promise<() => void>) => {
    const before = rssMiB();
    const live = [];
    for (let i = 0; i < LIVE; i++) live.push(await make());
    const per = (rssMiB() - before) / LIVE;
    for (const free of live) free();
    return per;
  };
  const rawResident = await resident(async () => {
    const rt = shared.newRuntime();
    const ctx = rt.newContext();
    ctx.unwrapResult(ctx.evalCode("1 + 1")).dispose();
    return () => {
      ctx.dispose();
      rt.dispose();
    };
  });
  // New instances: the engines disposed sandboxes left are held aside meanwhile.
  const holders = await Promise.all([0, 1].map(() => JsRuntime.create({ extensions, snapshot: image })));
  const resetResident = await resident(async () => {
    const rt = await JsRuntime.create({ extensions, snapshot: image });
    rt.executeScript("run.js", program);
    rt.reset();
    return () => rt.dispose();
  });
  for (const h of holders) h.dispose();

  const raw = rawTimes.median;
  const restore = restoreTimes.median;
  const gzipped = gzipSync(image.memory).byteLength;
  const KiB = 1024;
  return [
    {
      name: `web() sandbox from snapshot (engine reused) → first result vs raw runtime+context (mean of ${MEASURED} after ${WARM_UP} warm-up rounds, collections included)`,
      islet: restoreTimes.mean,
      raw: rawTimes.mean,
      unit: "ms",
      target: "≤ 1.5×",
    },
    {
      name: "the same, medians (a create without a collection in it)",
      islet: restore,
      raw,
      unit: "ms",
    },
    {
      name: "web() sandbox: bootstrap (islet) ÷ from snapshot, engine reused (raw column) = speedup",
      islet: bootstrap,
      raw: restore,
      unit: "ms",
      target: "≥ 10×",
    },
    {
      name: "web() sandbox from snapshot (new wasm instance) → first result vs raw runtime+context",
      islet: cold,
      raw,
      unit: "ms",
    },
    {
      name: "web() sandbox: bootstrap (islet) ÷ from snapshot, new instance (raw column) = speedup",
      islet: bootstrap,
      raw: cold,
      unit: "ms",
    },
    {
      name: "reset in place (a web() sandbox after a small program) vs raw runtime+context",
      islet: resetOnly,
      raw,
      unit: "ms",
      target: "≤ 1 ms",
    },
    {
      name: `resident memory per live sandbox: restored, run, reset (${LIVE} kept) vs raw runtime+context`,
      islet: resetResident,
      raw: rawResident,
      unit: "MiB",
    },
    {
      name: `snapshot image: bytes (islet) vs gzip (raw column); ${image.layout.segments.length} segments`,
      islet: image.memory.byteLength / KiB,
      raw: gzipped / KiB,
      unit: "KiB",
    },
    {
      name: "time to make the image (snapshot()) vs raw runtime+context",
      islet: makeTimes[Math.floor(makeTimes.length / 2)] as number,
      raw,
      unit: "ms",
    },
  ];
}
