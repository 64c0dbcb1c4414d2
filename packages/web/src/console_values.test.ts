/**
 * Structured console values (ConsoleEntry.values): the preview tree the guest
 * builds next to the text, and the host's validation of it.
 */
import { JsRuntime } from "@islet/core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { ConsoleEntry, ConsoleValue } from "./index.ts";
import { Console, parseConsoleSegments, parseConsoleTable, parseConsoleValues, web } from "./index.ts";

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
  test("Promise look-alikes are not shown as promises; a Proxy runs no trap at all", () => {
    const out = run(`
      const traps = [];
      const proxy = new Proxy(Promise.resolve(1), { get(t, k) { traps.push(String(k)); return Reflect.get(t, k) } });
      console.log(proxy, { then() {} }, { [Symbol.toStringTag]: "Promise" });
      console.log(traps.length);`);
    const [proxy, thenable, forged] = out[0]!.values!;
    expect(proxy).toEqual({ type: "other", text: "Proxy [Object]" });
    for (const v of [thenable, forged]) expect(v!.type).toBe("object");
    expect(out[1]!.text).toBe("0");
  });
  test("hostile getters and Proxy traps: neither runs; a Proxy is a leaf, in the text form too", () => {
    const out = run(`
      let ran = 0;
      const o = { get a() { ran++; return 1 } };
      Object.defineProperty(o, "b", { enumerable: true, get() { ran++; } });
      const every = {};
      for (const trap of ["get", "ownKeys", "getOwnPropertyDescriptor", "getPrototypeOf", "has", "apply"])
        every[trap] = function () { ran++; console.log("trap " + trap); throw new Error(trap) };
      const { proxy: revoked, revoke } = Proxy.revocable({}, every);
      revoke();
      console.log(o, new Proxy({ p: 1 }, every), new Proxy([1], every), new Proxy(function f() {}, every), revoked);
      console.table(new Proxy([{ a: 1 }], every));
      console.table([new Proxy({ a: 1 }, every), { a: 2 }]);
      console.log(ran);`);
    expect(out.at(-1)!.text).toBe("0");
    const [o, ...proxies] = out[0]!.values!;
    expect(entry(o!, "a")!.text).toBe("[Getter]");
    expect(entry(o!, "b")!.text).toBe("[Getter]");
    expect(proxies.map((p) => p.text)).toEqual([
      "Proxy [Object]",
      "Proxy [Array]",
      "Proxy [Function]",
      "Proxy [revoked]",
    ]);
    expect(out[0]!.text).toBe(
      "{ a: [Getter], b: [Getter] } Proxy [Object] Proxy [Array] Proxy [Function] Proxy [revoked]",
    );
    expect(out[1]!.text).toBe("Proxy [Array]");
    expect(out[2]!.text).toContain("Proxy [Object]");
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
    // The debug build formats 600 objects twice (text and tree) slowly on a loaded machine; this is about the caps.
  }, 60_000);
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

describe("%c segments", () => {
  test("the text drops the CSS (as Node does); segments carry it, piece by piece", () => {
    const [e] = run(`console.log("%cred %cbold", "color: red", "font-weight: bold", "rest", 1)`);
    expect(e!.text).toBe("red bold rest 1");
    expect(e!.segments).toEqual([
      { text: "red ", css: "color: red" },
      { text: "bold rest 1", css: "font-weight: bold" },
    ]);
    expect(e!.values).toBeUndefined();
    expect(run(`console.log("plain %c", "color: red")`)[0]!.segments).toEqual([{ text: "plain ", css: "" }]);
    expect(run(`console.info("a%cb%%c%s", "color: blue", "x")`)[0]).toMatchObject({
      level: "info",
      text: "ab%cx",
      segments: [
        { text: "a", css: "" },
        { text: "b%cx", css: "color: blue" },
      ],
    });
  });
  test("absent without %c; a non-string CSS argument runs no code and styles nothing", () => {
    expect(run(`console.log("a %s", "b")`)[0]!.segments).toBeUndefined();
    expect(run(`console.log({ a: "%c" }, "%c")`)[0]!.segments).toBeUndefined();
    const out = run(`
      let ran = 0;
      console.log("x %cy", { toString() { ran++; return "color: red" } });
      console.log(ran);`);
    expect(out[0]!.segments).toEqual([
      { text: "x ", css: "" },
      { text: "y", css: "" },
    ]);
    expect(out[1]!.text).toBe("0");
  });
  test("bounded: 64 segments, 512 characters of CSS each; texts always make up the text", () => {
    // (An earlier test replaced Array.prototype[Symbol.iterator] in this runtime: no spread.)
    const [e] = run(`
      const args = ["%cx".repeat(200)];
      for (let i = 1; i <= 200; i++) args[i] = "color: red;" + "a".repeat(1000);
      console.log.apply(console, args);`);
    expect(e!.segments!.length).toBeLessThanOrEqual(64);
    expect(e!.segments!.map((s) => s.text).join("")).toBe(e!.text);
    expect(e!.text).toBe("x".repeat(200));
    for (const s of e!.segments!) expect(s.css.length).toBeLessThanOrEqual(512);
  });
  test("parseConsoleSegments refuses a bad shape, too many, long CSS and texts that are not the entry's", () => {
    expect(parseConsoleSegments(`[{"text":"a","css":"color: red","x":1}]`, "a")).toEqual([
      { text: "a", css: "color: red" },
    ]);
    for (const [json, text, message] of [
      ["{", "", /must be JSON/],
      [`{"text":"a","css":""}`, "a", /must be an array/],
      [`[{"text":1,"css":""}]`, "1", /must be strings/],
      [JSON.stringify(Array.from({ length: 65 }, () => ({ text: "", css: "" }))), "", /more than 64/],
      [`[{"text":"a","css":"${"x".repeat(513)}"}]`, "a", /longer than 512/],
      [`[{"text":"a","css":""}]`, "b", /make up the entry's text/],
    ] as const) {
      expect(() => parseConsoleSegments(json, text)).toThrow(TypeError);
      expect(() => parseConsoleSegments(json, text)).toThrow(message);
    }
  });
});

describe("console.table as a table", () => {
  test("columns and one preview tree per cell; empty cells are null", () => {
    const [e] = run(`console.table([{ a: 1, b: { deep: { deeper: [1, 2] } } }, { a: "x" }, 3])`);
    expect(e!.table!.columns).toEqual(["(index)", "a", "b", "Values"]);
    const [r0, r1, r2] = e!.table!.rows;
    expect(r0![0]).toEqual({ type: "other", text: "0" });
    expect(r0![1]).toEqual({ type: "number", text: "1" });
    // Cells expand past the text form's [Object].
    expect(entry(entry(r0![2]!, "deep")!, "deeper")!.text).toBe("Array(2)");
    expect(r0![3]).toBeNull();
    expect(r1).toEqual([{ type: "other", text: "1" }, { type: "string", text: "'x'" }, null, null]);
    expect(r2).toEqual([{ type: "other", text: "2" }, null, null, { type: "number", text: "3" }]);
    expect(e!.values).toBeUndefined();
  });
  test("Map rows: iteration index, key, value; absent for a primitive", () => {
    const [e] = run(`const m = new Map(); m.set({ k: 1 }, 5); console.table(m)`);
    expect(e!.table!.columns).toEqual(["(iteration index)", "Key", "Values"]);
    expect(e!.table!.rows[0]![1]!.type).toBe("object");
    expect(run(`console.table(5)`)[0]!.table).toBeUndefined();
  });
  test("bounded: rows past the caps are counted, too many columns leave the text alone", () => {
    const [big] = run(`const a = []; for (let i = 0; i < 3000; i++) a[i] = { i }; console.table(a)`);
    expect(big!.table!.rows.length).toBeLessThanOrEqual(1000);
    expect(big!.table!.rows.length + big!.table!.more!).toBe(3000);
    const [wide] = run(`const o = {}; for (let i = 0; i < 300; i++) o["k" + i] = i; console.table([o])`);
    expect(wide!.table).toBeUndefined();
    expect(wide!.text).toContain("k299");
  });
  test("parseConsoleTable refuses a bad shape", () => {
    expect(parseConsoleTable(`{"columns":["(index)"],"rows":[[{"type":"other","text":"0"}]]}`)).toEqual({
      columns: ["(index)"],
      rows: [[{ type: "other", text: "0" }]],
    });
    for (const [json, message] of [
      ["[", /must be JSON/],
      [`{"columns":[1],"rows":[]}`, /columns must be strings/],
      [`{"columns":[],"rows":[]}`, /1 to 256 columns/],
      [`{"columns":["a"],"rows":[[null,null]]}`, /one cell per column/],
      [`{"columns":["a"],"rows":[[{"type":"html","text":""}]]}`, /table: unknown type html/],
      [`{"columns":["a"],"rows":${JSON.stringify(Array.from({ length: 1001 }, () => [null]))}}`, /at most 1000/],
    ] as const) {
      expect(() => parseConsoleTable(json)).toThrow(TypeError);
      expect(() => parseConsoleTable(json)).toThrow(message);
    }
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
