/**
 * ReadableStream byte streams (`type: "bytes"`), ReadableByteStreamController,
 * ReadableStreamBYOBRequest and ReadableStreamBYOBReader, run in the sandbox: the
 * WHATWG Streams edge cases web-platform-tests checks in
 * streams/readable-byte-streams/ (general, bad buffers and views, read({ min }),
 * tee, detached buffers, respond after enqueue), written as our own scenarios, and
 * the platform's byte sources (Blob.stream(), bodies) read with a BYOB reader.
 */
import { describe, expect, test } from "vitest";
import { sharedWebRuntime } from "./test/shared_runtime.ts";

const { run, thrown, loop } = sharedWebRuntime();
function threw(src: string): string {
  const e = thrown(src);
  return e === undefined ? "no throw" : `${e.name}: ${e.message}`;
}
/** Guest helper: how a promise settled, as a string ("ok", or "Class: message"). */
const SETTLE = `const settle = (p) => p.then(() => "ok", (e) => e.name + ": " + e.message);`;

describe("constructing a byte stream", () => {
  test("type: 'bytes' gives a ReadableByteStreamController; highWaterMark defaults to 0", async () => {
    expect(
      await loop(`
      let ctl;
      const rs = new ReadableStream({ type: "bytes", start(c) { ctl = c; } });
      await null;
      return [Object.getPrototypeOf(ctl) === ReadableByteStreamController.prototype, ctl.desiredSize, ctl.byobRequest,
        String(ctl), Object.keys(ctl).length, rs.locked];`),
    ).toEqual([true, 0, null, "[object ReadableByteStreamController]", 0, false]);
    expect(
      await loop(
        `let c2; new ReadableStream({ type: "bytes", start(c) { c2 = c; } }, { highWaterMark: 16 }); return c2.desiredSize;`,
      ),
    ).toBe(16);
  });
  test("the source's members are read once each, in WebIDL order, and converted as read", () => {
    expect(
      run(`
      const log = [];
      const source = {};
      for (const k of ["type", "start", "pull", "cancel", "autoAllocateChunkSize"]) {
        Object.defineProperty(source, k, { get() { log.push(k); return k === "type" ? "bytes" : k === "autoAllocateChunkSize" ? 8 : undefined; } });
      }
      new ReadableStream(source);
      log.join();`),
    ).toBe("autoAllocateChunkSize,cancel,pull,start,type");
  });
  test("bad sources and strategies are the spec's errors", () => {
    expect(threw(`new ReadableStream({ type: "bytes" }, { size() { return 1; } })`)).toMatch(
      /^RangeError: ReadableStream constructor: .*byte stream.*size function/,
    );
    expect(threw(`new ReadableStream({ type: "bytes", autoAllocateChunkSize: 0 })`)).toMatch(
      /^TypeError: .*autoAllocateChunkSize must be greater than 0/,
    );
    expect(threw(`new ReadableStream({ type: "bytes", autoAllocateChunkSize: -1 })`)).toMatch(
      /^TypeError: .*autoAllocateChunkSize is outside the range/,
    );
    expect(threw(`new ReadableStream({ type: "bytes", autoAllocateChunkSize: NaN })`)).toMatch(
      /^TypeError: .*autoAllocateChunkSize must be a finite number/,
    );
    expect(threw(`new ReadableStream({ type: "Bytes" })`)).toMatch(
      /^TypeError: .*underlyingSource.type must be one of bytes/,
    );
    expect(threw(`new ReadableStream({ type: "bytes" }, { highWaterMark: -1 })`)).toMatch(
      /^RangeError: .*highWaterMark/,
    );
    // autoAllocateChunkSize is read (and refused) before the type is known, as WebIDL converts the dictionary first.
    expect(threw(`new ReadableStream({ autoAllocateChunkSize: -1 })`)).toMatch(/^TypeError: .*autoAllocateChunkSize/);
    expect(threw(`new ReadableStream({ type: "bytes", autoAllocateChunkSize: 1.9 }); 0`)).toBe("no throw");
  });
  test("the new interfaces are brand-checked, not constructible where the spec says so, and WebIDL-shaped", () => {
    expect(threw(`new ReadableByteStreamController()`)).toMatch(
      /^TypeError: ReadableByteStreamController: illegal constructor/,
    );
    expect(threw(`new ReadableStreamBYOBRequest()`)).toMatch(
      /^TypeError: ReadableStreamBYOBRequest: illegal constructor/,
    );
    expect(threw(`new ReadableStreamBYOBReader(new ReadableStream())`)).toMatch(
      /^TypeError: ReadableStreamBYOBReader constructor: a BYOB reader needs a byte stream/,
    );
    expect(threw(`new ReadableStreamBYOBReader()`)).toMatch(/^TypeError: .*1 argument required/);
    expect(threw(`new ReadableStreamBYOBReader({})`)).toMatch(/^TypeError: .*not a ReadableStream/);
    expect(threw(`ReadableStreamBYOBReader.prototype.releaseLock.call({})`)).toMatch(
      /^TypeError: ReadableStreamBYOBReader.prototype.releaseLock: illegal invocation/,
    );
    expect(
      threw(`Object.getOwnPropertyDescriptor(ReadableByteStreamController.prototype, "desiredSize").get.call({})`),
    ).toMatch(/illegal invocation/);
    expect(threw(`ReadableStreamBYOBRequest.prototype.respond.call({}, 1)`)).toMatch(/illegal invocation/);
    // A default reader is not a BYOB reader and the other way round.
    expect(
      threw(
        `ReadableStreamDefaultReader.prototype.releaseLock.call(new ReadableStream({ type: "bytes" }).getReader({ mode: "byob" }))`,
      ),
    ).toMatch(/illegal invocation/);
    expect(
      run(`
      const d = (o, k) => { const x = Object.getOwnPropertyDescriptor(o, k); return [k, typeof x.value === "function" ? "method" : x.get ? "getter" : "value", x.enumerable, x.configurable].join(":"); };
      [
        ...["read", "releaseLock", "closed", "cancel"].map((k) => d(ReadableStreamBYOBReader.prototype, k)),
        ...["byobRequest", "desiredSize", "close", "enqueue", "error"].map((k) => d(ReadableByteStreamController.prototype, k)),
        ...["view", "respond", "respondWithNewView"].map((k) => d(ReadableStreamBYOBRequest.prototype, k)),
        d(globalThis, "ReadableStreamBYOBReader"),
        Object.getOwnPropertyDescriptor(globalThis, "ReadableByteStreamController").enumerable,
        ReadableStreamBYOBReader.prototype[Symbol.toStringTag], ReadableStreamBYOBRequest.prototype[Symbol.toStringTag],
        ReadableStreamBYOBReader.length, ReadableStreamBYOBReader.prototype.read.length,
      ].join(" ");`),
    ).toBe(
      "read:method:true:true releaseLock:method:true:true closed:getter:true:true cancel:method:true:true " +
        "byobRequest:getter:true:true desiredSize:getter:true:true close:method:true:true enqueue:method:true:true error:method:true:true " +
        "view:getter:true:true respond:method:true:true respondWithNewView:method:true:true " +
        "ReadableStreamBYOBReader:method:false:true false ReadableStreamBYOBReader ReadableStreamBYOBRequest 1 1",
    );
  });
});

describe("reading a byte stream", () => {
  test("a default reader gets Uint8Array views on the enqueued (transferred) buffers", async () => {
    expect(
      await loop(`
      const chunk = new Uint8Array([9, 1, 2, 3, 9]).subarray(1, 4);
      const original = chunk.buffer;
      const rs = new ReadableStream({ type: "bytes", start(c) { c.enqueue(chunk); c.close(); } });
      const detachedAfterEnqueue = original.detached;
      const r = rs.getReader();
      const a = await r.read(); const b = await r.read();
      return [detachedAfterEnqueue, chunk.byteLength, a.value.constructor === Uint8Array, [...a.value], a.value.byteOffset,
        a.value.buffer.byteLength, a.value.buffer === original, b.done, b.value];`),
    ).toEqual([true, 0, true, [1, 2, 3], 1, 5, false, true, undefined]);
  });
  test("a BYOB read fills the view from the queue; what does not fit stays queued", async () => {
    expect(
      await loop(`
      const rs = new ReadableStream({ type: "bytes", start(c) { c.enqueue(new Uint8Array([1, 2, 3, 4, 5])); c.close(); } });
      const r = rs.getReader({ mode: "byob" });
      const view = new Uint8Array(8).fill(7).subarray(2, 5);
      const a = await r.read(view);
      const b = await r.read(new Uint8Array(8));
      const c = await r.read(new Uint16Array(4));
      return [a.done, [...a.value], a.value.byteOffset, a.value.buffer.byteLength, view.buffer.detached, view.byteLength,
        a.value.buffer === view.buffer, [...new Uint8Array(a.value.buffer)], [...b.value], c.done, c.value.constructor === Uint16Array, c.value.length];`),
    ).toEqual([false, [1, 2, 3], 2, 8, true, 0, false, [7, 7, 1, 2, 3, 7, 7, 7], [4, 5], true, true, 0]);
  });
  test("a view of wider elements gets whole elements; a partial element waits in the queue", async () => {
    expect(
      await loop(`
      let ctl;
      const rs = new ReadableStream({ type: "bytes", start(c) { ctl = c; } });
      const r = rs.getReader({ mode: "byob" });
      ctl.enqueue(new Uint8Array([1, 0, 2]));
      const a = await r.read(new Uint16Array(4));
      const pending = r.read(new Uint16Array(4));
      ctl.enqueue(new Uint8Array([0, 3, 0]));
      const b = await pending;
      ctl.enqueue(new Uint8Array([9]));
      const dv = await r.read(new DataView(new ArrayBuffer(4)));
      ctl.close();
      return [a.value.constructor.name, [...a.value], [...b.value], dv.value.constructor === DataView, dv.value.byteLength, dv.value.getUint8(0),
        (await r.read(new Uint8Array(1))).done];`),
    ).toEqual(["Uint16Array", [1], [2, 3], true, 1, 9, true]);
  });
  test("closing with a partial element pending errors the stream", async () => {
    expect(
      await loop(`
      ${SETTLE}
      let ctl;
      const rs = new ReadableStream({ type: "bytes", start(c) { ctl = c; } });
      const r = rs.getReader({ mode: "byob" });
      const p = r.read(new Uint16Array(2));
      await null;
      ctl.byobRequest.view[0] = 1;
      ctl.byobRequest.respond(1);
      let closeError;
      try { ctl.close(); } catch (e) { closeError = e.name; }
      return [closeError, await settle(p), await settle(r.closed)];`),
    ).toEqual([
      "TypeError",
      expect.stringMatching(/^TypeError: .*not a whole number/),
      expect.stringMatching(/^TypeError: .*not a whole number/),
    ]);
  });
  test("a closed stream still detaches the view it is handed and returns it empty", async () => {
    expect(
      await loop(`
      const rs = new ReadableStream({ type: "bytes", start(c) { c.close(); } });
      const r = rs.getReader({ mode: "byob" });
      const view = new Uint8Array([1, 2, 3]);
      const { value, done } = await r.read(view);
      return [done, value.length, value === view, value.buffer === view.buffer, view.buffer.byteLength, value.buffer.byteLength];`),
    ).toEqual([true, 0, false, false, 0, 3]);
  });
  test("async iteration, pipeTo and pipeThrough read a byte stream", async () => {
    expect(
      await loop(`
      const make = () => new ReadableStream({ type: "bytes", start(c) { c.enqueue(new Uint8Array([1, 2])); c.enqueue(new Uint8Array([3])); c.close(); } });
      const it = []; for await (const chunk of make()) it.push([...chunk]);
      const written = [];
      await make().pipeTo(new WritableStream({ write(chunk) { written.push(chunk.length); } }));
      const doubled = [];
      await make().pipeThrough(new TransformStream({ transform(chunk, c) { c.enqueue(chunk.map((x) => x * 2)); } }))
        .pipeTo(new WritableStream({ write(chunk) { doubled.push(...chunk); } }));
      const text = await new Response(make().pipeThrough(new TransformStream())).text();
      return [it, written, doubled, [...text].map((ch) => ch.charCodeAt(0))];`),
    ).toEqual([
      [[1, 2], [3]],
      [2, 1],
      [2, 4, 6],
      [1, 2, 3],
    ]);
  });
  test("ReadableStream.from makes a default stream (as the spec says), readable by a default reader", async () => {
    expect(
      await loop(`
      const rs = ReadableStream.from((async function* () { yield new Uint8Array([1]); yield "x"; })());
      let byob; try { rs.getReader({ mode: "byob" }); } catch (e) { byob = e.name; }
      const out = []; for await (const v of rs) out.push(typeof v);
      return [byob, out];`),
    ).toEqual(["TypeError", ["object", "string"]]);
  });
});

describe("the byobRequest", () => {
  test("it is the head pull-into's unfilled part; respond() fills the reader's view", async () => {
    expect(
      await loop(`
      const seen = [];
      const rs = new ReadableStream({
        type: "bytes",
        pull(c) {
          const req = c.byobRequest;
          const v = req.view;
          seen.push([v.constructor.name, v.byteOffset, v.byteLength, v.buffer.byteLength, req === c.byobRequest]);
          v[0] = 0xaa; v[1] = 0xbb;
          req.respond(2);
          seen.push([req.view, c.byobRequest]);
        },
      });
      const r = rs.getReader({ mode: "byob" });
      const { value } = await r.read(new Uint8Array(16).subarray(4, 12));
      return [seen, [...value], value.byteOffset];`),
    ).toEqual([
      [
        ["Uint8Array", 4, 8, 16, true],
        [null, null],
      ],
      [0xaa, 0xbb],
      4,
    ]);
  });
  test("respondWithNewView takes a view on the transferred buffer", async () => {
    expect(
      await loop(`
      const rs = new ReadableStream({
        type: "bytes",
        pull(c) {
          const v = c.byobRequest.view;
          const moved = new Uint8Array(v.buffer.transfer(), v.byteOffset, 1);
          moved[0] = 42;
          c.byobRequest.respondWithNewView(moved);
        },
      });
      const r = rs.getReader({ mode: "byob" });
      const { value } = await r.read(new Uint8Array(4));
      return [[...value], value.buffer.byteLength];`),
    ).toEqual([[42], 4]);
  });
  test("respond and respondWithNewView refuse what the spec refuses", async () => {
    expect(
      await loop(`
      const out = [];
      const E = (f) => { try { f(); return "ok"; } catch (e) { return e.name + ": " + e.message; } };
      let r;
      const rs = new ReadableStream({
        type: "bytes",
        pull(c) {
          const req = c.byobRequest;
          const v = req.view;
          out.push(E(() => req.respond(0)));
          out.push(E(() => req.respond(5)));
          out.push(E(() => req.respond(-1)));
          out.push(E(() => req.respond()));
          out.push(E(() => req.respondWithNewView(new Uint8Array(4))));
          out.push(E(() => req.respondWithNewView(new Uint8Array(new ArrayBuffer(16), 0, 2))));
          out.push(E(() => req.respondWithNewView(new Uint8Array(v.buffer, 1, 2))));
          out.push(E(() => req.respondWithNewView(new Uint8Array(0))));
          out.push(E(() => req.respondWithNewView("x")));
          out.push(E(() => req.respondWithNewView(new Uint8Array(new ArrayBuffer(8), 0, 6))));
          out.push(E(() => req.respondWithNewView(new Uint8Array(new ArrayBuffer(8), 0, 3))));
          out.push(E(() => req.respond(1)));
        },
      });
      r = rs.getReader({ mode: "byob" });
      const got = await r.read(new Uint8Array(8).subarray(0, 4));
      return [out, got.done, got.value.length, got.value.buffer.byteLength];`),
    ).toEqual([
      [
        expect.stringMatching(
          /^TypeError: ReadableStreamBYOBRequest.prototype.respond: bytesWritten must be greater than 0/,
        ),
        expect.stringMatching(/^RangeError: .*bytesWritten \(5\) is more than the view's 4 bytes/),
        expect.stringMatching(/^TypeError: .*bytesWritten is outside the range/),
        expect.stringMatching(/^TypeError: .*1 argument required/),
        expect.stringMatching(/^RangeError: .*different byteLength/),
        expect.stringMatching(/^RangeError: .*different byteLength/),
        expect.stringMatching(/^RangeError: .*does not start where/),
        expect.stringMatching(/^TypeError: .*greater than 0 while the stream is readable/),
        expect.stringMatching(/^TypeError: .*not an ArrayBufferView/),
        expect.stringMatching(/^RangeError: .*larger than the byobRequest's view/),
        "ok",
        expect.stringMatching(/^TypeError: .*already answered/),
      ],
      false,
      3,
      8,
    ]);
  });
  test("after close, respond(0) and a zero-length new view hand back the empty view", async () => {
    expect(
      await loop(`
      const results = [];
      for (const how of ["respond", "view", "bad"]) {
        let err = "none";
        const rs = new ReadableStream({
          type: "bytes",
          pull(c) {
            c.close();
            const v = c.byobRequest.view;
            try {
              if (how === "respond") c.byobRequest.respond(0);
              else if (how === "view") c.byobRequest.respondWithNewView(new Uint8Array(v.buffer, 0, 0));
              else c.byobRequest.respond(1);
            } catch (e) { err = e.name; c.byobRequest.respond(0); }
          },
        });
        const { done, value } = await rs.getReader({ mode: "byob" }).read(new Uint8Array(3));
        results.push([how, err, done, value.length, value.buffer.byteLength]);
      }
      return results;`),
    ).toEqual([
      ["respond", "none", true, 0, 3],
      ["view", "none", true, 0, 3],
      ["bad", "TypeError", true, 0, 3],
    ]);
  });
  test("autoAllocateChunkSize gives a default reader's read a byobRequest; respond after enqueue is refused", async () => {
    expect(
      await loop(`
      ${SETTLE}
      const seen = [];
      const rs = new ReadableStream({
        type: "bytes", autoAllocateChunkSize: 10,
        pull(c) { seen.push(c.byobRequest.view.byteLength); c.byobRequest.view.set([5, 6]); c.byobRequest.respond(2); },
      });
      const r = rs.getReader();
      const a = await r.read();
      // enqueue() answers the pending pull-into: a byobRequest taken before it is stale afterwards.
      const rs2 = new ReadableStream({
        type: "bytes", autoAllocateChunkSize: 10,
        pull(c) { const req = c.byobRequest; c.enqueue(new Uint8Array([1, 2, 3])); req.respond(10); },
      });
      const r2 = rs2.getReader();
      const b = await r2.read();
      // Two reads before start() finished: two auto-allocated pull-intos; enqueue() answers the
      // first read, respond(2) the second (as Chromium does; the spec's algorithm gives the same).
      const rs3 = new ReadableStream({
        type: "bytes", autoAllocateChunkSize: 10,
        pull(c) { c.enqueue(new Uint8Array([1, 2, 3])); c.byobRequest.view.set([8, 9]); c.byobRequest.respond(2); },
      });
      const r3 = rs3.getReader();
      const both = (await Promise.all([r3.read(), r3.read()])).map((x) => [...x.value]);
      return [seen, [...a.value], a.value.buffer.byteLength, [...b.value], await settle(r2.closed), both];`),
    ).toEqual([
      [10],
      [5, 6],
      10,
      [1, 2, 3],
      expect.stringMatching(/^TypeError: .*already answered/),
      [
        [1, 2, 3],
        [8, 9],
      ],
    ]);
  });
});

describe("bad buffers and views", () => {
  test("enqueue refuses empty, detached and non-view chunks, and a chunk once the byobRequest's buffer is gone", async () => {
    expect(
      await loop(`
      const out = [];
      const E = (f) => { try { f(); return "ok"; } catch (e) { return e.name + ": " + e.message; } };
      new ReadableStream({ type: "bytes", start(c) {
        const v = new Uint8Array([1]);
        out.push(E(() => c.enqueue(v)));
        out.push(E(() => c.enqueue(v)));
        out.push(E(() => c.enqueue(new Uint8Array(0))));
        out.push(E(() => c.enqueue(new Uint8Array(new ArrayBuffer(4), 2, 0))));
        out.push(E(() => c.enqueue(new ArrayBuffer(4))));
        out.push(E(() => c.enqueue()));
        out.push(E(() => c.enqueue(new Uint8Array(new ArrayBuffer(4, { maxByteLength: 8 })))));
        out.push(E(() => c.enqueue(new Uint8Array(new SharedArrayBuffer(4)))));
      } });
      const error = new Error("stop");
      const rs = new ReadableStream({ type: "bytes", pull(c) {
        const buffer = c.byobRequest.view.buffer;
        structuredClone(buffer, { transfer: [buffer] });
        out.push(E(() => c.enqueue(new Uint8Array([42]))));
        c.error(error);
      } });
      const r = rs.getReader({ mode: "byob" });
      let rejectedWith; try { await r.read(new Uint8Array(1)); } catch (e) { rejectedWith = e === error; }
      return [out, rejectedWith];`),
    ).toEqual([
      [
        "ok",
        expect.stringMatching(
          /^TypeError: ReadableByteStreamController.prototype.enqueue: the chunk's byteLength must not be 0/,
        ),
        expect.stringMatching(/^TypeError: .*byteLength must not be 0/),
        expect.stringMatching(/^TypeError: .*byteLength must not be 0/),
        expect.stringMatching(/^TypeError: .*not an ArrayBufferView/),
        expect.stringMatching(/^TypeError: .*1 argument required/),
        expect.stringMatching(/^TypeError: .*resizable/),
        expect.stringMatching(/^TypeError: .*SharedArrayBuffer/),
        expect.stringMatching(/^TypeError: .*byobRequest's buffer was detached/),
      ],
      true,
    ]);
  });
  test("read(view) rejects empty, detached, shared and resizable views, and bad min", async () => {
    expect(
      await loop(`
      ${SETTLE}
      const rs = new ReadableStream({ type: "bytes", start(c) { c.enqueue(new Uint8Array([1, 2, 3])); } });
      const r = rs.getReader({ mode: "byob" });
      const used = new Uint8Array(3);
      await r.read(used);
      return [
        await settle(r.read(used)),
        await settle(r.read(new Uint8Array(0))),
        await settle(r.read(new Uint8Array(new ArrayBuffer(8), 8, 0))),
        await settle(r.read(new Uint8Array(new SharedArrayBuffer(4)))),
        await settle(r.read(new Uint8Array(new ArrayBuffer(4, { maxByteLength: 8 })))),
        await settle(r.read({ byteLength: 4 })),
        await settle(r.read()),
        await settle(r.read(new Uint8Array(1), { min: 0 })),
        await settle(r.read(new Uint8Array(1), { min: -1 })),
        await settle(r.read(new Uint8Array(1), { min: 2 })),
        await settle(r.read(new Uint16Array(1), { min: 2 })),
        await settle(r.read(new DataView(new ArrayBuffer(1)), { min: 2 })),
        await settle(r.read(new Uint8Array(1), 5)),
        await settle(ReadableStreamBYOBReader.prototype.read.call({}, new Uint8Array(1))),
      ];`),
    ).toEqual([
      expect.stringMatching(/^TypeError: ReadableStreamBYOBReader.prototype.read: the view's byteLength must not be 0/),
      expect.stringMatching(/^TypeError: .*byteLength must not be 0/),
      expect.stringMatching(/^TypeError: .*byteLength must not be 0/),
      expect.stringMatching(/^TypeError: .*SharedArrayBuffer/),
      expect.stringMatching(/^TypeError: .*resizable/),
      expect.stringMatching(/^TypeError: .*not an ArrayBufferView/),
      expect.stringMatching(/^TypeError: .*1 argument required/),
      expect.stringMatching(/^TypeError: .*options.min must be greater than 0/),
      expect.stringMatching(/^TypeError: .*options.min is outside the range/),
      expect.stringMatching(/^RangeError: .*options.min \(2\) is more than the view's length \(1\)/),
      expect.stringMatching(/^RangeError: .*options.min \(2\) is more than the view's length \(1\)/),
      expect.stringMatching(/^RangeError: .*view's byteLength \(1\)/),
      expect.stringMatching(/^TypeError: .*options must be an object/),
      expect.stringMatching(/^TypeError: .*illegal invocation/),
    ]);
  });
  test("a byobRequest whose view was detached by the guest cannot be answered", async () => {
    expect(
      await loop(`
      const out = [];
      let r;
      const rs = new ReadableStream({ type: "bytes", pull(c) {
        const req = c.byobRequest;
        r.read(req.view);
        try { req.respond(1); } catch (e) { out.push(e.name + ": " + e.message); }
        try { c.enqueue(new Uint8Array([1])); } catch (e) { out.push(e.name); }
      } });
      r = rs.getReader({ mode: "byob" });
      r.read(new Uint8Array(3));
      await new Promise((res) => setTimeout(res, 0));
      return out;`),
    ).toEqual([expect.stringMatching(/^TypeError: .*view's buffer was detached/), "TypeError"]);
  });
});

describe("read({ min })", () => {
  test("the read waits for min elements across several responds, then the next read gets its own view", async () => {
    expect(
      await loop(`
      const views = [];
      let n = 0;
      const rs = new ReadableStream({ type: "bytes", pull(c) {
        const v = c.byobRequest.view;
        views.push([v.byteOffset, v.byteLength, v.buffer.byteLength]);
        v[0] = ++n;
        c.byobRequest.respond(1);
      } });
      const r = rs.getReader({ mode: "byob" });
      const first = r.read(new Uint8Array(3), { min: 3 });
      const second = r.read(new Uint8Array(2));
      const a = await first, b = await second;
      return [[...a.value], [...b.value], views];`),
    ).toEqual([
      [1, 2, 3],
      [4],
      [
        [0, 3, 3],
        [1, 2, 3],
        [2, 1, 3],
        [0, 2, 2],
      ],
    ]);
  });
  test("min counts elements; close before min is met hands back what was filled, done", async () => {
    expect(
      await loop(`
      let n = 0;
      const rs = new ReadableStream({ type: "bytes", pull(c) {
        if (n++ === 0) { c.byobRequest.view.set([1, 0, 2, 0]); c.byobRequest.respond(4); }
        else { c.close(); c.byobRequest.respond(0); }
      } });
      const r = rs.getReader({ mode: "byob" });
      const a = await r.read(new Uint16Array(4), { min: 3 });
      return [a.done, a.value.constructor.name, [...a.value], n];`),
    ).toEqual([true, "Uint16Array", [1, 2], 2]);
  });
  test("a queue that closes short of min errors the stream", async () => {
    expect(
      await loop(`
      ${SETTLE}
      const rs = new ReadableStream({ type: "bytes", start(c) { c.enqueue(new Uint8Array([1])); c.close(); } });
      const r = rs.getReader({ mode: "byob" });
      return [await settle(r.read(new Uint16Array(1))), await settle(r.closed)];`),
    ).toEqual([
      expect.stringMatching(/^TypeError: .*too few bytes/),
      expect.stringMatching(/^TypeError: .*too few bytes/),
    ]);
  });
});

describe("release, cancel and error", () => {
  test("releaseLock rejects a pending read; bytes responded afterwards reach the next reader", async () => {
    expect(
      await loop(`
      ${SETTLE}
      let ctl;
      const rs = new ReadableStream({ type: "bytes", start(c) { ctl = c; } });
      const r = rs.getReader({ mode: "byob" });
      const pending = r.read(new Uint8Array(4));
      await null;
      const req = ctl.byobRequest;
      r.releaseLock();
      r.releaseLock();
      const released = [await settle(pending), await settle(r.closed), await settle(r.read(new Uint8Array(1))), await settle(r.cancel())];
      req.view.set([7, 8]);
      req.respond(2);
      const r2 = rs.getReader();
      const { value } = await r2.read();
      return [released, [...value], value.buffer.byteLength];`),
    ).toEqual([
      [
        expect.stringMatching(/^TypeError: ReadableStreamBYOBReader: the reader's lock was released/),
        expect.stringMatching(/^TypeError: .*released/),
        expect.stringMatching(/^TypeError: .*has been released/),
        expect.stringMatching(/^TypeError: .*has been released/),
      ],
      [7, 8],
      2,
    ]);
  });
  test("cancel settles pending reads as done with no value and passes the reason to the source", async () => {
    expect(
      await loop(`
      let reason;
      const rs = new ReadableStream({ type: "bytes", cancel(r) { reason = r; return "ignored"; } });
      const r = rs.getReader({ mode: "byob" });
      const a = r.read(new Uint8Array(1));
      const b = r.read(new Uint8Array(1));
      const c = await r.cancel("why");
      const ra = await a, rb = await b;
      return [reason, c, ra.done, ra.value, rb.done, await r.closed, (await r.read(new Uint8Array(2))).value.length];`),
    ).toEqual(["why", undefined, true, undefined, true, undefined, 0]);
  });
  test("error rejects pending reads and closed with the error itself", async () => {
    expect(
      await loop(`
      let ctl;
      const err = new Error("boom");
      const rs = new ReadableStream({ type: "bytes", start(c) { ctl = c; } });
      const r = rs.getReader({ mode: "byob" });
      const p = r.read(new Uint8Array(2), { min: 2 });
      ctl.error(err);
      const got = await p.catch((e) => e);
      const closed = await r.closed.catch((e) => e);
      const later = await r.read(new Uint8Array(1)).catch((e) => e);
      return [got === err, closed === err, later === err, ctl.desiredSize];`),
    ).toEqual([true, true, true, null]);
  });
  test("an autoAllocateChunkSize too large to allocate fails the read, not the runtime", async () => {
    expect(
      await loop(`
      const rs = new ReadableStream({ type: "bytes", autoAllocateChunkSize: 2 ** 53 - 1, pull() { throw new Error("never pulled"); } });
      const r = rs.getReader();
      const failed = await r.read().catch((e) => e.name);
      r.releaseLock();
      const again = new ReadableStream({ type: "bytes", start(c) { c.enqueue(new Uint8Array([5])); c.close(); } });
      return [failed, [...(await again.getReader().read()).value]];`),
    ).toEqual(["RangeError", [5]]);
  });
  test("a start() that throws makes the constructor throw it", () => {
    expect(threw(`new ReadableStream({ type: "bytes", start() { throw new RangeError("no start"); } })`)).toBe(
      "RangeError: no start",
    );
  });
  test("a pull that throws errors the stream", async () => {
    expect(
      await loop(`
      const rs = new ReadableStream({ type: "bytes", pull() { throw new RangeError("pull failed"); } });
      return await rs.getReader({ mode: "byob" }).read(new Uint8Array(1)).catch((e) => e.name + ": " + e.message);`),
    ).toBe("RangeError: pull failed");
  });
});

describe("tee() of a byte stream", () => {
  test("both branches are byte streams with their own copies; a BYOB read on one decides how much is read", async () => {
    expect(
      await loop(`
      const rs = new ReadableStream({ type: "bytes", start(c) { c.enqueue(new Uint8Array([1, 2, 3])); c.enqueue(new Uint8Array([4])); c.close(); } });
      const [a, b] = rs.tee();
      const ra = a.getReader({ mode: "byob" });
      const rb = b.getReader();
      const x = await ra.read(new Uint8Array(2));
      const y = await rb.read();
      y.value[0] = 99;
      const x2 = await ra.read(new Uint8Array(8));
      const x3 = await ra.read(new Uint8Array(8));
      const y2 = await rb.read(); const y3 = await rb.read();
      return [[...x.value], [...y.value], [...x2.value], x3.done, x3.value.length, [...y2.value], y3.done, x.value.buffer !== y.value.buffer];`),
    ).toEqual([[1, 2], [99, 2], [3, 4], true, 0, [3, 4], true, true]);
  });
  test("a BYOB read on a branch reads into that branch's view; the other branch gets a copy", async () => {
    expect(
      await loop(`
      const views = [];
      const rs = new ReadableStream({ type: "bytes", pull(c) {
        const v = c.byobRequest.view;
        views.push(v.byteLength);
        v[0] = 5; v[1] = 6;
        c.byobRequest.respond(2);
      } });
      const [a, b] = rs.tee();
      const x = await a.getReader({ mode: "byob" }).read(new Uint8Array(4));
      const y = await b.getReader().read();
      return [views, [...x.value], x.value.buffer.byteLength, [...y.value]];`),
    ).toEqual([[4], [5, 6], 4, [5, 6]]);
  });
  test("cancelling both branches cancels the source with both reasons; an error reaches both", async () => {
    expect(
      await loop(`
      let reason;
      const rs = new ReadableStream({ type: "bytes", cancel(r) { reason = r; } });
      const [a, b] = rs.tee();
      const pa = a.cancel("one");
      await b.cancel("two");
      await pa;
      let ctl;
      const err = new Error("e");
      const rs2 = new ReadableStream({ type: "bytes", start(c) { ctl = c; } });
      const [c, d] = rs2.tee();
      const rc = c.getReader({ mode: "byob" });
      const pc = rc.read(new Uint8Array(1));
      ctl.error(err);
      const e1 = await pc.catch((e) => e);
      const e2 = await d.getReader().closed.catch((e) => e);
      return [reason, e1 === err, e2 === err];`),
    ).toEqual([["one", "two"], true, true]);
  });
});

describe("the platform's byte sources", () => {
  test("Blob.stream(), Response.body, Request.body and a cloned body take a BYOB reader", async () => {
    expect(
      await loop(`
      const readAll = async (stream, size) => {
        const r = stream.getReader({ mode: "byob" });
        const out = [];
        for (;;) { const { value, done } = await r.read(new Uint8Array(size)); if (done) break; out.push(value.length); }
        return out;
      };
      const res = new Response("hello world");
      const copy = res.clone();
      const req = new Request("http://h.test/", { method: "POST", body: new Uint8Array(5) });
      return [
        await readAll(new Blob(["x".repeat(70000)]).stream(), 30000),
        await readAll(res.body, 4),
        await readAll(copy.body, 100),
        await readAll(req.body, 2),
      ];`),
    ).toEqual([[30000, 30000, 5536, 4464], [4, 4, 3], [11], [2, 2, 1]]);
  });
  test("a Response cloned before its body stream was made gets a stream of its own", async () => {
    // Regression: the clone shared the original's body record, so both bodies were one stream
    // and reading one locked the other.
    expect(
      await loop(`
      const res = new Response("abc");
      const copy = res.clone();
      const a = await res.body.getReader().read();
      const b = await copy.body.getReader().read();
      return [res.body === copy.body, [...a.value], [...b.value], await copy.text().catch((e) => e.name)];`),
    ).toEqual([false, [97, 98, 99], [97, 98, 99], "TypeError"]);
  });
  test("a read with min fills across Blob.stream()'s 64 KiB chunks", async () => {
    expect(
      await loop(`
      const blob = new Blob([new Uint8Array(100000).map((_, i) => i & 255)]);
      const r = blob.stream().getReader({ mode: "byob" });
      const { value } = await r.read(new Uint8Array(100000), { min: 100000 });
      let ok = value.length === 100000;
      for (let i = 0; i < value.length; i++) if (value[i] !== (i & 255)) { ok = false; break; }
      return [ok, (await r.read(new Uint8Array(1))).done];`),
    ).toEqual([true, true]);
  });
  test("transform streams' readable sides stay default streams, as in browsers", async () => {
    expect(
      await loop(`
      const E = (s) => { try { s.getReader({ mode: "byob" }); return "byob"; } catch (e) { return e.name; } };
      return [E(new TextEncoderStream().readable), E(new CompressionStream("gzip").readable), E(new TransformStream().readable)];`),
    ).toEqual(["TypeError", "TypeError", "TypeError"]);
  });
});
