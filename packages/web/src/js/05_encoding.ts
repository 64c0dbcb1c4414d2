/**
 * TextEncoder / TextDecoder (WHATWG Encoding). Labels are resolved and bytes
 * decoded on the host by its own TextDecoder (through ops), so every encoding
 * the host knows works, with `fatal`, `ignoreBOM` and `stream`. A streaming
 * decoder holds a host decoder as a resource, closed when the stream ends.
 */
export const ENCODING_SOURCE = String.raw`
import { core, primordials } from "ext:core/mod.js";
import { brandCheck, EMPTY_DICT, requireArgs } from "ext:islet_web/00_webidl.js";
import {
  op_encoding_decode, op_encoding_decode_stream, op_encoding_decoder_new, op_encoding_encode,
  op_encoding_encode_into, op_encoding_normalize_label,
} from "ext:core/ops";
const {
  ArrayBuffer, ArrayBufferIsView, Boolean, DataView, ObjectDefineProperty, SafeWeakMap, String, TypeError, Uint8Array,
  TypedArrayPrototypeGetBuffer, TypedArrayPrototypeGetByteOffset, TypedArrayPrototypeGetByteLength,
  DataViewPrototypeGetBuffer, DataViewPrototypeGetByteOffset, DataViewPrototypeGetByteLength, TypedArrayPrototypeSet,
  TypedArrayPrototypeGetSymbolToStringTag, TypedArrayPrototypeGetLength,
} = primordials;

class TextEncoder {
  get encoding() { return "utf-8"; }
  encode(input = "") {
    return op_encoding_encode(String(input));
  }
  encodeInto(source, destination) {
    requireArgs(arguments.length, 2, "TextEncoder.prototype.encodeInto");
    if (!ArrayBufferIsView(destination) || TypedArrayPrototypeGetSymbolToStringTag(destination) !== "Uint8Array") {
      throw new TypeError("TextEncoder.prototype.encodeInto: argument 2 must be a Uint8Array");
    }
    // The intrinsic length: an own "length" property on the array must not decide how much the host allocates.
    const r = op_encoding_encode_into(String(source), TypedArrayPrototypeGetLength(destination));
    TypedArrayPrototypeSet(destination, r.bytes, 0);
    return { read: r.read, written: r.written };
  }
}
ObjectDefineProperty(TextEncoder.prototype, Symbol.toStringTag, { __proto__: null, value: "TextEncoder", configurable: true });

/** UTF-8 bytes of a string, for platform code (TextEncoder.prototype.encode may be replaced). */
function utf8Encode(s) { return op_encoding_encode(s); }
/** UTF-8 text of bytes with replacement, for platform code (TextDecoder.prototype.decode may be replaced). */
function utf8Decode(bytes) { return op_encoding_decode(bytes, "utf-8", false, false); }

// BufferSource (WebIDL): an ArrayBuffer or a view, checked by internal slot, never by instanceof.
function bytesView(input, where) {
  if (input === undefined) return new Uint8Array(0);
  if (primordials.isArrayBuffer(input)) return new Uint8Array(input);
  if (ArrayBufferIsView(input)) {
    if (primordials.isDataView(input)) {
      return new Uint8Array(DataViewPrototypeGetBuffer(input), DataViewPrototypeGetByteOffset(input), DataViewPrototypeGetByteLength(input));
    }
    return new Uint8Array(TypedArrayPrototypeGetBuffer(input), TypedArrayPrototypeGetByteOffset(input), TypedArrayPrototypeGetByteLength(input));
  }
  if (primordials.isSharedArrayBuffer(input)) {
    return new Uint8Array(input);
  }
  throw new TypeError(where + ": argument 1 must be an ArrayBuffer or an ArrayBufferView");
}

const decoders = new SafeWeakMap();
const dec = brandCheck(decoders, "TextDecoder");
class TextDecoder {
  constructor(label = "utf-8", options = undefined) {
    if (options !== undefined && options !== null && typeof options !== "object") {
      throw new TypeError("TextDecoder constructor: options must be an object");
    }
    const o = options ?? EMPTY_DICT;
    // Throws RangeError naming the label when the host does not know it (Encoding §"get an encoding").
    const encoding = op_encoding_normalize_label(String(label));
    decoders.set(this, { __proto__: null, encoding, fatal: Boolean(o.fatal), ignoreBOM: Boolean(o.ignoreBOM), rid: null });
  }
  get encoding() { return dec(this, "encoding").encoding; }
  get fatal() { return dec(this, "fatal").fatal; }
  get ignoreBOM() { return dec(this, "ignoreBOM").ignoreBOM; }
  decode(input = undefined, options = undefined) {
    const d = dec(this, "decode");
    const bytes = bytesView(input, "TextDecoder.prototype.decode");
    if (options !== undefined && options !== null && typeof options !== "object") {
      throw new TypeError("TextDecoder.prototype.decode: options must be an object");
    }
    const stream = Boolean(options?.stream);
    if (d.rid === null && !stream) return op_encoding_decode(bytes, d.encoding, d.fatal, d.ignoreBOM);
    if (d.rid === null) d.rid = op_encoding_decoder_new(d.encoding, d.fatal, d.ignoreBOM);
    const rid = d.rid;
    if (!stream) d.rid = null;
    try {
      return op_encoding_decode_stream(rid, bytes, stream);
    } catch (e) {
      // A fatal error ends the stream (the host decoder resets itself).
      if (d.rid !== null) { core.close(d.rid); d.rid = null; }
      throw e;
    }
  }
}
ObjectDefineProperty(TextDecoder.prototype, Symbol.toStringTag, { __proto__: null, value: "TextDecoder", configurable: true });

export { TextDecoder, TextEncoder, bytesView, utf8Decode, utf8Encode };
`;
