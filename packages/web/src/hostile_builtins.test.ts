/**
 * Hostile cases: guest code replaces built-ins first, then uses every web API.
 * Each case runs the same exercise program (test/web_exercise.ts) that a clean
 * runtime ran, and the two outputs must be equal — the platform's guest code
 * reads intrinsics captured at bootstrap and never a prototype the guest can
 * reach. IDs are never reused or deleted; each says what it attacks.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { JsRuntime } from "@islet/core";
import { afterAll, beforeAll, expect, test, vi } from "vitest";
import { type ConsoleEntry, web } from "./index.ts";
import { EXERCISE_PRELUDE } from "./test/web_exercise.ts";

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

let server: Server;
let port = 0;
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === "/json") {
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ hello: "world" }));
    } else if (req.url === "/slow") {
      res.write("start");
      setTimeout(() => res.end("end"), 2000).unref();
    } else {
      const chunks: Buffer[] = [];
      req.on("data", (c) => chunks.push(c));
      req.on("end", () => {
        res.setHeader("x-method", req.method ?? "");
        res.setHeader("x-custom", req.headers["x-custom"] ?? "");
        res.end(Buffer.concat(chunks));
      });
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

/** Runs the exercise after `poison` (a script evaluated once the prelude captured its own intrinsics). */
async function exercise(poison: string): Promise<{ out: string; console: string[]; violations: string[] }> {
  const logged: string[] = [];
  const sink = (e: ConsoleEntry) => logged.push(`${e.level}: ${e.text}`);
  const rt = await JsRuntime.create({
    extensions: web({ console: { sink } }),
    permissions: { net: [`127.0.0.1:${port}`] },
  });
  try {
    rt.executeScript("prelude.js", EXERCISE_PRELUDE);
    rt.executeScript("port.js", `__exercise.state.port = ${port}; 0`);
    rt.executeScript("poison.js", `${poison}\n;0`);
    rt.executeScript("run.js", "__exercise.run(); 0");
    await rt.runEventLoop();
    const out = rt.executeScript("out.js", "__exercise.state.out") as string;
    const violations = rt.executeScript(
      "v.js",
      "globalThis.__violations === undefined ? [] : __violations",
    ) as string[];
    return { out, console: logged, violations };
  } finally {
    rt.dispose();
  }
}

let baseline: { out: string; console: string[]; violations: string[] };
beforeAll(async () => {
  baseline = await exercise("");
});

test("the exercise covers every API and passes in a clean runtime", () => {
  expect(baseline.out).not.toMatch(/THREW|FATAL/);
  expect(baseline.out).toMatch(/\nend = "end"$/);
  expect(baseline.out).toContain(
    'fetch = [200,"payload","POST","c",{hello:"world",},"AbortError",["u8[120,121,122]"]]',
  );
  expect(baseline.out).toContain('DOMException = ["AbortError","m",20,true,"Error",0,"DataCloneError",25,7,');
  expect(baseline.out).toContain(
    '\nbyte streams = [["u8[1,10]","u8[2,20]","u8[3,30]"],"u8[1,10,2,20]",false,"u8[98,121]","u8[98,111,100,121,33]",["u8[1,2]","u8[3]"],"","TypeError",undefined,3]\n',
  );
  expect(baseline.console).toHaveLength(2);
});

// Records a violation when the function that called the spy is platform code: QuickJS stack
// lines are "at fn (file:line:col)"; frame 0 is spyCheck, 1 the spy, 2 its caller.
const SPY = `const spyError = Error, spyPush = Array.prototype.push, spySplit = String.prototype.split;
  const spyIncludes = String.prototype.includes, spyApply = Reflect.apply;
  globalThis.__violations = [];
  function spyCheck(what) {
    const lines = spyApply(spySplit, new spyError().stack, ["\\n"]);
    if (lines.length > 2 && spyApply(spyIncludes, lines[2], ["(ext:"])) spyApply(spyPush, __violations, [what + " from" + lines[2]]);
  }`;

const cases: [id: string, what: string, poison: string][] = [
  [
    "WEB-H-01",
    // Descriptor literals inherit from Object.prototype unless they are null-prototype:
    // an inherited `get` makes every { value } descriptor invalid.
    "Object.prototype.get/set make inherited accessor fields appear in descriptor literals",
    `Object.prototype.get = function () { return "poisoned get"; };
     Object.prototype.set = function () { throw new Error("poisoned set"); };`,
  ],
  [
    "WEB-H-02",
    // Descriptor fields and internal record fields read through the prototype chain.
    "throwing getters on Object.prototype for descriptor fields and internal field names",
    `for (const k of ["value", "writable", "enumerable", "configurable", "stream", "bytes", "rid", "handler", "list",
       "guard", "searchParams", "reader", "controller", "cls", "kind", "url", "used", "body", "headers", "signal",
       "status", "statusText", "method", "redirect", "duplex", "type", "endings", "fatal", "ignoreBOM", "stream",
       "transfer", "cause", "name", "detail", "bubbles", "cancelable", "composed", "once", "passive", "capture",
       "highWaterMark", "size", "start", "pull", "cancel", "mode", "preventCancel", "startTime", "duration", "end",
       "promise", "reason", "message", "error", "filename", "lineno", "colno", "handleEvent", "next", "return",
       "resolve", "reject", "state", "queue", "open", "expected", "done", "key", "algorithms", "dependents", "byte",
       "byob", "min", "autoAllocateChunkSize", "pendingPullIntos", "byobRequest", "view", "readerType", "buffer",
       "byteOffset", "byteLength", "bytesFilled", "elementSize", "ctor", "disturbed", "storedError"]) {
       Object.defineProperty(Object.prototype, k, { __proto__: null, get() { throw new Error("poisoned getter " + k); },
         set(v) { throw new Error("poisoned setter " + k); }, configurable: true });
     }`,
  ],
  [
    "WEB-H-03",
    "every Array.prototype method and the array iterator replaced by throwing functions",
    `const ArrayIterator = Object.getPrototypeOf([][Symbol.iterator]());
     const keys = Reflect.ownKeys(Array.prototype);
     for (let i = 0; i < keys.length; i++) {
       const k = keys[i];
       if (k === "length" || k === "constructor") continue;
       Array.prototype[k] = function () { throw new Error("poisoned Array.prototype." + String(k)); };
     }
     ArrayIterator.next = function () { throw new Error("poisoned ArrayIterator next"); };
     Array.from = Array.of = Array.isArray = () => { throw new Error("poisoned Array static"); };`,
  ],
  [
    "WEB-H-04",
    "Promise.prototype.then/catch/finally and the Promise statics replaced",
    `Promise.prototype.then = function () { throw new Error("poisoned then"); };
     Promise.prototype.catch = function () { throw new Error("poisoned catch"); };
     Promise.prototype.finally = function () { throw new Error("poisoned finally"); };
     for (const k of ["resolve", "reject", "all", "race", "allSettled", "any", "withResolvers"]) {
       Promise[k] = function () { throw new Error("poisoned Promise." + k); };
     }`,
  ],
  [
    "WEB-H-05",
    "Function.prototype.call/apply/bind replaced",
    `Function.prototype.call = function () { throw new Error("poisoned call"); };
     Function.prototype.apply = function () { throw new Error("poisoned apply"); };
     Function.prototype.bind = function () { throw new Error("poisoned bind"); };`,
  ],
  [
    "WEB-H-06",
    "Symbol.iterator of strings, Map, Set and typed arrays, and their iterators' next(), replaced",
    `const boom = (what) => function () { throw new Error("poisoned " + what); };
     String.prototype[Symbol.iterator] = boom("String iterator");
     for (const C of [Map, Set]) {
       C.prototype[Symbol.iterator] = boom(C.name + " iterator");
       Object.getPrototypeOf(new C().entries()).next = boom(C.name + " iterator next");
       C.prototype.entries = C.prototype.keys = C.prototype.values = C.prototype.forEach = boom(C.name + " iteration");
     }
     const TA = Object.getPrototypeOf(Uint8Array);
     TA.prototype[Symbol.iterator] = TA.prototype.values = TA.prototype.entries = TA.prototype.keys = boom("TypedArray iterator");
     Object.getPrototypeOf((function* () {})()).next = boom("generator next");`,
  ],
  [
    "WEB-H-07",
    "Map, Set, WeakMap, WeakSet and WeakRef methods replaced",
    `const boom = (what) => function () { throw new Error("poisoned " + what); };
     for (const C of [Map, Set, WeakMap, WeakSet, WeakRef]) {
       for (const k of Reflect.ownKeys(C.prototype)) {
         const d = Object.getOwnPropertyDescriptor(C.prototype, k);
         if (k !== "constructor" && typeof d.value === "function") C.prototype[k] = boom(C.name + "." + String(k));
       }
     }`,
  ],
  [
    "WEB-H-08",
    "String and RegExp methods (exec, test, Symbol.replace/split/match, flags getters) replaced",
    `const boom = (what) => function () { throw new Error("poisoned " + what); };
     for (const k of Reflect.ownKeys(String.prototype)) {
       if (k !== "constructor" && k !== "length" && k !== "toString" && k !== "valueOf") String.prototype[k] = boom("String." + String(k));
     }
     for (const k of ["exec", "test", Symbol.replace, Symbol.split, Symbol.match, Symbol.matchAll, Symbol.search]) {
       RegExp.prototype[k] = boom("RegExp." + String(k));
       // A string separator or pattern is asked for these too in engines that predate ES2025.
       if (typeof k === "symbol") String.prototype[k] = boom("String." + String(k));
     }
     for (const k of ["flags", "global", "unicode", "sticky", "source"]) {
       Object.defineProperty(RegExp.prototype, k, { get: boom("RegExp get " + k), configurable: true });
     }`,
  ],
  [
    "WEB-H-09",
    "Object and Reflect statics, JSON and Math replaced",
    `const boom = (what) => function () { throw new Error("poisoned " + what); };
     for (const k of ["defineProperty", "defineProperties", "getOwnPropertyDescriptor", "keys", "entries", "assign",
       "create", "freeze", "getPrototypeOf", "setPrototypeOf", "hasOwn", "is", "fromEntries", "getOwnPropertyNames"]) Object[k] = boom("Object." + k);
     for (const k of Reflect.ownKeys(Reflect)) if (typeof Reflect[k] === "function") Reflect[k] = boom("Reflect." + String(k));
     JSON.stringify = boom("JSON.stringify"); JSON.parse = boom("JSON.parse");
     for (const k of ["floor", "min", "max", "trunc", "abs", "random"]) Math[k] = boom("Math." + k);
     Object.prototype.hasOwnProperty = boom("hasOwnProperty"); Object.prototype.toString = boom("Object toString");`,
  ],
  [
    "WEB-H-10",
    "typed array, ArrayBuffer and DataView methods and accessors replaced",
    `const boom = (what) => function () { throw new Error("poisoned " + what); };
     const TA = Object.getPrototypeOf(Uint8Array);
     for (const P of [TA.prototype, ArrayBuffer.prototype, DataView.prototype]) {
       for (const k of Reflect.ownKeys(P)) {
         if (k === "constructor") continue;
         const d = Object.getOwnPropertyDescriptor(P, k);
         if (typeof d.value === "function") P[k] = boom(String(k));
         else if (d.get) Object.defineProperty(P, k, { get: boom("get " + String(k)), configurable: true });
       }
     }
     ArrayBuffer.isView = boom("ArrayBuffer.isView");`,
  ],
  [
    "WEB-H-11",
    // Spies, not bombs: the exercise itself calls these methods, so each is wrapped to record
    // a call whose caller is platform code (an ext: module) and then do the real work.
    "the platform's own prototype methods and accessors are never called by the platform itself",
    `${SPY}
     for (const C of [EventTarget, AbortSignal, AbortController, Event, Headers, TextDecoder, TextEncoder, URL,
       URLSearchParams, Blob, ReadableStream, ReadableStreamDefaultReader, ReadableStreamDefaultController,
       ReadableByteStreamController, ReadableStreamBYOBReader, ReadableStreamBYOBRequest, Response,
       Request, DOMException, Performance]) {
       for (const k of Reflect.ownKeys(C.prototype)) {
         if (k === "constructor") continue;
         const d = Object.getOwnPropertyDescriptor(C.prototype, k);
         const name = C.name + "." + String(k);
         if (typeof d.value === "function") {
           const orig = d.value;
           C.prototype[k] = function (...args) { spyCheck(name); return Reflect.apply(orig, this, args); };
         } else if (d.get) {
           Object.defineProperty(C.prototype, k, {
             get() { spyCheck("get " + name); return Reflect.apply(d.get, this, []); },
             set: d.set && function (v) { spyCheck("set " + name); return Reflect.apply(d.set, this, [v]); },
             configurable: true,
           });
         }
       }
     }`,
  ],
  [
    "WEB-H-12",
    "globals (Promise, Uint8Array, Map, Symbol, Error, String, the web classes) are never read by the platform at run time",
    `${SPY}
     for (const k of Reflect.ownKeys(globalThis)) {
       if (typeof k !== "string" || k === "__exercise" || k === "__violations") continue;
       const d = Object.getOwnPropertyDescriptor(globalThis, k);
       if (!d.configurable || !("value" in d)) continue;
       let value = d.value;
       Object.defineProperty(globalThis, k, {
         get() { spyCheck("global " + k); return value; },
         set(v) { value = v; },
         configurable: true, enumerable: d.enumerable,
       });
     }`,
  ],
  [
    "WEB-H-13",
    // Byte streams detach and copy buffers: the platform must do that with intrinsics captured at
    // bootstrap, and its async iteration must not go through the guest's async iterator prototypes.
    "ArrayBuffer.prototype.transfer/slice, %AsyncIteratorPrototype% and async generator methods replaced",
    `const boom = (what) => function () { throw new Error("poisoned " + what); };
     ArrayBuffer.prototype.transfer = boom("transfer");
     ArrayBuffer.prototype.transferToFixedLength = boom("transferToFixedLength");
     ArrayBuffer.prototype.slice = boom("slice");
     Object.defineProperty(ArrayBuffer.prototype, "detached", { get: boom("get detached"), configurable: true });
     const AsyncGenerator = Object.getPrototypeOf(async function* () {}).prototype;
     const AsyncIteratorPrototype = Object.getPrototypeOf(AsyncGenerator);
     AsyncIteratorPrototype[Symbol.asyncIterator] = boom("AsyncIteratorPrototype[Symbol.asyncIterator]");
     for (const k of ["next", "return", "throw"]) Object.getPrototypeOf(AsyncGenerator)[k] = boom("AsyncIterator " + k);
     for (const k of ["next", "return", "throw"]) AsyncGenerator[k] = boom("AsyncGenerator " + k);`,
  ],
];

test.each(cases)("%s: %s", async (_id, _what, poison) => {
  const result = await exercise(poison);
  if (process.env.HOSTILE_DEBUG) console.log(result.violations.join("\n"));
  expect(result.out).toBe(baseline.out);
  expect(result.console).toEqual(baseline.console);
  expect(result.violations).toEqual([]);
});
