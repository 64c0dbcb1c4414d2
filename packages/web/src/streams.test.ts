import { describe, expect, test } from "vitest";
import { sharedWebRuntime } from "./test/shared_runtime.ts";

const { runtime, run, thrown } = sharedWebRuntime();
function threw(src: string): string {
  const e = thrown(src);
  return e === undefined ? "no throw" : `${e.name}: ${e.message}`;
}
async function loop(src: string): Promise<unknown> {
  run(
    `globalThis.__out = undefined; (async () => { ${src}\n })().then((v) => { __out = v; }, (e) => { __out = "threw " + e.name + ": " + e.message; }); 0;`,
  );
  await runtime().runEventLoop();
  return run("globalThis.__out");
}

describe("ReadableStream", () => {
  test("start/pull/cancel, queue and highWaterMark", async () => {
    expect(
      await loop(`
      const log = []; let n = 0;
      const rs = new ReadableStream({
        start(c) { log.push("start:" + c.desiredSize); c.enqueue("a"); log.push("after-a:" + c.desiredSize); },
        pull(c) { n++; log.push("pull" + n + ":" + c.desiredSize); if (n === 3) c.close(); else c.enqueue("p" + n); },
      }, { highWaterMark: 2 });
      await null; await null; await null;
      log.push("locked:" + rs.locked);
      const r = rs.getReader();
      log.push("locked:" + rs.locked);
      const got = [];
      for (;;) { const { value, done } = await r.read(); if (done) break; got.push(value); }
      await r.closed;
      return [got, log, await r.read()];`),
    ).toEqual([
      ["a", "p1", "p2"],
      ["start:2", "after-a:1", "pull1:1", "locked:false", "locked:true", "pull2:1", "pull3:1"],
      { value: undefined, done: true },
    ]);
  });
  test("pull is called only when there is demand (highWaterMark 0)", async () => {
    expect(
      await loop(`
      let pulls = 0;
      const rs = new ReadableStream({ pull(c) { pulls++; c.enqueue(pulls); } }, { highWaterMark: 0 });
      await new Promise((r) => setTimeout(r, 5));
      const before = pulls;
      const r = rs.getReader();
      const a = await r.read(); const b = await r.read();
      return [before, a.value, b.value, pulls];`),
    ).toEqual([0, 1, 2, 2]);
  });
  test("async iteration, break cancels, preventCancel keeps it open", async () => {
    expect(
      await loop(`
      const make = (log) => new ReadableStream({ start(c) { for (const x of [1, 2, 3]) c.enqueue(x); c.close(); } });
      const out = []; for await (const x of make()) out.push(x);
      let canceled = null;
      const rs = new ReadableStream({ pull(c) { c.enqueue(0); }, cancel(reason) { canceled = reason === undefined ? "undefined" : reason; } });
      for await (const x of rs) { break; }
      const rs2 = new ReadableStream({ start(c) { c.enqueue("x"); c.enqueue("y"); } });
      for await (const x of rs2.values({ preventCancel: true })) { break; }
      const rest = await rs2.getReader().read();
      return [out, canceled, rs.locked, rest.value];`),
    ).toEqual([[1, 2, 3], "undefined", false, "y"]);
  });
  test("errors: start throws, controller.error, enqueue after close, locked cancel", async () => {
    expect(
      await loop(`
      const out = [];
      // A start() that throws makes the constructor throw (as in Chromium); one that rejects errors the stream.
      try { new ReadableStream({ start() { throw new RangeError("bad start"); } }); out.push("constructed"); } catch (e) { out.push(e.message); }
      const e1 = new ReadableStream({ start() { return Promise.reject(new RangeError("late start")); } });
      try { await e1.getReader().read(); } catch (e) { out.push(e.message); }
      let ctl; const e2 = new ReadableStream({ start(c) { ctl = c; } });
      const r2 = e2.getReader(); const p = r2.read(); ctl.error(new Error("boom"));
      try { await p; } catch (e) { out.push(e.message); }
      try { await r2.closed; } catch (e) { out.push("closed:" + e.message); }
      const e3 = new ReadableStream({ start(c) { c.close(); try { c.enqueue(1); } catch (e) { out.push(e.name); } } });
      const r3 = e3.getReader();
      try { await e3.cancel(); } catch (e) { out.push(e.name + ":" + /locked/.test(e.message)); }
      try { e3.getReader(); } catch (e) { out.push(e.name + ":" + /locked/.test(e.message)); }
      r3.releaseLock();
      try { await r3.read(); } catch (e) { out.push("released:" + e.name); }
      try { await r3.closed; } catch (e) { out.push("closed-after-release:" + e.name); }
      return out;`),
    ).toEqual([
      "bad start",
      "late start",
      "boom",
      "closed:boom",
      "TypeError",
      "TypeError:true",
      "TypeError:true",
      "released:TypeError",
      "closed-after-release:TypeError",
    ]);
  });
  test("releaseLock rejects pending reads; cancel reaches the source", async () => {
    expect(
      await loop(`
      let reason;
      const rs = new ReadableStream({ cancel(r) { reason = r; } });
      const r = rs.getReader(); const p = r.read(); r.releaseLock();
      let e1; try { await p; } catch (e) { e1 = e.name; }
      const r2 = rs.getReader();
      await r2.cancel("stop");
      return [e1, reason, await r2.read()];`),
    ).toEqual(["TypeError", "stop", { value: undefined, done: true }]);
  });
  test("bad arguments get TypeError/RangeError with a clear message", () => {
    expect(threw(`new ReadableStream(null)`)).toMatch(/^TypeError: ReadableStream constructor: underlyingSource/);
    expect(threw(`new ReadableStream({ pull: 5 })`)).toMatch(/^TypeError: .*pull must be a function/);
    expect(threw(`new ReadableStream({}, { highWaterMark: -1 })`)).toMatch(/^RangeError: .*highWaterMark/);
    expect(threw(`new ReadableStream({}, { size: 1 })`)).toMatch(/^TypeError: .*size must be a function/);
    expect(threw(`new ReadableStream({ type: "bytes" }, { size() { return 1; } })`)).toMatch(
      /^RangeError: .*size function/,
    );
    expect(threw(`new ReadableStream({ type: "nope" })`)).toMatch(/^TypeError: .*type must be/);
    expect(threw(`new ReadableStream().getReader({ mode: "byob" })`)).toMatch(
      /^TypeError: .*BYOB reader needs a byte stream/,
    );
    expect(threw(`new ReadableStreamDefaultReader({})`)).toMatch(/^TypeError: .*not a ReadableStream/);
    expect(threw(`new ReadableStreamDefaultController()`)).toMatch(/^TypeError: .*illegal constructor/);
    expect(() => run(`Object.getOwnPropertyDescriptor(ReadableStream.prototype, "locked").get.call({})`)).toThrow(
      /illegal invocation/,
    );
    expect(threw(`new CountQueuingStrategy({})`)).toMatch(/^TypeError: .*highWaterMark is required/);
    expect(
      run(
        `const b = new ByteLengthQueuingStrategy({ highWaterMark: 16 }); [b.highWaterMark, b.size(new Uint8Array(5)), new CountQueuingStrategy({ highWaterMark: 2 }).size()]`,
      ),
    ).toEqual([16, 5, 1]);
  });
  test("size strategy errors the stream; desiredSize follows byte length", async () => {
    expect(
      await loop(`
      let ctl; const rs = new ReadableStream({ start(c) { ctl = c; } }, new ByteLengthQueuingStrategy({ highWaterMark: 10 }));
      ctl.enqueue(new Uint8Array(4)); const d = ctl.desiredSize;
      let thrown; try { ctl.enqueue({ byteLength: -1 }); } catch (e) { thrown = e.name; }
      let readErr; try { await rs.getReader().read(); } catch (e) { readErr = e.name; }
      return [d, thrown, readErr, ctl.desiredSize];`),
    ).toEqual([6, "RangeError", "RangeError", null]);
  });
  test("tee() gives both branches every chunk; cancel of both cancels the source", async () => {
    expect(
      await loop(`
      let reason;
      const rs = new ReadableStream({ start(c) { c.enqueue(1); c.enqueue(2); c.close(); } });
      const [a, b] = rs.tee();
      const all = async (s) => { const out = []; for await (const x of s) out.push(x); return out; };
      const both = await Promise.all([all(a), all(b)]);
      const src = new ReadableStream({ pull(c) { c.enqueue(0); }, cancel(r) { reason = r; } });
      const [c1, c2] = src.tee();
      await Promise.all([c1.cancel("x"), c2.cancel("y")]);
      return [both, rs.locked, reason];`),
    ).toEqual([
      [
        [1, 2],
        [1, 2],
      ],
      true,
      ["x", "y"],
    ]);
  });
  test("ReadableStream.from async and sync iterables", async () => {
    expect(
      await loop(`
      async function* gen() { yield 1; yield 2; }
      const out = [];
      for await (const x of ReadableStream.from(gen())) out.push(x);
      for await (const x of ReadableStream.from([3, Promise.resolve(4)])) out.push(x);
      let err; try { ReadableStream.from(5); } catch (e) { err = e.name; }
      return [out, err];`),
    ).toEqual([[1, 2, 3, 4], "TypeError"]);
  });
});

test("a body from ReadableStream.from(async generator); a bad chunk cancels the source without an unhandled rejection", async () => {
  expect(
    await loop(`
    async function* gen() { yield new Uint8Array([111]); yield new Uint8Array([107]); }
    const text = await new Response(ReadableStream.from(gen())).text();
    const bad = new ReadableStream({ start(c) { c.enqueue("str"); }, cancel() { return Promise.reject(new Error("cancel failed")); } });
    let err; try { await new Response(bad).arrayBuffer(); } catch (e) { err = e.name + ": " + /not a Uint8Array/.test(e.message); }
    const it = new ReadableStream({ start(c) { c.enqueue(1); } }).values();
    return [text, err, Object.keys(Object.getPrototypeOf(it)), await it.return("r"), await it.next()];`),
  ).toEqual([
    "ok",
    "TypeError: true",
    ["next", "return"],
    { value: "r", done: true },
    { value: undefined, done: true },
  ]);
});

describe("Blob", () => {
  test("parts, size, type, slice, text/arrayBuffer/bytes/stream", async () => {
    expect(
      await loop(`
      const b = new Blob(["héllo ", new Uint8Array([119, 111]), new Blob(["rld"])], { type: "Text/Plain" });
      const s = b.slice(-5, -1, "X/Y");
      const chunks = []; for await (const c of b.stream()) chunks.push(c.length);
      return [b.size, b.type, await b.text(), s.size, s.type, await s.text(), new Uint8Array(await b.arrayBuffer()).length,
        (await b.bytes())[0], chunks, new Blob().size, new Blob(["a"], { type: "\u00e9" }).type, b.slice(3, 1).size,
        await new Blob(["a\\r\\nb"], { endings: "native" }).text(), b instanceof Blob, Object.prototype.toString.call(b)];`),
    ).toEqual([
      12,
      "text/plain",
      "héllo world",
      4,
      "x/y",
      "worl",
      12,
      104,
      [12],
      0,
      "",
      0,
      "a\nb",
      true,
      "[object Blob]",
    ]);
    expect(threw(`new Blob("abc")`)).toMatch(/^TypeError: Blob constructor: blobParts must be a sequence/);
    expect(threw(`new Blob([], { endings: "x" })`)).toMatch(/^TypeError: .*endings/);
    expect(threw(`Blob.prototype.slice.call({})`)).toMatch(/^TypeError: .*illegal invocation/);
  });
  test("a large Blob streams in 64 KiB chunks", async () => {
    expect(
      await loop(`
      const b = new Blob([new Uint8Array(200000)]);
      const sizes = []; const r = b.stream().getReader();
      for (;;) { const { value, done } = await r.read(); if (done) break; sizes.push(value.length); }
      return sizes;`),
    ).toEqual([65536, 65536, 65536, 200000 - 3 * 65536]);
  });
});

describe("Response and Request bodies", () => {
  test("body is a ReadableStream of Uint8Array; reading it uses the body", async () => {
    expect(
      await loop(`
      const r = new Response("hé");
      const out = [new Response().body, new Response(null).bodyUsed, r.body === r.body, r.bodyUsed];
      const reader = r.body.getReader();
      const { value } = await reader.read();
      out.push(value instanceof Uint8Array, Array.from(value), r.bodyUsed, (await reader.read()).done);
      let err; try { await r.text(); } catch (e) { err = e.name + ": " + /consumed/.test(e.message); }
      out.push(err);
      const t = new Response("x"); await t.text();
      out.push(t.body.locked, t.bodyUsed);
      const q = new Request("http://h/", { method: "POST", body: new Blob(["abc"], { type: "a/b" }) });
      out.push(q.headers.get("content-type"), await new Response(q.body).text(), q.bodyUsed, new Request("http://h/").body);
      const locked = new Response("y"); locked.body.getReader();
      try { await locked.arrayBuffer(); } catch (e) { out.push(e.name + ": " + /locked/.test(e.message)); }
      try { locked.clone(); } catch (e) { out.push(e.name); }
      return out;`),
    ).toEqual([
      null,
      false,
      true,
      false,
      true,
      [104, 195, 169],
      true,
      true,
      "TypeError: true",
      true,
      true,
      "a/b",
      "abc",
      true,
      null,
      "TypeError: true",
      "TypeError",
    ]);
  });
});
