/**
 * Engine reuse (runtime.ts: a disposed runtime's engine, returned to its
 * image, serves the next `JsRuntime.create({ snapshot })` of that image),
 * attacked by a hostile guest and a heavy host: nothing a disposed runtime's
 * guest left behind — data, hooks, pending work, host work in flight — ever
 * reaches the next runtime of the same image, and reuse never breaks a
 * runtime. Runs on both builds; the debug build never reuses an engine (it
 * frees, so its leak check runs), where every test still holds and
 * {@link engineCreations} shows the difference.
 */
import fc from "fast-check";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { GuestError, Interrupted, MemoryLimitExceeded, RuntimeFault } from "../errors.ts";
import type { LoadedModule, ModuleLoader } from "../modules/loader.ts";
import { op } from "../ops.ts";
import { defaultBuild } from "../quickjs.ts";
import { JsRuntime, type RuntimeOptions } from "../runtime.ts";
import type { RuntimeSnapshot } from "../snapshot.ts";
import { engineCreations, exposeOps } from "../test/helpers.ts";

const release = defaultBuild() === "release";
const SLOW = { timeout: 60_000 };

interface Deferred<T> {
  promise: Promise<T>;
  resolve(value: T): void;
  reject(error: unknown): void;
}
function deferred<T>(): Deferred<T> {
  let resolve!: (value: T) => void;
  let reject!: (error: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

/** Host work the guest starts and the test settles later (after the runtime that started it is gone). */
const waits: Deferred<unknown>[] = [];
/** The runtime an op call may dispose or reset from inside the guest. */
let reentrant: { runtime?: JsRuntime; action?: "dispose" | "reset" } = {};

const ext = exposeOps({
  op_wait: op.async(() => {
    const d = deferred<unknown>();
    waits.push(d);
    return d.promise;
  }),
  op_echo: op.sync((_s, v: unknown) => v),
  op_reenter: op.sync(() => {
    const { runtime, action } = reentrant;
    if (action === "dispose") runtime?.dispose();
    else runtime?.reset();
    return 1;
  }),
});

/** Module loads the test settles by hand: every load waits until `release(url, source)`. */
class SlowLoader implements ModuleLoader {
  readonly pending: { url: string; load: Deferred<LoadedModule> }[] = [];
  resolve(specifier: string, referrer: string): string {
    return new URL(specifier, referrer).href;
  }
  load(url: string): Promise<LoadedModule> {
    const load = deferred<LoadedModule>();
    this.pending.push({ url, load });
    return load.promise;
  }
}

async function imageOf(options: RuntimeOptions = {}): Promise<RuntimeSnapshot> {
  const boot = await JsRuntime.create({ extensions: [ext], ...options });
  const image = boot.snapshot();
  boot.dispose();
  return image;
}

async function using<T>(runtimes: JsRuntime[], body: () => Promise<T> | T): Promise<T> {
  try {
    return await body();
  } finally {
    for (const r of runtimes) r.dispose();
  }
}

/** Lets host promises (ops, loads) settle and their continuations run. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

/** Host-side unhandled rejections during a test: reuse must never leave one behind. */
const hostRejections: unknown[] = [];
const onRejection = (reason: unknown) => hostRejections.push(reason);
beforeEach(() => {
  hostRejections.length = 0;
  waits.length = 0;
  reentrant = {};
  process.on("unhandledRejection", onRejection);
});
afterEach(async () => {
  await settle();
  process.off("unhandledRejection", onRejection);
  expect(hostRejections).toEqual([]);
});

/** Everywhere guest A hides "A-SECRET", through the language, its built-ins and the runtime's pending work. */
const HIDE = `
globalThis.secret = "A-SECRET";
Object.prototype.leak = "A-SECRET";
Object.defineProperty(Array.prototype, "leakGetter", { get() { return "A-SECRET"; }, configurable: true });
Function.prototype.leak = "A-SECRET";
String.prototype.toString = function () { return "A-SECRET"; };
JSON.stringify = () => "A-SECRET";
globalThis[Symbol.for("islet.secret")] = "A-SECRET";
Symbol.for("A-SECRET");
/A-(SECRET)/.exec("before A-SECRET after");
Error.prepareStackTrace = () => "A-SECRET";
Error.stackTraceLimit = 0;
Math.random = () => 0.42;
Date.now = () => 42;
{
  const registry = new FinalizationRegistry((held) => { globalThis.finalized = held; });
  for (let i = 0; i < 100; i++) registry.register({}, "A-SECRET");
  globalThis.keepRegistry = registry;
  globalThis.weak = new WeakRef({ secret: "A-SECRET" });
}
Promise.resolve().then(() => { globalThis.job = "A-SECRET"; });
(async () => { await null; await null; globalThis.asyncJob = "A-SECRET"; })();
Promise.reject(new Error("A-SECRET rejection"));
core.startTimer(() => { globalThis.timer = "A-SECRET"; }, 1, true);
core.startTimer(() => { globalThis.unrefTimer = "A-SECRET"; }, 0, false);
t.op_wait().then((v) => { globalThis.opResult = v; }, (e) => { globalThis.opError = String(e); });
"hidden"`;

/**
 * What guest B can find: its globals and the built-ins' own properties, the
 * symbol registry, the legacy RegExp statics, the Error hooks, whatever
 * pending work may have run. JSON-serialised with B's own (fresh) built-ins.
 */
const SEEK = `(() => {
  const found = [];
  const look = (where, value) => { try { if (String(value).includes("SECRET")) found.push(where); } catch { found.push(where + " (throws)"); } };
  for (const name of Object.getOwnPropertyNames(globalThis)) {
    const d = Object.getOwnPropertyDescriptor(globalThis, name);
    if (d && "value" in d && typeof d.value !== "function" && typeof d.value !== "object") look("global " + name, d.value);
  }
  for (const name of ["secret", "finalized", "keepRegistry", "weak", "job", "asyncJob", "timer", "unrefTimer", "opResult", "opError"])
    if (name in globalThis) found.push("global " + name);
  look("Object.prototype.leak", ({}).leak);
  look("Array.prototype.leakGetter", [].leakGetter);
  look("Function.prototype.leak", (() => 0).leak);
  look("String.prototype.toString", new String("b").toString());
  look("JSON.stringify", JSON.stringify({ b: 1 }));
  look("Symbol.for registry", globalThis[Symbol.for("islet.secret")]);
  look("Symbol.keyFor", Symbol.keyFor(Symbol.for("A-SECRET")) === "A-SECRET" && typeof globalThis[Symbol.for("A-SECRET")] !== "undefined");
  for (const key of ["$1", "$2", "lastMatch", "$&", "input", "$_", "leftContext", "rightContext", "lastParen"]) look("RegExp." + key, RegExp[key]);
  look("Error.prepareStackTrace", Error.prepareStackTrace);
  look("error stack", new Error("b").stack);
  if (Error.stackTraceLimit !== undefined && Error.stackTraceLimit !== 10 && Error.stackTraceLimit !== Infinity) found.push("Error.stackTraceLimit " + Error.stackTraceLimit);
  const r = Math.random();
  if (r === 0.42) found.push("Math.random");
  if (Date.now() === 42) found.push("Date.now");
  return found;
})()`;

describe("nothing of a disposed runtime reaches the next runtime of its image", SLOW, () => {
  test("guest A hides data in globals, built-ins, the symbol registry, RegExp statics, Error hooks, finalizers, jobs, timers and ops; guest B finds none of it", async () => {
    const image = await imageOf();
    const baseline = await JsRuntime.create({ extensions: [ext], snapshot: image });
    const clean = await using([baseline], () => baseline.executeScript("seek.js", SEEK));
    expect(clean).toEqual([]);

    const a = await JsRuntime.create({ extensions: [ext], snapshot: image });
    expect(a.executeScript("hide.js", HIDE)).toBe("hidden");
    // A's own view proves the hiding places work (the seek finds them in A).
    expect((a.executeScript("seek.js", SEEK) as string[]).length).toBeGreaterThan(10);
    a.dispose();

    const { result: b, made } = await engineCreations(() => JsRuntime.create({ extensions: [ext], snapshot: image }));
    expect(made).toBe(release ? 0 : 1); // on release, B runs on A's engine
    await using([b], async () => {
      // A's op settles now, after its runtime is gone, while B has one of its own waiting.
      b.executeScript("b.js", "t.op_wait().then((v) => { globalThis.mine = v; }); 0");
      const loop = b.runEventLoop();
      waits[0]?.resolve("A-SECRET");
      await settle();
      expect(b.executeScript("seek.js", SEEK)).toEqual([]);
      expect(b.executeScript("mine.js", "typeof mine")).toBe("undefined");
      waits[1]?.resolve("B's own");
      await loop;
      expect(b.executeScript("mine.js", "mine")).toBe("B's own");
      // Garbage, then the loop: a finalizer A registered would run now.
      b.executeScript("gc.js", "for (let i = 0; i < 1e5; i++) ({ i }); 0");
      await b.runEventLoop();
      expect(b.executeScript("seek.js", SEEK)).toEqual([]);
    });
  });

  test("an async op of A that settles (or fails) after A's dispose reaches neither B nor the host", async () => {
    const image = await imageOf();
    for (const outcome of ["resolve", "reject"] as const) {
      const a = await JsRuntime.create({ extensions: [ext], snapshot: image });
      a.executeScript(
        "a.js",
        "for (let i = 0; i < 5; i++) t.op_wait().then((v) => { globalThis.got = v; }, (e) => { globalThis.got = String(e); }); 0",
      );
      const pending = a.evaluateScript("a2.js", "t.op_wait()");
      a.dispose();
      await expect(pending).rejects.toThrow(/disposed/);
      const b = await JsRuntime.create({ extensions: [ext], snapshot: image });
      await using([b], async () => {
        // B starts the same number of ops, so op ids / promise slots line up with A's.
        b.executeScript("b.js", "for (let i = 0; i < 6; i++) t.op_wait().then((v) => { globalThis.got = v; }); 0");
        for (const w of waits.splice(0, 6)) {
          if (outcome === "resolve") w.resolve("A-SECRET");
          else w.reject(new Error("A-SECRET"));
        }
        await settle();
        expect(b.executeScript("b.js", "typeof got")).toBe("undefined");
        for (const w of waits.splice(0)) w.resolve("B");
        await b.runEventLoop();
        expect(b.executeScript("b.js", "got")).toBe("B");
      });
    }
  });

  test("A's module load still in flight at dispose (a slow host loader) never lands in B, which loads and runs its own", async () => {
    const loader = new SlowLoader();
    const image = await imageOf({ moduleLoader: loader });
    const a = await JsRuntime.create({ extensions: [ext], snapshot: image, moduleLoader: loader });
    a.executeScript("a.js", `import("file:///lib.js").then((m) => { globalThis.got = m.value; }); 0`);
    const loop = a.runEventLoop().catch((e: unknown) => e);
    await settle();
    expect(loader.pending.map((p) => p.url)).toEqual(["file:///lib.js"]);
    a.interrupt();
    await loop;
    a.dispose();

    const b = await JsRuntime.create({ extensions: [ext], snapshot: image, moduleLoader: loader });
    await using([b], async () => {
      b.executeScript("b.js", `import("file:///lib.js").then((m) => { globalThis.got = m.value; }); 0`);
      const bLoop = b.runEventLoop();
      await settle();
      const [fromA, fromB] = loader.pending;
      fromA?.load.resolve({
        source: `globalThis.leak = "A-SECRET"; export const value = "A-SECRET";`,
        type: "js",
      });
      await settle();
      fromB?.load.resolve({ source: `export const value = "B's"; export const meta = import.meta.url;`, type: "js" });
      await bLoop;
      expect(b.executeScript("b.js", "[got, typeof leak].join()")).toBe("B's,undefined");
    });
  });

  test("modules A evaluated, their state and import.meta are gone: B's import of the same URL evaluates it afresh", async () => {
    const files: Record<string, string> = {
      "file:///side.js": "globalThis.sideRuns = (globalThis.sideRuns ?? 0) + 1; export const box = {};",
    };
    const loader: ModuleLoader = {
      resolve: (specifier, referrer) => new URL(specifier, referrer).href,
      load: async (url) => ({ source: files[url] ?? "", type: "js" }),
    };
    const image = await imageOf({ moduleLoader: loader });
    const run = async (rt: JsRuntime, source: string) => {
      const id = await rt.loadMainModule("file:///main.js", source);
      const evaluated = rt.evaluateModule(id);
      await rt.runEventLoop();
      await evaluated;
    };
    const a = await JsRuntime.create({ extensions: [ext], snapshot: image, moduleLoader: loader });
    await run(
      a,
      `import.meta.secret = "A-SECRET"; globalThis.meta = import.meta;
       const side = await import("./side.js"); side.box.secret = "A-SECRET";`,
    );
    expect(a.executeScript("a.js", "[sideRuns, meta.secret].join()")).toBe("1,A-SECRET");
    a.dispose();

    const b = await JsRuntime.create({ extensions: [ext], snapshot: image, moduleLoader: loader });
    await using([b], async () => {
      await run(
        b,
        `const side = await import("./side.js");
         globalThis.seen = [String(import.meta.secret), String(side.box.secret), globalThis.sideRuns, typeof globalThis.meta].join();`,
      );
      expect(b.executeScript("b.js", "seen")).toBe("undefined,undefined,1,undefined");
    });
  });

  test("Math.random: B does not replay or continue A's sequence, and runtimes alive together differ", async () => {
    const image = await imageOf();
    const draw = (rt: JsRuntime) => rt.executeScript("r.js", "Array.from({ length: 8 }, Math.random)") as number[];
    const a = await JsRuntime.create({ extensions: [ext], snapshot: image });
    const fromA = draw(a);
    a.dispose();
    const b = await JsRuntime.create({ extensions: [ext], snapshot: image });
    const c = await JsRuntime.create({ extensions: [ext], snapshot: image });
    await using([b, c], () => {
      const fromB = draw(b);
      const fromC = draw(c);
      for (const value of fromB) {
        expect(fromA).not.toContain(value);
        expect(fromC).not.toContain(value);
      }
    });
  });

  test("guest A replaces the built-ins the bridge could touch (then, push, defineProperty, iterators, JSON, call/apply); B's values, promises, ops and modules still work", async () => {
    const image = await imageOf();
    const exercise = async (rt: JsRuntime) => {
      const value = rt.executeScript(
        "v.js",
        "({ list: [1, 2, [3]], s: 'x', n: null, big: 10n, bytes: new Uint8Array([1, 2]) })",
      );
      const awaited = rt.evaluateScript("p.js", "Promise.resolve().then(() => [...new Set([1, 2])])");
      const echoed = rt.executeScript("e.js", "t.op_echo({ a: [1, { b: 2 }] })");
      const waited = rt.evaluateScript("w.js", "t.op_wait()");
      waits.shift()?.resolve({ ok: [1] });
      await rt.runEventLoop();
      const id = await rt.loadSideModule("file:///m.js", "export const m = [1, 2].map((x) => x * 2);");
      const evaluated = rt.evaluateModule(id);
      await rt.runEventLoop();
      await evaluated;
      return [value, await awaited, echoed, await waited, rt.getModuleNamespace(id)];
    };
    const expected = await (async () => {
      const rt = await JsRuntime.create({ extensions: [ext], snapshot: image });
      return using([rt], () => exercise(rt));
    })();
    const a = await JsRuntime.create({ extensions: [ext], snapshot: image });
    a.executeScript(
      "replace.js",
      `const boom = () => { throw new Error("A-SECRET hook"); };
       try { Object.defineProperty(Symbol, "iterator", { value: Symbol("fake") }); } catch {}
       Promise.prototype.then = boom; Promise.resolve = boom; Array.prototype.push = boom; Array.prototype.map = boom;
       Object.defineProperty = boom; Object.defineProperties = boom; Object.keys = boom; Object.entries = boom;
       Array.prototype[Symbol.iterator] = boom; Set.prototype[Symbol.iterator] = boom; Map.prototype[Symbol.iterator] = boom;
       JSON.parse = boom; JSON.stringify = boom; Function.prototype.call = boom; Function.prototype.apply = boom;
       Reflect.apply = boom; Reflect.ownKeys = boom; Object.prototype.then = boom; 0`,
    );
    a.dispose();
    const b = await JsRuntime.create({ extensions: [ext], snapshot: image });
    await using([b], async () => expect(await exercise(b)).toEqual(expected));
  });

  test("an op that disposes or resets its own runtime from inside the guest never hands a live engine on", async () => {
    const image = await imageOf();
    for (const action of ["dispose", "reset"] as const) {
      const a = await JsRuntime.create({ extensions: [ext], snapshot: image });
      reentrant = { runtime: a, action };
      let thrown: unknown;
      try {
        a.executeScript(
          "a.js",
          `globalThis.before = 1; try { t.op_reenter(); } catch {} globalThis.secret = "A-SECRET"; 0`,
        );
      } catch (error) {
        thrown = error;
      }
      reentrant = {};
      if (action === "reset") {
        // Refused: A's call goes on, unharmed, and A stays usable.
        expect(thrown).toBeUndefined();
        expect(a.executeScript("a.js", "[before, secret].join()")).toBe("1,A-SECRET");
      }
      a.dispose();
      // Whatever A did to its engine, the next runtimes of the image are whole and clean; an
      // engine disposed under a running call (its stack live, then aborted) is never one of them.
      for (let i = 0; i < 3; i++) {
        const { result: b, made } = await engineCreations(() =>
          JsRuntime.create({ extensions: [ext], snapshot: image }),
        );
        if (action === "dispose" && i === 0) expect(made).toBe(1);
        await using([b], () => {
          expect(b.executeScript("b.js", "[typeof before, typeof secret, t.op_echo(7), [1, 2].join()].join()")).toBe(
            "undefined,undefined,7,1,2",
          );
        });
      }
    }
  });
});

describe("a host holding the disposed runtime", SLOW, () => {
  test("every call on A after B took its engine is refused, and none of them reaches B (interrupt and deadlines included)", async () => {
    const image = await imageOf();
    const a = await JsRuntime.create({ extensions: [ext], snapshot: image });
    a.executeScript("a.js", "globalThis.exposed = () => 'A-SECRET'; core.exposeToHost('leak', exposed); 0");
    const id = await a.loadSideModule("file:///a.js", "export const secret = 'A-SECRET';");
    a.dispose();
    const b = await JsRuntime.create({ extensions: [ext], snapshot: image });
    await using([b], async () => {
      b.executeScript("b.js", "globalThis.mine = 'B'; 0");
      const calls: [string, () => unknown][] = [
        ["executeScript", () => a.executeScript("x.js", "globalThis.mine = 'A-SECRET'")],
        ["evaluateScript", () => a.evaluateScript("x.js", "globalThis.mine = 'A-SECRET'")],
        ["callExposed", () => a.callExposed("leak")],
        ["runEventLoop", () => a.runEventLoop()],
        ["memoryUsed", () => a.memoryUsed()],
        ["loadMainModule", () => a.loadMainModule("file:///m.js", "globalThis.mine = 'A-SECRET';")],
        ["evaluateModule", () => a.evaluateModule(id)],
        ["getModuleNamespace", () => a.getModuleNamespace(id)],
        ["reset", () => a.reset()],
        ["snapshot", () => a.snapshot()],
      ];
      for (const [name, call] of calls) {
        await expect(
          (async () => {
            await call();
          })(),
          name,
        ).rejects.toThrow(/disposed/);
      }
      // A's stop button and deadline belong to A: B's call runs to its end.
      a.interrupt();
      a.setWallDeadline(0);
      expect(b.executeScript("b.js", "let n = 0; for (let i = 0; i < 3e5; i++) n += i; [mine, n].join()")).toBe(
        `B,${(3e5 * (3e5 - 1)) / 2}`,
      );
      // The name A's guest exposed to the host names nothing in B.
      expect(() => b.callExposed("leak")).toThrow(/leak/);
      a.dispose(); // twice: a no-op, B's engine untouched
      expect(b.executeScript("b.js", "t.op_echo(mine)")).toBe("B");
    });
  });

  test("each runtime gets its own stack limit, whatever the one before had: a deep recursion stops at the same depth as on a new engine", async () => {
    const image = await imageOf();
    const depth = (rt: JsRuntime) =>
      rt.executeScript(
        "deep.js",
        "let d = 0; const f = () => { d++; f(); }; try { f(); } catch (e) { if (!String(e).includes('stack overflow')) throw e; } d",
      );
    const measure = async (stackBytes: number, before?: number) => {
      if (before !== undefined) {
        // The engine B takes last ran a runtime with another stack limit.
        const a = await JsRuntime.create({ extensions: [ext], snapshot: image, limits: { stackBytes: before } });
        depth(a);
        a.dispose();
      }
      const rt = await JsRuntime.create({ extensions: [ext], snapshot: image, limits: { stackBytes } });
      return using([rt], () => depth(rt));
    };
    const small = 64 << 10;
    const large = 256 << 10;
    const expected = [await measure(small), await measure(large)];
    expect(expected[0]).toBeLessThan(expected[1] as number);
    expect([await measure(small, large), await measure(large, small)]).toEqual(expected);
  });

  test("an engine of one image never serves another image, even of the same extensions", async () => {
    const first = await imageOf();
    const second = await imageOf();
    // Takes the engine the second image's bootstrap left parked: none waits for it now.
    const held = await JsRuntime.create({ extensions: [ext], snapshot: second });
    const a = await JsRuntime.create({ extensions: [ext], snapshot: first });
    a.executeScript("a.js", "globalThis.secret = 'A-SECRET'; 0");
    a.dispose();
    // The second image makes a new engine; the first image's parked one waits for its own image.
    const { result: b, made } = await engineCreations(() => JsRuntime.create({ extensions: [ext], snapshot: second }));
    const { result: c, made: reused } = await engineCreations(() =>
      JsRuntime.create({ extensions: [ext], snapshot: first }),
    );
    await using([held, b, c], () => {
      expect(made).toBe(1);
      expect(reused).toBe(release ? 0 : 1);
      for (const rt of [b, c]) expect(rt.executeScript("s.js", "typeof secret")).toBe("undefined");
    });
  });
});

describe("reuse under load", SLOW, () => {
  /** How a runtime's call may end badly, each followed by dispose (and then reuse, or not). */
  const SPOILS: Record<string, (rt: JsRuntime) => Promise<unknown>> = {
    cpu: async (rt) => rt.executeScript("spin.js", "globalThis.dirty = 1; for (;;) {}"),
    builtin: async (rt) =>
      rt.executeScript("join.js", "globalThis.dirty = 1; const a = []; a.length = 2 ** 32 - 1; a.join()"),
    memory: async (rt) => rt.executeScript("oom.js", "globalThis.dirty = []; for (;;) dirty.push('x'.repeat(1 << 16))"),
    interrupt: async (rt) => {
      rt.executeScript("t.js", "globalThis.dirty = 1; t.op_wait(); 0");
      const loop = rt.runEventLoop();
      rt.interrupt();
      return loop;
    },
    throws: async (rt) => rt.executeScript("throw.js", "globalThis.dirty = 1; throw new Error('A-SECRET')"),
  };
  const stopped = [Interrupted, MemoryLimitExceeded, GuestError, RuntimeFault];

  test("property: runtimes of one image created, used, spoiled and disposed in any interleaving each see only their own state", {
    timeout: 300_000,
  }, async () => {
    const limits = { memoryBytes: 32 << 20, cpuMs: 150 };
    const image = await imageOf({ limits });
    const make = () => JsRuntime.create({ extensions: [ext], snapshot: image, limits });
    const command = fc.oneof(
      fc.constant({ kind: "create" as const }),
      fc.record({ kind: fc.constant("write" as const), at: fc.nat(), value: fc.string({ maxLength: 8 }) }),
      fc.record({ kind: fc.constant("check" as const), at: fc.nat() }),
      fc.record({ kind: fc.constant("dispose" as const), at: fc.nat() }),
      fc.record({ kind: fc.constant("spoil" as const), at: fc.nat(), how: fc.constantFrom(...Object.keys(SPOILS)) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(command, { minLength: 1, maxLength: release ? 14 : 6 }), async (commands) => {
        const live: { rt: JsRuntime; mine: string[] }[] = [];
        const check = ({ rt, mine }: { rt: JsRuntime; mine: string[] }) =>
          expect(
            rt.executeScript(
              "check.js",
              "[typeof dirty, JSON.stringify(Object.keys(globalThis).filter((k) => k.startsWith('w_')).map((k) => globalThis[k]))].join('|')",
            ),
          ).toBe(`undefined|${JSON.stringify(mine)}`);
        try {
          for (const c of commands) {
            if (c.kind === "create") {
              if (live.length < 4) live.push({ rt: await make(), mine: [] });
              continue;
            }
            const entry = live[c.at % Math.max(1, live.length)];
            if (entry === undefined) continue;
            if (c.kind === "write") {
              entry.rt.executeScript("w.js", `globalThis["w_${entry.mine.length}"] = ${JSON.stringify(c.value)}; 0`);
              entry.mine.push(c.value);
            } else if (c.kind === "check") {
              check(entry);
            } else {
              if (c.kind === "spoil") {
                const error = await (SPOILS[c.how] as (rt: JsRuntime) => Promise<unknown>)(entry.rt).then(
                  () => undefined,
                  (e: unknown) => e,
                );
                expect(
                  stopped.some((cls) => error instanceof cls),
                  String(error),
                ).toBe(true);
              }
              live.splice(live.indexOf(entry), 1);
              entry.rt.dispose();
            }
          }
          for (const entry of live) check(entry);
          // After any history, a new runtime of the image is clean and whole.
          const next = await make();
          live.push({ rt: next, mine: [] });
          check({ rt: next, mine: [] });
          expect(next.executeScript("ok.js", "t.op_echo([1, 2].map((x) => x + 1))")).toEqual([2, 3]);
        } finally {
          for (const { rt } of live) rt.dispose();
        }
      }),
      { numRuns: release ? 60 : 6 },
    );
  });

  test("soak: thousands of create/use/dispose cycles of one image keep the wasm heap, the guest heap and host memory flat", {
    timeout: 600_000,
  }, async () => {
    const image = await imageOf();
    const cycles = release ? 2000 : 20;
    const WORK = [
      "globalThis.junk = Array.from({ length: 2000 }, (_, i) => ({ i, s: 'x' + i })); 0",
      "globalThis.big = 'y'.repeat(1 << 20); 0",
      "Object.prototype.p = 1; Array.prototype.push = null; 0",
      "core.startTimer(() => {}, 1000, true); t.op_wait(); Promise.reject(new Error('x')); 0",
      "globalThis.map = new Map(Array.from({ length: 5000 }, (_, i) => [i, [i]])); 0",
      "t.op_echo({ deep: Array.from({ length: 500 }, (_, i) => ({ i })) }).deep.length",
      "for (;;) {}",
    ];
    const fresh = async () => {
      const rt = await JsRuntime.create({ extensions: [ext], snapshot: image, limits: { cpuMs: 50 } });
      return using([rt], () => ({ used: rt.memoryUsed(), free: release ? rt.wasmHeapFreeBytes() : 0 }));
    };
    const first = await fresh();
    let rng = 12345;
    const next = () => {
      rng = (rng * 1103515245 + 12345) & 0x7fffffff;
      return rng;
    };
    const samples: { cycle: number; used: number; free: number; heap: number; rss: number }[] = [];
    for (let cycle = 0; cycle < cycles; cycle++) {
      const rt = await JsRuntime.create({ extensions: [ext], snapshot: image, limits: { cpuMs: 50 } });
      for (let k = next() % 3; k >= 0; k--) {
        try {
          rt.executeScript("work.js", WORK[next() % WORK.length] as string);
        } catch {
          // a stopped or failed step is part of the history
        }
      }
      rt.dispose();
      waits.length = 0; // their promises are dropped with the runtime
      if ((cycle + 1) % (cycles / 4) === 0) {
        const { used, free } = await fresh();
        const { heapUsed: heap, rss } = process.memoryUsage();
        samples.push({ cycle: cycle + 1, used, free, heap, rss });
      }
    }
    console.log(
      `engine reuse soak (${defaultBuild()}): fresh runtime memoryUsed ${first.used} → ${samples.map((s) => s.used).join(", ")}; ` +
        `wasm heap free ${first.free} → ${samples.map((s) => s.free).join(", ")}; ` +
        `host heapUsed MiB ${samples.map((s) => (s.heap / 2 ** 20).toFixed(1)).join(", ")}; rss MiB ${samples.map((s) => (s.rss / 2 ** 20).toFixed(1)).join(", ")}`,
    );
    for (const s of samples) {
      expect(s.used).toBe(first.used);
      if (release) expect(s.free).toBe(first.free);
    }
    const [early, ...later] = samples;
    // Host memory: no growth per cycle beyond noise (generous: 64 MiB over the last three quarters of the run).
    for (const s of later) expect(s.heap - (early?.heap ?? 0)).toBeLessThan(64 << 20);
  });
});
