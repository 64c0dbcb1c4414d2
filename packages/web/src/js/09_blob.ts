/**
 * Blob (W3C File API §3): immutable bytes with a MIME type. The bytes live in
 * the guest (one Uint8Array per Blob; slice() copies). Imports 09_streams for
 * Blob.prototype.stream().
 */
export const BLOB_SOURCE = String.raw`
import { primordials } from "ext:core/mod.js";
import { EMPTY_DICT } from "ext:islet_web/00_webidl.js";
import { bytesView, utf8Decode, utf8Encode } from "ext:islet_web/05_encoding.js";
import { createReadableStream, streamControllerClose, streamControllerEnqueue } from "ext:islet_web/09_streams.js";
const {
  ArrayBuffer, ArrayBufferIsView, ArrayPrototypePush, MathMax, MathMin, ObjectDefineProperty, Promise, RegExpPrototypeTest,
  SafeWeakMap, String, StringPrototypeToLowerCase, TypeError, Uint8Array, TypedArrayPrototypeSet, TypedArrayPrototypeSlice,
  TypedArrayPrototypeGetBuffer, TypedArrayPrototypeGetByteLength, StringPrototypeReplace,
} = primordials;
const SymbolIterator = primordials.SymbolIterator;
const blobs = new SafeWeakMap();
function bl(self, what) {
  const b = blobs.get(self);
  if (b === undefined) throw new TypeError("Blob.prototype." + what + ": illegal invocation");
  return b;
}
// File API: a type with any character outside U+0020..U+007E becomes ""; otherwise it is lowercased.
function normalizeType(t) {
  const s = String(t);
  return primordials.SafeRegExpTest(/^[\x20-\x7e]*$/, s) ? StringPrototypeToLowerCase(s) : "";
}
// File API "convert line endings to native": CRLF and lone CR become LF.
function nativeLineEndings(text) {
  let out = "";
  let from = 0;
  for (let i = 0; i < text.length; i++) {
    if (primordials.StringPrototypeCharCodeAt(text, i) !== 13) continue;
    out += primordials.StringPrototypeSlice(text, from, i) + "\n";
    if (primordials.StringPrototypeCharCodeAt(text, i + 1) === 10) i++;
    from = i + 1;
  }
  return from === 0 ? text : out + primordials.StringPrototypeSlice(text, from);
}
function toInt(v, fallback) {
  if (v === undefined) return fallback;
  const n = +v;
  if (n !== n) return 0;
  if (n === 1 / 0 || n === -1 / 0) return n;
  return n < 0 ? -primordials.MathFloor(-n) : primordials.MathFloor(n);
}
class Blob {
  constructor(blobParts = undefined, options = undefined) {
    const where = "Blob constructor";
    if (options !== undefined && options !== null && typeof options !== "object" && typeof options !== "function") {
      throw new TypeError(where + ": options must be an object");
    }
    const o = options ?? EMPTY_DICT;
    const endings = o.endings === undefined ? "transparent" : String(o.endings);
    if (endings !== "transparent" && endings !== "native") throw new TypeError(where + ": options.endings must be \"transparent\" or \"native\", got " + primordials.JSONStringify(endings));
    const type = o.type === undefined ? "" : normalizeType(o.type);
    const parts = [];
    let size = 0;
    if (blobParts !== undefined) {
      if (blobParts === null || (typeof blobParts !== "object" && typeof blobParts !== "function") || typeof blobParts[SymbolIterator] !== "function") {
        throw new TypeError(where + ": blobParts must be a sequence (an iterable object)");
      }
      for (const part of blobParts) {
        let bytes;
        if (blobs.has(part)) bytes = blobs.get(part).bytes;
        else if (primordials.isArrayBuffer(part) || ArrayBufferIsView(part)) bytes = TypedArrayPrototypeSlice(bytesView(part, where));
        else {
          let text = String(part);
          // "native" line endings: the sandbox's platform is POSIX, so CRLF and CR become LF.
          if (endings === "native") text = nativeLineEndings(text);
          bytes = utf8Encode(text);
        }
        ArrayPrototypePush(parts, bytes);
        size += TypedArrayPrototypeGetByteLength(bytes);
      }
    }
    const bytes = new Uint8Array(size);
    let at = 0;
    for (let i = 0; i < parts.length; i++) { TypedArrayPrototypeSet(bytes, parts[i], at); at += TypedArrayPrototypeGetByteLength(parts[i]); }
    blobs.set(this, { __proto__: null, bytes, type });
  }
  get size() { return TypedArrayPrototypeGetByteLength(bl(this, "size").bytes); }
  get type() { return bl(this, "type").type; }
  slice(start = undefined, end = undefined, contentType = undefined) {
    const b = bl(this, "slice");
    const size = TypedArrayPrototypeGetByteLength(b.bytes);
    let from = toInt(start, 0), to = toInt(end, size);
    from = from < 0 ? MathMax(size + from, 0) : MathMin(from, size);
    to = to < 0 ? MathMax(size + to, 0) : MathMin(to, size);
    const out = primordials.ObjectCreate(Blob.prototype);
    blobs.set(out, {
      __proto__: null,
      bytes: TypedArrayPrototypeSlice(b.bytes, from, MathMax(to, from)),
      type: contentType === undefined ? "" : normalizeType(contentType),
    });
    return out;
  }
  text() {
    try { const b = bl(this, "text"); return new Promise((resolve) => resolve(utf8Decode(b.bytes))); }
    catch (e) { return new Promise((_, reject) => reject(e)); }
  }
  arrayBuffer() {
    try { const b = bl(this, "arrayBuffer"); return new Promise((resolve) => resolve(TypedArrayPrototypeGetBuffer(TypedArrayPrototypeSlice(b.bytes)))); }
    catch (e) { return new Promise((_, reject) => reject(e)); }
  }
  bytes() {
    try { const b = bl(this, "bytes"); return new Promise((resolve) => resolve(TypedArrayPrototypeSlice(b.bytes))); }
    catch (e) { return new Promise((_, reject) => reject(e)); }
  }
  stream() {
    const b = bl(this, "stream");
    return blobStream(b.bytes);
  }
}
ObjectDefineProperty(Blob.prototype, Symbol.toStringTag, { __proto__: null, value: "Blob", configurable: true });
// Chunks of 64 KiB, each a copy (the reader owns what it reads; the Blob stays immutable).
const CHUNK = 65536;
function blobStream(bytes) {
  let at = 0;
  const stream = createReadableStream(() => {
    const n = TypedArrayPrototypeGetByteLength(bytes);
    if (at >= n) { streamControllerClose(stream); return; }
    const end = MathMin(at + CHUNK, n);
    streamControllerEnqueue(stream, TypedArrayPrototypeSlice(bytes, at, end));
    at = end;
    if (at >= n) streamControllerClose(stream);
  }, () => {}, 0);
  return stream;
}
/** A Blob over bytes the caller hands over (no copy), with a type already normalized or not. */
function makeBlob(bytes, type) {
  const out = primordials.ObjectCreate(Blob.prototype);
  blobs.set(out, { __proto__: null, bytes, type: normalizeType(type) });
  return out;
}
function isBlob(v) { return v !== null && typeof v === "object" && blobs.has(v); }
function blobBytes(v) { return blobs.get(v).bytes; }
function blobType(v) { return blobs.get(v).type; }
export { Blob, blobBytes, blobStream, blobType, isBlob, makeBlob };
`;
