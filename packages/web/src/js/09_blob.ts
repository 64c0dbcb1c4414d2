/**
 * Blob and File (W3C File API §3, §4): immutable bytes with a MIME type (and a
 * name and a date). The bytes live in the guest (one Uint8Array per Blob;
 * slice() copies). Imports 09_streams for Blob.prototype.stream().
 */
export const BLOB_SOURCE = String.raw`
import { primordials } from "ext:core/mod.js";
import { brandCheck, requireArgs, toClampedLongLong, toDictionary, toDOMString, toEnum, toLongLong, toSequence, toUSVString, webidlInterface } from "ext:islet_web/00_webidl.js";
import { registerSerializable } from "ext:islet_web/07_structured_clone.js";
import { bytesView, utf8Decode, utf8Encode } from "ext:islet_web/05_encoding.js";
import { createReadableByteStream, streamControllerClose, streamControllerEnqueue } from "ext:islet_web/09_streams.js";
const {
  ArrayBufferIsView, DateNow, MathMax, MathMin, ObjectDefineProperty, Promise, SafeWeakMap, StringPrototypeToLowerCase, TypeError,
  Uint8Array, TypedArrayPrototypeSet, TypedArrayPrototypeSlice, TypedArrayPrototypeGetBuffer, TypedArrayPrototypeGetByteLength,
} = primordials;
const blobs = new SafeWeakMap();
const bl = brandCheck(blobs, "Blob");
// File API: a type with any character outside U+0020..U+007E becomes ""; otherwise it is lowercased.
function normalizeType(s) {
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
// BlobPart (File API §3.1): a Blob, a BufferSource (not shared), or a USVString, converted
// while the sequence is iterated; strings stay strings until "endings" is known.
function convertBlobPart(part, where) {
  if (isBlob(part)) return blobs.get(part).bytes;
  if (primordials.isArrayBuffer(part) || ArrayBufferIsView(part)) {
    const view = bytesView(part, where);
    if (primordials.isSharedArrayBuffer(TypedArrayPrototypeGetBuffer(view))) {
      throw new TypeError(where + ": a view on a SharedArrayBuffer cannot be a blob part");
    }
    return TypedArrayPrototypeSlice(view);
  }
  return toUSVString(part, where);
}
// File API "process blob parts": strings are UTF-8 encoded (after native line endings if asked).
function processBlobParts(parts, endings) {
  let size = 0;
  for (let i = 0; i < parts.length; i++) {
    if (typeof parts[i] === "string") parts[i] = utf8Encode(endings === "native" ? nativeLineEndings(parts[i]) : parts[i]);
    size += TypedArrayPrototypeGetByteLength(parts[i]);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (let i = 0; i < parts.length; i++) { TypedArrayPrototypeSet(bytes, parts[i], at); at += TypedArrayPrototypeGetByteLength(parts[i]); }
  return bytes;
}
const ENDINGS = ["transparent", "native"];
// Blob(blobParts, options) and File(fileBits, fileName, options) share these steps; WebIDL
// converts the arguments left to right and a dictionary's members in lexicographic order
// (a base dictionary's before the derived one's).
function readBlobOptions(options, where) {
  const o = toDictionary(options, where);
  const endingsRaw = o.endings;
  const endings = endingsRaw === undefined ? "transparent" : toEnum(endingsRaw, ENDINGS, where, "options.endings");
  const typeRaw = o.type;
  const type = typeRaw === undefined ? "" : normalizeType(toDOMString(typeRaw, where));
  return { __proto__: null, endings, type, o };
}
class Blob {
  constructor(blobParts = undefined, options = undefined) {
    const where = "Blob constructor";
    const parts = blobParts === undefined ? [] : toSequence(blobParts, where, "blobParts", (part) => convertBlobPart(part, where));
    const { endings, type } = readBlobOptions(options, where);
    blobs.set(this, { __proto__: null, bytes: processBlobParts(parts, endings), type });
  }
  get size() { return TypedArrayPrototypeGetByteLength(bl(this, "size").bytes); }
  get type() { return bl(this, "type").type; }
  slice(start = undefined, end = undefined, contentType = undefined) {
    const b = bl(this, "slice");
    const size = TypedArrayPrototypeGetByteLength(b.bytes);
    // [Clamp] long long start and end; negative values count from the end.
    let from = start === undefined ? 0 : toClampedLongLong(start);
    let to = end === undefined ? size : toClampedLongLong(end);
    const type = contentType === undefined ? "" : normalizeType(toDOMString(contentType, "Blob.prototype.slice"));
    from = from < 0 ? MathMax(size + from, 0) : MathMin(from, size);
    to = to < 0 ? MathMax(size + to, 0) : MathMin(to, size);
    const out = primordials.ObjectCreate(Blob.prototype);
    blobs.set(out, { __proto__: null, bytes: TypedArrayPrototypeSlice(b.bytes, from, MathMax(to, from)), type });
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
webidlInterface(Blob);

// --- File (File API §4) ---------------------------------------------------------------------
const files = new SafeWeakMap();
const fl = brandCheck(files, "File");
class File extends Blob {
  constructor(fileBits, fileName, options = undefined) {
    const where = "File constructor";
    requireArgs(arguments.length, 2, where);
    const parts = toSequence(fileBits, where, "fileBits", (part) => convertBlobPart(part, where));
    const name = toUSVString(fileName, where);
    const { endings, type, o } = readBlobOptions(options, where);
    const lastModifiedRaw = o.lastModified;
    const lastModified = lastModifiedRaw === undefined ? DateNow() : toLongLong(lastModifiedRaw);
    super();
    blobs.set(this, { __proto__: null, bytes: processBlobParts(parts, endings), type });
    files.set(this, { __proto__: null, name, lastModified });
  }
  get name() { return fl(this, "name").name; }
  get lastModified() { return fl(this, "lastModified").lastModified; }
  get webkitRelativePath() { fl(this, "webkitRelativePath"); return ""; }
}
ObjectDefineProperty(File.prototype, Symbol.toStringTag, { __proto__: null, value: "File", configurable: true });
webidlInterface(File);
// A byte stream, as in browsers (a BYOB reader works on it), of 64 KiB chunks, each a copy
// (enqueuing transfers a chunk's buffer to the stream; the Blob's bytes stay its own).
const CHUNK = 65536;
function blobStream(bytes) {
  let at = 0;
  const stream = createReadableByteStream(() => {
    const n = TypedArrayPrototypeGetByteLength(bytes);
    if (at >= n) { streamControllerClose(stream); return; }
    const end = MathMin(at + CHUNK, n);
    streamControllerEnqueue(stream, TypedArrayPrototypeSlice(bytes, at, end));
    at = end;
    if (at >= n) streamControllerClose(stream);
  }, () => {});
  return stream;
}
/** A Blob over bytes the caller hands over (no copy), with a type already normalized or not. */
function makeBlob(bytes, type) {
  const out = primordials.ObjectCreate(Blob.prototype);
  blobs.set(out, { __proto__: null, bytes, type: normalizeType(type) });
  return out;
}
function isBlob(v) { return v !== null && typeof v === "object" && blobs.has(v); }

// structuredClone: Blob and File are serializable (their bytes are immutable, so the copy shares them).
registerSerializable((v) => isBlob(v), (v) => {
  const b = blobs.get(v);
  const f = files.get(v);
  const out = primordials.ObjectCreate(f === undefined ? Blob.prototype : File.prototype);
  blobs.set(out, { __proto__: null, bytes: b.bytes, type: b.type });
  if (f !== undefined) files.set(out, { __proto__: null, name: f.name, lastModified: f.lastModified });
  return out;
});
function blobBytes(v) { return blobs.get(v).bytes; }
function blobType(v) { return blobs.get(v).type; }
export { Blob, File, blobBytes, blobStream, blobType, isBlob, makeBlob };
`;
