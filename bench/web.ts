/**
 * @islet/web benchmarks: the web platform's costs vs. the same work in raw
 * quickjs-emscripten with a minimal hand-written shim (URL parser, UTF-8
 * encoder, console function), measured in the same process and run.
 */
import { JsRuntime } from "@islet/core";
import { web } from "@islet/web";
import releaseVariant from "@jitl/quickjs-wasmfile-release-sync";
import { newQuickJSWASMModuleFromVariant, type QuickJSContext } from "quickjs-emscripten-core";
import type { Row } from "./core.ts";

const now = () => performance.now();
async function best(rounds: number, f: () => unknown | Promise<unknown>): Promise<number> {
  let b = Number.POSITIVE_INFINITY;
  for (let r = 0; r < rounds; r++) {
    const t0 = now();
    await f();
    b = Math.min(b, now() - t0);
  }
  return b;
}

// A minimal URL "parser" of the kind one writes without the platform: split the parts
// with one regex and lowercase the scheme and host. No percent-encoding, no IDNA, no
// dot segments, no relative URLs: far less than WHATWG URL does.
const URL_SHIM = `
  class ShimURL {
    constructor(input) {
      const m = /^([a-zA-Z][a-zA-Z0-9+.-]*:)\\/\\/([^/?#]*)([^?#]*)(\\?[^#]*)?(#.*)?$/.exec(String(input));
      if (m === null) throw new TypeError("Invalid URL: " + input);
      this.protocol = m[1].toLowerCase();
      this.host = m[2].toLowerCase();
      this.pathname = m[3] === "" ? "/" : m[3];
      this.search = m[4] === undefined || m[4] === "?" ? "" : m[4];
      this.hash = m[5] === undefined || m[5] === "#" ? "" : m[5];
    }
    get href() { return this.protocol + "//" + this.host + this.pathname + this.search + this.hash; }
  }
  globalThis.ShimURL = ShimURL;`;

// A hand-written UTF-8 encoder in guest JS (what a sandbox without TextEncoder needs).
const UTF8_SHIM = `
  globalThis.utf8Encode = function (s) {
    const out = new Uint8Array(s.length * 3);
    let j = 0;
    for (let i = 0; i < s.length; i++) {
      let c = s.charCodeAt(i);
      if (c < 0x80) { out[j++] = c; continue; }
      if (c < 0x800) { out[j++] = 0xc0 | (c >> 6); out[j++] = 0x80 | (c & 63); continue; }
      if (c >= 0xd800 && c < 0xdc00 && i + 1 < s.length) {
        const d = s.charCodeAt(i + 1);
        if (d >= 0xdc00 && d < 0xe000) {
          c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00); i++;
          out[j++] = 0xf0 | (c >> 18); out[j++] = 0x80 | ((c >> 12) & 63); out[j++] = 0x80 | ((c >> 6) & 63); out[j++] = 0x80 | (c & 63);
          continue;
        }
      }
      if (c >= 0xd800 && c < 0xe000) c = 0xfffd;
      out[j++] = 0xe0 | (c >> 12); out[j++] = 0x80 | ((c >> 6) & 63); out[j++] = 0x80 | (c & 63);
    }
    return out.slice(0, j);
  };`;

// ~1 MB of UTF-8 (mostly ASCII with some 2- and 3-byte characters).
const TEXT_1MB = `var text = "The quick brown fox — jumps over the lazy dög. ".repeat(Math.ceil((1 << 20) / 51)).slice(0, 1 << 20)`;

export async function webBench(): Promise<Row[]> {
  const rows: Row[] = [];
  const module = await newQuickJSWASMModuleFromVariant(releaseVariant);

  // 1. bootstrap: create -> first script, vs. a raw wasm module + runtime + context + eval.
  const isletBoot = await best(5, async () => {
    const rt = await JsRuntime.create({ extensions: web({ console: { sink: () => {} } }) });
    rt.executeScript("first.js", "1 + 1");
    rt.dispose();
  });
  const rawBoot = await best(5, async () => {
    const m = await newQuickJSWASMModuleFromVariant(releaseVariant);
    const rr = m.newRuntime();
    const c = rr.newContext();
    c.unwrapResult(c.evalCode("1 + 1")).dispose();
    c.dispose();
    rr.dispose();
  });
  rows.push({
    name: "web() bootstrap: create -> first script (raw: new module + runtime + context + eval)",
    islet: isletBoot,
    raw: rawBoot,
    unit: "ms",
  });

  let consoleLines = 0;
  const islet = await JsRuntime.create({
    extensions: web({ console: { sink: () => void consoleLines++, maxLines: 1e9, maxBytes: 1e12 } }),
    limits: { cpuMs: 600_000, memoryBytes: 256 << 20 },
  });
  const isletRun = (src: string) => void islet.executeScript("bench.js", `${src}; 0`);
  const rawRt = module.newRuntime();
  const raw: QuickJSContext = rawRt.newContext();
  const rawRun = (src: string) => raw.unwrapResult(raw.evalCode(`${src}; 0`)).dispose();
  rawRun(URL_SHIM);
  rawRun(UTF8_SHIM);
  let rawLines = 0;
  const rawLog = raw.newFunction("log", (...args) => {
    const text = args.map((a) => String(raw.dump(a))).join(" ");
    if (text.length >= 0) rawLines++;
  });
  const rawConsole = raw.newObject();
  raw.setProp(rawConsole, "log", rawLog);
  raw.setProp(raw.global, "console", rawConsole);
  rawLog.dispose();
  rawConsole.dispose();

  // 2. new URL() x10k.
  const N = 10_000;
  const urlLoop = (ctor: string) =>
    `var sink; for (let i = 0; i < ${N}; i++) { sink = new ${ctor}("HTTPS://Example.com/path/" + i + "?q=" + i + "#frag").href }`;
  rows.push({
    name: "new URL(...).href x10k (raw: regex URL shim)",
    islet: await best(5, () => isletRun(urlLoop("URL"))),
    raw: await best(5, () => rawRun(urlLoop("ShimURL"))),
    unit: "ms",
  });

  // 3. TextEncoder.encode of 1 MB.
  isletRun(TEXT_1MB);
  rawRun(TEXT_1MB);
  rows.push({
    name: "TextEncoder.encode(1 MB string) (raw: JS UTF-8 encoder)",
    islet: await best(5, () => isletRun("var sink = new TextEncoder().encode(text)")),
    raw: await best(5, () => rawRun("var sink = utf8Encode(text)")),
    unit: "ms",
  });

  // 4. console.log x10k to a sink.
  const logLoop = `for (let i = 0; i < ${N}; i++) console.log("line", i)`;
  rows.push({
    name: "console.log('line', i) x10k to a sink (raw: newFunction console shim)",
    islet: await best(5, () => isletRun(logLoop)),
    raw: await best(5, () => rawRun(logLoop)),
    unit: "ms",
  });
  if (consoleLines < N || rawLines < N) throw new Error("webBench: console output was lost");

  // 5. structuredClone of a 10 000-entry object graph (objects, arrays, dates, a map, shared
  // references), vs. a hand-written deep copy with a memo Map in guest JS.
  const GRAPH = `var shared = { tag: "shared" }; var graph = { items: [], index: new Map() };
    for (let i = 0; i < ${N}; i++) {
      const item = { id: i, name: "item " + i, tags: ["a", "b", i % 7], when: new Date(i), ref: shared };
      graph.items.push(item);
      if (i % 10 === 0) graph.index.set(i, item);
    }`;
  const DEEP_COPY_SHIM = `globalThis.deepCopy = function deepCopy(v, memo = new Map()) {
    if (v === null || typeof v !== "object") return v;
    if (memo.has(v)) return memo.get(v);
    if (v instanceof Date) { const d = new Date(v.getTime()); memo.set(v, d); return d; }
    if (v instanceof Map) { const m = new Map(); memo.set(v, m); for (const [k, x] of v) m.set(deepCopy(k, memo), deepCopy(x, memo)); return m; }
    const out = Array.isArray(v) ? [] : {};
    memo.set(v, out);
    for (const k of Object.keys(v)) out[k] = deepCopy(v[k], memo);
    return out;
  };`;
  isletRun(GRAPH);
  rawRun(GRAPH);
  rawRun(DEEP_COPY_SHIM);
  rows.push({
    name: "structuredClone(10k-entry object graph) (raw: hand-written deep copy with a memo Map)",
    islet: await best(5, () => isletRun("var copy = structuredClone(graph)")),
    raw: await best(5, () => rawRun("var copy = deepCopy(graph)")),
    unit: "ms",
  });

  // 6. A 16 MiB pipeline of 64 KiB chunks: ReadableStream -> TransformStream -> reader, vs.
  // the same flow hand-written as async generators (source -> transform -> for await).
  const CHUNKS = 256;
  const pipeline = `globalThis.__done = false; (async () => {
    let n = 0;
    const source = new ReadableStream({ pull(c) { if (n++ === ${CHUNKS}) c.close(); else c.enqueue(new Uint8Array(65536)); } });
    const reader = source.pipeThrough(new TransformStream({ transform(chunk, c) { c.enqueue(chunk); } })).getReader();
    let total = 0;
    for (;;) { const { value, done } = await reader.read(); if (done) break; total += value.byteLength; }
    if (total !== ${CHUNKS * 65536}) throw new Error("lost bytes: " + total);
    __done = true;
  })()`;
  const generators = `globalThis.__done = false; (async () => {
    async function* source() { for (let n = 0; n < ${CHUNKS}; n++) yield new Uint8Array(65536); }
    async function* transform(input) { for await (const chunk of input) yield chunk; }
    let total = 0;
    for await (const value of transform(source())) total += value.byteLength;
    if (total !== ${CHUNKS * 65536}) throw new Error("lost bytes: " + total);
    __done = true;
  })()`;
  rows.push({
    name: "16 MiB in 64 KiB chunks: ReadableStream -> TransformStream -> reader (raw: async generators)",
    islet: await best(5, async () => {
      isletRun(pipeline);
      await islet.runEventLoop();
      if (islet.executeScript("done.js", "__done") !== true)
        throw new Error("webBench: the stream pipeline did not finish");
    }),
    raw: await best(5, () => {
      rawRun(generators);
      rawRt.executePendingJobs(-1);
      const done = raw.unwrapResult(raw.evalCode("__done"));
      const finished = raw.dump(done) === true;
      done.dispose();
      if (!finished) throw new Error("webBench: the generator pipeline did not finish");
    }),
    unit: "ms",
  });

  // 7. The BYOB variant: 16 MiB from a byte stream (type: "bytes", pull() answers each
  // byobRequest) into a BYOB reader in 64 KiB views, the reader handing each returned buffer
  // back as the next view; vs. a hand-written source with an async read(view) that fills the
  // caller's view (the same contract, without the Streams machinery).
  const byob = `globalThis.__done = false; (async () => {
    let n = 0;
    const source = new ReadableStream({ type: "bytes", pull(c) {
      const v = c.byobRequest.view; v[0] = 1; c.byobRequest.respond(v.byteLength);
      if (++n === ${CHUNKS}) c.close();
    } });
    const reader = source.getReader({ mode: "byob" });
    let view = new Uint8Array(65536), total = 0;
    for (;;) { const { value, done } = await reader.read(view); if (done) break; total += value.byteLength; view = new Uint8Array(value.buffer); }
    if (total !== ${CHUNKS * 65536}) throw new Error("lost bytes: " + total);
    __done = true;
  })()`;
  const readInto = `globalThis.__done = false; (async () => {
    let n = 0;
    const source = { async read(view) { if (n === ${CHUNKS}) return { value: view.subarray(0, 0), done: true }; n++; view[0] = 1; return { value: view, done: false }; } };
    let view = new Uint8Array(65536), total = 0;
    for (;;) { const { value, done } = await source.read(view); if (done) break; total += value.byteLength; view = value; }
    if (total !== ${CHUNKS * 65536}) throw new Error("lost bytes: " + total);
    __done = true;
  })()`;
  rows.push({
    name: "16 MiB byte stream -> BYOB reader in 64 KiB views (raw: async read(view))",
    islet: await best(5, async () => {
      isletRun(byob);
      await islet.runEventLoop();
      if (islet.executeScript("done.js", "__done") !== true) throw new Error("webBench: the BYOB read did not finish");
    }),
    raw: await best(5, () => {
      rawRun(readInto);
      rawRt.executePendingJobs(-1);
      const done = raw.unwrapResult(raw.evalCode("__done"));
      const finished = raw.dump(done) === true;
      done.dispose();
      if (!finished) throw new Error("webBench: the read(view) loop did not finish");
    }),
    unit: "ms",
  });

  islet.dispose();
  raw.dispose();
  rawRt.dispose();
  return rows;
}
