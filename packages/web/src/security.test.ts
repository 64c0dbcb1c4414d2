/**
 * Hostile cases against @islet/web, named by ID. Never delete one; each says
 * what it attacks.
 */
import { JsRuntime } from "@islet/core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { type ConsoleEntry, web } from "./index.ts";

let rt: JsRuntime;
const entries: ConsoleEntry[] = [];
beforeAll(async () => {
  rt = await JsRuntime.create({
    extensions: web({ console: { sink: (e) => entries.push(e), maxBytes: 1 << 20 } }),
    permissions: { net: true },
  });
}, 60_000);
afterAll(() => rt.dispose());
const run = (src: string) => rt.executeScript("t.js", `{ ${src}\n}`);

test("WEB-SEC-01: no op function is reachable from the globals web installs", () => {
  // Walks every global, its own properties and its prototype's, looking for a function named op_*.
  expect(
    run(`const found = []; const seen = new Set();
    function visit(v, path, depth) {
      if (v === null || (typeof v !== "object" && typeof v !== "function") || seen.has(v) || depth > 3) return;
      seen.add(v);
      if (typeof v === "function" && /^op_/.test(v.name)) found.push(path);
      for (const k of Reflect.ownKeys(v)) {
        const d = Object.getOwnPropertyDescriptor(v, k);
        if (d && "value" in d) visit(d.value, path + "." + String(k), depth + 1);
      }
    }
    visit(globalThis, "globalThis", 0); found`),
  ).toEqual([]);
});

test("WEB-SEC-02: objects forged from a web prototype are rejected, not trusted", () => {
  // Internal state lives in guest WeakMaps keyed by the real instance; a forged object has none.
  for (const [cls, prop] of [
    ["URL", "href"],
    ["Headers", "get"],
    ["Response", "status"],
    ["AbortSignal", "aborted"],
    ["TextDecoder", "encoding"],
    ["Event", "type"],
  ]) {
    expect(
      run(
        `const fake = Object.create(${cls}.prototype); try { const v = fake.${prop}; typeof v === "function" ? v.call(fake, "a") : v; "read" } catch (e) { e.name + ": " + /illegal invocation/.test(e.message) }`,
      ),
      cls,
    ).toBe("TypeError: true");
  }
});

test("WEB-SEC-03: fetch refuses schemes other than http(s), even with net: true", async () => {
  // file: and data: must never reach the host's fetch (or its file system).
  rt.executeScript(
    "t.js",
    `globalThis.__r = []; for (const u of ["file:///etc/passwd", "data:text/plain,hi", "blob:http://a/x"]) fetch(u).then(() => __r.push("fetched " + u), (e) => __r.push(e.name)); 0`,
  );
  await rt.runEventLoop();
  expect(rt.executeScript("t.js", "__r")).toEqual(["TypeError", "TypeError", "TypeError"]);
  expect(rt.resources()).toEqual([]);
});

test("WEB-SEC-04: a 4 MB log line cannot flood the host; the guest keeps running", () => {
  // The output budget is enforced host-side; the guest learns it is spent and stops formatting.
  entries.length = 0;
  expect(run(`console.log("x".repeat(4 << 20)); console.log("after"); "still running"`)).toBe("still running");
  expect(entries.length).toBe(1);
  expect(entries[0]?.text).toMatch(/^output truncated/);
});

test("WEB-SEC-05: replaced builtins and a poisoned Object.prototype do not break URL, Headers or timers", async () => {
  // Guest platform code uses primordials captured before user code ran.
  rt.executeScript(
    "t.js",
    `Object.defineProperty(Object.prototype, "then", { get() { throw new Error("poisoned then") }, configurable: true });
    const saved = [Array.prototype.push, String.prototype.slice, JSON.stringify];
    Array.prototype.push = () => { throw new Error("push") }; String.prototype.slice = () => { throw new Error("slice") };
    globalThis.__v = [];
    try {
      const u = new URL("http://a/b?c=1"); u.searchParams.append("d", "2");
      const h = new Headers({ a: "1" }); h.append("b", "2");
      __v[0] = u.href; __v[1] = [...h].length;
    } finally { [Array.prototype.push, String.prototype.slice] = saved; delete Object.prototype.then; }
    setTimeout(() => { __v[2] = "timer"; }, 0); 0`,
  );
  await rt.runEventLoop();
  expect(rt.executeScript("t.js", "__v")).toEqual(["http://a/b?c=1&d=2", 2, "timer"]);
});

test("WEB-SEC-06: replaced Array/Promise/iterator builtins do not break streams, bodies or Blob", async () => {
  // ReadableStream's queue, read requests, tee and body collection run on primordials; user
  // code that replaces push/shift, Promise.prototype.then or the array iterator's next()
  // cannot break (or observe) them.
  rt.executeScript(
    "t.js",
    `globalThis.__v = undefined;
    const blob = new Blob(["b", "lob"]); const h = new Uint8Array([104]), i = new Uint8Array([105]);
    const ArrayIterator = Object.getPrototypeOf([][Symbol.iterator]());
    globalThis.__saved = [Array.prototype.push, Array.prototype.shift, Promise.prototype.then, ArrayIterator.next];
    Array.prototype.push = () => { throw new Error("push") }; Array.prototype.shift = () => { throw new Error("shift") };
    Promise.prototype.then = function () { throw new Error("then") }; ArrayIterator.next = () => { throw new Error("next") };
    (async () => {
      try {
        const rs = new ReadableStream({ start(c) { c.enqueue(h); c.enqueue(i); c.close(); } });
        const text = await new Response(rs).text();
        const branches = new ReadableStream({ start(c) { c.enqueue(7); c.close(); } }).tee();
        const first = (await branches[1].getReader().read()).value;
        let n = 0; for await (const x of new ReadableStream({ start(c) { c.enqueue(1); c.enqueue(2); c.close(); } })) n += x;
        const r = new Response(blob); const clone = r.clone();
        __v = [text, first, n, await r.text(), await (await clone.blob()).text()];
      } catch (e) { __v = String(e); }
    })(); 0`,
  );
  await rt.runEventLoop();
  rt.executeScript(
    "t.js",
    `Object.getPrototypeOf([][Symbol.iterator]()).next = __saved[3];
    Array.prototype.push = __saved[0]; Array.prototype.shift = __saved[1]; Promise.prototype.then = __saved[2]; 0`,
  );
  expect(rt.executeScript("t.js", "__v")).toEqual(["hi", 7, 3, "blob", "blob"]);
});

test("WEB-SEC-07: encodeInto with a forged length property cannot make the host allocate it", () => {
  // The guest defines an own `length` of 1e9 on a 4-byte array; the host must use the real 4.
  expect(
    run(`const u = new Uint8Array(4); Object.defineProperty(u, "length", { value: 1e9 });
    const r = new TextEncoder().encodeInto("abcdef", u); [r.read, r.written, Array.from(new Uint8Array(u.buffer))]`),
  ).toEqual([4, 4, [97, 98, 99, 100]]);
});

test("WEB-SEC-08: console.group nesting cannot make the sink indent without bound", async () => {
  const seen: ConsoleEntry[] = [];
  const fresh = await JsRuntime.create({ extensions: web({ console: { sink: (e) => seen.push(e) } }) });
  try {
    fresh.executeScript("t.js", `for (let i = 0; i < 20000; i++) console.group(); console.log("deep"); 0`);
  } finally {
    fresh.dispose();
  }
  expect(seen.map((e) => [e.text, e.groupDepth])).toContainEqual(["deep", 32]);
});
