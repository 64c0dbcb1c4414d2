/**
 * Built-ins that loop in C to a guest-chosen length never ask QuickJS's
 * interrupt handler; the loop meter (wasm_fuel.ts) stops them at the limit.
 * Without it each program below holds the host's thread for hours.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { describe, expect, test } from "vitest";
import { Interrupted, RuntimeFault } from "../errors.ts";
import { compileQuickJS, defaultBuild } from "../quickjs.ts";
import { JsRuntime } from "../runtime.ts";
import { wasmModule } from "../wasm_binary.ts";
import { meterLoops, meterLoopsInSteps } from "../wasm_fuel.ts";
import { FUEL_EXPORT, FUEL_SLOT_EXPORT } from "../wasm_hooks.ts";
import { exportFunctionTable, prepareQuickJSWasm, prepareQuickJSWasmInSlices } from "../wasm_patch.ts";

/** Each loops 2^32 or 2^53 times in C without running guest code. */
const BOMBS: [name: string, source: string][] = [
  ["join over a sparse array of length 2^32 − 1", `const a = []; a.length = 2 ** 32 - 1; a.join("-").length`],
  ["indexOf on an array-like of length 2^53 − 1", `Array.prototype.indexOf.call({ length: 2 ** 53 - 1 }, 1)`],
  ["lastIndexOf on an array-like", `Array.prototype.lastIndexOf.call({ length: 2 ** 53 - 1 }, 1)`],
  ["includes on an array-like", `Array.prototype.includes.call({ length: 2 ** 53 - 1 }, 1)`],
  ["forEach over holes", `Array.prototype.forEach.call({ length: 2 ** 53 - 1 }, () => {})`],
  ["reverse of an array-like", `Array.prototype.reverse.call({ length: 2 ** 53 - 1 })`],
];

/** The parts of the WebAssembly API these tests use (core's own declarations are minimal). */
const WA = WebAssembly as unknown as {
  validate(bytes: BufferSource): boolean;
  Module: { new (bytes: BufferSource): WebAssembly.Module; exports(m: WebAssembly.Module): { name: string }[] };
  instantiate(bytes: BufferSource, imports?: object): Promise<{ instance: { exports: Record<string, unknown> } }>;
};

/** What `f` threw or rejected with (undefined if it did neither). */
const failureOf = (f: () => unknown): Promise<unknown> =>
  Promise.resolve()
    .then(f)
    .then(
      () => undefined,
      (e: unknown) => e,
    );

describe("a built-in looping to a guest-chosen length is stopped at the limit", () => {
  // The debug build (AddressSanitizer) is ~10× slower: two bombs there, all of them on release.
  for (const [name, source] of defaultBuild() === "debug" ? BOMBS.slice(0, 2) : BOMBS) {
    test(`${name}: Interrupted, then the runtime says it was discarded`, { timeout: 60_000 }, async () => {
      const rt = await JsRuntime.create({ limits: { cpuMs: 200 } });
      try {
        const error = await failureOf(() => rt.evaluateScript("bomb.js", source));
        expect(error).toBeInstanceOf(Interrupted);
        expect((error as Error).message).toMatch(/CPU limit of 200 ms \(limits.cpuMs\).*inside a built-in/);
        expect(() => rt.executeScript("after.js", "1 + 1")).toThrow(RuntimeFault);
      } finally {
        rt.dispose();
      }
      // The next runtime from the same compiled module is untouched.
      const next = await JsRuntime.create({ limits: { cpuMs: 200 } });
      expect(next.executeScript("next.js", "[1, 2, 3].join('-')")).toBe("1-2-3");
      next.dispose();
    });
  }

  test("the wall-clock limit stops one too", { timeout: 60_000 }, async () => {
    const rt = await JsRuntime.create({ limits: { wallMs: 200 } });
    try {
      const error = await failureOf(() => rt.evaluateScript("bomb.js", BOMBS[0]![1]));
      expect(error).toBeInstanceOf(Interrupted);
      expect((error as Error).message).toMatch(/wall-clock limit of 200 ms/);
    } finally {
      rt.dispose();
    }
  });

  test("a loop in guest code is still stopped by QuickJS itself: the runtime stays usable", async () => {
    const rt = await JsRuntime.create({ limits: { cpuMs: 150 } });
    try {
      expect(() => rt.executeScript("spin.js", "for (;;) {}")).toThrow(Interrupted);
      expect(rt.executeScript("after.js", "1 + 1")).toBe(2);
    } finally {
      rt.dispose();
    }
  });

  test("long legitimate work inside built-ins, under its limit, is untouched by the meter", {
    timeout: 60_000,
  }, async () => {
    const rt = await JsRuntime.create({ limits: { cpuMs: 60_000 } });
    try {
      const source = `const a = Array.from({ length: 100000 }, (_, i) => (i * 7919) % 100003);
        a.sort((x, y) => x - y);
        const s = []; s.length = 1000000;
        [a[0], a[99999], a.join(",").length, s.join("").length, s.indexOf(1), JSON.stringify(a).length]`;
      const [first, last, , holes, found] = rt.executeScript("work.js", source) as number[];
      expect([first, last, holes, found]).toEqual([0, 100002, 0, -1]);
      expect(rt.executeScript("after.js", "1 + 1")).toBe(2);
    } finally {
      rt.dispose();
    }
  });
});

describe("meterLoops", () => {
  const bytes = (): Uint8Array => {
    const build = defaultBuild();
    const path = createRequire(import.meta.url).resolve(`@jitl/quickjs-wasmfile-${build}-sync/wasm`);
    return new Uint8Array(readFileSync(path));
  };

  test("the QuickJS module is metered, valid, and metered once", () => {
    const metered = meterLoops(exportFunctionTable(bytes()));
    expect(WA.validate(metered as BufferSource)).toBe(true);
    const names = WA.Module.exports(new WA.Module(metered as BufferSource)).map((e: { name: string }) => e.name);
    expect(names).toEqual(expect.arrayContaining([FUEL_EXPORT, FUEL_SLOT_EXPORT]));
    expect(meterLoops(metered)).toBe(metered);
  });

  test("made in slices for a page's thread, the bytes are the same; the edit pauses every few dozen functions", async () => {
    const whole = prepareQuickJSWasm(bytes());
    const sliced = await prepareQuickJSWasmInSlices(bytes());
    expect(Buffer.from(sliced).equals(Buffer.from(whole))).toBe(true);
    let pauses = 0;
    const steps = meterLoopsInSteps(exportFunctionTable(bytes()));
    for (let step = steps.next(); !step.done; step = steps.next()) pauses++;
    // QuickJS has about a thousand functions: well over ten pauses, where a slice may end.
    expect(pauses).toBeGreaterThan(10);
  });

  test("the module every runtime compiles is the metered one", async () => {
    const names = WA.Module.exports(await compileQuickJS(defaultBuild())).map((e: { name: string }) => e.name);
    expect(names).toContain(FUEL_EXPORT);
  });

  test("a module with an instruction the decoder does not know is left as it was", () => {
    // (func (export "f") (loop (drop (v128.const 0)))) — SIMD is outside what the decoder reads.
    const simd = wasmModule(
      [1, [0x01, 0x60, 0x00, 0x00]],
      [3, [0x01, 0x00]],
      [7, [0x01, 0x01, 0x66, 0x00, 0x00]],
      [10, [0x01, 0x18, 0x00, 0x03, 0x40, 0xfd, 0x0c, ...new Array(16).fill(0), 0x1a, 0x0b, 0x0b]],
    );
    expect(WA.validate(simd)).toBe(true);
    expect(meterLoops(simd)).toBe(simd);
  });

  test("a small module: the fuel runs down in a calling loop, and the host decides", async () => {
    // (func $f) (func (export "spin") (param i32) (loop (call $f) (br_if 0 (local.tee 0 (i32.sub (local.get 0) (i32.const 1))))))
    // (table (export "t") 2 funcref) (global i32 (i32.const 0))
    const module = wasmModule(
      [1, [0x02, 0x60, 0x00, 0x00, 0x60, 0x01, 0x7f, 0x00]],
      [3, [0x02, 0x00, 0x01]],
      [4, [0x01, 0x70, 0x00, 0x02]],
      [6, [0x01, 0x7f, 0x00, 0x41, 0x00, 0x0b]],
      [7, [0x02, 0x04, 0x73, 0x70, 0x69, 0x6e, 0x00, 0x01, 0x01, 0x74, 0x01, 0x00]],
      [
        10,
        [
          0x02, 0x02, 0x00, 0x0b, 0x10, 0x00, 0x03, 0x40, 0x10, 0x00, 0x20, 0x00, 0x41, 0x01, 0x6b, 0x22, 0x00, 0x0d,
          0x00, 0x0b, 0x0b,
        ],
      ],
    );
    expect(WA.validate(module as BufferSource)).toBe(true);
    const metered = meterLoops(module);
    expect(metered).not.toBe(module);
    const { instance } = await WA.instantiate(metered as BufferSource);
    const exports = instance.exports;
    const fuel = exports[FUEL_EXPORT] as { value: number };
    const slot = exports[FUEL_SLOT_EXPORT] as { value: number };
    const spin = exports.spin as (n: number) => void;
    // No host function installed: an empty tank refills itself.
    fuel.value = 3;
    spin(10);
    expect(fuel.value).toBeGreaterThan(1000);
    // Installed: called each time the fuel runs out; a throw stops the loop where it is.
    let asked = 0;
    const host = await WA.instantiate(
      // (import "e" "f" (func)) (export "f" (func 0))
      wasmModule(
        [1, [0x01, 0x60, 0x00, 0x00]],
        [2, [0x01, 0x01, 0x65, 0x01, 0x66, 0x00, 0x00]],
        [7, [0x01, 0x01, 0x66, 0x00, 0x00]],
      ),
      {
        e: {
          f: () => {
            asked++;
            if (asked === 3) throw new Error("stop");
            fuel.value = 10;
          },
        },
      },
    );
    (exports.t as { set(i: number, f: unknown): void }).set(1, host.instance.exports.f);
    slot.value = 1;
    fuel.value = 10;
    expect(() => spin(1000)).toThrow("stop");
    expect(asked).toBe(3);
  });
});
