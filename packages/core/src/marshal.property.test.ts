/**
 * Property-based tests of both conversion directions (fast-check): random
 * values of every shape — bytes of every size, strings with lone surrogates
 * and NULs, nested objects with awkward keys, shared and cyclic references,
 * getters that mutate the object being copied — cross the bridge intact or
 * fail with a TypeError, never with wrong data or a host fault.
 */
import { inspect, isDeepStrictEqual } from "node:util";
import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { op } from "./ops.ts";
import { defaultBuild } from "./quickjs.ts";
import type { JsRuntime } from "./runtime.ts";
import { exposeOps, withRuntime } from "./test/helpers.ts";

const RUNS = defaultBuild() === "release" ? 150 : 25;

let stored: unknown;
const received: unknown[] = [];
const ops = exposeOps({
  op_get: op.sync(() => stored),
  op_put: op.sync((_s, v: unknown) => {
    received.push(v);
  }),
});

// Any UTF-16 code unit: lone surrogates, NUL, Latin-1 and BMP characters.
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
const anyString = fc.oneof(
  fc.string({ unit: codeUnit, maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 40 }),
  fc.string({ unit: codeUnit, minLength: 200, maxLength: 3000 }),
);
const key = fc.oneof(
  fc.string({ maxLength: 8 }),
  fc.constantFrom("__proto__", "constructor", "", "0", "1", "length", "toString", "\0", "\uD800"),
);
const number = fc.oneof(
  fc.integer(),
  fc.double(),
  fc.constantFrom(-0, 0, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 2 ** 53, -(2 ** 31)),
);
const bytes = fc.uint8Array({ maxLength: 300 });

const { value } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    number,
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    fc.bigInt({ min: -(2n ** 100n), max: 2n ** 100n }),
    anyString,
    bytes,
    bytes.map((b) => b.buffer as ArrayBuffer),
    fc.array(tie("value"), { maxLength: 6 }),
    fc.dictionary(key, tie("value"), { maxKeys: 6 }).map((d) => ({ ...d })),
  ),
}));

/** JS source that builds `v` in the guest without going through the bridge. */
function source(v: unknown): string {
  switch (typeof v) {
    case "number":
      return Object.is(v, -0) ? "-0" : Number.isNaN(v) ? "NaN" : String(v);
    case "bigint":
      return `${v}n`;
    case "string":
      return JSON.stringify(v);
    case "undefined":
      return "undefined";
    case "boolean":
      return String(v);
  }
  if (v === null) return "null";
  if (v instanceof Uint8Array) return `new Uint8Array([${v.join(",")}])`;
  if (v instanceof ArrayBuffer) return `new Uint8Array([${new Uint8Array(v).join(",")}]).buffer`;
  if (Array.isArray(v)) return `[${v.map((x) => source(x)).join(", ")}]`;
  // Computed keys keep "__proto__" an own property.
  const entries = Object.entries(v as object).map(([k, x]) => `[${JSON.stringify(k)}]: ${source(x)}`);
  return `({ ${entries.join(", ")} })`;
}

/** Deep equality with prototypes, -0 and NaN as Object.is sees them (toStrictEqual trips on an own "constructor" key). */
function expectSame(actual: unknown, expected: unknown): void {
  if (!isDeepStrictEqual(actual, expected)) {
    expect.fail(
      `not the same value:\n  got      ${inspect(actual, { depth: 8 })}\n  expected ${inspect(expected, { depth: 8 })}`,
    );
  }
}

/** What the guest sends back for `v`: the same value (typed arrays stay Uint8Array, buffers ArrayBuffer). */
function roundTrip(rt: JsRuntime, script: string): unknown {
  received.length = 0;
  rt.executeScript("prop.js", script);
  expect(received).toHaveLength(1);
  return received[0];
}

describe("property: values cross the bridge intact", () => {
  test("guest → host: any plain value built in the guest arrives equal", async () => {
    await withRuntime({ extensions: [ops], limits: { cpuMs: 600_000 } }, (rt) => {
      fc.assert(
        fc.property(value, (v) => {
          expectSame(roundTrip(rt, `t.op_put(${source(v)}); 0`), v);
        }),
        { numRuns: RUNS },
      );
    });
  }, 300_000);

  test("host → guest → host: any plain value an op returns comes back equal", async () => {
    await withRuntime({ extensions: [ops], limits: { cpuMs: 600_000 } }, (rt) => {
      fc.assert(
        fc.property(value, (v) => {
          stored = v;
          expectSame(roundTrip(rt, "t.op_put(t.op_get()); 0"), v);
          // And the guest sees the same value the source would have built.
          expect(rt.executeScript("eq.js", `(${deepEqualSource})(t.op_get(), ${source(v)})`)).toBe(true);
        }),
        { numRuns: RUNS },
      );
    });
  }, 300_000);

  test("bytes of every size, both ways, including sizes around the scratch and chunk boundaries", async () => {
    const sizes = fc.oneof(
      fc.integer({ min: 0, max: 70_000 }),
      fc.constantFrom(0, 1, 255, 256, 257, 4095, 4096, 65535, 65536, 65537, 1 << 20, (1 << 20) + 1),
    );
    await withRuntime({ extensions: [ops], limits: { memoryBytes: 32 << 20, cpuMs: 600_000 } }, (rt) => {
      fc.assert(
        fc.property(sizes, fc.integer({ min: 0, max: 255 }), (size, seed) => {
          const b = new Uint8Array(size);
          for (let i = 0; i < size; i++) b[i] = (seed + i * 7) & 0xff;
          stored = b;
          const back = roundTrip(rt, "t.op_put(t.op_get()); 0") as Uint8Array;
          expect(back).toBeInstanceOf(Uint8Array);
          expect(back.byteLength).toBe(size);
          expect(Buffer.from(back).equals(Buffer.from(b))).toBe(true);
          const fromGuest = roundTrip(
            rt,
            `{ const b = new Uint8Array(${size}); for (let i = 0; i < ${size}; i++) b[i] = (${seed} + i * 7) & 0xff; t.op_put(b.buffer); 0 }`,
          ) as ArrayBuffer;
          expect(Buffer.from(fromGuest).equals(Buffer.from(b))).toBe(true);
        }),
        { numRuns: Math.ceil(RUNS / 5) },
      );
    });
  }, 300_000);

  test("strings with lone surrogates and NULs, short and long, both ways", async () => {
    const str = fc.oneof(anyString, fc.string({ unit: codeUnit, minLength: 20_000, maxLength: 70_000 }));
    await withRuntime({ extensions: [ops], limits: { cpuMs: 600_000 } }, (rt) => {
      fc.assert(
        fc.property(str, (s) => {
          stored = s;
          expect(roundTrip(rt, "t.op_put(t.op_get()); 0")).toBe(s);
          expect(rt.executeScript("eq.js", `t.op_get() === ${JSON.stringify(s)}`)).toBe(true);
        }),
        { numRuns: RUNS },
      );
    });
  }, 300_000);

  test("shared references copy; a cycle anywhere is a TypeError naming the path", async () => {
    const objectValue = fc.dictionary(fc.string({ minLength: 1, maxLength: 4 }), value, { minKeys: 1, maxKeys: 4 });
    await withRuntime({ extensions: [ops], limits: { cpuMs: 600_000 } }, (rt) => {
      fc.assert(
        fc.property(objectValue, fc.nat(), fc.boolean(), (o, pick, cyclic) => {
          const result = rt.executeScript(
            "cycle.js",
            `{ const root = ${source({ ...o })};
             const nodes = [];
             (function collect(x) { if (x && typeof x === "object" && !ArrayBuffer.isView(x) && !(x instanceof ArrayBuffer)) { nodes.push(x); for (const k of Object.keys(x)) collect(x[k]); } })(root);
             const node = nodes[${pick} % nodes.length];
             const link = ${cyclic ? "root" : "{ shared: 1 }"};
             // Arrays cross by index, objects by own enumerable key: link where it is copied.
             if (Array.isArray(node)) node.push(link); else node.link = link;
             if (!${cyclic}) root.again = link;
             let r; try { t.op_put(root); r = "copied" } catch (e) { r = e.name + ": " + e.message } r }`,
          );
          if (cyclic) expect(result).toMatch(/^TypeError: op_put: argument 1.*: value is cyclic$/);
          else expect(result).toBe("copied");
        }),
        { numRuns: RUNS },
      );
    });
  }, 300_000);

  test("getters that mutate the object being copied: the host sees exactly what a guest walk would", async () => {
    // A script that makes a fresh object whose getters delete, replace and add
    // properties (making new strings, so freed addresses get reused).
    const plan = fc.array(
      fc.record({
        kind: fc.constantFrom("plain", "getter"),
        action: fc.constantFrom("delete-next", "replace-next", "add", "none"),
        len: fc.integer({ min: 1, max: 400 }),
      }),
      { minLength: 1, maxLength: 8 },
    );
    await withRuntime({ extensions: [ops], limits: { cpuMs: 600_000 } }, (rt) => {
      fc.assert(
        fc.property(plan, (steps) => {
          const make = `(() => {
            const o = {};
            const steps = ${JSON.stringify(steps)};
            steps.forEach((s, i) => {
              const k = "k" + i, next = "k" + (i + 1);
              if (s.kind === "plain") { o[k] = String.fromCharCode(97 + i).repeat(s.len); return; }
              Object.defineProperty(o, k, { enumerable: true, configurable: true, get() {
                if (s.action === "delete-next") delete o[next];
                if (s.action === "replace-next") o[next] = "r".repeat(s.len) + i;
                if (s.action === "add") o["extra" + i] = "e".repeat(s.len);
                return String.fromCharCode(65 + i).repeat(s.len);
              } });
            });
            return o;
          })`;
          received.length = 0;
          rt.executeScript(
            "mutate.js",
            `{ const make = ${make};
             const probe = make(); const expected = {};
             for (const k of Object.keys(probe)) expected[k] = probe[k];
             t.op_put(expected); t.op_put(make()); 0 }`,
          );
          expect(received).toHaveLength(2);
          expectSame(received[1], received[0]);
        }),
        { numRuns: RUNS },
      );
    });
  }, 300_000);
});

/** A guest function comparing two values structurally (Object.is for numbers, bytes by content). */
const deepEqualSource = `function eq(a, b) {
  if (typeof a !== typeof b) return false;
  if (a === null || typeof a !== "object") return Object.is(a, b);
  if (b === null) return false;
  if (a instanceof ArrayBuffer || b instanceof ArrayBuffer) {
    if (!(a instanceof ArrayBuffer && b instanceof ArrayBuffer)) return false;
    return eq(new Uint8Array(a), new Uint8Array(b));
  }
  if (ArrayBuffer.isView(a) || ArrayBuffer.isView(b)) {
    if (!(a instanceof Uint8Array && b instanceof Uint8Array) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
    return true;
  }
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return false;
  const ka = Reflect.ownKeys(a), kb = Reflect.ownKeys(b);
  if (ka.length !== kb.length) return false;
  for (const k of ka) {
    if (!Object.hasOwn(b, k)) return false;
    if (!eq(a[k], b[k])) return false;
  }
  return true;
}`;
