/**
 * Opening what the console preview cut off (inspectConsoleValue): handles on
 * cut-off containers, one preview depth more per request, stale handles after
 * the run ends (releaseConsoleValues, reset, dispose), and hostile values —
 * inspecting runs no getter, Proxy trap or conversion, and reads what the
 * object holds now. The registry's cap: console_inspect_soak.release.test.ts.
 */
import { JsRuntime } from "@islet/core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { ConsoleEntry } from "./index.ts";
import { Console, ConsoleValueUnavailable, inspectConsoleValue, releaseConsoleValues, web } from "./index.ts";
import { descend, entry } from "./test/console_handles.ts";

let rt: JsRuntime;
let entries: ConsoleEntry[] = [];
beforeAll(async () => {
  rt = await JsRuntime.create({ extensions: web({ console: { sink: (e) => entries.push(e) } }) });
}, 60_000);
afterAll(() => rt.dispose());

/** Runs `src` as a new call does: handles of earlier calls released, a fresh budget. */
function call(src: string, runtime = rt): ConsoleEntry[] {
  entries = [];
  releaseConsoleValues(runtime);
  runtime.opState.get(Console).resetBudget();
  runtime.executeScript("t.js", `{ ${src}\n}; undefined`);
  return entries;
}
const DEEP = `(() => { let o = { end: "leaf" }; for (let i = 0; i < 20; i++) o = { o, i }; return o; })()`;

describe("inspectConsoleValue", () => {
  test("a cut-off container carries a handle; inspecting it reads one preview depth more, down to the leaf", () => {
    const [e] = call(`console.log(${DEEP})`);
    let node = descend(e!.values![0]!, "o");
    expect(node.unexpanded).toBe(true);
    expect(node.entries).toEqual([]);
    expect(node.handle).toMatch(/^\d+\.\d+$/);
    // 21 nested objects; the preview shows 6 levels, each inspect 6 more.
    const levels: number[] = [];
    while (node.unexpanded) {
      const opened = inspectConsoleValue(rt, node.handle);
      expect(opened.type).toBe("object");
      expect(opened.unexpanded).toBeUndefined();
      levels.push(Number(entry(opened, "i")?.text));
      node = descend(opened, "o");
    }
    expect(levels).toEqual([13, 7, 1]);
    expect(entry(node, "end")).toEqual({ type: "string", text: "'leaf'" });
  });

  test("arrays, maps and class instances open as themselves", () => {
    const [e] = call(`class Box { constructor(v) { this.v = v } }
      const deep = (v) => { for (let i = 0; i < 6; i++) v = [v]; return v; };
      console.log(deep([1, 2]), deep(new Map([["k", { a: 1 }]])), deep(new Box(7)))`);
    const opened = e!.values!.map((v) => {
      let n = v;
      while (n.entries!.length > 0) n = n.entries![0]!.value;
      return inspectConsoleValue(rt, n.handle);
    });
    expect(opened.map((v) => [v.type, v.text])).toEqual([
      ["array", "Array(2)"],
      ["map", "Map(1)"],
      ["object", "Box"],
    ]);
    expect(opened[1]!.entries![0]).toEqual({
      key: "'k'",
      value: { type: "object", text: "Object", entries: [{ key: "a", value: { type: "number", text: "1" } }] },
    });
  });

  test("stale after the next call, with a clear error; never another run's object", () => {
    const [e] = call(`console.log(${DEEP})`);
    const handle = descend(e!.values![0]!, "o").handle;
    call(`console.log(${DEEP.replace('"leaf"', '"other"')})`);
    expect(() => inspectConsoleValue(rt, handle)).toThrow(ConsoleValueUnavailable);
    expect(() => inspectConsoleValue(rt, handle)).toThrow(/value no longer available/);
  });

  test("stale after reset() and after dispose()", async () => {
    const seen: ConsoleEntry[] = [];
    const own = await JsRuntime.create({ extensions: web({ console: { sink: (e) => seen.push(e) } }) });
    const image = own.snapshot();
    try {
      own.executeScript("a.js", `console.log(${DEEP})`);
      const handle = descend(seen[0]!.values![0]!, "o").handle!;
      expect(inspectConsoleValue(own, handle).type).toBe("object");
      own.reset();
      // The guest's registry went with its heap, and the handle's run with the old state.
      expect(() => inspectConsoleValue(own, handle)).toThrow(ConsoleValueUnavailable);
      own.executeScript("b.js", `console.log(${DEEP})`);
      const again = descend(seen[1]!.values![0]!, "o").handle!;
      expect(again).not.toBe(handle);
      expect(() => inspectConsoleValue(own, handle)).toThrow(ConsoleValueUnavailable);
      expect(inspectConsoleValue(own, again).type).toBe("object");
      own.dispose();
      expect(() => inspectConsoleValue(own, again)).toThrow(/disposed/);
    } finally {
      if (!own.disposed) own.dispose();
      void image;
    }
  }, 60_000);

  test("a container the log's budget cut short after other values used it has a handle; read alone it shows all", () => {
    const [e] = call(`const big = {}; for (let i = 0; i < 3000; i++) big["k" + i] = i;
      console.log(big, { small: { a: 1, b: 2 } })`);
    const [big, starved] = e!.values!;
    // The first value had the whole budget: read again it would be cut the same way, so no handle.
    expect(big!.more).toBeGreaterThan(0);
    expect(big!.handle).toBeUndefined();
    expect(starved!.entries).toEqual([]);
    expect(starved!.more).toBe(1);
    const opened = inspectConsoleValue(rt, starved!.handle);
    expect(entry(entry(opened, "small")!, "b")).toEqual({ type: "number", text: "2" });
    expect(opened.handle).toBeUndefined();
  });

  test("a runtime made from the same image (its engine reused after dispose) never answers an old handle", async () => {
    const seen: ConsoleEntry[] = [];
    const options = { extensions: web({ console: { sink: (e: ConsoleEntry) => seen.push(e) } }) };
    const first = await JsRuntime.create(options);
    const image = first.snapshot();
    first.dispose();
    const a = await JsRuntime.create({ ...options, snapshot: image });
    a.executeScript("a.js", `console.log(${DEEP})`);
    const old = descend(seen[0]!.values![0]!, "o").handle!;
    a.dispose();
    const b = await JsRuntime.create({ ...options, snapshot: image });
    try {
      // The same guest-side number in the new runtime: a different run, so the old handle is stale.
      b.executeScript("b.js", `console.log(${DEEP.replace('"leaf"', '"other"')})`);
      const fresh = descend(seen[1]!.values![0]!, "o").handle!;
      expect(fresh.split(".")[1]).toBe(old.split(".")[1]);
      expect(() => inspectConsoleValue(b, old)).toThrow(ConsoleValueUnavailable);
      expect(inspectConsoleValue(b, fresh).type).toBe("object");
    } finally {
      b.dispose();
    }
  }, 60_000);

  test("bad handles are TypeErrors naming the problem", () => {
    for (const bad of [undefined, 7, "7", "1.2.3", "a.b", "0.1", {}, "1.".padEnd(100, "9")])
      expect(() => inspectConsoleValue(rt, bad)).toThrow(TypeError);
    expect(() => inspectConsoleValue(rt, 5)).toThrow(/handle must be a console value's handle/);
  });

  test("inspecting runs no getter, Proxy trap or conversion; a getter that throws or logs stays [Getter]", () => {
    const [e] = call(`globalThis.ran = 0;
      const hostile = {};
      Object.defineProperty(hostile, "boom", { enumerable: true, get() { ran++; throw new Error("getter ran") } });
      Object.defineProperty(hostile, "noisy", { enumerable: true, get() { ran++; console.log("getter ran"); return 1 } });
      hostile.valueOf = () => { ran++; return 1 };
      hostile.toString = () => { ran++; return "x" };
      hostile[Symbol.toPrimitive] = () => { ran++; return 1 };
      const traps = {};
      for (const t of ["get", "ownKeys", "getOwnPropertyDescriptor", "getPrototypeOf", "has"]) traps[t] = () => { ran++; console.log("trap"); throw new Error(t) };
      hostile.proxy = new Proxy({ secret: 1 }, traps);
      let o = { hostile }; for (let i = 0; i < 6; i++) o = { o };
      console.log(o)`);
    const cut = descend(e!.values![0]!, "o");
    entries = [];
    const opened = inspectConsoleValue(rt, cut.handle);
    const hostile = entry(opened, "hostile")!;
    expect(entry(hostile, "boom")).toEqual({ type: "accessor", text: "[Getter]" });
    expect(entry(hostile, "noisy")).toEqual({ type: "accessor", text: "[Getter]" });
    expect(entry(hostile, "proxy")).toEqual({ type: "other", text: "Proxy [Object]" });
    expect(rt.executeScript("ran.js", "ran")).toBe(0);
    expect(entries).toEqual([]);
  });

  test("no getter or trap runs for names, tags and errors: a static name getter, a toStringTag getter, an error's getters, a Proxy prototype", () => {
    const [e] = call(`globalThis.ran = 0;
      const hit = () => { ran++; return "ran" };
      class Sneaky { static get name() { return hit() } get [Symbol.toStringTag]() { return hit() } }
      const f = function () {}; Object.defineProperty(f, "name", { get: hit });
      const err = new Error("e"); Object.defineProperty(err, "message", { get: hit }); Object.defineProperty(err, "name", { get: hit });
      const odd = new Error("x"); odd.name = { toString: hit };
      const traps = {}; for (const t of ["get", "getPrototypeOf", "getOwnPropertyDescriptor", "ownKeys", "has"]) traps[t] = hit;
      const child = Object.create(new Proxy({}, traps)); child.own = 1;
      globalThis.inner = { sneaky: new Sneaky(), f, err, odd, child }; let o = inner; for (let i = 0; i < 6; i++) o = { o };
      console.log(o);`);
    const opened = inspectConsoleValue(rt, descend(e!.values![0]!, "o").handle);
    expect(rt.executeScript("ran.js", "ran")).toBe(0);
    // Logging the same values as text runs nothing either.
    rt.executeScript("text.js", "console.log(inner); console.log(String(ran))");
    expect(entries.at(-1)!.text).toBe("0");
    expect(entry(opened, "f")!.text).toBe("[Function (anonymous)]");
    expect(entry(opened, "err")!.text).toMatch(/^Error/);
    expect(entry(opened, "child")!.entries!.map((x) => x.key)).toEqual(["own"]);
  });

  test("reads the object as it is now: mutated, grown, emptied after logging", () => {
    const [e] = call(`let inner = { before: 1 }; let o = inner; for (let i = 0; i < 6; i++) o = { o };
      console.log(o);
      delete inner.before; inner.after = [1, 2, 3]; Object.defineProperty(inner, "late", { enumerable: true, get() { throw 1 } });`);
    const opened = inspectConsoleValue(rt, descend(e!.values![0]!, "o").handle);
    expect(opened.entries!.map((x) => x.key)).toEqual(["after", "late"]);
    expect(entry(opened, "late")!.text).toBe("[Getter]");
  });

  test("cycles: a cut-off object that refers back opens without end, one depth at a time", () => {
    const [e] = call(
      `const a = { name: "a" }; a.self = a; let o = a; for (let i = 0; i < 6; i++) o = { o }; console.log(o)`,
    );
    const opened = inspectConsoleValue(rt, descend(e!.values![0]!, "o").handle);
    expect(entry(opened, "self")).toEqual({ type: "circular", text: "[Circular]" });
  });

  test("a guest that replaced the built-ins first changes neither the handles nor what inspect reads", () => {
    const [e] = call(`
      Map.prototype.get = () => ({ forged: true }); Map.prototype.set = function () { return this };
      Map.prototype.delete = () => true; Map.prototype.clear = () => {};
      Object.defineProperty(Map.prototype, "size", { get() { return 0 } });
      JSON.stringify = () => '{"type":"string","text":"forged"}'; JSON.parse = () => ({});
      Object.keys = () => ["forged"]; Object.getOwnPropertyDescriptor = () => ({ value: "forged" });
      Reflect.apply = () => "forged"; Array.prototype.push = () => { throw new Error("push") };
      let o = { real: [1, 2] }; for (let i = 0; i < 6; i++) o = { o };
      console.log(o)`);
    const opened = inspectConsoleValue(rt, descend(e!.values![0]!, "o").handle);
    expect(opened.entries!.map((x) => x.key)).toEqual(["real"]);
    expect(entry(opened, "real")!.text).toBe("Array(2)");
  });
});
