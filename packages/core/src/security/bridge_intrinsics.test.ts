/**
 * Hostile programs against how the bridge classifies and builds values (issue
 * 10 H, bridge half). The marshaler reads brands and prototypes through
 * intrinsics captured at bootstrap and builds host → guest values over the FFI,
 * so guest code that replaces built-ins first cannot change what crosses.
 * Each case has an ID and says what it attacks; cases are never deleted.
 */
import { describe, expect, test } from "vitest";
import { op } from "../ops.ts";
import { exposeOps, withRuntime } from "../test/helpers.ts";

const seen: unknown[] = [];
const ops = exposeOps({
  op_echo: op.sync((_s, v: unknown) => v),
  op_keep: op.sync((_s, v: unknown) => {
    seen.push(v);
  }),
  op_make: op.sync(() => ({ a: 1, list: [1, 2], bytes: new Uint8Array([5, 6]), __proto__x: 0 })),
  op_proto_key: op.sync(() => JSON.parse('{"__proto__": {"polluted": true}, "ok": 1}')),
});

describe("replaced built-ins cannot change what crosses the bridge", () => {
  test("SEC-BRIDGE-01 a redefined Object.prototype.__proto__ does not make a Uint8Array cross as {0: …}", {
    timeout: 60_000,
  }, async () => {
    await withRuntime({ extensions: [ops] }, (rt) => {
      seen.length = 0;
      rt.executeScript(
        "evil.js",
        `Object.defineProperty(Object.prototype, "__proto__", { get() { return Object.prototype; }, set(v) {}, configurable: true });
         t.op_keep(new Uint8Array([1, 2, 3]));
         t.op_keep(new Uint8Array([9, 8]).buffer);
         t.op_keep([1, 2]);
         try { t.op_keep(new Map([[1, 2]])); } catch {}`,
      );
      expect(seen[0]).toBeInstanceOf(Uint8Array);
      expect([...(seen[0] as Uint8Array)]).toEqual([1, 2, 3]);
      expect(seen[1]).toBeInstanceOf(ArrayBuffer);
      expect(seen[2]).toEqual([1, 2]);
      expect(seen).toHaveLength(3);
    });
    await withRuntime({ extensions: [ops] }, (rt) => {
      expect(
        rt.executeScript(
          "evil2.js",
          `Object.defineProperty(Object.prototype, "__proto__", { get() { return Object.prototype; }, configurable: true });
           try { t.op_echo(new Map()); "crossed" } catch (e) { e.name + ": " + e.message }`,
        ),
      ).toMatch(/^TypeError: op_echo: argument 1: an object of class Map cannot cross/);
    });
  });

  test("SEC-BRIDGE-02 replacing Array.isArray, Object.getPrototypeOf, ArrayBuffer.isView and typed-array getters changes nothing", async () => {
    await withRuntime({ extensions: [ops] }, (rt) => {
      seen.length = 0;
      rt.executeScript(
        "evil.js",
        `const big = new Uint8Array([0, 1, 2, 3, 4, 5]);
         const window = big.subarray(2, 4);
         const dv = new DataView(big.buffer, 1, 2);
         const TA = Object.getPrototypeOf(Uint8Array.prototype);
         Array.isArray = () => false;
         Object.getPrototypeOf = () => null;
         Reflect.getPrototypeOf = () => null;
         ArrayBuffer.isView = () => false;
         for (const k of ["buffer", "byteOffset", "byteLength", "length"]) Object.defineProperty(TA, k, { get() { return 0; }, configurable: true });
         Object.defineProperty(ArrayBuffer.prototype, "byteLength", { get() { return 0; }, configurable: true });
         ArrayBuffer.prototype.slice = () => new ArrayBuffer(0);
         Object.defineProperty(DataView, Symbol.hasInstance, { value: () => true });
         t.op_keep(window);
         t.op_keep(dv);
         t.op_keep([1, [2]]);
         t.op_keep({ a: { b: 1 } });`,
      );
      expect(seen).toEqual([new Uint8Array([2, 3]), new Uint8Array([1, 2]), [1, [2]], { a: { b: 1 } }]);
    });
  });

  test("SEC-BRIDGE-03 setters on Object.prototype and Array.prototype never run while an op result is built", async () => {
    await withRuntime({ extensions: [ops] }, (rt) => {
      const result = rt.executeScript(
        "evil.js",
        `globalThis.stolen = [];
         for (const k of ["a", "list", "bytes", "__proto__x"]) Object.defineProperty(Object.prototype, k, { set(v) { stolen.push(k); }, get() { return "inherited"; }, configurable: true });
         for (const k of ["0", "1"]) Object.defineProperty(Array.prototype, k, { set(v) { stolen.push(k); }, get() { return "inherited"; }, configurable: true });
         JSON.parse = () => ({ forged: true });
         const r = t.op_make();
         [stolen.length, r.a, r.list[0], r.list[1], r.bytes instanceof Uint8Array, Array.from(r.bytes), Object.keys(r).join(), Object.getOwnPropertyNames(r.list).join()]`,
      );
      expect(result).toEqual([0, 1, 1, 2, true, [5, 6], "a,list,bytes,__proto__x", "0,1,length"]);
    });
  });

  test("SEC-BRIDGE-04 a host object with an own __proto__ key reaches the guest as an own property, not a prototype", async () => {
    await withRuntime({ extensions: [ops] }, (rt) => {
      const result = rt.executeScript(
        "proto.js",
        `const r = t.op_proto_key();
         [Object.getPrototypeOf(r) === Object.prototype, Object.hasOwn(r, "__proto__"), r.__proto__.polluted, ({}).polluted, r.ok]`,
      );
      expect(result).toEqual([true, true, true, undefined, 1]);
    });
  });
});
