/**
 * Structured console values (ConsoleEntry.values): the preview tree the guest
 * builds next to the text, and the host's validation of it.
 */
import { JsRuntime } from "@islet/core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { ConsoleEntry, ConsoleValue } from "./index.ts";
import { Console, parseConsoleValues, web } from "./index.ts";

let rt: JsRuntime;
let entries: ConsoleEntry[] = [];
beforeAll(async () => {
  rt = await JsRuntime.create({ extensions: web({ console: { sink: (e) => entries.push(e) } }) });
}, 60_000);
afterAll(() => rt.dispose());

function run(src: string): ConsoleEntry[] {
  entries = [];
  rt.opState.get(Console).resetBudget();
  rt.executeScript("t.js", `{ ${src}\n}`);
  return entries;
}
/** The values of the one entry `console.log(expr)` writes. */
function values(expr: string): ConsoleValue[] {
  const out = run(`console.log(${expr})`);
  expect(out).toHaveLength(1);
  expect(out[0]!.values).toBeDefined();
  return out[0]!.values!;
}
const entry = (v: ConsoleValue, key: string) => v.entries?.find((e) => e.key === key)?.value;
function depthOf(v: ConsoleValue): number {
  return 1 + Math.max(0, ...(v.entries ?? []).map((e) => depthOf(e.value)));
}
function countNodes(v: ConsoleValue): number {
  return 1 + (v.entries ?? []).reduce((n, e) => n + countNodes(e.value), 0);
}

describe("console values", () => {
  test("absent for primitives and for format strings; text unchanged", () => {
    expect(run(`console.log("a", 1)`)[0]!.values).toBeUndefined();
    expect(run(`console.log("%o", { a: 1 })`)[0]!.values).toBeUndefined();
    const [e] = run(`console.log("x", { a: { b: { c: { d: 1 } } } })`);
    expect(e!.text).toBe("x { a: { b: { c: [Object] } } }");
    expect(e!.values!.map((v) => v.type)).toEqual(["string", "object"]);
    expect(e!.values![0]!.text).toBe("x");
  });
  test("nesting goes past the text form's [Object]", () => {
    const [v] = values(`{ a: { b: { c: { d: 1 } } } }`);
    const c = entry(entry(entry(v!, "a")!, "b")!, "c")!;
    expect(c.type).toBe("object");
    expect(entry(c, "d")).toEqual({ type: "number", text: "1" });
  });
  test("deep nesting stops with unexpanded containers", () => {
    const [v] = values(`(() => { let o = { end: 1 }; for (let i = 0; i < 50; i++) o = { o }; return o; })()`);
    expect(depthOf(v!)).toBe(7);
    let n = v!;
    while (n.entries!.length > 0) n = entry(n, "o")!;
    expect(n.unexpanded).toBe(true);
  });
  test("cycles, arrays, holes, Map, Set, class names, accessors", () => {
    const [v] = values(
      `(() => { const o = { arr: [1, , 3], m: new Map([["k", 1]]), s: new Set(["x"]), get g() { throw 1 } }; o.self = o; return o; })()`,
    );
    expect(entry(v!, "self")).toEqual({ type: "circular", text: "[Circular]" });
    const arr = entry(v!, "arr")!;
    expect(arr.text).toBe("Array(3)");
    expect(arr.entries!.map((e) => [e.key, e.value.text])).toEqual([
      ["0", "1"],
      [undefined, "<1 empty item>"],
      ["2", "3"],
    ]);
    expect(entry(v!, "m")!.entries).toEqual([{ key: "'k'", value: { type: "number", text: "1" } }]);
    expect(entry(v!, "s")!.entries).toEqual([{ value: { type: "string", text: "'x'" } }]);
    expect(entry(v!, "g")).toEqual({ type: "accessor", text: "[Getter]" });
    expect(values(`new (class Point { constructor() { this.x = 1 } })()`)[0]!.text).toBe("Point");
  });
  test("Error with stack, cause and AggregateError errors", () => {
    const [v] = values(`new AggregateError([new TypeError("inner")], "all", { cause: new Error("root") })`);
    expect(v!.type).toBe("error");
    expect(v!.text).toBe("AggregateError: all");
    expect(entry(v!, "cause")!.text).toBe("Error: root");
    const errors = entry(v!, "errors")!;
    expect(errors.entries![0]!.value.text).toBe("TypeError: inner");
    expect(entry(values(`(function f() { return new Error("x") })()`)[0]!, "stack")!.text).toMatch(/at f/);
  });
  test("Promise: state and result as entries, read by the host", () => {
    const state = (text: string) => ({ key: "[[PromiseState]]", value: { type: "other", text } });
    expect(values(`Promise.resolve(1)`)[0]).toEqual({
      type: "promise",
      text: "Promise",
      entries: [state("fulfilled"), { key: "[[PromiseResult]]", value: { type: "number", text: "1" } }],
    });
    expect(values(`new Promise(() => {})`)[0]).toEqual({
      type: "promise",
      text: "Promise",
      entries: [state("pending")],
    });
    const [rejected] = values(
      `(() => { const p = Promise.reject(new RangeError("no")); p.catch(() => {}); return p })()`,
    );
    expect(rejected!.entries![0]).toEqual(state("rejected"));
    expect(entry(rejected!, "[[PromiseResult]]")).toMatchObject({ type: "error", text: "RangeError: no" });
    // The result is previewed like any value; a subclass keeps its name; own properties follow.
    const [sub] = values(
      `(() => { class P extends Promise {}; const p = P.resolve({ a: [1] }); p.x = 2; return p })()`,
    );
    expect(sub!.text).toBe("P [Promise]");
    expect(entry(entry(entry(sub!, "[[PromiseResult]]")!, "a")!, "0")!.text).toBe("1");
    expect(entry(sub!, "x")!.text).toBe("2");
  });
  test("Promise look-alikes are not shown as promises; a Proxy runs no trap but toStringTag", () => {
    const out = run(`
      const traps = [];
      const proxy = new Proxy(Promise.resolve(1), { get(t, k) { traps.push(String(k)); return Reflect.get(t, k) } });
      console.log(proxy, { then() {} }, { [Symbol.toStringTag]: "Promise" });
      console.log([...new Set(traps)].join());`);
    const [proxy, thenable, forged] = out[0]!.values!;
    for (const v of [proxy, thenable, forged]) expect(v!.type).toBe("object");
    expect(out[1]!.text).toBe("Symbol(Symbol.toStringTag)");
  });
  test("hostile getters and Proxy traps: getters never run", () => {
    // A Proxy's get trap is asked for Symbol.toStringTag (as the text form asks), never for a property.
    const out = run(`
      let ran = 0;
      const o = { get a() { ran++; return 1 } };
      Object.defineProperty(o, "b", { enumerable: true, get() { ran++; } });
      console.log(o, new Proxy({ p: 1 }, { get(t, k) { if (k !== Symbol.toStringTag) ran++; return 2 } }));
      console.log(ran);`);
    expect(out[1]!.text).toBe("0");
    const [o, proxy] = out[0]!.values!;
    expect(entry(o!, "a")!.text).toBe("[Getter]");
    expect(entry(o!, "b")!.text).toBe("[Getter]");
    expect(entry(proxy!, "p")!.text).toBe("1");
  });
  test("replaced built-ins do not change the tree", () => {
    const [e] = run(`
      Array.prototype.push = () => { throw new Error("push") };
      Array.prototype[Symbol.iterator] = function* () { throw new Error("iter") };
      JSON.stringify = () => "[]";
      Object.keys = () => [];
      console.log({ a: [1, 2], e: new Error("x", { cause: 1 }) });`);
    const v = e!.values![0]!;
    expect(entry(v, "a")!.entries).toHaveLength(2);
    expect(entry(entry(v, "e")!, "cause")!.text).toBe("1");
  });
  test("a huge object stays within the caps", () => {
    const out = run(`
      const big = {};
      for (let i = 0; i < 600; i++) big["k" + i] = { s: "x".repeat(10), n: [i, i, i] };
      console.log(big, [big, big]);`);
    const [a, b] = out[0]!.values!;
    const nodes = countNodes(a!) + countNodes(b!);
    expect(nodes).toBeLessThanOrEqual(2100);
    expect(a!.more).toBeGreaterThan(200);
    expect(b!.more ?? entry(b!, "0")!.more).toBeGreaterThan(0);
    expect(JSON.stringify(out[0]!.values).length).toBeLessThan(200_000);
  });
  test("the values count against the output budget", async () => {
    const small: ConsoleEntry[] = [];
    const r = await JsRuntime.create({ extensions: web({ console: { sink: (e) => small.push(e), maxBytes: 2000 } }) });
    try {
      r.executeScript("t.js", `for (let i = 0; i < 100; i++) console.log({ i, s: "y".repeat(50) });`);
    } finally {
      r.dispose();
    }
    // Text alone is ~70 code units a line, so 2000 would hold ~28 lines; with values far fewer.
    expect(small.at(-1)!.text).toMatch(/output truncated/);
    expect(small.length).toBeLessThan(15);
  });
});

describe("parseConsoleValues (host validation)", () => {
  test("accepts a well-formed tree and drops unknown fields", () => {
    expect(
      parseConsoleValues(
        `[{"type":"object","text":"Object","x":1,"entries":[{"key":"a","value":{"type":"number","text":"1"}}]}]`,
      ),
    ).toEqual([{ type: "object", text: "Object", entries: [{ key: "a", value: { type: "number", text: "1" } }] }]);
  });
  test.each([
    ["not json", "{", /must be JSON/],
    ["not an array", `{"type":"null","text":"null"}`, /must be an array/],
    ["unknown type", `[{"type":"html","text":""}]`, /unknown type html/],
    ["text not a string", `[{"type":"null","text":1}]`, /text must be a string/],
    [
      "bad key",
      `[{"type":"object","text":"","entries":[{"key":1,"value":{"type":"null","text":""}}]}]`,
      /key must be a string/,
    ],
    ["bad more", `[{"type":"object","text":"","more":-1}]`, /more must be a count/],
    [
      "too deep",
      `[${'{"type":"object","text":"","entries":[{"value":'.repeat(20)}{"type":"null","text":""}${"}]}".repeat(20)}]`,
      /deeper than 8/,
    ],
    [
      "too many nodes",
      JSON.stringify(Array.from({ length: 5000 }, () => ({ type: "null", text: "null" }))),
      /more than 4096 nodes/,
    ],
  ])("rejects %s", (_name, json, message) => {
    expect(() => parseConsoleValues(json)).toThrow(TypeError);
    expect(() => parseConsoleValues(json)).toThrow(message);
  });
});
