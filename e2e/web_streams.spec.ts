// Streams and MessageChannel in a sandbox in Chromium (through @islet/worker), checked against Chromium's own
// streams on the page: the same program must give the same result in both.
import type { Page } from "@playwright/test";
import { expect, type HarnessWindow, test } from "./fixtures.ts";

/** Runs `program` (an expression) in a new sandbox and, for reference, as a script on the page itself. */
function inSandboxAndPage(harness: Page, program: string): Promise<{ inSandbox: unknown; inPage: unknown }> {
  return harness.evaluate(async (source) => {
    const w = window as unknown as HarnessWindow;
    const sb = await w.islet.createSandbox();
    const inSandbox = await sb.eval(source);
    sb.terminate();
    const inPage = await new Function(`return ${source}`)();
    return { inSandbox, inPage };
  }, program);
}

const PROGRAM = `(async () => {
  const out = [];
  const concat = (chunks) => { const n = chunks.reduce((a, c) => a + c.length, 0); const b = new Uint8Array(n); let at = 0; for (const c of chunks) { b.set(c, at); at += c.length; } return b; };
  // ReadableStream.from is newer than this Chromium; a start() that enqueues everything is the same here.
  const from = (chunks) => new ReadableStream({ start(c) { for (const x of chunks) c.enqueue(x); c.close(); } });
  const collect = async (rs) => { const got = []; for await (const x of rs) got.push(x); return got; };
  const text = "Grüße, streams! ".repeat(200);
  for (const format of ["gzip", "deflate", "deflate-raw"]) {
    const packed = concat(await collect(from([text]).pipeThrough(new TextEncoderStream()).pipeThrough(new CompressionStream(format))));
    const back = (await collect(from([packed.slice(0, 5), packed.slice(5)]).pipeThrough(new DecompressionStream(format)).pipeThrough(new TextDecoderStream()))).join("");
    out.push(format + ":" + (back === text) + ":" + (packed.length < text.length));
  }
  try { await collect(from([new Uint8Array([1, 2, 3])]).pipeThrough(new DecompressionStream("gzip"))); } catch (e) { out.push("corrupt:" + e.name); }
  const ac = new AbortController();
  const written = [];
  const piping = new ReadableStream({ pull(c) { c.enqueue(written.length); return new Promise((r) => setTimeout(r, 1)); } })
    .pipeTo(new WritableStream({ write(c) { written.push(c); }, abort(r) { out.push("sink abort:" + r.name); } }), { signal: ac.signal });
  setTimeout(() => ac.abort(), 20);
  try { await piping; } catch (e) { out.push("pipe:" + e.name + ":" + (written.length > 0)); }
  const ts = new TransformStream({ transform(c, ctl) { ctl.enqueue(c * 2); }, flush(ctl) { ctl.enqueue("end"); } });
  const w = ts.writable.getWriter();
  out.push("ds:" + w.desiredSize);
  w.write(1); w.write(2); w.close();
  out.push("t:" + (await collect(ts.readable)).join());
  return out;
})()`;

test("compression, encoding streams, pipeTo with a signal and TransformStream match Chromium's own", async ({
  harness,
}) => {
  const result = await inSandboxAndPage(harness, PROGRAM);
  expect(result.inPage).toEqual(expect.arrayContaining(["gzip:true:true", "corrupt:TypeError"]));
  expect(result.inSandbox).toMatchObject({ ok: true, value: result.inPage });
});

const MESSAGING = `(async () => {
  const out = [];
  const { port1, port2 } = new MessageChannel();
  const inner = new MessageChannel();
  inner.port2.postMessage("queued before the move");
  const buffer = new Uint8Array([1, 2, 3]).buffer;
  const done = new Promise((resolve) => {
    port2.onmessage = (e) => {
      out.push(["message", typeof e.data, e.isTrusted, e.ports.length, e.origin]);
      if (e.ports.length === 1) e.ports[0].onmessage = (m) => { out.push("moved port got " + m.data); resolve(); };
    };
  });
  port2.addEventListener("message", (e) => out.push("listener " + (e.data && e.data.buffer ? e.data.buffer.byteLength : e.data)));
  port1.postMessage("first");
  port1.postMessage({ buffer, port: inner.port1 }, [buffer, inner.port1]);
  out.push("detached " + buffer.byteLength);
  try { port1.postMessage(1, [port1]); } catch (e) { out.push(e.name); }
  try { port1.postMessage(inner.port2); } catch (e) { out.push(e.name); }
  await done;
  return out;
})()`;

test("MessageChannel in the sandbox delivers like Chromium's own", async ({ harness }) => {
  const result = await inSandboxAndPage(harness, MESSAGING);
  expect(result.inPage).toContain("moved port got queued before the move");
  expect(result.inSandbox).toMatchObject({ ok: true, value: result.inPage });
});

const BYTES = `(async () => {
  const out = [];
  const list = (v) => Array.from(new Uint8Array(v.buffer, v.byteOffset, v.byteLength));
  const rs = new ReadableStream({ type: "bytes", start(c) { c.enqueue(new Uint8Array([1, 2, 3, 4, 5])); c.close(); } });
  const r = rs.getReader({ mode: "byob" });
  const a = await r.read(new Uint16Array(2));
  const b = await r.read(new Uint8Array(4));
  const c = await r.read(new Uint8Array(4));
  out.push(["queue", a.value.constructor.name, list(a.value), list(b.value), c.done, c.value.byteLength]);
  let n = 0;
  const src = new ReadableStream({ type: "bytes", pull(ctl) {
    const v = ctl.byobRequest.view; out.push(["request", v.byteOffset, v.byteLength, v.buffer.byteLength]);
    v[0] = ++n; ctl.byobRequest.respond(1);
  } });
  const sr = src.getReader({ mode: "byob" });
  const given = new Uint8Array(3);
  const m = await sr.read(given, { min: 3 });
  out.push(["min", list(m.value), given.byteLength]);
  for (const [view, options] of [[new Uint8Array(0)], [new Uint8Array(1), { min: 0 }], [new Uint8Array(1), { min: 2 }], [given]]) {
    try { await sr.read(view, options); out.push("read ok"); } catch (e) { out.push(e.name); }
  }
  try { new ReadableStream({ type: "bytes" }, { size() { return 1; } }); } catch (e) { out.push(e.name); }
  try { new ReadableStream({ type: "bytes", autoAllocateChunkSize: 0 }); } catch (e) { out.push(e.name); }
  const auto = new ReadableStream({ type: "bytes", autoAllocateChunkSize: 8, pull(ctl) {
    out.push(["auto", ctl.byobRequest.view.byteLength]); ctl.byobRequest.view[0] = 7; ctl.byobRequest.respond(1); ctl.close();
  } });
  out.push(["auto read", list((await auto.getReader().read()).value)]);
  const blob = await new Blob(["hello world"]).stream().getReader({ mode: "byob" }).read(new Uint8Array(5));
  const body = await new Response("body").body.getReader({ mode: "byob" }).read(new Uint8Array(16));
  out.push(["platform", new TextDecoder().decode(blob.value), new TextDecoder().decode(body.value)]);
  const [t1, t2] = new ReadableStream({ type: "bytes", start(ctl) { ctl.enqueue(new Uint8Array([9, 8, 7])); ctl.close(); } }).tee();
  const x = await t1.getReader({ mode: "byob" }).read(new Uint8Array(2));
  const y = await t2.getReader().read();
  out.push(["tee", list(x.value), list(y.value)]);
  let canceled;
  const cr = new ReadableStream({ type: "bytes", cancel(reason) { canceled = reason; } }).getReader({ mode: "byob" });
  const pending = cr.read(new Uint8Array(1));
  await cr.cancel("why");
  const p = await pending;
  out.push(["cancel", canceled, p.done, p.value === undefined]);
  for (const s of [new TextEncoderStream().readable, new CompressionStream("gzip").readable, new ReadableStream()]) {
    try { s.getReader({ mode: "byob" }); out.push("byob"); } catch (e) { out.push(e.name); }
  }
  return out;
})()`;

test("byte streams and BYOB readers match Chromium's own", async ({ harness }) => {
  const result = await inSandboxAndPage(harness, BYTES);
  expect(result.inPage).toContainEqual(["platform", "hello", "body"]);
  expect(result.inSandbox).toMatchObject({ ok: true, value: result.inPage });
});
