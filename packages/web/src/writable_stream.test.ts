import { describe, expect, test } from "vitest";
import { differential } from "./test/differential.ts";

const { inSandbox, suite } = differential();

// Shared by every scenario: a log, error names, settle-and-record, delays.
const PRELUDE = `
  const log = [];
  const E = (e) => (e === undefined ? "undefined" : e === null ? "null" : typeof e === "object" && "name" in e ? e.name : String(e));
  const settle = (p, tag) => p.then((v) => { log.push(tag + ":ok" + (v === undefined ? "" : ":" + JSON.stringify(v))); }, (e) => { log.push(tag + ":err:" + E(e)); });
  const delay = (ms) => new Promise((r) => setTimeout(r, ms));
  const flush = async () => { for (let i = 0; i < 10; i++) await null; };
`;

/** Each scenario runs in the sandbox and in Node's own streams (which pass web-platform-tests): the logs must match. */
const SCENARIOS: Record<string, string> = {
  "writer: desiredSize, ready and backpressure through a slow sink": `
    let resolveWrite;
    const ws = new WritableStream({ write(c) { log.push("write " + c); return new Promise((r) => { resolveWrite = r; }); } }, { highWaterMark: 2 });
    const w = ws.getWriter();
    log.push("ds " + w.desiredSize);
    settle(w.ready, "ready0");
    settle(w.write("a"), "wa"); log.push("ds " + w.desiredSize);
    settle(w.write("b"), "wb"); log.push("ds " + w.desiredSize);
    let readySettled = false; w.ready.then(() => { readySettled = true; });
    await flush();
    log.push("readySettled " + readySettled);
    resolveWrite(); await flush();
    log.push("ds " + w.desiredSize + " readySettled " + readySettled);
    resolveWrite(); await flush();
    settle(w.close(), "close"); await flush();
    log.push("ds " + w.desiredSize);
    await w.closed; log.push("closed");
    return log;`,
  "size() and highWaterMark strategies, including a throwing size": `
    const ws = new WritableStream({}, { highWaterMark: 10, size(c) { if (c === "bad") throw new RangeError("no"); return c.length; } });
    const w = ws.getWriter();
    settle(w.write("abcd"), "w1"); log.push(w.desiredSize);
    settle(w.write("bad"), "w2"); await flush();
    log.push(String(w.desiredSize));
    settle(w.closed, "closed"); settle(w.write("x"), "w3"); await flush();
    for (const hwm of [-1, NaN, "x"]) { try { new WritableStream({}, { highWaterMark: hwm }); log.push("ok " + hwm); } catch (e) { log.push(E(e)); } }
    try { new WritableStream({}, { size: 1 }); } catch (e) { log.push(E(e)); }
    try { new WritableStream({ type: "bytes" }); } catch (e) { log.push(E(e)); }
    try { new WritableStream({ write: 5 }); } catch (e) { log.push(E(e)); }
    try { new WritableStream(5); } catch (e) { log.push(E(e)); }
    return log;`,
  "start: this, a rejected start errors the stream, a throwing start throws": `
    let self;
    const sink = { start(c) { self = this; log.push(typeof c.error + " " + (c.signal instanceof AbortSignal)); } };
    new WritableStream(sink); log.push(self === sink);
    try { new WritableStream({ start() { throw new SyntaxError("s"); } }); } catch (e) { log.push(E(e)); }
    const ws = new WritableStream({ start() { return Promise.reject(new URIError("u")); }, write() { log.push("write!"); } });
    const w = ws.getWriter();
    settle(w.write("a"), "write"); settle(w.closed, "closed"); settle(w.ready, "ready"); await flush();
    log.push(String(w.desiredSize));
    return log;`,
  "close: waits for queued writes, sink close rejects, close twice, write after close": `
    const ws = new WritableStream({ write(c) { log.push("w " + c); return delay(2); }, close() { log.push("sink close"); throw new EvalError("c"); } });
    const w = ws.getWriter();
    settle(w.write(1), "w1"); settle(w.write(2), "w2"); settle(w.close(), "close"); settle(w.close(), "close2"); settle(w.write(3), "w3");
    await settle(w.closed, "closed");
    log.push(String(w.desiredSize));
    settle(ws.abort(), "abort-locked");
    await flush();
    return log;`,
  "abort: while a write is in flight, pending writes reject, sink abort sees the reason": `
    let finish;
    const ws = new WritableStream({
      write(c, ctl) { log.push("w " + c); ctl.signal.addEventListener("abort", () => log.push("signal " + E(ctl.signal.reason))); return new Promise((r) => { finish = r; }); },
      abort(r) { log.push("sink abort " + E(r)); },
    });
    const w = ws.getWriter();
    settle(w.write(1), "w1"); settle(w.write(2), "w2"); await flush();
    settle(w.abort(new RangeError("stop")), "abort"); settle(w.abort(new Error("again")), "abort2");
    settle(w.ready, "ready"); settle(w.closed, "closed"); log.push(String(w.desiredSize));
    await flush();
    log.push("finishing"); finish(); await flush();
    settle(w.write(3), "w3");
    await flush();
    return log;`,
  "abort during close, abort after close, abort with a rejecting sink abort": `
    let finish;
    const ws = new WritableStream({ close() { log.push("sink close"); return new Promise((r) => { finish = r; }); }, abort() { log.push("sink abort?"); } });
    const w = ws.getWriter();
    settle(w.close(), "close"); await flush();
    settle(w.abort(new Error("x")), "abort"); await flush();
    finish(); await flush();
    settle(w.abort("late"), "abort-late");
    const ws2 = new WritableStream({ abort() { return Promise.reject(new TypeError("abort failed")); } });
    settle(ws2.abort("r"), "abort2");
    const w2 = ws2.getWriter(); settle(w2.closed, "closed2");
    await flush();
    return log;`,
  "controller.error while idle and during a write; signal reasons": `
    let ctl;
    const ws = new WritableStream({ start(c) { ctl = c; }, write() { log.push("write"); } });
    const w = ws.getWriter();
    await flush();
    ctl.error(new RangeError("e1")); ctl.error(new Error("ignored"));
    settle(w.closed, "closed"); settle(w.ready, "ready"); settle(w.write(1), "write1"); log.push(String(w.desiredSize));
    log.push("aborted " + ctl.signal.aborted);
    await flush();
    let c2, done;
    const ws2 = new WritableStream({ start(c) { c2 = c; }, write() { return new Promise((r) => { done = r; }); } });
    const w2 = ws2.getWriter();
    settle(w2.write("a"), "w2a"); await flush();
    c2.error(new SyntaxError("mid")); settle(w2.closed, "closed2");
    await flush(); done(); await flush();
    return log;`,
  "writer locking, releaseLock rejects closed and ready, a second writer": `
    const ws = new WritableStream();
    const w = ws.getWriter(); log.push(ws.locked);
    try { ws.getWriter(); } catch (e) { log.push(E(e)); }
    try { new WritableStreamDefaultWriter(ws); } catch (e) { log.push(E(e)); }
    try { new WritableStreamDefaultWriter({}); } catch (e) { log.push(E(e)); }
    const closed = w.closed;
    w.releaseLock(); w.releaseLock(); log.push(ws.locked);
    settle(closed, "closed"); settle(w.ready, "ready"); settle(w.write(1), "write"); settle(w.close(), "close"); settle(w.abort(), "abort");
    try { w.desiredSize; } catch (e) { log.push("ds " + E(e)); }
    const w2 = ws.getWriter(); settle(w2.write(2), "w2"); settle(w2.close(), "close2");
    await flush();
    const w3 = (ws.getWriter ? (w2.releaseLock(), ws.getWriter()) : null); settle(w3.closed, "closed3"); settle(w3.ready, "ready3"); log.push(w3.desiredSize);
    await flush();
    return log;`,
  "brand checks": `
    const fakes = [{}, Object.create(WritableStream.prototype), Object.create(WritableStreamDefaultWriter.prototype)];
    for (const f of fakes) {
      for (const m of ["abort", "close"]) await settle(WritableStream.prototype[m].call(f), "ws." + m);
      try { WritableStream.prototype.getWriter.call(f); } catch (e) { log.push("getWriter " + E(e)); }
      try { Object.getOwnPropertyDescriptor(WritableStream.prototype, "locked").get.call(f); } catch (e) { log.push("locked " + E(e)); }
      for (const m of ["write", "close", "abort"]) await settle(WritableStreamDefaultWriter.prototype[m].call(f), "w." + m);
      for (const g of ["closed", "ready"]) await settle(Object.getOwnPropertyDescriptor(WritableStreamDefaultWriter.prototype, g).get.call(f), "w." + g);
    }
    try { new WritableStreamDefaultController(); } catch (e) { log.push("ctor " + E(e)); }
    try { new TransformStreamDefaultController(); } catch (e) { log.push("ctor " + E(e)); }
    return log;`,
  "interface shape": `
    const shape = (C) => [C.name, C.length, Object.getOwnPropertyNames(C.prototype).sort().join(), Object.prototype.toString.call(C.prototype)];
    log.push(shape(WritableStream), shape(WritableStreamDefaultWriter), shape(WritableStreamDefaultController), shape(TransformStream), shape(TransformStreamDefaultController));
    log.push(Object.keys(WritableStream.prototype).sort().join(), Object.keys(TransformStreamDefaultController.prototype).sort().join());
    log.push(["pipeTo", "pipeThrough"].map((m) => { const d = Object.getOwnPropertyDescriptor(ReadableStream.prototype, m); return m + ReadableStream.prototype[m].length + d.enumerable + d.writable + d.configurable; }).join());
    return log;`,
};

const TRANSFORM_SCENARIOS: Record<string, string> = {
  "identity transform, backpressure and desiredSize": `
    const ts = new TransformStream(undefined, undefined, { highWaterMark: 1 });
    const w = ts.writable.getWriter(); const r = ts.readable.getReader();
    log.push(w.desiredSize);
    settle(w.write("a"), "wa"); settle(w.write("b"), "wb"); await flush();
    log.push(w.desiredSize);
    log.push(JSON.stringify(await r.read())); await flush();
    log.push(JSON.stringify(await r.read())); await flush();
    settle(w.close(), "close"); log.push(JSON.stringify(await r.read()));
    await flush();
    return log;`,
  "transform, flush, enqueue many, terminate": `
    let ctl;
    const ts = new TransformStream({
      start(c) { ctl = c; log.push("start ds " + c.desiredSize); },
      transform(chunk, c) { c.enqueue(chunk); c.enqueue(chunk + "!"); log.push("ds " + c.desiredSize); },
      flush(c) { c.enqueue("end"); log.push("flush"); },
    });
    const out = [];
    const reading = (async () => { for await (const x of ts.readable) out.push(x); })();
    const w = ts.writable.getWriter();
    await w.write("x"); await w.write("y"); await w.close(); await reading;
    log.push(out.join());
    const ts2 = new TransformStream({ transform(chunk, c) { c.enqueue(chunk); c.terminate(); } });
    const w2 = ts2.writable.getWriter(); const r2 = ts2.readable.getReader();
    settle(w2.write("t"), "w2"); settle(w2.closed, "closed2"); await flush();
    log.push(JSON.stringify(await r2.read()), JSON.stringify(await r2.read()));
    settle(w2.write("late"), "w2late"); await flush();
    return log;`,
  "errors: transform throws, flush rejects, controller.error, readable cancel, writable abort": `
    const ts = new TransformStream({ transform() { throw new RangeError("t"); } });
    const w = ts.writable.getWriter(); const r = ts.readable.getReader();
    settle(w.write(1), "write"); settle(r.read(), "read"); settle(r.closed, "rclosed"); settle(w.closed, "wclosed"); await flush();
    const ts2 = new TransformStream({ flush() { return Promise.reject(new SyntaxError("f")); } });
    const w2 = ts2.writable.getWriter(); const r2 = ts2.readable.getReader();
    settle(w2.close(), "close2"); settle(r2.closed, "rclosed2"); await flush();
    const ts3 = new TransformStream({ cancel(reason) { log.push("cancel " + E(reason)); } });
    const w3 = ts3.writable.getWriter();
    await settle(ts3.readable.cancel(new URIError("c")), "cancel3"); await settle(w3.closed, "wclosed3");
    const ts4 = new TransformStream({ cancel(reason) { log.push("cancel4 " + E(reason)); } });
    const r4 = ts4.readable.getReader();
    settle(ts4.writable.abort(new EvalError("a")), "abort4"); settle(r4.closed, "rclosed4"); await flush();
    let c5; const ts5 = new TransformStream({ start(c) { c5 = c; } });
    c5.error(new TypeError("e")); settle(ts5.readable.getReader().closed, "r5"); settle(ts5.writable.getWriter().closed, "w5");
    try { c5.enqueue(1); } catch (e) { log.push("enqueue " + E(e)); }
    await flush();
    return log;`,
  "constructor: member order, types, strategies, start this": `
    for (const bad of [{ readableType: "bytes" }, { writableType: "bytes" }, { transform: 1 }, { flush: {} }]) { try { new TransformStream(bad); log.push("ok"); } catch (e) { log.push(E(e)); } }
    try { new TransformStream({ start() { throw new URIError("s"); } }); } catch (e) { log.push(E(e)); }
    const tr = { start() { log.push("this ok " + (this === tr)); } }; new TransformStream(tr);
    const ts = new TransformStream({}, { highWaterMark: 4 }, { highWaterMark: 3 });
    log.push(ts.writable.getWriter().desiredSize);
    log.push(Object.prototype.toString.call(ts.readable), Object.prototype.toString.call(ts.writable));
    try { Object.getOwnPropertyDescriptor(TransformStream.prototype, "readable").get.call({}); } catch (e) { log.push(E(e)); }
    return log;`,
};

const PIPE_SCENARIOS: Record<string, string> = {
  "pipeTo copies every chunk, closes, unlocks both": `
    const written = [];
    const rs = new ReadableStream({ start(c) { for (let i = 0; i < 10; i++) c.enqueue(i); c.close(); } });
    const ws = new WritableStream({ write(c) { written.push(c); }, close() { written.push("closed"); } }, new CountQueuingStrategy({ highWaterMark: 3 }));
    const p = rs.pipeTo(ws); log.push(rs.locked, ws.locked);
    await p; log.push(written.join(), rs.locked, ws.locked);
    return log;`,
  "preventClose, preventAbort, preventCancel": `
    for (const preventClose of [false, true]) {
      const ws = new WritableStream({ close() { log.push("sink close"); } });
      await settle(new ReadableStream({ start(c) { c.close(); } }).pipeTo(ws, { preventClose }), "pipe pc=" + preventClose);
      log.push("locked " + ws.locked);
    }
    for (const preventAbort of [false, true]) {
      const ws = new WritableStream({ abort(r) { log.push("sink abort " + E(r)); } });
      await settle(new ReadableStream({ start(c) { c.error(new RangeError("src")); } }).pipeTo(ws, { preventAbort }), "pipe pa=" + preventAbort);
    }
    for (const preventCancel of [false, true]) {
      const rs = new ReadableStream({ cancel(r) { log.push("source cancel " + E(r)); } });
      await settle(rs.pipeTo(new WritableStream({ start(c) { c.error(new SyntaxError("dst")); } }), { preventCancel }), "pipe pcan=" + preventCancel);
    }
    for (const preventCancel of [false, true]) {
      const ws = new WritableStream(); await ws.close();
      const rs = new ReadableStream({ cancel(r) { log.push("cancel closed-dest " + E(r)); } });
      await settle(rs.pipeTo(ws, { preventCancel }), "pipe closed dest pcan=" + preventCancel);
    }
    return log;`,
  "errors while piping: write rejects, pull rejects, undefined reasons": `
    const rs = new ReadableStream({ pull(c) { c.enqueue(0); }, cancel(r) { log.push("cancel " + E(r)); } });
    await settle(rs.pipeTo(new WritableStream({ write() { return Promise.reject(undefined); } })), "write-rejects");
    await settle(new ReadableStream({ pull() { return Promise.reject(undefined); } }).pipeTo(new WritableStream({ abort(r) { log.push("abort " + E(r)); } })), "pull-rejects");
    let ctl;
    const rs2 = new ReadableStream({ start(c) { ctl = c; } });
    const ws2 = new WritableStream({ write(c) { log.push("w " + c); } });
    const p = settle(rs2.pipeTo(ws2), "later-error");
    ctl.enqueue("a"); await delay(1); ctl.enqueue("b"); ctl.error(new URIError("late"));
    await p;
    return log;`,
  "abort signal: before, during, reason, preventAbort/preventCancel": `
    const ac = new AbortController(); ac.abort(new RangeError("early"));
    const ws = new WritableStream({ abort(r) { log.push("sink abort " + E(r)); } });
    const rs = new ReadableStream({ cancel(r) { log.push("source cancel " + E(r)); } });
    await settle(rs.pipeTo(ws, { signal: ac.signal }), "pre-aborted");
    log.push(rs.locked, ws.locked);
    const ac2 = new AbortController();
    const written = [];
    const rs2 = new ReadableStream({ pull(c) { c.enqueue(written.length); return delay(1); }, cancel(r) { log.push("cancel2 " + E(r)); } });
    const ws2 = new WritableStream({ write(c) { written.push(c); }, abort(r) { log.push("abort2 " + E(r)); } });
    const p = settle(rs2.pipeTo(ws2, { signal: ac2.signal }), "aborted-mid");
    await delay(5); ac2.abort(); await p;
    log.push(written.length > 0);
    const ac3 = new AbortController();
    const rs3 = new ReadableStream({ cancel() { log.push("cancel3!"); } });
    const ws3 = new WritableStream({ abort() { log.push("abort3!"); } });
    const p3 = settle(rs3.pipeTo(ws3, { signal: ac3.signal, preventAbort: true, preventCancel: true }), "prevent-both");
    ac3.abort("why"); await p3; log.push(rs3.locked, ws3.locked);
    await settle(new ReadableStream().pipeTo(new WritableStream(), { signal: {} }), "bad-signal");
    await settle(new ReadableStream().pipeTo({}), "bad-dest");
    await settle(ReadableStream.prototype.pipeTo.call({}, new WritableStream()), "bad-this");
    return log;`,
  "pipeThrough: returns the readable, checks its argument, locks": `
    const ts = new TransformStream({ transform(c, ctl) { ctl.enqueue(c * 2); } });
    const rs = ReadableStream.from([1, 2, 3]);
    const out = rs.pipeThrough(ts);
    log.push(out === ts.readable, rs.locked, ts.writable.locked);
    const got = []; for await (const x of out) got.push(x); log.push(got.join());
    for (const bad of [{}, { readable: new ReadableStream() }, { writable: new WritableStream() }, { readable: {}, writable: new WritableStream() }]) {
      try { new ReadableStream().pipeThrough(bad); } catch (e) { log.push(E(e)); }
    }
    const locked = new ReadableStream(); locked.getReader();
    try { locked.pipeThrough(new TransformStream()); } catch (e) { log.push("locked " + E(e)); }
    const order = [];
    const pair = { get readable() { order.push("readable"); return new ReadableStream(); }, get writable() { order.push("writable"); return new WritableStream(); } };
    new ReadableStream().pipeThrough(pair, { get preventAbort() { order.push("pa"); }, get preventCancel() { order.push("pcan"); }, get preventClose() { order.push("pc"); }, get signal() { order.push("sig"); } });
    log.push(order.join());
    return log;`,
  "flow control: a slow sink holds the source back": `
    let pulls = 0;
    const rs = new ReadableStream({ pull(c) { pulls++; c.enqueue(pulls); if (pulls === 20) c.close(); } }, { highWaterMark: 0 });
    let release; const gate = new Promise((r) => { release = r; });
    const ws = new WritableStream({ write() { return gate; } }, { highWaterMark: 2 });
    const p = rs.pipeTo(ws);
    await delay(5); log.push(pulls <= 4);
    release(); await p; log.push(pulls);
    return log;`,
};

describe("dictionary members are read in WebIDL order (arguments first, then the underlying object's members alphabetically)", () => {
  const { inSandbox: run } = { inSandbox };
  const RECORDER = `
    const order = [];
    const spy = (prefix, keys) => { const o = {}; for (const k of keys) Object.defineProperty(o, k, { get() { order.push(prefix + k); return undefined; } }); return o; };
    const strategy = (prefix) => spy(prefix, ["highWaterMark", "size"]);`;
  test("WritableStream(sink, strategy)", async () => {
    expect(
      await run(
        `${RECORDER} new WritableStream(spy("", ["abort", "close", "start", "type", "write"]), strategy("s.")); return order;`,
      ),
    ).toEqual(["s.highWaterMark", "s.size", "abort", "close", "start", "type", "write"]);
  });
  test("TransformStream(transformer, writableStrategy, readableStrategy)", async () => {
    expect(
      await run(
        `${RECORDER} new TransformStream(spy("", ["cancel", "flush", "readableType", "start", "transform", "writableType"]), strategy("w."), strategy("r.")); return order;`,
      ),
    ).toEqual([
      "w.highWaterMark",
      "w.size",
      "r.highWaterMark",
      "r.size",
      "cancel",
      "flush",
      "readableType",
      "start",
      "transform",
      "writableType",
    ]);
  });
  test("a null underlying sink or transformer is an empty dictionary", async () => {
    expect(await run(`return [new WritableStream(null).locked, new TransformStream(null).readable.locked];`)).toEqual([
      false,
      false,
    ]);
  });
  test("a member getter that throws stops the conversion there", async () => {
    expect(
      await run(`const seen = []; const sink = { get abort() { seen.push("abort"); }, get close() { throw new URIError("close getter"); }, get write() { seen.push("write"); } };
        try { new WritableStream(sink); } catch (e) { seen.push(e.name); } return seen;`),
    ).toEqual(["abort", "URIError"]);
  });
});

suite("WritableStream (same as the host's)", PRELUDE, SCENARIOS);
suite("TransformStream (same as the host's)", PRELUDE, TRANSFORM_SCENARIOS);
suite("pipeTo / pipeThrough (same as the host's)", PRELUDE, PIPE_SCENARIOS);

describe("platform code never calls a guest's Object.prototype.then", () => {
  test("pipeTo and pipeThrough read and write without resolving a promise with a result object", async () => {
    expect(
      await inSandbox(`
      let calls = 0;
      Object.defineProperty(Object.prototype, "then", { get() { calls++; return undefined; }, configurable: true });
      try {
        const seen = [];
        await new ReadableStream({ start(c) { c.enqueue("a"); c.enqueue("b"); c.close(); } })
          .pipeThrough(new TransformStream())
          .pipeTo(new WritableStream({ write(c) { seen.push(c); } }));
        return [seen, calls];
      } finally { delete Object.prototype.then; }`),
    ).toEqual([["a", "b"], 0]);
  });
});
