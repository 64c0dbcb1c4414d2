/**
 * Snapshots (snapshot.ts): an image of a bootstrapped runtime restores with
 * everything bootstrap made, reset() leaves nothing of the previous run, and
 * an image that does not fit the runtime is refused before any memory is
 * touched. Runs on both QuickJS builds (the debug build fails a leaked handle
 * at dispose, so every restored or reset runtime here also proves it frees
 * cleanly).
 */
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { GuestError, Interrupted, MemoryLimitExceeded, RuntimeFault } from "./errors.ts";
import { defineExtension, type Extension } from "./extension.ts";
import { MemoryModuleLoader } from "./modules/loader.ts";
import { op } from "./ops.ts";
import { defaultBuild } from "./quickjs.ts";
import type { Resource } from "./resources.ts";
import { JsRuntime, type RuntimeOptions } from "./runtime.ts";
import { type RuntimeSnapshot, SnapshotMismatch } from "./snapshot.ts";
import { newMemories } from "./test/helpers.ts";

const release = defaultBuild() === "release";

class Handle implements Resource {
  readonly name = "handle";
  closed = false;
  close(): void {
    this.closed = true;
  }
}
const opened: Handle[] = [];
const never: { settle?: () => void } = {};
let stateRuns = 0;

/** A bootstrap with state worth keeping: a class, a closure, a counter, ops on globalThis. */
function testExtension(extraOp = false): Extension {
  return defineExtension({
    name: "snap_test",
    ops: {
      op_snap_add: op.sync((_s, a: number, b: number) => a + b),
      op_snap_open: op.sync((state) => {
        const h = new Handle();
        opened.push(h);
        return state.resourceTable.add(h);
      }),
      op_snap_never: op.async(
        () =>
          new Promise<void>((resolve) => {
            never.settle = resolve;
          }),
      ),
      ...(extraOp ? { op_snap_extra: op.sync(() => 1) } : {}),
    },
    esm: {
      "ext:snap_test/mod.js": `import { op_snap_add, op_snap_open, op_snap_never } from "ext:core/ops";
import { core } from "ext:core/mod.js";
class Point { constructor(x, y) { this.x = x; this.y = y; } norm() { return Math.hypot(this.x, this.y); } }
let bootCount = 0;
const tick = () => ++bootCount;
tick(); tick();
globalThis.snap = { Point, tick, add: op_snap_add, open: op_snap_open, never: op_snap_never,
  later: (fn, ms) => core.startTimer(fn, ms, true), bootTable: new Map([["a", 1]]) };`,
    },
    esmEntryPoints: ["ext:snap_test/mod.js"],
    state: () => {
      stateRuns++;
    },
  });
}

async function bootstrapped(options: RuntimeOptions = {}): Promise<{ runtime: JsRuntime; image: RuntimeSnapshot }> {
  const runtime = await JsRuntime.create({ extensions: [testExtension()], ...options });
  return { runtime, image: runtime.snapshot() };
}

async function using<T>(runtimes: JsRuntime[], body: () => Promise<T> | T): Promise<T> {
  try {
    return await body();
  } finally {
    for (const r of runtimes) r.dispose();
  }
}

/** What a guest may do before a reset or a dispose: pollution, pending work, errors, big values. */
const GUEST_ACTIONS = fc.constantFrom(
  "globalThis.g = 1",
  "Object.prototype.polluted = 1",
  "Array.prototype.push = () => 0",
  "delete globalThis.snap",
  "Promise.prototype.then = null",
  "snap.bootTable.clear()",
  "snap.later(() => { globalThis.t = 1 }, 0)",
  "snap.open()",
  "snap.never(); 0",
  "throw new Error('x')",
  "Promise.reject(1)",
  "globalThis.s = 'y'.repeat(100000)",
);

// The debug build bootstraps and restores many times slower (LeakSanitizer's allocator).
const SLOW = { timeout: release ? 20_000 : 120_000 };

describe("restore", SLOW, () => {
  test("a restored runtime has everything bootstrap made: classes, closures and their state, ops, host state rebuilt", async () => {
    const { runtime, image } = await bootstrapped();
    const before = stateRuns;
    const restored = await JsRuntime.create({ extensions: [testExtension()], snapshot: image });
    await using([runtime, restored], () => {
      expect(stateRuns).toBe(before + 1);
      expect(restored.executeScript("a.js", "new snap.Point(3, 4).norm()")).toBe(5);
      // The closure's counter was 2 when the image was taken.
      expect(restored.executeScript("b.js", "snap.tick()")).toBe(3);
      expect(restored.executeScript("c.js", "snap.add(40, 2) + snap.bootTable.get('a')")).toBe(43);
      expect(restored.executeScript("d.js", "typeof __islet_bootstrap")).toBe("undefined");
      // Two runtimes from one image are independent.
      restored.executeScript("e.js", "globalThis.mine = 1");
      const again = runtime.executeScript("f.js", "typeof mine + ' ' + snap.tick()");
      expect(again).toBe("undefined 3");
    });
  });

  test("a restored runtime loads modules, imports dynamically, runs timers and reports unhandled rejections", async () => {
    const { runtime, image } = await bootstrapped();
    const loader = new MemoryModuleLoader({
      files: {
        "main.js": `const { twice } = await import("./lib.js"); globalThis.out = twice(21);
          snap.later(() => { globalThis.timer = "fired"; }, 1);`,
        "lib.js": "export const twice = (x) => x * 2;",
      },
    });
    const restored = await JsRuntime.create({ extensions: [testExtension()], snapshot: image, moduleLoader: loader });
    await using([runtime, restored], async () => {
      const id = await restored.loadMainModule("main.js");
      const done = restored.evaluateModule(id);
      await restored.runEventLoop();
      await done;
      expect(restored.executeScript("x.js", "[out, timer].join()")).toBe("42,fired");
      if (restored.tracksUnhandledRejections) {
        restored.executeScript("r.js", "Promise.reject(new Error('lost')); 0");
        await expect(restored.runEventLoop()).rejects.toThrow(/lost/);
      }
    });
  });

  test("restored runtimes each get their own Math.random sequence", async () => {
    const { runtime, image } = await bootstrapped();
    const a = await JsRuntime.create({ extensions: [testExtension()], snapshot: image });
    const b = await JsRuntime.create({ extensions: [testExtension()], snapshot: image });
    await using([runtime, a, b], () => {
      const draw = "Array.from({ length: 4 }, Math.random).join()";
      expect(a.executeScript("a.js", draw)).not.toBe(b.executeScript("b.js", draw));
    });
  });

  test("every reset draws a new Math.random seed, across many resets (seeds are drawn in batches)", async () => {
    const { runtime, image } = await bootstrapped();
    const rt = await JsRuntime.create({ extensions: [testExtension()], snapshot: image });
    await using([runtime, rt], () => {
      const draws = new Set<unknown>();
      for (let i = 0; i < 600; i++) {
        draws.add(rt.executeScript("d.js", "Math.random()"));
        rt.reset();
      }
      expect(draws.size).toBe(600);
    });
  });

  test("the image is plain data that survives structured cloning (postMessage to a worker)", async () => {
    const { runtime, image } = await bootstrapped();
    const copy = structuredClone(image);
    const restored = await JsRuntime.create({ extensions: [testExtension()], snapshot: copy });
    await using([runtime, restored], () => {
      expect(restored.executeScript("a.js", "snap.tick()")).toBe(3);
    });
  });
});

describe("snapshot() is refused once user code ran", () => {
  const cases: [string, (rt: JsRuntime) => Promise<unknown> | unknown][] = [
    ["executeScript", (rt) => rt.executeScript("a.js", "globalThis.secret = 1")],
    ["evaluateScript", (rt) => rt.evaluateScript("a.js", "1")],
    ["runEventLoop", (rt) => rt.runEventLoop()],
    ["loadMainModule", (rt) => rt.loadMainModule("file:///m.js", "export {}")],
  ];
  for (const [name, run] of cases) {
    test(`after ${name}`, async () => {
      const runtime = await JsRuntime.create({ extensions: [testExtension()] });
      await using([runtime], async () => {
        await run(runtime);
        expect(() => runtime.snapshot()).toThrow(/snapshot: user code already ran in this runtime/);
      });
    });
  }
});

describe("a mismatched image is refused with a clear error", SLOW, () => {
  test("another op list, another extension list, another memory size, a damaged image", async () => {
    const { runtime, image } = await bootstrapped();
    await using([runtime], async () => {
      await expect(JsRuntime.create({ extensions: [testExtension(true)], snapshot: image })).rejects.toThrow(
        SnapshotMismatch,
      );
      await expect(JsRuntime.create({ extensions: [testExtension(true)], snapshot: image })).rejects.toThrow(
        /extension "snap_test" differs/,
      );
      await expect(JsRuntime.create({ extensions: [], snapshot: image })).rejects.toThrow(
        /made with the extensions \[core, islet_modules, snap_test\]; this runtime has \[core, islet_modules\]/,
      );
      await expect(
        JsRuntime.create({ extensions: [testExtension()], snapshot: image, limits: { memoryBytes: 32 << 20 } }),
      ).rejects.toThrow(/limits.memoryBytes/);
      await expect(
        JsRuntime.create({ extensions: [testExtension()], snapshot: { ...image, ops: [...image.ops].reverse() } }),
      ).rejects.toThrow(/registered its ops in another order/);
      await expect(
        JsRuntime.create({ extensions: [testExtension()], snapshot: { nope: 1 } as unknown as RuntimeSnapshot }),
      ).rejects.toThrow(/not an image made by runtime.snapshot\(\)/);
      await expect(
        JsRuntime.create({ extensions: [testExtension()], snapshot: { ...image, version: 99 } as never }),
      ).rejects.toThrow(/format version 99/);
      await expect(
        JsRuntime.create({ extensions: [testExtension()], snapshot: { ...image, engineId: "0000" } }),
      ).rejects.toThrow(/another compiled QuickJS module/);
      // A layout that does not match the creation calls is refused before the memory is touched.
      await expect(
        JsRuntime.create({
          extensions: [testExtension()],
          snapshot: { ...image, layout: { ...image.layout, rt: image.layout.rt + 8 } },
        }),
      ).rejects.toThrow(/QuickJS runtime or context address differs/);
    });
  });

  test("another QuickJS build", async () => {
    const other = release ? "debug" : "release";
    const { runtime, image } = await bootstrapped();
    await using([runtime], async () => {
      await expect(JsRuntime.create({ extensions: [testExtension()], snapshot: image, build: other })).rejects.toThrow(
        new RegExp(`made with the QuickJS ${defaultBuild()} build; this runtime uses the ${other} build`),
      );
    });
  });
});

/**
 * Where memory `a` differs from `b` (the first 8), apart from each context's own Math.random
 * state: one 8-byte word, which every restore and reset reseeds.
 */
function differences(a: Uint8Array, b: Uint8Array): number[] {
  const differing: number[] = [];
  for (let i = 0; i < b.length; i++) if (a[i] !== b[i]) differing.push(i);
  const word = (differing[0] as number) & ~7;
  return differing.filter((i) => (i & ~7) !== word).slice(0, 8);
}

describe("reset", SLOW, () => {
  test("nothing of the previous run is visible: globals, prototypes, timers, resources, modules, pending ops, awaited evaluations", async () => {
    const { runtime, image } = await bootstrapped();
    const restored = await JsRuntime.create({ extensions: [testExtension()], snapshot: image });
    await using([runtime, restored], async () => {
      for (const rt of [runtime, restored]) {
        opened.length = 0;
        const id = await rt.loadMainModule(
          "file:///main.js",
          "globalThis.moduleRan = (globalThis.moduleRan ?? 0) + 1;",
        );
        const evaluated = rt.evaluateModule(id);
        await rt.runEventLoop();
        await evaluated;
        rt.executeScript(
          "dirty.js",
          `globalThis.leftover = 1; Array.prototype.evil = 1; snap.tick(); snap.bootTable.set("b", 2);
           snap.later(() => { globalThis.late = 1; }, 1); snap.open(); snap.never(); 0`,
        );
        const awaited = rt.evaluateScript("await.js", "new Promise(() => {})");
        expect(rt.resources()).toHaveLength(1);
        const stateBefore = stateRuns;
        rt.reset();
        await expect(awaited).rejects.toThrow(/the runtime was reset/);
        expect(opened[0]?.closed).toBe(true);
        expect(rt.resources()).toEqual([]);
        expect(stateRuns).toBe(stateBefore + 1);
        expect(
          rt.executeScript(
            "clean.js",
            "[typeof leftover, 'evil' in [], snap.tick(), snap.bootTable.size, typeof moduleRan].join()",
          ),
        ).toBe("undefined,false,3,1,undefined");
        // The timer and the never-settling op are gone: the loop has nothing to wait for.
        await rt.runEventLoop();
        expect(rt.executeScript("timer.js", "typeof late")).toBe("undefined");
        never.settle?.();
        // The same module URL loads and runs again, from the new run's source.
        const again = await rt.loadMainModule("file:///main.js", "globalThis.moduleRan = 'second';");
        const second = rt.evaluateModule(again);
        await rt.runEventLoop();
        await second;
        expect(rt.executeScript("m.js", "moduleRan")).toBe("second");
        rt.reset();
      }
    });
  });

  // Release only: in the debug build a fresh restore itself leaves a byte of its creation calls'
  // stack garbage below an all-zero window of the C stack (never a guest's: wasm_scan.ts), so the
  // two memories differ there.
  test.runIf(release)(
    "after reset the wasm memory is byte for byte a fresh restore's: the run's deep C stack and heap are zero again",
    SLOW,
    async () => {
      // (The bootstrapped runtime stays alive: disposed, its engine would serve the next create.)
      const { runtime: boot, image } = await bootstrapped();
      const {
        result: [used, fresh],
        memories,
      } = await newMemories(async () => [
        await JsRuntime.create({ extensions: [testExtension()], snapshot: image }),
        await JsRuntime.create({ extensions: [testExtension()], snapshot: image }),
      ]);
      expect(memories.length).toBe(2);
      await using([boot, used, fresh], () => {
        // Recursion to the stack limit writes the C stack gap down to its end; the heap grows and is freed again.
        used.executeScript(
          "dirty.js",
          `function down(n) { return n === 0 ? 0 : 1 + down(n - 1) }
         try { down(1e6) } catch {}
         let big = []; for (let i = 0; i < 20000; i++) big.push({ i, s: "x" + i }); big = null;
         globalThis.kept = "y".repeat(200000);`,
        );
        used.reset();
        const [a, b] = memories.map((m) => new Uint8Array(m.buffer)) as [Uint8Array, Uint8Array];
        // Only each context's own Math.random state (8 bytes) differs, and it does.
        expect(differences(a, b)).toEqual([]);
        expect(b.every((x, i) => x === a[i])).toBe(false);
        expect(a.subarray(b.length).every((x) => x === 0)).toBe(true);
      });
    },
  );

  // A guest that tries to leave something on the C stack below what a reset reads exactly:
  // every deep path QuickJS has, then a reused engine whose new runtime has a smaller stack
  // limit. Release only, as above.
  test.runIf(release)(
    "after hostile deep-stack programs, a reset or a reuse of the engine leaves the memory byte for byte a fresh restore's",
    { timeout: 120_000 },
    async () => {
      const { runtime: boot, image } = await bootstrapped();
      const options = { extensions: [testExtension()], snapshot: image };
      const live: JsRuntime[] = [boot];
      /** A runtime on a new memory (none of this image's engines is ever free here: all stay alive). */
      const created = async (limits: RuntimeOptions["limits"] = {}) => {
        const { result: runtime, memories } = await newMemories(() => JsRuntime.create({ ...options, limits }));
        live.push(runtime);
        const [memory] = memories;
        if (memory === undefined || memories.length !== 1) throw new Error("expected one new wasm memory");
        return { runtime, bytes: new Uint8Array(memory.buffer) };
      };
      const PROGRAMS = [
        "function down(n) { return n === 0 ? 0 : 1 + down(n - 1) } down(1e7)",
        "JSON.parse('['.repeat(200000) + ']'.repeat(200000))",
        "new RegExp('('.repeat(20000) + 'a' + ')'.repeat(20000))",
        "let p = {}; for (let i = 0; i < 100000; i++) p = new Proxy(p, {}); p.x",
        "const o = {}; o.toString = () => String(o); String(o)",
        "const s = (a, b) => [3, 1, 2].sort(s) && a - b; [2, 1].sort(s)",
        "Math.max.apply(null, new Array(65534).fill(7))",
        "eval('('.repeat(30000) + '1' + ')'.repeat(30000))",
        "let n = [1]; for (let i = 0; i < 100000; i++) n = [n]; n.flat(Infinity)",
        "const g = { get x() { return this.x } }; g.x",
        "let f = () => 0; for (let i = 0; i < 100000; i++) { const h = f; f = () => h() } f()",
      ];
      try {
        const { bytes: clean } = await created();
        let deepest: { runtime: JsRuntime; bytes: Uint8Array } | undefined;
        for (const program of PROGRAMS) {
          const { runtime, bytes } = await created({ cpuMs: 3000 });
          try {
            runtime.executeScript("hostile.js", program);
          } catch {
            // stack overflows, interrupts: what they left behind is the point
          }
          if (runtime.fault !== undefined) {
            // Some deep C paths overflow the host's native stack before QuickJS's own check:
            // that traps, and a trapped engine is never reset or handed on.
            expect(() => runtime.reset(), program).toThrow(RuntimeFault);
            continue;
          }
          runtime.reset();
          expect(differences(bytes, clean), program).toEqual([]);
          deepest ??= { runtime, bytes };
        }
        // The engine handed on: a runtime with a smaller stack limit gets it back clean.
        if (deepest === undefined) throw new Error("no program left its engine sound");
        deepest.runtime.executeScript(
          "deep.js",
          "function d(n) { return n ? 1 + d(n - 1) : 0 } try { d(1e7) } catch {} 0",
        );
        deepest.runtime.dispose();
        // Parked for reuse: its memory is the image again, byte for byte (zeros in every gap).
        const imageBytes = new Uint8Array(deepest.bytes.length);
        let at = 0;
        for (const [address, length] of image.layout.segments) {
          imageBytes.set(image.memory.subarray(at, at + length), address);
          at += length;
        }
        expect(differences(deepest.bytes, imageBytes), "parked engine").toEqual([]);
        const next = await JsRuntime.create({ ...options, limits: { stackBytes: 64 << 10 } });
        live.push(next);
        expect(next.executeScript("probe.js", "typeof snap")).toBe("object");
      } finally {
        for (const r of live) r.dispose();
      }
    },
  );

  test("reset works after an interrupted call and after a thrown error; not while the loop runs, not without an image", async () => {
    const { runtime } = await bootstrapped({ limits: { cpuMs: 50 } });
    const plain = await JsRuntime.create({ extensions: [testExtension()] });
    await using([runtime, plain], async () => {
      expect(() => runtime.executeScript("spin.js", "for (;;) {}")).toThrow(Interrupted);
      runtime.reset();
      expect(runtime.executeScript("a.js", "snap.tick()")).toBe(3);
      expect(() => runtime.executeScript("t.js", "globalThis.x = 1; throw new Error('boom')")).toThrow(GuestError);
      runtime.reset();
      expect(runtime.executeScript("b.js", "typeof x")).toBe("undefined");
      runtime.executeScript("c.js", "snap.later(() => {}, 20)");
      const loop = runtime.runEventLoop();
      expect(() => runtime.reset()).toThrow(/the event loop is running/);
      await loop;
      expect(() => plain.reset()).toThrow(/this runtime has no snapshot/);
      // After reset, a snapshot is allowed again (the runtime is at its image).
      runtime.reset();
      expect(runtime.snapshot().format).toBe("islet-snapshot");
    });
  });

  test("a guest that filled memory near the limit, or past it, then reset: the runtime works and its heap is back", async () => {
    const limit = 16 << 20;
    const { runtime } = await bootstrapped({ limits: { memoryBytes: limit, cpuMs: 60_000 } });
    await using([runtime], () => {
      const baseline = runtime.memoryUsed();
      runtime.executeScript("hog.js", "globalThis.hog = []");
      while (runtime.memoryUsed() < limit - (2 << 20)) {
        runtime.executeScript("fill.js", "hog.push(new Array(16384).fill(hog.length)); 0");
      }
      runtime.reset();
      expect(runtime.memoryUsed()).toBeLessThan(baseline + (64 << 10));
      expect(runtime.executeScript("a.js", "typeof hog + ' ' + new snap.Point(6, 8).norm()")).toBe("undefined 10");
      // Past the limit: the runtime may even be discarded for holding it all; reset brings it back.
      expect(() =>
        runtime.executeScript("bomb.js", "globalThis.keep = []; for (;;) keep.push(new Array(16384).fill(1))"),
      ).toThrow(MemoryLimitExceeded);
      runtime.reset();
      expect(runtime.fault).toBeUndefined();
      expect(runtime.memoryUsed()).toBeLessThan(baseline + (64 << 10));
      expect(runtime.executeScript("b.js", "typeof keep + ' ' + snap.add(1, 2)")).toBe("undefined 3");
    });
  });

  // The input overflows the host's stack inside the release build; the debug build's larger frames hit
  // QuickJS's own stack limit first (a catchable RangeError), so there it is no fault.
  test.runIf(release)("reset of a discarded runtime (the engine faulted) is refused: create a new one", async () => {
    const { runtime } = await bootstrapped();
    await using([runtime], () => {
      // A host error thrown from inside the engine is a fault.
      const ext = runtime as unknown as { executeScript(n: string, s: string): unknown };
      expect(() => ext.executeScript("deep.js", "JSON.parse('['.repeat(1e6) + ']'.repeat(1e6))")).toThrow();
      expect(runtime.fault).toBeDefined();
      expect(() => runtime.reset()).toThrow(RuntimeFault);
    });
  });

  test(`soak: ${release ? 500 : 30} reset cycles stay correct and leave the wasm heap as it was`, {
    timeout: 300_000,
  }, async () => {
    const { runtime } = await bootstrapped();
    await using([runtime], async () => {
      const cycles = release ? 500 : 30;
      runtime.reset();
      const free = release ? runtime.wasmHeapFreeBytes() : 0;
      for (let i = 0; i < cycles; i++) {
        const id = await runtime.loadMainModule(`file:///m${i}.js`, `export const n = ${i};`);
        const evaluated = runtime.evaluateModule(id);
        await runtime.runEventLoop();
        await evaluated;
        runtime.executeScript(
          "cycle.js",
          `globalThis.big = "x".repeat(${1000 + i}) ; globalThis.arr = new Uint8Array(${(i % 7) * 100_000});
           snap.later(() => {}, 1); snap.open(); snap.never(); snap.tick(); 0`,
        );
        runtime.reset();
        expect(runtime.executeScript("check.js", "[typeof big, typeof arr, snap.tick()].join()")).toBe(
          "undefined,undefined,3",
        );
        runtime.reset();
      }
      if (release) expect(runtime.wasmHeapFreeBytes()).toBe(free);
      expect(runtime.resources()).toEqual([]);
    });
  });

  test("property: any sequence of guest actions, then reset, leaves the runtime exactly as a fresh restore", {
    timeout: 300_000,
  }, async () => {
    const { runtime, image } = await bootstrapped();
    const fresh = await JsRuntime.create({ extensions: [testExtension()], snapshot: image });
    const probe = `JSON.stringify([Object.getOwnPropertyNames(globalThis).sort(), Object.getOwnPropertyNames(Object.prototype).sort(),
      Object.getOwnPropertyNames(Array.prototype).length, snap.tick(), snap.bootTable.size, typeof Promise.prototype.then])`;
    const expected = fresh.executeScript("probe.js", probe);
    await using([runtime, fresh], async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(GUEST_ACTIONS, { maxLength: 6 }), async (steps) => {
          for (const step of steps) {
            try {
              runtime.executeScript("step.js", step);
            } catch {
              // a thrown step is part of the history too
            }
          }
          // Timers, a never-settling op and rejections stay pending: reset drops them.
          runtime.reset();
          expect(runtime.executeScript("probe.js", probe)).toBe(expected);
          runtime.reset();
        }),
        { numRuns: release ? 100 : 15 },
      );
    });
  });
});

describe("a disposed runtime's engine serves the next create({ snapshot }) of its image", SLOW, () => {
  const probe = `JSON.stringify([Object.getOwnPropertyNames(globalThis).sort(), Object.getOwnPropertyNames(Object.prototype).sort(),
    Object.getOwnPropertyNames(Array.prototype).length, snap.tick(), snap.bootTable.size, typeof Promise.prototype.then])`;
  const create = (image: RuntimeSnapshot) => JsRuntime.create({ extensions: [testExtension()], snapshot: image });

  test("nothing of the disposed run is visible: globals, prototypes, timers, resources, modules, ops, awaited evaluations", async () => {
    const { runtime, image } = await bootstrapped();
    runtime.dispose();
    const first = await create(image);
    const expected = first.executeScript("probe.js", probe);
    opened.length = 0;
    const id = await first.loadMainModule("file:///main.js", "globalThis.moduleRan = 1;");
    const evaluated = first.evaluateModule(id);
    await first.runEventLoop();
    await evaluated;
    first.executeScript(
      "dirty.js",
      `globalThis.leftover = 1; Array.prototype.evil = 1; Promise.prototype.then = null; snap.bootTable.set("b", 2);
       snap.later(() => { globalThis.late = 1; }, 1); snap.open(); snap.never(); 0`,
    );
    const awaited = first.evaluateScript("await.js", "new Promise(() => {})");
    first.dispose();
    await expect(awaited).rejects.toThrow(/disposed/);
    expect(opened[0]?.closed).toBe(true);
    expect(() => first.executeScript("x.js", "1")).toThrow(/disposed/);

    const second = await create(image);
    await using([second], async () => {
      expect(second.executeScript("probe.js", probe)).toBe(expected);
      expect(second.resources()).toEqual([]);
      expect(second.executeScript("clean.js", "[typeof leftover, 'evil' in [], typeof moduleRan].join()")).toBe(
        "undefined,false,undefined",
      );
      await second.runEventLoop();
      expect(second.executeScript("timer.js", "typeof late")).toBe("undefined");
      never.settle?.();
      // Ops reach the new runtime's own state; modules load again under the same URL.
      expect(second.executeScript("op.js", "snap.add(2, 3)")).toBe(5);
      const again = await second.loadMainModule("file:///main.js", "globalThis.moduleRan = 'second';");
      const run = second.evaluateModule(again);
      await second.runEventLoop();
      await run;
      expect(second.executeScript("m.js", "moduleRan")).toBe("second");
    });
  });

  test("runtimes alive at once stay apart, and each disposal hands a clean engine on", async () => {
    const { runtime, image } = await bootstrapped();
    runtime.dispose();
    for (let round = 0; round < 3; round++) {
      const live = await Promise.all([create(image), create(image), create(image)]);
      await using(live, () => {
        for (const [i, rt] of live.entries()) rt.executeScript("set.js", `globalThis.mine = ${i}; snap.tick()`);
        expect(live.map((rt) => rt.executeScript("get.js", "[mine, snap.tick(), typeof other].join()"))).toEqual([
          "0,4,undefined",
          "1,4,undefined",
          "2,4,undefined",
        ]);
      });
    }
  });

  test("an engine left mid-call, interrupted, out of memory or faulted is never handed on", async () => {
    const { runtime, image } = await bootstrapped({ limits: { memoryBytes: 32 << 20, cpuMs: 100 } });
    runtime.dispose();
    const make = () =>
      JsRuntime.create({
        extensions: [testExtension()],
        snapshot: image,
        limits: { memoryBytes: 32 << 20, cpuMs: 100 },
      });
    const expected = await (async () => {
      const rt = await make();
      return using([rt], () => rt.executeScript("probe.js", probe));
    })();
    const cases: [string, (rt: JsRuntime) => Promise<unknown>][] = [
      ["interrupted", async (rt) => rt.executeScript("spin.js", "globalThis.dirty = 1; for (;;) {}")],
      [
        "out of memory",
        async (rt) => rt.executeScript("oom.js", "globalThis.dirty = []; for (;;) dirty.push('x'.repeat(1 << 16))"),
      ],
      [
        "stopped in a built-in",
        async (rt) =>
          rt.executeScript("join.js", "globalThis.dirty = 1; const a = []; a.length = 2 ** 32 - 1; a.join()"),
      ],
      [
        "disposed while its loop runs",
        async (rt) => {
          rt.executeScript("t.js", "globalThis.dirty = 1; snap.later(() => {}, 50)");
          const loop = rt.runEventLoop();
          rt.dispose();
          return loop;
        },
      ],
    ];
    for (const [name, spoil] of cases) {
      const rt = await make();
      await spoil(rt).catch(() => undefined);
      rt.dispose();
      const next = await make();
      await using([next], () => {
        expect(next.executeScript("probe.js", probe), name).toBe(expected);
        expect(next.executeScript("d.js", "typeof dirty"), name).toBe("undefined");
      });
    }
  });

  test("property: any sequence of guest actions, then dispose, leaves the next runtime exactly as a fresh restore", {
    timeout: 300_000,
  }, async () => {
    const { runtime, image } = await bootstrapped();
    runtime.dispose();
    const expected = await (async () => {
      const rt = await create(image);
      return using([rt], () => rt.executeScript("probe.js", probe));
    })();
    await fc.assert(
      fc.asyncProperty(fc.array(GUEST_ACTIONS, { maxLength: 6 }), async (steps) => {
        const rt = await create(image);
        for (const step of steps) {
          try {
            rt.executeScript("step.js", step);
          } catch {
            // a thrown step is part of the history too
          }
        }
        rt.dispose();
        const next = await create(image);
        await using([next], () => expect(next.executeScript("probe.js", probe)).toBe(expected));
      }),
      { numRuns: release ? 100 : 10 },
    );
  });
});
