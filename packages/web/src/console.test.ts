import { JsRuntime } from "@islet/core";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import type { ConsoleEntry } from "./index.ts";
import { Console, web } from "./index.ts";

let rt: JsRuntime;
let entries: ConsoleEntry[] = [];
beforeAll(async () => {
  rt = await JsRuntime.create({ extensions: web({ console: { sink: (e) => entries.push(e) } }) });
}, 60_000);
afterAll(() => rt.dispose());
beforeEach(() => {
  entries = [];
});
/** Runs `src` and returns the texts the console wrote. */
function out(src: string): string[] {
  entries = [];
  rt.executeScript("t.js", `{ ${src}\n}`);
  return entries.map((e) => e.text);
}
const log = (expr: string) => out(`console.log(${expr})`)[0];

describe("inspect", () => {
  test("primitives", () => {
    expect(out(`console.log("s", 1, -0, 10n, true, null, undefined, Symbol("x"), NaN)`)).toEqual([
      "s 1 -0 10n true null undefined Symbol(x) NaN",
    ]);
    expect(log(`["a'b\\n"]`)).toBe(`[ "a'b\\n" ]`);
    expect(log(`["it's \\"q\\""]`)).toBe('[ `it\'s "q"` ]');
  });
  test("objects, arrays, nesting and depth", () => {
    expect(log(`{ a: 1, "b-c": "x", [Symbol("s")]: 2 }`)).toBe(`{ a: 1, 'b-c': 'x', [Symbol(s)]: 2 }`);
    expect(log(`{ a: { b: { c: { d: 1 } } }, e: [[[[1]]]] }`)).toBe(
      `{ a: { b: { c: [Object] } }, e: [ [ [Array] ] ] }`,
    );
    expect(log(`[1, , 3, , , 6]`)).toBe(`[ 1, <1 empty item>, 3, <2 empty items>, 6 ]`);
    expect(log(`[]`)).toBe("[]");
    expect(log(`{}`)).toBe("{}");
    expect(log(`Object.create(null)`)).toBe("[Object: null prototype] {}");
    expect(log(`{ get g() { return 1 }, set s(v) {} }`)).toBe("{ g: [Getter], s: [Setter] }");
  });
  test("long arrays are truncated and long objects break lines", () => {
    expect(log(`Array.from({ length: 101 }, (_, i) => i)`)).toMatch(/ 99,\n {2}\.\.\. 1 more item\n\]$/);
    expect(
      log(`{ alpha: "aaaaaaaaaaaaaaaaaaaa", beta: "bbbbbbbbbbbbbbbbbbbbbbbb", gamma: "cccccccccccccccccccccc" }`),
    ).toBe(
      "{\n  alpha: 'aaaaaaaaaaaaaaaaaaaa',\n  beta: 'bbbbbbbbbbbbbbbbbbbbbbbb',\n  gamma: 'cccccccccccccccccccccc'\n}",
    );
  });
  test("Map, Set, class instances, functions, classes, dates, regexps, typed arrays, boxed", () => {
    expect(log(`new Map([["k", { v: 1 }]])`)).toBe(`Map(1) { 'k' => { v: 1 } }`);
    expect(log(`new Set([1, "2"])`)).toBe(`Set(2) { 1, '2' }`);
    expect(log(`new (class Point { constructor() { this.x = 1 } })()`)).toBe("Point { x: 1 }");
    expect(log(`function foo() {}`)).toBe("[Function: foo]");
    expect(log(`class Foo {}`)).toBe("[class Foo]");
    expect(log(`() => {}`)).toBe("[Function (anonymous)]");
    expect(log(`async function af() {}`)).toBe("[AsyncFunction: af]");
    expect(log(`new Date(0)`)).toBe("1970-01-01T00:00:00.000Z");
    expect(log(`/a+/g`)).toBe("/a+/g");
    expect(log(`new Uint8Array([1, 2])`)).toBe("Uint8Array(2) [ 1, 2 ]");
    expect(log(`new Uint8Array([1, 255]).buffer`)).toBe("ArrayBuffer { [Uint8Contents]: <01 ff>, byteLength: 2 }");
    expect(log(`new Number(3)`)).toBe("[Number: 3]");
    expect(log(`new String("s")`)).toBe("[String: 's']");
    expect(log(`new WeakMap()`)).toBe("WeakMap { <items unknown> }");
  });
  test("cycles", () => {
    expect(log(`(() => { const a = { n: 1 }; a.self = a; return a })()`)).toBe(
      "<ref *1> { n: 1, self: [Circular *1] }",
    );
    expect(log(`(() => { const a = [1]; a.push(a); return a })()`)).toBe("<ref *1> [ 1, [Circular *1] ]");
  });
  test("errors print with their stack", () => {
    const text = log(`(function thrower() { return new TypeError("bad") })()`) as string;
    expect(text.split("\n")[0]).toBe("TypeError: bad");
    expect(text).toMatch(/at thrower/);
    expect(log(`{ e: new RangeError("r") }`)).toBe("{ e: [RangeError: r] }");
  });
});

describe("format specifiers", () => {
  test("%s %d %i %f %o %O %c %%", () => {
    expect(log(`"%s|%d|%i|%f|%%|%c|%O", "str", "42", 4.9, "1.5x", "color: red", { a: 1 }`)).toBe(
      "str|42|4|1.5|%||{ a: 1 }",
    );
    expect(log(`"%d %d", {}, 5n`)).toBe("NaN 5n");
    expect(log(`"%s extra", 1, "two", { three: 3 }`)).toBe("1 extra two { three: 3 }");
    expect(log(`"%s %s", "only"`)).toBe("only %s");
    expect(log(`"%o", [1]`)).toBe("[ 1 ]");
  });
});

describe("console methods", () => {
  test("levels and group depth", () => {
    rt.executeScript(
      "t.js",
      `console.info("i"); console.debug("d"); console.warn("w"); console.error("e");
       console.group("g"); console.log("in"); console.groupCollapsed(); console.log("deeper"); console.groupEnd(); console.groupEnd(); console.groupEnd(); console.log("out");`,
    );
    expect(entries.map((e) => [e.level, e.text, e.groupDepth])).toEqual([
      ["info", "i", 0],
      ["debug", "d", 0],
      ["warn", "w", 0],
      ["error", "e", 0],
      ["log", "g", 0],
      ["log", "in", 1],
      ["log", "deeper", 2],
      ["log", "out", 0],
    ]);
    expect(typeof entries[0]?.timestamp).toBe("number");
  });
  test("assert, count, countReset, time, trace, dir, clear", () => {
    expect(
      out(`console.assert(true, "no"); console.assert(false); console.assert(0, "x %s", "y"); console.assert(false, { a: 1 });
      console.count(); console.count(); console.count("k"); console.countReset(); console.count(); console.countReset("nope");
      console.dir("str"); console.dir({ a: { b: { c: { d: 1 } } } }, { depth: 0 });`),
    ).toEqual([
      "Assertion failed",
      "Assertion failed: x y",
      "Assertion failed: { a: 1 }",
      "default: 1",
      "default: 2",
      "k: 1",
      "default: 1",
      "Count for 'nope' does not exist",
      "'str'",
      "{ a: [Object] }",
    ]);
    entries = [];
    const t = out(
      `console.time("t"); console.time("t"); console.timeLog("t", "data"); console.timeEnd("t"); console.timeEnd("t");`,
    );
    expect(t[0]).toBe("Timer 't' already exists");
    expect(t[1]).toMatch(/^t: \d+\.\d{3}ms data$/);
    expect(t[2]).toMatch(/^t: \d+\.\d{3}ms$/);
    expect(t[3]).toBe("Timer 't' does not exist");
    entries = [];
    rt.executeScript("t.js", `(function outer() { console.trace("here %d", 1) })()`);
    expect(entries[0]?.level).toBe("trace");
    expect(entries[0]?.text).toMatch(/^Trace: here 1\n.*at outer/s);
    entries = [];
    rt.executeScript("t.js", `console.group(); console.clear(); console.log("x")`);
    expect(entries.map((e) => [e.level, e.groupDepth])).toEqual([
      ["clear", 0],
      ["log", 0],
    ]);
  });
  test("promises show their state and result, as Node prints them", () => {
    expect(log(`Promise.resolve(42)`)).toBe("Promise { 42 }");
    expect(log(`new Promise(() => {})`)).toBe("Promise { <pending> }");
    expect(log(`(() => { const p = Promise.reject(5); p.catch(() => {}); return p })()`)).toBe(
      "Promise { <rejected> 5 }",
    );
    const lines = log(`(() => { const p = Promise.reject(new Error("boom")); p.catch(() => {}); return p })()`)!.split(
      "\n",
    );
    expect([lines[0], lines[1], lines.at(-1)]).toEqual(["Promise {", "  <rejected> Error: boom", "}"]);
    for (const frame of lines.slice(2, -1)) expect(frame).toMatch(/^ {6}at .*t\.js/);
    expect(lines.length).toBeGreaterThan(3);
    expect(log(`[Promise.resolve({ a: 1 })]`)).toBe("[ Promise { { a: 1 } } ]");
    expect(log(`{ p: Promise.resolve("s") }`)).toBe("{ p: Promise { 's' } }");
    expect(log(`(() => { class P extends Promise {}; return P.resolve(1) })()`)).toBe("P [Promise] { 1 }");
    expect(log(`(() => { const p = Promise.resolve(1); p.x = 2; return p })()`)).toBe("Promise { 1, x: 2 }");
    expect(log(`Promise.resolve({ a: { b: { c: {} } } })`)).toBe("Promise { { a: { b: [Object] } } }");
    expect(log(`{ a: { b: { c: Promise.resolve(1) } } }`)).toBe("{ a: { b: { c: [Promise] } } }");
    expect(
      log(`(() => { let r; const p = new Promise((_, j) => (r = j)); r(p); p.catch(() => {}); return p })()`),
    ).toBe("<ref *1> Promise { <rejected> [Circular *1] }");
    // Look-alikes are not promises: no state is claimed.
    expect(log(`{ then(r) { r(1) } }`)).toBe("{ then: [Function: then] }");
    expect(log(`{ [Symbol.toStringTag]: "Promise" }`)).toBe(
      "Object [Promise] { [Symbol(Symbol.toStringTag)]: 'Promise' }",
    );
    expect(log(`Object.create(Promise.prototype)`)).toBe("Promise {}");
  });
  test("logging a rejected promise neither handles it nor reports it twice", async () => {
    const r = await JsRuntime.create({ extensions: web({ console: { sink: () => {} } }) });
    try {
      r.executeScript(
        "t.js",
        `globalThis.p = Promise.reject(new TypeError("lost")); console.log(p); console.log([p]); 0`,
      );
      await expect(r.runEventLoop()).rejects.toThrow(/Uncaught \(in promise\) lost/);
      r.executeScript(
        "t.js",
        `globalThis.q = Promise.reject(new Error("late")); console.log(q);
         (async () => { await 0; q.catch((e) => { globalThis.caught = e.message }) })(); 0`,
      );
      await r.runEventLoop();
      expect(r.executeScript("t.js", "caught")).toBe("late");
    } finally {
      r.dispose();
    }
  }, 60_000);
  test("table", () => {
    expect(out(`console.table([{ a: 1, b: "x" }, { a: 2 }, 3])`)[0]).toBe(
      [
        "┌─────────┬───┬─────┬────────┐",
        "│ (index) │ a │ b   │ Values │",
        "├─────────┼───┼─────┼────────┤",
        "│ 0       │ 1 │ 'x' │        │",
        "│ 1       │ 2 │     │        │",
        "│ 2       │   │     │ 3      │",
        "└─────────┴───┴─────┴────────┘",
      ].join("\n"),
    );
    expect(out(`console.table("not tabular")`)).toEqual(["not tabular"]);
  });
  // Each expected table is what Node 20 prints for the same call.
  test.each([
    [
      "a Map: iteration index, Key, Values",
      `new Map([["a", { x: 1 }], ["b", 2]])`,
      [
        "│ (iteration index) │ Key │ Values   │",
        "│ 0                 │ 'a' │ { x: 1 } │",
        "│ 1                 │ 'b' │ 2        │",
      ],
    ],
    [
      "a Set",
      `new Set(["x", "y"])`,
      ["│ (iteration index) │ Values │", "│ 0                 │ 'x'    │", "│ 1                 │ 'y'    │"],
    ],
    [
      "an object of objects",
      `{ r1: { a: 1 }, r2: { b: 2 } }`,
      ["│ (index) │ a │ b │", "│ r1      │ 1 │   │", "│ r2      │   │ 2 │"],
    ],
    ["arrays of arrays", `[[1, 2], [3]]`, ["│ (index) │ 0 │ 1 │", "│ 0       │ 1 │ 2 │", "│ 1       │ 3 │   │"]],
    [
      "the properties filter",
      `[{ a: 1, b: 2 }, { a: 3 }], ["a"]`,
      ["│ (index) │ a │", "│ 0       │ 1 │", "│ 1       │ 3 │"],
    ],
    [
      "properties and primitives: no Values column",
      `[1, "x", { a: 1 }], ["a"]`,
      ["│ (index) │ a │", "│ 0       │   │", "│ 1       │   │", "│ 2       │ 1 │"],
    ],
    ["index-like columns first", `[{ "a b": 1, 2: 3 }]`, ["│ (index) │ 2 │ a b │", "│ 0       │ 3 │ 1   │"]],
    ["an empty array", `[]`, ["│ (index) │"]],
    [
      "cells inspected as Node's table does",
      `[{ a: [1, 2, 3, 4, 5], b: { p: 1, q: 2, r: 3 }, c: { p: { deep: 1 } }, d: "s", e: Symbol("q"), f: () => 1 }]`,
      [
        "│ (index) │ a                             │ b        │ c               │ d   │ e         │ f             │",
        "│ 0       │ [ 1, 2, 3, ... 2 more items ] │ [Object] │ { p: [Object] } │ 's' │ Symbol(q) │ [Function: f] │",
      ],
    ],
  ])("table: %s", (_name, args, rows) => {
    const text = out(`console.table(${args})`)[0]!;
    expect(text.split("\n").filter((l) => l.startsWith("│"))).toEqual(rows);
  });
  test("table: getters never run, a bad properties argument is a TypeError, primitives are logged", () => {
    const texts = out(
      `let ran = 0; console.table([{ get a() { ran++; return 1 } }]); console.table({ get r() { ran++; return {} } }); console.log(ran)`,
    );
    expect(
      texts.map((t) =>
        t
          .split("\n")
          .filter((l) => l.startsWith("│"))
          .join("\n"),
      ),
    ).toEqual(["│ (index) │ a        │\n│ 0       │ [Getter] │", "│ (index) │ Values   │\n│ r       │ [Getter] │", ""]);
    expect(texts[2]).toBe("0");
    expect(out(`try { console.table([{ a: 1 }], "a") } catch (e) { console.log(e.name + ": " + e.message) }`)).toEqual([
      "TypeError: console.table: properties must be an array of property names",
    ]);
    expect(out(`console.table(5); console.table(null)`)).toEqual(["5", "null"]);
  });
  test("console survives hostile builtins", () => {
    expect(
      out(
        `const j = Array.prototype.join; Array.prototype.join = () => "hijacked"; try { console.log([1, 2], new Map([[1, 2]])) } finally { Array.prototype.join = j }`,
      ),
    ).toEqual(["[ 1, 2 ] Map(1) { 1 => 2 }"]);
  });
});

test("output budget: one truncation entry, the guest keeps running", async () => {
  const got: ConsoleEntry[] = [];
  const r = await JsRuntime.create({ extensions: web({ console: { sink: (e) => got.push(e), maxLines: 5 } }) });
  try {
    expect(r.executeScript("t.js", `let i = 0; for (; i < 1000; i++) console.log("line", i); i`)).toBe(1000);
    expect(got.length).toBe(6);
    expect(got[5]?.text).toMatch(/^output truncated/);
    expect(got[4]?.text).toBe("line 4");
  } finally {
    r.dispose();
  }
  expect(() => web({ console: { maxBytes: -1 } })).toThrow(/maxBytes/);
}, 60_000);

test("resetBudget() starts a new budget: a later call prints again", async () => {
  const got: ConsoleEntry[] = [];
  const r = await JsRuntime.create({
    extensions: web({ console: { sink: (e) => got.push(e), maxLines: 3, maxBytes: 100 } }),
  });
  try {
    const budget = r.opState.get(Console);
    r.executeScript("a.js", `for (let i = 0; i < 10; i++) console.log(i)`);
    expect(got.map((e) => e.text)).toEqual(["0", "1", "2", expect.stringMatching(/^output truncated/)]);
    r.executeScript("b.js", `console.log("silenced")`);
    expect(got.length).toBe(4);
    budget.resetBudget();
    r.executeScript("c.js", `console.log("again"); console.log("x".repeat(99))`);
    expect(got.slice(4).map((e) => e.text.slice(0, 16))).toEqual(["again", expect.stringMatching(/^output truncated/)]);
    budget.resetBudget();
    r.executeScript("d.js", `console.log("x".repeat(100))`);
    expect(got.at(-1)?.text).toBe("x".repeat(100));
  } finally {
    r.dispose();
  }
}, 60_000);

test("inspect matches Node's util.inspect on plain data", async () => {
  const { inspect } = await import("node:util");
  const cases = [
    `{ a: 1, b: "two", c: [1, 2, 3], d: { e: null, f: undefined } }`,
    `[{ id: 1, name: "alpha", tags: ["x", "y"] }, { id: 2, name: "beta", tags: [] }, { id: 3, name: "gamma", tags: ["z"] }]`,
    `{ alpha: "aaaaaaaaaaaaaaaaaaaa", beta: "bbbbbbbbbbbbbbbbbbbbbbbb" }`,
    `{ a: "x".repeat(50), b: 1 }`,
    `new Map([["a", [1, 2]], ["b", new Set(["c"])]])`,
    `{ level1: { level2: { level3: { level4: "deep" } }, sibling: [[["x"]]] } }`,
    `[1.5, -0, 10n, true, null, undefined]`,
    `["s'q", 'd"q', "b'o\\"th", "tab\\t"]`,
    `Object.assign(Object.create(null), { k: 1 })`,
  ];
  for (const expr of cases) {
    const guest = out(`console.log(${expr})`)[0];
    const host = new Function(`return (${expr})`)();
    expect(guest, expr).toBe(inspect(host));
  }
});
