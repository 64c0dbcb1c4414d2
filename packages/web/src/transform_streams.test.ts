import { describe, expect, test } from "vitest";
import { differential } from "./test/differential.ts";

const { inSandbox, runtime, suite } = differential();

const PRELUDE = `
  const log = [];
  const E = (e) => (e === undefined ? "undefined" : e === null ? "null" : typeof e === "object" && "name" in e ? e.name : String(e));
  const bytes = (...b) => new Uint8Array(b);
  /** Writes each chunk, closes, and collects what the readable side gives (or the error). */
  async function through(ts, chunks) {
    const w = ts.writable.getWriter();
    for (const c of chunks) w.write(c).catch(() => {});
    w.close().catch(() => {});
    const out = [];
    try { for await (const x of ts.readable) out.push(x); } catch (e) { out.push("error " + E(e)); }
    return out;
  }
  const hex = (chunks) => chunks.map((c) => typeof c === "string" ? c : Array.from(c, (b) => b.toString(16).padStart(2, "0")).join("")).join("|");
  const concat = (chunks) => { const n = chunks.reduce((a, c) => a + c.length, 0); const out = new Uint8Array(n); let at = 0; for (const c of chunks) { out.set(c, at); at += c.length; } return out; };
`;

const SCENARIOS: Record<string, string> = {
  "TextEncoderStream: chunks, surrogate pairs split across chunks, lone surrogates, non-strings": `
    const cases = [["a", "é", ""], ["\\uD83D", "\\uDE00"], ["\\uD83D", "", "\\uDE00"], ["\\uD83D"], ["x\\uD83D", "y"], ["\\uDE00"], [1, null, undefined, { toString() { return "o"; } }]];
    for (const c of cases) log.push(hex(await through(new TextEncoderStream(), c)));
    const s = new TextEncoderStream(); log.push(s.encoding, Object.prototype.toString.call(s.readable), Object.prototype.toString.call(s.writable));
    return log;`,
  "TextDecoderStream: multi-byte sequences split, BOM, fatal, labels, bad chunks": `
    log.push((await through(new TextDecoderStream(), [bytes(0xe2), bytes(0x82), bytes(0xac, 0x41)])).join("|"));
    log.push((await through(new TextDecoderStream(), [bytes(0xef, 0xbb), bytes(0xbf, 0x61)])).join("|"));
    log.push((await through(new TextDecoderStream("utf-8", { ignoreBOM: true }), [bytes(0xef, 0xbb, 0xbf, 0x61)])).map((s) => s.length).join("|"));
    log.push((await through(new TextDecoderStream(), [bytes(0xe2, 0x82)])).join("|"));
    log.push((await through(new TextDecoderStream("utf-8", { fatal: true }), [bytes(0x41), bytes(0xe2, 0x82)])).join("|"));
    log.push((await through(new TextDecoderStream("utf-8", { fatal: true }), [bytes(0xff)])).join("|"));
    log.push((await through(new TextDecoderStream("utf-16le"), [bytes(0x41), bytes(0x00, 0x42), bytes(0x00)])).join("|"));
    log.push((await through(new TextDecoderStream(), [new Uint16Array([0x4241]), new DataView(bytes(0x43).buffer), bytes(0x44).buffer])).join("|"));
    for (const bad of ["x", 1, null, [65], {}]) log.push((await through(new TextDecoderStream(), [bad])).join("|"));
    const d = new TextDecoderStream(" UTF8 ", { fatal: 1 }); log.push(d.encoding, d.fatal, d.ignoreBOM);
    for (const label of ["nope", "replacement"]) { try { new TextDecoderStream(label); } catch (e) { log.push(label + " " + E(e)); } }
    return log;`,
  "CompressionStream/DecompressionStream: round trips of each format, chunked, empty": `
    const text = new TextEncoder().encode("hello hello hello hello, compression! ".repeat(50));
    for (const format of ["deflate", "deflate-raw", "gzip"]) {
      const compressed = concat(await through(new CompressionStream(format), [text.slice(0, 7), text.slice(7, 500), text.slice(500)]));
      const pieces = []; for (let i = 0; i < compressed.length; i += 3) pieces.push(compressed.slice(i, i + 3));
      const back = concat(await through(new DecompressionStream(format), pieces));
      log.push(format, compressed.length < text.length, new TextDecoder().decode(back) === new TextDecoder().decode(text));
      const empty = concat(await through(new CompressionStream(format), []));
      log.push(hex([concat(await through(new DecompressionStream(format), [empty]))]) === "");
    }
    return log;`,
  "interface shape": `
    const shape = (C) => [C.name, C.length, Object.getOwnPropertyNames(C.prototype).sort().join(), Object.keys(C.prototype).sort().join()];
    log.push(shape(TextEncoderStream), shape(TextDecoderStream), shape(CompressionStream), shape(DecompressionStream));
    for (const C of [TextEncoderStream, TextDecoderStream, CompressionStream, DecompressionStream]) {
      try { Object.getOwnPropertyDescriptor(C.prototype, "readable").get.call(new TransformStream()); } catch (e) { log.push(C.name + " " + E(e)); }
    }
    try { Object.getOwnPropertyDescriptor(CompressionStream.prototype, "readable").get.call(new DecompressionStream("gzip")); } catch (e) { log.push("cross " + E(e)); }
    return log;`,
  "piping through encoders and compression": `
    const source = ReadableStream.from(["Grüße ", "\\uD83D", "\\uDE00 ", "done"]);
    const out = source.pipeThrough(new TextEncoderStream()).pipeThrough(new CompressionStream("deflate-raw"))
      .pipeThrough(new DecompressionStream("deflate-raw")).pipeThrough(new TextDecoderStream());
    let text = ""; for await (const s of out) text += s;
    log.push(text);
    return log;`,
};

suite("encoding and compression streams (same as the host's)", PRELUDE, SCENARIOS);

// Node's own streams differ from the standards (and Chromium) here, so the expectations are written out.
describe("where the host is not the reference", () => {
  test("DecompressionStream: corrupt, truncated, trailing junk and empty input are TypeErrors; chunks must be BufferSources; formats are exact", async () => {
    expect(
      await inSandbox(
        PRELUDE +
          `
    const gz = concat(await through(new CompressionStream("gzip"), [new TextEncoder().encode("abcdefgh")]));
    const df = concat(await through(new CompressionStream("deflate"), [new TextEncoder().encode("abcdefgh")]));
    const flip = (b, i) => { const c = b.slice(); c[i] ^= 0xff; return c; };
    const cases = {
      "gzip truncated": [gz.slice(0, gz.length - 4)],
      "gzip bad crc": [flip(gz, gz.length - 6)],
      "gzip bad size": [flip(gz, gz.length - 1)],
      "gzip junk after": [gz, bytes(0x00)],
      "gzip junk in chunk": [concat([gz, bytes(1, 2)])],
      "gzip twice": [gz, gz],
      "deflate bad adler": [flip(df, df.length - 1)],
      "deflate bad header": [flip(df, 0)],
      "deflate as gzip": [df],
      "empty": [],
      "empty chunk": [bytes()],
    };
    for (const [name, chunks] of Object.entries(cases)) {
      const format = name.startsWith("deflate as") ? "gzip" : name.startsWith("deflate") ? "deflate" : "gzip";
      const out = await through(new DecompressionStream(format), chunks);
      log.push(name + ": " + out.filter((x) => typeof x === "string").join());
    }
    for (const bad of ["s", 1, null, undefined, [1], new SharedArrayBuffer(1)]) log.push((await through(new CompressionStream("gzip"), [bad])).filter((x) => typeof x === "string").join());
    for (const f of ["zip", "GZIP", undefined]) { try { new CompressionStream(f); log.push("ok"); } catch (e) { log.push(f + " " + E(e)); } }
    try { new DecompressionStream(); } catch (e) { log.push("none " + E(e)); }
    return log;`,
      ),
    ).toEqual([
      "gzip truncated: error TypeError",
      "gzip bad crc: error TypeError",
      "gzip bad size: error TypeError",
      "gzip junk after: error TypeError",
      "gzip junk in chunk: error TypeError",
      "gzip twice: error TypeError",
      "deflate bad adler: error TypeError",
      "deflate bad header: error TypeError",
      "deflate as gzip: error TypeError",
      "empty: error TypeError",
      "empty chunk: error TypeError",
      ...Array(6).fill("error TypeError"),
      "zip TypeError",
      "GZIP TypeError",
      "undefined TypeError",
      "none TypeError",
    ]);
  });
  test("a symbol chunk is a TypeError for TextEncoderStream, undefined for TextDecoderStream (WebIDL conversions)", async () => {
    expect(
      await inSandbox(
        `${PRELUDE} return [hex(await through(new TextEncoderStream(), ["a", Symbol("s")])), (await through(new TextDecoderStream(), [bytes(0x41), undefined])).join("|")];`,
      ),
    ).toEqual(["61|error TypeError", "A|error TypeError"]);
  });
  test("every interface has its @@toStringTag", async () => {
    expect(
      await inSandbox(
        `return [TextEncoderStream, TextDecoderStream, CompressionStream, DecompressionStream, WritableStream, TransformStream].map((C) => Object.prototype.toString.call(C.prototype));`,
      ),
    ).toEqual([
      "[object TextEncoderStream]",
      "[object TextDecoderStream]",
      "[object CompressionStream]",
      "[object DecompressionStream]",
      "[object WritableStream]",
      "[object TransformStream]",
    ]);
  });
});

describe("hostile realm", () => {
  test("a write that waits for backpressure completes when the guest has replaced Promise.prototype.then", async () => {
    expect(
      await inSandbox(`
      await null; // the harness has chained its own then by now
      const saved = Promise.prototype.then;
      Promise.prototype.then = function () { throw new Error("poisoned then"); };
      let out;
      try {
        const ts = new TransformStream({ transform(c, ctl) { ctl.enqueue(c * 2); } });
        const w = ts.writable.getWriter();
        const wrote = w.write(21); // the readable side wants nothing yet: backpressure
        const got = await ts.readable.getReader().read();
        await wrote;
        const gz = new CompressionStream("gzip"); const gw = gz.writable.getWriter();
        const gwrote = gw.write(new Uint8Array([1, 2, 3])); gw.close();
        const first = await gz.readable.getReader().read();
        await gwrote;
        out = [got.value, "written", first.value.length > 0];
      } catch (e) { out = ["threw " + e.message]; }
      Promise.prototype.then = saved;
      return out;`),
    ).toEqual([42, "written", true]);
  });
});

describe("resources", () => {
  test("a decoder or a compressor that ends, fails or is cancelled leaves no resource open", async () => {
    expect(
      await inSandbox(`${PRELUDE}
      await through(new TextDecoderStream(), [bytes(0xe2)]);
      await through(new TextDecoderStream("utf-8", { fatal: true }), [bytes(0xff)]);
      await through(new CompressionStream("gzip"), [bytes(1, 2, 3)]);
      await through(new DecompressionStream("gzip"), [bytes(1, 2, 3)]);
      // A write waits for a reader (the readable side's highWaterMark is 0); reading one chunk lets it through.
      const d = new DecompressionStream("deflate"); const w = d.writable.getWriter(); const dr = d.readable.getReader(); dr.read().catch(() => {});
      await w.write(new Uint8Array([0x78])); await w.abort("stop");
      const t = new TextDecoderStream(); const tw = t.writable.getWriter(); const tr = t.readable.getReader(); tr.read();
      await tw.write(bytes(0xe2)); await tr.cancel("stop");
      return "done";`),
    ).toBe("done");
    expect(runtime().resources()).toEqual([]);
  });
  test("a compressor cancelled, or a writer aborted, before its start (the host loading zlib) leaves no resource open", async () => {
    expect(
      await inSandbox(`${PRELUDE}
      const c = new CompressionStream("gzip"); const w = c.writable.getWriter(); const r = c.readable.getReader();
      const read = r.read().catch(() => {});
      const wrote = w.write(bytes(1, 2, 3)).catch(() => {});
      await r.cancel("stop"); await wrote; await read;
      const d = new DecompressionStream("deflate"); const dw = d.writable.getWriter();
      d.readable.getReader().read().catch(() => {});
      const dwrote = dw.write(bytes(0x78)).catch(() => {});
      await dw.abort("stop"); await dwrote;
      // Made and dropped: never opened.
      new CompressionStream("deflate");
      return "done";`),
    ).toBe("done");
    expect(runtime().resources()).toEqual([]);
  });
  test("a small input that inflates to megabytes comes out in bounded pieces", async () => {
    expect(
      await inSandbox(`${PRELUDE}
      const zeros = new Uint8Array(4 << 20);
      const packed = concat(await through(new CompressionStream("gzip"), [zeros]));
      const out = await through(new DecompressionStream("gzip"), [packed]);
      return [packed.length < 16384, out.length > 1, Math.max(...out.map((c) => c.length)) <= 65536, out.reduce((a, c) => a + c.length, 0)];`),
    ).toEqual([true, true, true, 4 << 20]);
  });
});
