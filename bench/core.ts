/**
 * Core bridge benchmarks: Islet's ops vs. the same work through raw
 * quickjs-emscripten in the same process and run. Each row is a ratio, so the
 * machine's noise cancels out as much as it can.
 */
import { defineExtension, JsRuntime, op } from "@islet/core";
import releaseVariant from "@jitl/quickjs-wasmfile-release-sync";
import { newQuickJSWASMModuleFromVariant, type QuickJSContext, type QuickJSRuntime } from "quickjs-emscripten-core";

export interface Row {
  name: string;
  islet: number;
  raw: number;
  unit: string;
  target?: string;
}

const now = () => performance.now();

/** Per-iteration µs of `body` inside a guest loop, minus the empty loop. Best of `rounds`. */
function perCall(run: (src: string) => void, setup: string, body: string, n: number, rounds = 5): number {
  const loop = (b: string) => `${setup}; for (let i = 0; i < ${n}; i++) { ${b} }`;
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < rounds; r++) {
    const t0 = now();
    run(loop(body));
    const t1 = now();
    run(loop("sink = i"));
    const t2 = now();
    best = Math.min(best, (t1 - t0 - (t2 - t1)) / n);
  }
  return Math.max(best, 0) * 1000;
}

const STRING_100 = "x".repeat(100);

export async function coreBench(): Promise<Row[]> {
  const benchExt = defineExtension({
    name: "bench",
    ops: {
      op_add: op.sync((_s, a: number, b: number) => a + b),
      op_str: op.sync((_s, s: string) => s),
      op_obj: op.sync((_s, o: { a: number; b: string }) => ({ a: o.a + 1, b: o.b })),
      op_async: op.async(async (_s, x: number) => x),
    },
    esm: {
      "ext:bench/mod.js": `import { op_add, op_str, op_obj, op_async } from "ext:core/ops";
        globalThis.b = { op_add, op_str, op_obj, op_async };`,
    },
    esmEntryPoints: ["ext:bench/mod.js"],
  });
  const islet = await JsRuntime.create({ extensions: [benchExt], limits: { cpuMs: 600_000 } });
  const isletRun = (src: string) => void islet.executeScript("bench.js", `${src}; 0`);

  const module = await newQuickJSWASMModuleFromVariant(releaseVariant);
  const rawRt: QuickJSRuntime = module.newRuntime();
  const raw: QuickJSContext = rawRt.newContext();
  const fns = {
    add: raw.newFunction("add", (a, b) => raw.newNumber(raw.getNumber(a) + raw.getNumber(b))),
    str: raw.newFunction("str", (s) => raw.newString(raw.getString(s))),
    obj: raw.newFunction("obj", (o) => {
      const v = raw.dump(o) as { a: number; b: string };
      const out = raw.newObject();
      raw.newNumber(v.a + 1).consume((h) => raw.setProp(out, "a", h));
      raw.newString(v.b).consume((h) => raw.setProp(out, "b", h));
      return out;
    }),
  };
  for (const [k, h] of Object.entries(fns)) {
    raw.setProp(raw.global, k, h);
    h.dispose();
  }
  const rawRun = (src: string) => raw.unwrapResult(raw.evalCode(`${src}; 0`)).dispose();
  const setup = `var sink; var s100 = "${STRING_100}"; var o = { a: 1, b: "small" }`;
  const N = 100_000;

  const rows: Row[] = [];
  rows.push({
    name: "sync op: 2 numbers in, 1 out",
    islet: perCall(isletRun, setup, "sink = b.op_add(i, 1)", N),
    raw: perCall(rawRun, setup, "sink = add(i, 1)", N),
    unit: "µs/call",
    target: "≤ 0.3 µs, ≤ 0.06×",
  });
  rows.push({
    name: "sync op: 100-char string in and out",
    islet: perCall(isletRun, setup, "sink = b.op_str(s100)", N),
    raw: perCall(rawRun, setup, "sink = str(s100)", N),
    unit: "µs/call",
    target: "≤ 1 µs",
  });
  rows.push({
    name: "sync op: small object in and out",
    islet: perCall(isletRun, setup, "sink = b.op_obj(o)", N / 4),
    raw: perCall(rawRun, setup, "sink = obj(o)", N / 4),
    unit: "µs/call",
    target: "≤ 3 µs",
  });

  // Awaited async op vs. a bare newPromise round trip.
  const M = 20_000;
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < 3; r++) {
    islet.executeScript("a.js", `(async () => { for (let i = 0; i < ${M}; i++) await b.op_async(i); })(); 0`);
    const t0 = now();
    await islet.runEventLoop();
    best = Math.min(best, ((now() - t0) / M) * 1000);
  }
  const isletAsync = best;
  const rawAsyncFn = raw.newFunction("later", (x) => {
    const d = raw.newPromise();
    const v = raw.getNumber(x);
    queueMicrotask(() => {
      raw.newNumber(v).consume((h) => d.resolve(h));
      d.dispose();
      rawRt.executePendingJobs();
    });
    return d.handle;
  });
  raw.setProp(raw.global, "later", rawAsyncFn);
  rawAsyncFn.dispose();
  best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < 3; r++) {
    raw
      .unwrapResult(
        raw.evalCode(
          `globalThis.done = false; (async () => { for (let i = 0; i < ${M}; i++) await later(i); done = true })(); 0`,
        ),
      )
      .dispose();
    const t0 = now();
    rawRt.executePendingJobs();
    for (;;) {
      await new Promise<void>((r) => setImmediate(r));
      const done = raw.getProp(raw.global, "done");
      const isDone = raw.dump(done) === true;
      done.dispose();
      if (isDone) break;
    }
    best = Math.min(best, ((now() - t0) / M) * 1000);
  }
  rows.push({ name: "awaited async op round trip", islet: isletAsync, raw: best, unit: "µs/op", target: "≤ 3 µs" });

  // CPU-bound guest code: Islet (interrupt handler with a deadline) vs. no handler.
  const cpu = "(() => { let acc = 0; for (let i = 0; i < 3e6; i++) { acc = (acc + i * i) % 1000003 } return acc })()";
  const time = (f: () => void) => {
    let b = Number.POSITIVE_INFINITY;
    for (let r = 0; r < 5; r++) {
      const t0 = now();
      f();
      b = Math.min(b, now() - t0);
    }
    return b;
  };
  rows.push({
    name: "CPU-bound script (3e6 iterations)",
    islet: time(() => isletRun(cpu)),
    raw: time(() => rawRun(cpu)),
    unit: "ms",
    target: "interrupt handler ≤ 3 % overhead",
  });

  // Creating a runtime with no extensions vs. a raw runtime + context on an already loaded module.
  const created: number[] = [];
  for (let r = 0; r < 5; r++) {
    const t0 = now();
    const rt = await JsRuntime.create();
    created.push(now() - t0);
    rt.dispose();
  }
  const rawCreated: number[] = [];
  for (let r = 0; r < 5; r++) {
    const t0 = now();
    const m = await newQuickJSWASMModuleFromVariant(releaseVariant);
    const rr = m.newRuntime();
    const c = rr.newContext();
    rawCreated.push(now() - t0);
    c.dispose();
    rr.dispose();
  }
  rows.push({
    name: "JsRuntime.create(), no extensions (raw: new wasm module + runtime + context)",
    islet: Math.min(...created),
    raw: Math.min(...rawCreated),
    unit: "ms",
  });

  islet.dispose();
  raw.dispose();
  rawRt.dispose();
  return rows;
}
