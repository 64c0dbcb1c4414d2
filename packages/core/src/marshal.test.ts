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
