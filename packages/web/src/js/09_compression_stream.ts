/**
 * CompressionStream and DecompressionStream (WHATWG Compression): GenericTransformStreams
 * over a host zlib stream (a resource; see ../compression.ts), whose start waits for the host's
 * zlib (loaded on first use: op_compression_load). Each chunk is pushed to the
 * host and its output pulled back one bounded piece at a time, each piece enqueued as a
 * Uint8Array. The resource is closed when the stream ends, fails or is cancelled.
 */
export const COMPRESSION_STREAM_SOURCE = String.raw`
import { core, primordials } from "ext:core/mod.js";
import { brandCheck, requireArgs, setToStringTag, toEnum } from "ext:islet_web/00_webidl.js";
import { createTransformStream, defineGenericTransformStream } from "ext:islet_web/09_writable_stream.js";
import { op_compression_load, op_compression_new, op_compression_push, op_compression_read } from "ext:core/ops";
const { ArrayBufferIsView, SafeWeakMap, TypeError, Uint8Array } = primordials;
const FORMATS = ["deflate", "deflate-raw", "gzip"];

/** A BufferSource chunk as a Uint8Array view (no SharedArrayBuffer: the spec says BufferSource). */
function bufferSource(chunk, where) {
  if (primordials.isArrayBuffer(chunk)) return new Uint8Array(chunk);
  if (ArrayBufferIsView(chunk)) {
    if (primordials.isDataView(chunk)) {
      return new Uint8Array(primordials.DataViewPrototypeGetBuffer(chunk), primordials.DataViewPrototypeGetByteOffset(chunk), primordials.DataViewPrototypeGetByteLength(chunk));
    }
    const buffer = primordials.TypedArrayPrototypeGetBuffer(chunk);
    if (!primordials.isArrayBuffer(buffer)) throw new TypeError(where + ": a chunk must not be a view on a SharedArrayBuffer");
    return new Uint8Array(buffer, primordials.TypedArrayPrototypeGetByteOffset(chunk), primordials.TypedArrayPrototypeGetByteLength(chunk));
  }
  throw new TypeError(where + ": a chunk must be an ArrayBuffer or an ArrayBufferView");
}

function makeStream(format, decompress, where) {
  // The host stream is opened by the first chunk (or the close), so a stream made and never
  // written holds nothing.
  let rid = null;
  let open = false;
  const start = () => {
    if (rid === null) { rid = op_compression_new(format, decompress); open = true; }
  };
  const close = () => { if (open) { open = false; core.close(rid); } };
  // Pulls every output piece the input pushed so far gives, enqueueing each. An op that throws
  // has closed the resource already.
  const drain = (enqueue) => {
    for (;;) {
      let piece;
      try { piece = op_compression_read(rid); } catch (e) { open = false; throw e; }
      if (piece === null) return;
      enqueue(piece);
    }
  };
  const push = (bytes, final) => {
    start();
    try { op_compression_push(rid, bytes, final); } catch (e) { open = false; throw e; }
  };
  // A throw errors the stream for good (and no cancel follows), so every path out closes the resource.
  // The host loads its zlib on first use: no chunk is transformed before that (the start promise).
  return createTransformStream((chunk, enqueue) => {
    try {
      push(bufferSource(chunk, where), false);
      drain(enqueue);
    } catch (e) { close(); throw e; }
  }, (enqueue) => {
    try {
      push(new Uint8Array(0), true);
      drain(enqueue);
    } finally { close(); }
  }, close, op_compression_load());
}

const compressors = new SafeWeakMap();
const decompressors = new SafeWeakMap();
class CompressionStream {
  constructor(format) {
    const where = "CompressionStream constructor";
    requireArgs(arguments.length, 1, where);
    compressors.set(this, makeStream(toEnum(format, FORMATS, where, "format"), false, "CompressionStream"));
  }
}
class DecompressionStream {
  constructor(format) {
    const where = "DecompressionStream constructor";
    requireArgs(arguments.length, 1, where);
    decompressors.set(this, makeStream(toEnum(format, FORMATS, where, "format"), true, "DecompressionStream"));
  }
}
defineGenericTransformStream(CompressionStream, brandCheck(compressors, "CompressionStream"));
defineGenericTransformStream(DecompressionStream, brandCheck(decompressors, "DecompressionStream"));
setToStringTag(CompressionStream, "CompressionStream");
setToStringTag(DecompressionStream, "DecompressionStream");

export { CompressionStream, DecompressionStream };
`;
