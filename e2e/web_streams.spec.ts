// Streams and MessageChannel in a sandbox in Chromium (through @islet/worker), checked against Chromium's own
// streams on the page: the same program must give the same result in both.
import { expect, type HarnessWindow, test } from "./fixtures.ts";

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
  const result = await harness.evaluate(async (program) => {
    const w = window as unknown as HarnessWindow;
    const sb = await w.islet.createSandbox();
    const inSandbox = await sb.eval(program);
    sb.terminate();
    // The page runs the same program, as a script in the global scope, for reference.
    const inPage = await new Function(`return ${program}`)();
    return { inSandbox, inPage };
  }, PROGRAM);
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
  const result = await harness.evaluate(async (program) => {
    const w = window as unknown as HarnessWindow;
    const sb = await w.islet.createSandbox();
    const inSandbox = await sb.eval(program);
    sb.terminate();
    const inPage = await new Function(`return ${program}`)();
    return { inSandbox, inPage };
  }, MESSAGING);
  expect(result.inPage).toContain("moved port got queued before the move");
  expect(result.inSandbox).toMatchObject({ ok: true, value: result.inPage });
});
