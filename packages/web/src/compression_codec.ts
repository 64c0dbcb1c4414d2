/**
 * The zlib half of CompressionStream / DecompressionStream (see compression.ts):
 * pako, loaded on first use. The first stream a run opens imports this module
 * (in a bundle, its own chunk: `sandbox-worker-compression.js`), so a run that
 * never compresses does not download zlib. It imports nothing of Islet's at run
 * time, so a bundler gives it no edge back into the code that loaded it.
 *
 * Invariant: the host never holds more than one output piece (OUTPUT_PIECE
 * bytes) of a stream at a time (see compression.ts).
 */
import type { Resource } from "@islet/core";
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
export const WINDOW_BITS: Record<string, number> = { deflate: 15, "deflate-raw": -15, gzip: 31 };

export class CompressionResource implements Resource {
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
