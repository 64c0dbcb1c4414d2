/**
 * Host half of CompressionStream / DecompressionStream (WHATWG Compression):
 * a zlib stream per guest stream, held as a resource. The codec is pako, a
 * pure-JavaScript port of zlib, driven through its zlib-level API (the same
 * calls Chromium makes on zlib): it behaves the same in Node and in a browser
 * worker, and it is synchronous, so one op call compresses or decompresses one
 * piece of a chunk. The host's own CompressionStream (browser) and zlib
 * streams (Node) are asynchronous and differ between hosts, so they are not used.
 *
 * pako loads on first use (compression_codec.ts, its own chunk in a bundle),
 * like core's TypeScript stripper: each guest stream's start waits for the async
 * `op_compression_load`, so by the time a chunk arrives the codec is there and
 * every other op stays sync.
 *
 * Invariant: the host never holds more than one output piece (OUTPUT_PIECE
 * bytes) of a stream at a time. The guest pulls pieces one op call at a time
 * and enqueues each into its readable side, so a small input that inflates to
 * gigabytes (a "zip bomb") grows guest memory, which the runtime's memory limit
 * stops, and never the host's.
 */
import { type OpState, op } from "@islet/core";

type Codec = typeof import("./compression_codec.ts");

const FORMATS = new Set(["deflate", "deflate-raw", "gzip"]);

let loading: Promise<Codec> | undefined;
/** The codec once loaded: a stream exists only after it is, so the sync ops read it from here. */
let loaded: Codec | undefined;

/** The codec module, imported once (a failed import is tried again by the next stream). */
function loadCodec(): Promise<Codec> {
  loading ??= import("./compression_codec.ts").then((codec) => {
    loaded = codec;
    return codec;
  });
  loading.catch(() => {
    loading = undefined;
  });
  return loading;
}

function bytesOf(value: unknown, where: string): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  throw new TypeError(`${where}: expected bytes, got ${typeof value}`);
}

/** The codec, which a stream's start (op_compression_load) waited for. */
function codec(): Codec {
  if (loaded === undefined) throw new Error("CompressionStream: zlib is not loaded (op_compression_load first)");
  return loaded;
}

/**
 * The ops: `op_compression_load()` resolves once the codec is loaded; `op_compression_new(format,
 * decompress)` opens a stream and returns its rid; `op_compression_push(rid, bytes, final)` gives
 * it the next input; `op_compression_read(rid)` returns the next output piece or null. An error
 * (a TypeError for bad data) closes the resource.
 */
export const compressionOps = {
  op_compression_load: op.async(async () => {
    await loadCodec();
  }),
  op_compression_new: op.sync((state: OpState, format: unknown, decompress: unknown) => {
    if (typeof format !== "string" || !FORMATS.has(format)) {
      throw new TypeError(`CompressionStream: unsupported format ${String(format)}`);
    }
    return state.resourceTable.add(new (codec().CompressionResource)(format, decompress === true));
  }),
  op_compression_push: op.sync((state: OpState, rid: unknown, bytes: unknown, final: unknown) => {
    const resource = state.resourceTable.get(rid as number, codec().CompressionResource);
    try {
      resource.push(bytesOf(bytes, resource.where()), final === true);
    } catch (e) {
      state.resourceTable.close(rid as number);
      throw e;
    }
  }),
  op_compression_read: op.sync((state: OpState, rid: unknown) => {
    const resource = state.resourceTable.get(rid as number, codec().CompressionResource);
    try {
      return resource.read();
    } catch (e) {
      state.resourceTable.close(rid as number);
      throw e;
    }
  }),
};
