/**
 * A guest program that uses every web API Islet installs and writes what it saw
 * to one string, `__exercise.out`. The hostile suite runs it once in a clean
 * runtime and again after guest code replaced built-ins; the two outputs must
 * be equal.
 *
 * `EXERCISE_PRELUDE` runs first, before any poisoning: it captures the few
 * intrinsics the program itself needs (so a replaced built-in can only break
 * the platform, never the test's own bookkeeping) and defines `__exercise.run`.
 * Dictionaries are passed with a null prototype and sequences as hand-made
 * iterables, because WebIDL reads inherited members and calls
 * `Array.prototype[Symbol.iterator]` for those: a poisoned prototype breaking
 * them is the platform following the spec, not a defect.
 */
export const EXERCISE_PRELUDE = /* js */ `
(() => {
  "use strict";
  const S = String;
  const setProto = Object.setPrototypeOf;
  const uncurry = (f) => Function.prototype.call.bind(f);
  const mapForEach = uncurry(Map.prototype.forEach);
  const setForEach = uncurry(Set.prototype.forEach);
  const mapSet = uncurry(Map.prototype.set);
  const setAdd = uncurry(Set.prototype.add);
  const regexExec = uncurry(RegExp.prototype.exec);
  const dateGetTime = uncurry(Date.prototype.getTime);
  const getProto = Object.getPrototypeOf;
  const isArray = Array.isArray;
  const keysOf = Object.keys;
  const hasOwn = Object.hasOwn;
  const TAProto = getProto(Uint8Array.prototype);
  const taLength = uncurry(Object.getOwnPropertyDescriptor(TAProto, "length").get);
  const taSubarray = uncurry(TAProto.subarray);
  const reSource = uncurry(Object.getOwnPropertyDescriptor(RegExp.prototype, "source").get);
  // The "flags" getter reads each flag through its own accessor; ask the global flag's directly.
  const reGlobal = uncurry(Object.getOwnPropertyDescriptor(RegExp.prototype, "global").get);
  const MapCtor = Map, SetCtor = Set, DateCtor = Date, ErrorCtor = Error, U8 = Uint8Array, RegExpCtor = RegExp;
  const state = { out: "", port: 0 };
  const log = (label, v) => { state.out += "\\n" + label + " = " + show(v, 0); };
  function show(v, depth) {
    if (depth > 6) return "…";
    if (typeof v === "string") return '"' + v + '"';
    if (typeof v !== "object" || v === null) return S(v);
    if (v instanceof RegExpCtor) return "/" + reSource(v) + "/" + (reGlobal(v) ? "g" : "");
    if (v instanceof U8) { let s = "u8["; for (let i = 0; i < taLength(v); i++) s += (i ? "," : "") + v[i]; return s + "]"; }
    if (isArray(v)) { let s = "["; for (let i = 0; i < v.length; i++) s += (i ? "," : "") + show(v[i], depth + 1); return s + "]"; }
    if (v instanceof MapCtor) { let s = "Map{"; mapForEach(v, (val, k) => { s += show(k, depth + 1) + "=>" + show(val, depth + 1) + ";"; }); return s + "}"; }
    if (v instanceof SetCtor) { let s = "Set{"; setForEach(v, (val) => { s += show(val, depth + 1) + ";"; }); return s + "}"; }
    if (v instanceof DateCtor) return "Date(" + dateGetTime(v) + ")";
    if (v instanceof ErrorCtor) return "Error(" + v.name + ": " + v.message + (hasOwn(v, "cause") ? " cause " + show(v.cause, depth + 1) : "") + ")";
    const ks = keysOf(v);
    let s = "{";
    for (let i = 0; i < ks.length; i++) s += ks[i] + ":" + show(v[ks[i]], depth + 1) + ",";
    return s + "}";
  }
  const D = (o) => setProto(o, null);
  // A Uint8Array made without iterating an array (new Uint8Array([..]) calls Array.prototype[Symbol.iterator]).
  const u8 = (...n) => { const u = new U8(n.length); for (let i = 0; i < n.length; i++) u[i] = n[i]; return u; };
  // A sequence that does not go through Array.prototype[Symbol.iterator].
  const seq = (...items) => D({
    [Symbol.iterator]() {
      let i = 0;
      return D({ next: () => (i < items.length ? D({ value: items[i++], done: false }) : D({ value: undefined, done: true })) });
    },
  });
  const describe = (e) => (e === null || typeof e !== "object" ? S(e) : S(e.name) + ": " + S(e.message));
  async function step(label, fn) {
    try { log(label, await fn()); } catch (e) { log(label, "THREW " + describe(e)); }
  }
  const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
  const hex = (buf) => { const u = new U8(buf); let s = ""; for (let i = 0; i < taLength(u); i++) s += (u[i] < 16 ? "0" : "") + u[i].toString(16); return s; };
  async function readAll(stream) {
    const reader = stream.getReader();
    const parts = [];
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return parts;
      parts[parts.length] = value instanceof U8 ? show(value, 0) : value;
    }
  }

  async function run() {
    await step("DOMException", () => {
      const e = new DOMException("m", "AbortError");
      const d = new DOMException();
      const c = new DOMException("x", D({ name: "DataCloneError", cause: 7 }));
      return [e.name, e.message, e.code, e instanceof Error, d.name, d.code, c.name, c.code, c.cause, S(e), DOMException.ABORT_ERR];
    });
    await step("Event", () => {
      const t = new EventTarget();
      const seen = [];
      const l = (ev) => { seen[seen.length] = ev.type + ":" + ev.eventPhase + ":" + (ev.target === t); };
      t.addEventListener("x", l);
      t.addEventListener("x", D({ handleEvent: (ev) => { seen[seen.length] = "obj"; ev.preventDefault(); } }), D({ once: true }));
      const r1 = t.dispatchEvent(new Event("x", D({ cancelable: true })));
      const r2 = t.dispatchEvent(new Event("x", D({ cancelable: true })));
      t.removeEventListener("x", l);
      t.dispatchEvent(new Event("x"));
      const ce = new CustomEvent("c", D({ detail: D({ n: 1 }) }));
      return [seen, r1, r2, ce.detail.n, ce instanceof Event, new Event("e").bubbles];
    });
    await step("AbortController", () => {
      const ac = new AbortController();
      const seen = [];
      ac.signal.onabort = (e) => { seen[seen.length] = "onabort:" + e.type; };
      ac.signal.addEventListener("abort", () => { seen[seen.length] = "listener"; });
      ac.abort("why");
      ac.abort("again");
      const pre = AbortSignal.abort();
      const any = AbortSignal.any(seq(new AbortController().signal, pre));
      let thrown = "";
      try { pre.throwIfAborted(); } catch (e) { thrown = describe(e); }
      return [seen, ac.signal.aborted, ac.signal.reason, pre.reason.name, any.aborted, any.reason.name, thrown];
    });
    await step("AbortSignal.timeout", async () => {
      const s = AbortSignal.timeout(1);
      // The timeout's timer does not keep the event loop alive; this one does.
      const keep = setTimeout(() => {}, 5000);
      await new Promise((r) => s.addEventListener("abort", r));
      clearTimeout(keep);
      return [s.aborted, s.reason.name];
    });
    await step("listener signal", () => {
      const t = new EventTarget(); const ac = new AbortController(); let n = 0;
      t.addEventListener("y", () => { n++; }, D({ signal: ac.signal }));
      t.dispatchEvent(new Event("y")); ac.abort(); t.dispatchEvent(new Event("y"));
      return n;
    });
    await step("timers", async () => {
      const seen = [];
      queueMicrotask(() => { seen[seen.length] = "micro"; });
      setTimeout((a, b) => { seen[seen.length] = "t" + a + b; }, 0, 1, 2);
      const never = setTimeout(() => { seen[seen.length] = "never"; }, 1);
      clearTimeout(never);
      let n = 0;
      await new Promise((resolve) => {
        const iv = setInterval(() => { n++; if (n === 3) { clearInterval(iv); setTimeout(resolve, 5); } }, 1);
      });
      return [seen, n];
    });
    await step("TextEncoder", () => {
      const enc = new TextEncoder();
      const into = new U8(4);
      const r = enc.encodeInto("héllo", into);
      return [enc.encode("héllo"), enc.encoding, r.read, r.written, into];
    });
    await step("TextDecoder", () => {
      const dec = new TextDecoder();
      const bytes = new TextEncoder().encode("€uro");
      const streaming = new TextDecoder("utf-8");
      const a = streaming.decode(taSubarray(bytes, 0, 2), D({ stream: true }));
      const b = streaming.decode(taSubarray(bytes, 2));
      let fatal = "";
      try { new TextDecoder("utf-8", D({ fatal: true })).decode(u8(0xff)); } catch (e) { fatal = describe(e); }
      let label = "";
      try { new TextDecoder("nope"); } catch (e) { label = e.name; }
      return [dec.decode(bytes), a + "|" + b, fatal, label, new TextDecoder("utf-16le").decode(u8(65, 0)), dec.encoding, dec.fatal];
    });
    await step("base64", () => [btoa("hello"), atob("aGVsbG8="), atob(" aGk ")]);
    await step("structuredClone", () => {
      const m = new MapCtor(); mapSet(m, "k", D({ v: 1 }));
      const s = new SetCtor(); setAdd(s, 3);
      const inner = { x: 1 };
      const src = { m, s, d: new DateCtor(5), e: new TypeError("bad", D({ cause: "c" })), u: u8(1, 2), r: /a+/g, same: [inner, inner], n: new Number(4) };
      const c = structuredClone(src);
      return [c.m, c.s, c.d, c.e, c.u, c.r, c.same[0] === c.same[1], c.same[0] !== inner, typeof c.n, c.e instanceof TypeError];
    });
    await step("structuredClone refuses", () => { try { structuredClone(() => 1); return "no"; } catch (e) { return e.name; } });
    await step("performance", () => {
      const m = performance.mark("a");
      const ms = performance.measure("m", "a");
      return [typeof performance.now(), m.name, m.entryType, ms.entryType, performance.getEntriesByName("a").length, typeof performance.timeOrigin];
    });
    await step("URL", () => {
      const u = new URL("b/c?x=1#h", "http://user@example.com:8080/a/");
      u.searchParams.append("y", "2 3");
      u.hash = "z";
      const p = new URLSearchParams("b=2&a=1&b=3");
      p.sort();
      const pairs = [];
      for (const e of p) pairs[pairs.length] = e[0] + "=" + e[1];
      return [u.href, u.host, u.pathname, u.search, u.origin, p.toString(), pairs, p.getAll("b"), URL.canParse("nope"), S(URL.parse("/x", "http://h/")), p.size];
    });
    await step("URLSearchParams init", () => [
      new URLSearchParams(D({ a: "1", b: "2" })).toString(),
      new URLSearchParams(seq(seq("c", "3"))).toString(),
    ]);
    await step("Headers", () => {
      const h = new Headers(D({ "X-B": " 2 ", a: "1" }));
      h.append("set-cookie", "s=1"); h.append("set-cookie", "t=2"); h.append("a", "3");
      const h2 = new Headers(seq(seq("k", "v")));
      const pairs = [];
      for (const e of h) pairs[pairs.length] = e[0] + ":" + e[1];
      h.delete("x-b");
      let bad = "";
      try { h.append("bad name", "x"); } catch (e) { bad = e.name; }
      return [pairs, h.get("A"), h.has("x-b"), h.getSetCookie(), h2.get("k"), bad];
    });
    await step("Blob", async () => {
      const b = new Blob(seq("ab", u8(99), new Blob(seq("d"))), D({ type: "Text/Plain" }));
      const s = b.slice(1, 3, "x/y");
      return [b.size, b.type, await b.text(), s.size, s.type, await s.text(), new U8(await b.arrayBuffer()), await b.bytes(), await readAll(b.stream())];
    });
    await step("ReadableStream", async () => {
      const rs = new ReadableStream(D({ start(c) { c.enqueue("a"); c.enqueue("b"); c.close(); } }));
      const branches = rs.tee(); const t1 = branches[0], t2 = branches[1];
      const got = [];
      for await (const x of t1) got[got.length] = x;
      const from = await readAll(ReadableStream.from(seq(1, 2, 3)));
      const pulled = new ReadableStream(D({ pull(c) { c.enqueue(1); c.close(); } }));
      return [got, await readAll(t2), from, await readAll(pulled), rs.locked];
    });
    await step("byte streams", async () => {
      let n = 0;
      const src = new ReadableStream(D({ type: "bytes", autoAllocateChunkSize: 4, pull(c) {
        const v = c.byobRequest.view; n++; v[0] = n; v[1] = n * 10; c.byobRequest.respond(2);
        if (n === 3) c.close();
      } }));
      const branches = src.tee();
      const byob = branches[0].getReader(D({ mode: "byob" }));
      const other = await readAll(branches[1]);
      const a = await byob.read(new U8(4), D({ min: 3 }));
      const b = await byob.read(new U8(4));
      const blobReader = new Blob(seq("bytes")).stream().getReader(D({ mode: "byob" }));
      const head = await blobReader.read(new U8(2));
      const bodyReader = new Response("body!").body.getReader(D({ mode: "byob" }));
      const body = await bodyReader.read(new U8(16), D({ min: 5 }));
      const sunk = [];
      await new ReadableStream(D({ type: "bytes", start(c) { c.enqueue(u8(1, 2)); c.enqueue(u8(3)); c.close(); } }))
        .pipeTo(new WritableStream(D({ write(chunk) { sunk[sunk.length] = show(chunk, 0); } })));
      let newView = "";
      const moved = new ReadableStream(D({ type: "bytes", pull(c) {
        const fresh = new U8(8); fresh[0] = 42; c.byobRequest.respondWithNewView(taSubarray(fresh, 0, 1));
      } }));
      try { await moved.getReader(D({ mode: "byob" })).read(new U8(8)); } catch (e) { newView = e.name; }
      let empty = "";
      try { await new ReadableStream(D({ type: "bytes" })).getReader(D({ mode: "byob" })).read(new U8(0)); } catch (e) { empty = e.name; }
      const canceled = await blobReader.cancel("stop");
      return [other, show(a.value, 0), b.done, show(head.value, 0), show(body.value, 0), sunk, newView, empty, canceled, n];
    });
    await step("WritableStream, TransformStream, pipeTo", async () => {
      const written = [];
      const ws = new WritableStream(D({ write(c) { written[written.length] = c; }, close() { written[written.length] = "closed"; } }), D({ highWaterMark: 2 }));
      const w = ws.getWriter();
      const ds = w.desiredSize;
      await w.write("x"); await w.close();
      const upper = new TransformStream(D({ transform(c, ctl) { ctl.enqueue(S(c) + "!"); }, flush(ctl) { ctl.enqueue("end"); } }));
      const piped = await readAll(ReadableStream.from(seq("a", "b")).pipeThrough(D({ readable: upper.readable, writable: upper.writable })));
      const sunk = [];
      await new ReadableStream(D({ start(c) { c.enqueue(1); c.enqueue(2); c.close(); } })).pipeTo(new WritableStream(D({ write(c) { sunk[sunk.length] = c; } })));
      const ac = new AbortController();
      const never = new ReadableStream(D({ pull() { return new Promise(() => {}); } }));
      const p = never.pipeTo(new WritableStream(), D({ signal: ac.signal }));
      ac.abort();
      let aborted = "";
      try { await p; } catch (e) { aborted = e.name; }
      return [ds, written, piped, sunk, aborted, ws.locked, never.locked];
    });
    await step("MessageChannel", async () => {
      const ch = new MessageChannel();
      const inner = new MessageChannel();
      const got = [];
      const arrived = new Promise((resolve) => {
        ch.port2.onmessage = (e) => { got[got.length] = e.data; got[got.length] = e.ports.length; got[got.length] = e.isTrusted; if (got.length === 6) resolve(); };
      });
      ch.port1.postMessage(D({ n: 1, list: seq(1, 2) }));
      ch.port1.postMessage("second", seq(inner.port1));
      await arrived;
      let clone = "";
      try { ch.port1.postMessage(inner.port2); } catch (e) { clone = e.name; }
      return [got, clone];
    });
    await step("TextEncoderStream, TextDecoderStream, CompressionStream", async () => {
      const round = ReadableStream.from(seq("Grüße ", "\uD83D", "\uDE00"))
        .pipeThrough(new TextEncoderStream()).pipeThrough(new CompressionStream("gzip"))
        .pipeThrough(new DecompressionStream("gzip")).pipeThrough(new TextDecoderStream("utf-8", D({ fatal: true })));
      let bad = "";
      try { await readAll(ReadableStream.from(seq(u8(1, 2, 3))).pipeThrough(new DecompressionStream("deflate"))); } catch (e) { bad = e.name; }
      return [await readAll(round), bad];
    });
    await step("Response", async () => {
      const r = new Response("hi", D({ status: 201, statusText: "Made", headers: D({ a: "1" }) }));
      const c = r.clone();
      const j = Response.json(D({ k: 1 }));
      const streamed = new Response(new ReadableStream(D({ start(ctl) { ctl.enqueue(u8(111, 107)); ctl.close(); } })));
      return [r.status, r.ok, r.statusText, r.headers.get("content-type"), await r.text(), r.bodyUsed, await (await c.blob()).text(),
        await j.json(), j.headers.get("content-type"), await streamed.text(), await readAll(new Response("s").body), Response.error().type,
        Response.redirect("http://x/", 301).headers.get("location"), new U8(await new Response(u8(1)).arrayBuffer())];
    });
    await step("Request", async () => {
      const q = new Request("http://h/p", D({ method: "post", body: "abc", headers: D({ "x-k": "v" }) }));
      const c = q.clone();
      return [q.method, q.url, q.headers.get("content-type"), q.headers.get("x-k"), await q.text(), await c.text(), new Request(q.url).method, q.redirect];
    });
    await step("fetch", async () => {
      const base = "http://127.0.0.1:" + state.port;
      const r = await fetch(base + "/echo", D({ method: "POST", body: "payload", headers: D({ "x-custom": "c" }) }));
      const json = await (await fetch(base + "/json")).json();
      const ac = new AbortController();
      const p = fetch(base + "/slow", D({ signal: ac.signal }));
      ac.abort();
      let aborted = "";
      try { await p; } catch (e) { aborted = e.name; }
      const streamed = await readAll((await fetch(base + "/echo", D({ method: "PUT", body: "xyz" }))).body);
      return [r.status, await r.text(), r.headers.get("x-method"), r.headers.get("x-custom"), json, aborted, streamed];
    });
    await step("crypto", async () => {
      const a = crypto.getRandomValues(new U8(8));
      const uuid = crypto.randomUUID();
      const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode("abc"));
      return [taLength(a), regexExec(/^[0-9a-f-]{36}$/, uuid) !== null, hex(digest), typeof navigator.userAgent];
    });
    await step("console", () => {
      const m = new MapCtor(); mapSet(m, 1, "one");
      console.log("plain", 1, D({ a: 1 }), m, u8(1), new Error("boom").message);
      console.error("%s-%d", "x", 5);
      return "logged";
    });
    await step("reportError", () => {
      let seen = "";
      const onError = (e) => { seen = e.message; e.preventDefault(); };
      addEventListener("error", onError);
      reportError(new Error("reported"));
      removeEventListener("error", onError);
      return seen;
    });
    log("end", "end");
  }
  globalThis.__exercise = D({ run: async () => { try { await run(); } catch (e) { log("FATAL", describe(e)); } }, state });
})();
0;
`;
