/**
 * Host half of CompressionStream / DecompressionStream (WHATWG Compression):
 * a zlib stream per guest stream, held as a resource. The codec is pako, a
 * pure-JavaScript port of zlib, driven through its zlib-level API (the same
 * calls Chromium makes on zlib): it behaves the same in Node and in a browser
 * worker, and it is synchronous, so one op call compresses or decompresses one
 * piece of a chunk. The host's own CompressionStream (browser) and zlib
 * streams (Node) are asynchronous and differ between hosts, so they are not used.
 *
 * Invariant: the host never holds more than one output piece (OUTPUT_PIECE
 * bytes) of a stream at a time. The guest pulls pieces one op call at a time
 * and enqueues each into its readable side, so a small input that inflates to
 * gigabytes (a "zip bomb") grows guest memory, which the runtime's memory limit
 * stops, and never the host's.
 */
import { type OpState, op, type Resource } from "@islet/core";
import {
  Z_BUF_ERROR,
  Z_DEFAULT_STRATEGY,
  Z_FINISH,
  Z_NO_FLUSH,
  Z_OK,
  Z_STREAM_END,
  ZStream,
  zlibDeflate,
  zlibDeflateEnd,
  zlibDeflateInit2,
  zlibInflate,
  zlibInflateEnd,
  zlibInflateInit2,
} from "pako";

/** The most output one op call returns. */
const OUTPUT_PIECE = 64 * 1024;
const Z_DEFLATED = 8;
const Z_DEFAULT_COMPRESSION = -1;

/** zlib's windowBits per format: 15 with a zlib wrapper, +16 for gzip's, negative for none. */
const WINDOW_BITS: Record<string, number> = { deflate: 15, "deflate-raw": -15, gzip: 31 };

class CompressionResource implements Resource {
  readonly name: string;
  readonly strm = new ZStream();
  /** The last input has been pushed (the writable side closed). */
  final = false;
  /** zlib reported the end of the compressed stream. */
  ended = false;
  #live = true;

  constructor(
    readonly format: string,
    readonly decompress: boolean,
  ) {
    this.name = decompress ? "decompressionStream" : "compressionStream";
    const bits = WINDOW_BITS[format] as number;
    const status = decompress
      ? zlibInflateInit2(this.strm, bits)
      : zlibDeflateInit2(this.strm, Z_DEFAULT_COMPRESSION, Z_DEFLATED, bits, 8, Z_DEFAULT_STRATEGY);
    if (status !== Z_OK) throw new Error(`${this.where()}: zlib could not start (${this.strm.msg || status})`);
    this.strm.input = new Uint8Array(0);
    this.strm.next_in = 0;
    this.strm.avail_in = 0;
  }

  where(): string {
    return this.decompress ? "DecompressionStream" : "CompressionStream";
  }

  push(bytes: Uint8Array, final: boolean): void {
    if (this.decompress && this.ended && bytes.length > 0) {
      throw new TypeError(`DecompressionStream: junk found after the end of the ${this.format} data`);
    }
    this.strm.input = bytes;
    this.strm.next_in = 0;
    this.strm.avail_in = bytes.length;
    this.final = final;
  }

  /** The next piece of output, or null when the input pushed so far has given all it can. */
  read(): Uint8Array | null {
    const strm = this.strm;
    if (this.ended) {
      if (this.decompress && strm.avail_in > 0) {
        throw new TypeError(`DecompressionStream: junk found after the end of the ${this.format} data`);
      }
      return null;
    }
    strm.output = new Uint8Array(OUTPUT_PIECE);
    strm.next_out = 0;
    strm.avail_out = OUTPUT_PIECE;
    const status = this.decompress
      ? zlibInflate(strm, Z_NO_FLUSH)
      : zlibDeflate(strm, this.final ? Z_FINISH : Z_NO_FLUSH);
    if (status === Z_STREAM_END) {
      this.ended = true;
    } else if (status !== Z_OK && status !== Z_BUF_ERROR) {
      throw new TypeError(
        `${this.where()}: the ${this.format} data is invalid (${strm.msg || `zlib status ${status}`})`,
      );
    }
    const produced = strm.next_out;
    if (this.ended && this.decompress && strm.avail_in > 0) {
      throw new TypeError(`DecompressionStream: junk found after the end of the ${this.format} data`);
    }
    if (produced > 0) return strm.output.subarray(0, produced);
    if (this.final && !this.ended) {
      if (this.decompress)
        throw new TypeError(`DecompressionStream: the ${this.format} data ends before it is complete`);
      // Deflate with Z_FINISH ends once its output fits; no output and no end cannot happen twice.
      throw new Error("CompressionStream: zlib made no progress while finishing");
    }
    return null;
  }

  close(): void {
    if (!this.#live) return;
    this.#live = false;
    if (this.decompress) zlibInflateEnd(this.strm);
    else zlibDeflateEnd(this.strm);
  }
}

function bytesOf(value: unknown, where: string): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (value instanceof ArrayBuffer) return new Uint8Array(value);
  throw new TypeError(`${where}: expected bytes, got ${typeof value}`);
}

/**
 * The ops: `op_compression_new(format, decompress)` opens a stream and returns its rid;
 * `op_compression_push(rid, bytes, final)` gives it the next input; `op_compression_read(rid)`
 * returns the next output piece or null. An error (a TypeError for bad data) closes the resource.
 */
export const compressionOps = {
  op_compression_new: op.sync((state: OpState, format: unknown, decompress: unknown) => {
    if (typeof format !== "string" || !(format in WINDOW_BITS)) {
      throw new TypeError(`CompressionStream: unsupported format ${String(format)}`);
    }
    return state.resourceTable.add(new CompressionResource(format, decompress === true));
  }),
  op_compression_push: op.sync((state: OpState, rid: unknown, bytes: unknown, final: unknown) => {
    const resource = state.resourceTable.get(rid as number, CompressionResource);
    try {
      resource.push(bytesOf(bytes, resource.where()), final === true);
    } catch (e) {
      state.resourceTable.close(rid as number);
      throw e;
    }
  }),
  op_compression_read: op.sync((state: OpState, rid: unknown) => {
    const resource = state.resourceTable.get(rid as number, CompressionResource);
    try {
      return resource.read();
    } catch (e) {
      state.resourceTable.close(rid as number);
      throw e;
    }
  }),
};
