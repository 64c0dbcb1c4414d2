/**
 * TextEncoderStream and TextDecoderStream (WHATWG Encoding §7.3-7.4): GenericTransformStreams
 * whose transform runs TextEncoder's / a streaming TextDecoder's steps. A lead surrogate at
 * the end of a chunk waits for the next one (a pair split across chunks encodes as one
 * scalar value); the streaming decoder is a host resource, closed when the stream ends,
 * fails or is cancelled.
 */
export const ENCODING_STREAM_SOURCE = String.raw`
import { core, primordials } from "ext:core/mod.js";
import { brandCheck, setToStringTag, toDictionary, toDOMString } from "ext:islet_web/00_webidl.js";
import { bytesView } from "ext:islet_web/05_encoding.js";
import { createTransformStream, defineGenericTransformStream } from "ext:islet_web/09_writable_stream.js";
import { op_encoding_decode_stream, op_encoding_decoder_new, op_encoding_encode, op_encoding_normalize_label } from "ext:core/ops";
const { ArrayBufferIsView, Boolean, ObjectDefineProperty, SafeWeakMap, String, StringPrototypeCharCodeAt, StringPrototypeSlice, TypeError } = primordials;

/** A BufferSource chunk (views on a SharedArrayBuffer included), or a TypeError naming the stream. */
function chunkBytes(chunk, where) {
  if (!primordials.isArrayBuffer(chunk) && !ArrayBufferIsView(chunk) && !primordials.isSharedArrayBuffer(chunk)) {
    throw new TypeError(where + ": a chunk must be an ArrayBuffer or an ArrayBufferView");
  }
  return bytesView(chunk, where);
}

const encoderStreams = new SafeWeakMap();
const enc = brandCheck(encoderStreams, "TextEncoderStream");
class TextEncoderStream {
  constructor() {
    const state = { __proto__: null, leadingSurrogate: "", stream: undefined };
    // Encoding §"encode and enqueue a chunk": a trailing lead surrogate is held for the next chunk.
    state.stream = createTransformStream((chunk, enqueue) => {
      let input = state.leadingSurrogate + toDOMString(chunk, "TextEncoderStream");
      state.leadingSurrogate = "";
      const last = input.length === 0 ? 0 : StringPrototypeCharCodeAt(input, input.length - 1);
      if (last >= 0xd800 && last <= 0xdbff) {
        state.leadingSurrogate = StringPrototypeSlice(input, input.length - 1);
        input = StringPrototypeSlice(input, 0, input.length - 1);
      }
      if (input.length > 0) enqueue(op_encoding_encode(input));
    }, (enqueue) => {
      // "encode and flush": a lead surrogate with nothing after it is U+FFFD.
      if (state.leadingSurrogate !== "") enqueue(new primordials.Uint8Array([0xef, 0xbf, 0xbd]));
    });
    encoderStreams.set(this, state);
  }
  get encoding() { enc(this, "encoding"); return "utf-8"; }
}
defineGenericTransformStream(TextEncoderStream, (self, what) => enc(self, what).stream);
setToStringTag(TextEncoderStream, "TextEncoderStream");

const decoderStreams = new SafeWeakMap();
const dec = brandCheck(decoderStreams, "TextDecoderStream");
class TextDecoderStream {
  constructor(label = "utf-8", options = undefined) {
    const where = "TextDecoderStream constructor";
    const name = toDOMString(label, where);
    const o = toDictionary(options, where);
    const fatal = Boolean(o.fatal);
    const ignoreBOM = Boolean(o.ignoreBOM);
    const encoding = op_encoding_normalize_label(name);
    const state = { __proto__: null, encoding, fatal, ignoreBOM, rid: null, stream: undefined };
    const decode = (bytes, more) => {
      if (state.rid === null) state.rid = op_encoding_decoder_new(encoding, fatal, ignoreBOM);
      const rid = state.rid;
      // The host closes the decoder when the stream ends (more === false) or the data is invalid.
      if (!more) state.rid = null;
      try {
        return op_encoding_decode_stream(rid, bytes, more);
      } catch (e) {
        state.rid = null;
        throw e;
      }
    };
    const release = () => {
      if (state.rid !== null) { core.close(state.rid); state.rid = null; }
    };
    // A throw errors the stream for good (no cancel follows), so it releases the decoder too.
    state.stream = createTransformStream((chunk, enqueue) => {
      try {
        const text = decode(chunkBytes(chunk, "TextDecoderStream"), true);
        if (text !== "") enqueue(text);
      } catch (e) { release(); throw e; }
    }, (enqueue) => {
      try {
        const text = decode(new primordials.Uint8Array(0), false);
        if (text !== "") enqueue(text);
      } finally { release(); }
    }, release);
    decoderStreams.set(this, state);
  }
  get encoding() { return dec(this, "encoding").encoding; }
  get fatal() { return dec(this, "fatal").fatal; }
  get ignoreBOM() { return dec(this, "ignoreBOM").ignoreBOM; }
}
defineGenericTransformStream(TextDecoderStream, (self, what) => dec(self, what).stream);
setToStringTag(TextDecoderStream, "TextDecoderStream");

export { TextDecoderStream, TextEncoderStream };
`;
