import { describe, expect, test } from "vitest";
import { GuestError } from "./errors.ts";
import { hostObject } from "./marshal.ts";
import { op } from "./ops.ts";
import { exposeOps, withRuntime } from "./test/helpers.ts";

const echo = exposeOps({ op_echo: op.sync((_s, v: unknown) => v), op_type: op.sync((_s, v: unknown) => typeof v) });

describe("values crossing the bridge", () => {
  test("primitives keep their type and value both ways", async () => {
    await withRuntime({ extensions: [echo] }, (rt) => {
      const cases: [string, unknown][] = [
        ["42", 42],
        ["-7", -7],
        ["1.5", 1.5],
        ["2**53", 2 ** 53],
        ["-0", -0],
        ["NaN", Number.NaN],
        ["Infinity", Number.POSITIVE_INFINITY],
        ["true", true],
        ["false", false],
        ["null", null],
        ["undefined", undefined],
        ["12n", 12n],
        ["2n**100n", 2n ** 100n],
        ["-(2n**70n)", -(2n ** 70n)],
      ];
      for (const [src, expected] of cases) {
        expect(rt.executeScript("t.js", `t.op_echo(${src})`), src).toStrictEqual(expected);
        expect(rt.executeScript("t.js", `Object.is(t.op_echo(${src}), ${src})`), `${src} round trip`).toBe(true);
      }
    });
  });

  test("strings cross intact: non-ASCII, astral, NUL, lone surrogates, ropes, long", async () => {
    await withRuntime({ extensions: [echo] }, (rt) => {
      for (const s of ["", "plain", "héllo wörld", "😀 emoji", "a\0b", "x\uD800y", "\uDC00", "tail\uD83D"]) {
        expect(rt.executeScript("t.js", `t.op_echo(${JSON.stringify(s)})`)).toBe(s);
        expect(rt.executeScript("t.js", `t.op_echo(${JSON.stringify(s)}) === ${JSON.stringify(s)}`)).toBe(true);
      }
      const long = rt.executeScript("t.js", `t.op_echo("ab".repeat(50000) + "\\uD800" + "é".repeat(3000))`) as string;
      expect(long.length).toBe(100000 + 1 + 3000);
      expect(long.charCodeAt(100000)).toBe(0xd800);
      // A rope (concatenation result) is flattened before reading.
      expect(rt.executeScript("t.js", `var r = "x".repeat(2000) + "y".repeat(2000); t.op_echo(r) === r`)).toBe(true);
    });
  });

  test("bytes are copied, not shared", async () => {
    await withRuntime({ extensions: [echo] }, (rt) => {
      const u8 = rt.executeScript("t.js", "t.op_echo(new Uint8Array([1, 2, 255]))");
      expect(u8).toBeInstanceOf(Uint8Array);
      expect([...(u8 as Uint8Array)]).toEqual([1, 2, 255]);
      const ab = rt.executeScript("t.js", "t.op_echo(new Uint8Array([9, 8]).buffer)");
      expect(ab).toBeInstanceOf(ArrayBuffer);
      expect([...new Uint8Array(ab as ArrayBuffer)]).toEqual([9, 8]);
      // A view sends only its window; the result is a fresh Uint8Array in the guest.
      expect(
        rt.executeScript(
          "t.js",
          "var big = new Uint8Array([0,1,2,3,4]); var v = t.op_echo(big.subarray(1, 3)); v[0] = 99; [Array.from(v), big[1], v instanceof Uint8Array]",
        ),
      ).toEqual([[99, 2], 1, true]);
      expect(rt.executeScript("t.js", "Array.from(t.op_echo(new Int16Array([-1])))")).toEqual([255, 255]);
    });
  });

  test("plain data: nested objects and arrays, with undefined, bigint and bytes inside", async () => {
    await withRuntime({ extensions: [echo] }, (rt) => {
      const v = rt.executeScript(
        "t.js",
        "t.op_echo({ a: [1, 'two', { b: null }], n: -0, big: 5n, bytes: new Uint8Array([7]), u: undefined })",
      );
      expect(v).toEqual({ a: [1, "two", { b: null }], n: -0, big: 5n, bytes: new Uint8Array([7]) });
      expect(rt.executeScript("t.js", "var o = t.op_echo({ deep: { deeper: [[[1]]] } }); o.deep.deeper[0][0][0]")).toBe(
        1,
      );
      expect(rt.executeScript("t.js", "Object.getPrototypeOf(t.op_echo({})) === Object.prototype")).toBe(true);
    });
  });

  test("values that cannot cross give the guest a TypeError naming the op and argument", async () => {
    await withRuntime({ extensions: [echo] }, (rt) => {
      const cases: [string, RegExp][] = [
        ["() => 1", /op_echo: argument 1: a function cannot cross the bridge/],
        ["Symbol('s')", /op_echo: argument 1: a symbol cannot cross the bridge/],
        ["(() => { const o = {}; o.self = o; return o })()", /op_echo: argument 1.*cyclic/],
        ["{ get x() { throw new Error('boom') } }", /op_echo: argument 1.x: reading the property threw: boom/],
        ["new (class Point {})()", /op_echo: argument 1: an object of class Point/],
        ["new Date(0)", /op_echo: argument 1: an object of class Date/],
        ["Promise.resolve(1)", /op_echo: argument 1: an object of class Promise/],
        ["new Map()", /op_echo: argument 1: an object of class Map/],
        ["{ f: function () {} }", /op_echo: argument 1.f: a function/],
        ["[1, [2, () => 3]]", /op_echo: argument 1\[1\]\[1\]: a function/],
      ];
      for (const [src, message] of cases) {
        const result = rt.executeScript(
          "t.js",
          `try { t.op_echo(1, ${src}); "no error" } catch (e) { e.name + ": " + e.message }`,
        );
        // The first argument is fine; the second is the bad one.
        expect(result, src).toMatch(/^TypeError: /);
        expect(result, src).toMatch(new RegExp(message.source.replace("argument 1", "argument 2")));
      }
    });
  });

  test("getters are read as data; a getter that calls another op cannot confuse the bridge", async () => {
    await withRuntime({ extensions: [echo] }, (rt) => {
      expect(rt.executeScript("t.js", "t.op_echo({ get x() { return t.op_echo('inner') + '!' } }, 2)")).toEqual({
        x: "inner!",
      });
      expect(rt.executeScript("t.js", "t.op_type(1, { get y() { return t.op_type('s') } })")).toBe("number");
    });
  });

  test("a deep or huge value gives a TypeError, not a host crash", async () => {
    await withRuntime({ extensions: [echo] }, (rt) => {
      const deep = rt.executeScript(
        "t.js",
        "let o = {}; for (let i = 0; i < 1000; i++) o = { o }; try { t.op_echo(o); 'no error' } catch (e) { e.name }",
      );
      expect(deep).toBe("TypeError");
      expect(rt.executeScript("t.js", "t.op_echo(1 + 1)")).toBe(2);
    });
  });

  test("host objects cross as opaque handles and come back as the same object", async () => {
    const box = { secret: "host-only" };
    const ext = exposeOps({
      op_make: op.sync(() => hostObject(box)),
      op_read: op.sync((_s, v: unknown) => (v as typeof box).secret),
    });
    await withRuntime({ extensions: [ext] }, (rt) => {
      expect(
        rt.executeScript("t.js", "var h = t.op_make(); [typeof h, Object.keys(h).length, JSON.stringify(h)]"),
      ).toEqual(["object", 0, "{}"]);
      expect(rt.executeScript("t.js", "t.op_read(h)")).toBe("host-only");
      // A guest object that merely looks like it is not a host object.
      expect(rt.executeScript("t.js", "try { t.op_read({}) } catch (e) { e.name }")).not.toBe("host-only");
    });
  });

  test("op results that cannot cross become a guest TypeError", async () => {
    const ext = exposeOps({ op_bad: op.sync(() => ({ f: () => 1 })), op_sym: op.sync(() => Symbol("x")) });
    await withRuntime({ extensions: [ext] }, (rt) => {
      expect(rt.executeScript("t.js", "try { t.op_bad() } catch (e) { e.name + ': ' + e.message }")).toMatch(
        /^TypeError: op_bad: return value\.f: a function/,
      );
      expect(rt.executeScript("t.js", "try { t.op_sym() } catch (e) { e.name + ': ' + e.message }")).toMatch(
        /^TypeError: op_sym: return value: a symbol/,
      );
    });
  });

  test("executeScript copies the completion value and reports guest errors with name, message and stack", async () => {
    await withRuntime({}, (rt) => {
      expect(rt.executeScript("a.js", "({ x: [1, 2] })")).toEqual({ x: [1, 2] });
      let error: unknown;
      try {
        rt.executeScript("boom.js", "function f() { throw new RangeError('too far') }\nf()");
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(GuestError);
      expect((error as GuestError).name).toBe("RangeError");
      expect((error as GuestError).message).toBe("too far");
      expect((error as GuestError).guestStack).toMatch(/boom\.js:1/);
      expect(() => rt.executeScript("s.js", "throw 42")).toThrow(/42/);
      expect(() => rt.executeScript("syntax.js", "let x = ;")).toThrow(
        expect.objectContaining({ name: "SyntaxError" }),
      );
    });
  });
});

test("a completion value that cannot be copied is a TypeError, and the runtime stays usable", async () => {
  await withRuntime({}, (rt) => {
    expect(() => rt.executeScript("s.js", "Symbol('x')")).toThrow(/executeScript: completion value: a symbol/);
    expect(() => rt.executeScript("f.js", "(function named() {})")).toThrow(/a function/);
    expect(rt.executeScript("ok.js", "'usable'")).toBe("usable");
  });
});

test("many object conversions leave QuickJS's memory accounting where it was", async () => {
  // Regression: freeing the C side's malloc()ed key array with js_free() made the
  // accounting drift until every allocation failed with "out of memory".
  await withRuntime({ extensions: [echo], limits: { memoryBytes: 8 << 20 } }, (rt) => {
    const before = rt.memoryUsed();
    rt.executeScript("loop.js", "var o = { a: 1, b: [1, { c: 'x' }] }; for (let i = 0; i < 3000; i++) t.op_type(o); 0");
    expect(rt.memoryUsed() - before).toBeLessThan(64 << 10);
    expect(rt.executeScript("t.js", "t.op_echo({ still: 'fine' })")).toEqual({ still: "fine" });
  });
});

describe("host → guest values are built over the FFI (issue 9 D)", () => {
  class Point {
    constructor(readonly x: number) {}
  }
  const ops = exposeOps({
    op_promise: op.sync(async () => 1),
    op_map: op.sync(() => new Map([[1, 2]])),
    op_date: op.sync(() => new Date(0)),
    op_point: op.sync(() => ({ nested: [new Point(1)] })),
    op_marker: op.sync(() => ({ "\u0000islet": "bigint", v: "123" })),
    op_marker_nested: op.sync(() => ({ a: { "\u0000islet": "u8", v: [1, 2] } })),
    op_values: op.sync(() => ({
      negZero: -0,
      nan: Number.NaN,
      inf: Number.NEGATIVE_INFINITY,
      undef: undefined,
      big: 2n ** 80n,
      bytes: new Uint8Array([1, 2, 3]),
      buffer: new Uint8Array([4, 5]).buffer,
      view: new Uint16Array([0x0102]),
      text: "a\0b\uD800",
      // biome-ignore lint/suspicious/noSparseArray: a hole is the value under test
      list: [1, , 3],
    })),
    op_wide: op.sync((_s, n: number) => Array.from({ length: n }, (_, i) => i)),
    op_many_keys: op.sync((_s, n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i]))),
    op_cyclic: op.sync(() => {
      const o: Record<string, unknown> = {};
      o.self = o;
      return o;
    }),
    op_async_map: op.async(async () => new Map()),
  });

  test("an op.sync returning a Promise, a Map, a Date or a class instance is a TypeError naming the op and the value", async () => {
    await withRuntime({ extensions: [ops] }, (rt) => {
      const attempt = (call: string) =>
        rt.executeScript("t.js", `try { ${call}; "crossed" } catch (e) { e.name + ": " + e.message }`);
      expect(attempt("t.op_promise()")).toMatch(
        /^TypeError: op_promise: returned a Promise, but it is a sync op.*op\.async/,
      );
      expect(attempt("t.op_map()")).toMatch(/^TypeError: op_map: return value: an object of class Map cannot cross/);
      expect(attempt("t.op_date()")).toMatch(/^TypeError: op_date: return value: an object of class Date cannot cross/);
      expect(attempt("t.op_point()")).toMatch(
        /^TypeError: op_point: return value\.nested\[0\]: an object of class Point cannot cross/,
      );
      expect(attempt("t.op_cyclic()")).toMatch(/^TypeError: op_cyclic: return value\.self: value is cyclic/);
    });
  });

  test("an async op resolving to a Map rejects with a TypeError naming the op, as a sync op's does", async () => {
    await withRuntime({ extensions: [ops] }, async (rt) => {
      const p = rt.evaluateScript("t.js", "t.op_async_map().then(() => 'crossed', (e) => e.name + ': ' + e.message)");
      await rt.runEventLoop();
      expect(await p).toMatch(/^TypeError: op_async_map: resolved value: an object of class Map cannot cross/);
    });
  });

  test("a marker-shaped object stays a plain object; nothing is revived", async () => {
    await withRuntime({ extensions: [ops] }, (rt) => {
      expect(rt.executeScript("t.js", "const m = t.op_marker(); [typeof m, m['\\u0000islet'], m.v]")).toEqual([
        "object",
        "bigint",
        "123",
      ]);
      expect(rt.executeScript("t.js", "const n = t.op_marker_nested(); [n.a instanceof Uint8Array, n.a.v]")).toEqual([
        false,
        [1, 2],
      ]);
    });
  });

  test("numbers, undefined, bigints, bytes and odd strings keep their identity inside objects", async () => {
    await withRuntime({ extensions: [ops] }, (rt) => {
      const result = rt.executeScript(
        "t.js",
        `const v = t.op_values();
         [Object.is(v.negZero, -0), Number.isNaN(v.nan), v.inf === -Infinity, "undef" in v && v.undef === undefined,
          v.big === 2n ** 80n, v.bytes instanceof Uint8Array, Array.from(v.bytes), v.buffer instanceof ArrayBuffer,
          Array.from(new Uint8Array(v.buffer)), v.view instanceof Uint8Array, v.view.length, v.text === "a\\0b\\uD800",
          Array.isArray(v.list), v.list.length, 1 in v.list, v.list[1], Object.getPrototypeOf(v) === Object.prototype]`,
      );
      expect(result).toEqual([
        true,
        true,
        true,
        true,
        true,
        true,
        [1, 2, 3],
        true,
        [4, 5],
        true,
        2,
        true,
        true,
        3,
        true,
        undefined,
        true,
      ]);
    });
  });

  test("arrays and objects larger than one guest call are built whole", async () => {
    await withRuntime({ extensions: [ops] }, (rt) => {
      expect(
        rt.executeScript(
          "t.js",
          "const a = t.op_wide(5000); [a.length, a[0], a[511], a[512], a[4999], a.every((x, i) => x === i)]",
        ),
      ).toEqual([5000, 0, 511, 512, 4999, true]);
      expect(
        rt.executeScript(
          "t.js",
          "const o = t.op_many_keys(1500); const k = Object.keys(o); [k.length, k[0], k[1499], o.k700, Object.getOwnPropertyDescriptor(o, 'k1000').writable]",
        ),
      ).toEqual([1500, "k0", "k1499", 700, true]);
    });
  });
});
