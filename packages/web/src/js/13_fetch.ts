/**
 * Headers, Request, Response and fetch (WHATWG Fetch). Bodies are bytes in the
 * guest, a ReadableStream, or a host resource (rid) read in chunks by
 * op_fetch_read. \`body\` makes a ReadableStream on first use; until then
 * text()/json()/bytes() read the rid straight into one buffer.
 */
export const FETCH_SOURCE = String.raw`
import { core, primordials } from "ext:core/mod.js";
import { brandCheck, definePairIterable, requireArgs, toDictionary, toDOMString, toEnum, toPairs, toUnsignedShort, toUSVString, webidlInterface } from "ext:islet_web/00_webidl.js";
import { op_fetch_new, op_fetch_read, op_fetch_send } from "ext:core/ops";
import { DOMException } from "ext:islet_web/01_dom_exception.js";
import { abortSignalAdd, isAbortSignal, signalAborted, signalReason } from "ext:islet_web/04_abort.js";
import { bytesView, utf8Decode, utf8Encode } from "ext:islet_web/05_encoding.js";
import { cancelStream, createReadableByteStream, lockStream, isDisturbed, isLocked, isReadableStream, readableStreamCollect, streamControllerClose, streamControllerEnqueue, teeStream } from "ext:islet_web/09_streams.js";
import { blobBytes, blobType, isBlob, makeBlob } from "ext:islet_web/09_blob.js";
import { baseURL, isURLSearchParams, parseURL, serializeSearchParams } from "ext:islet_url/11_url.js";
const {
  ArrayBuffer, ArrayPrototypePush, ArrayPrototypeSort, ArrayPrototypeSplice, JSONParse, ObjectDefineProperty, Promise,
  SafeWeakMap, String, StringPrototypeToLowerCase, StringPrototypeToUpperCase, TypeError, RangeError,
  Uint8Array, TypedArrayPrototypeSet, TypedArrayPrototypeSlice, ObjectGetOwnPropertyDescriptor, ReflectOwnKeys,
} = primordials;
const SymbolIterator = primordials.SymbolIterator;
const { TypedArrayPrototypeGetLength } = primordials;
const RegExpPrototypeTest = primordials.SafeRegExpTest;


// --- Headers -------------------------------------------------------------------------
const TOKEN = /^[!#$%&'*+\-.^_\x60|~0-9A-Za-z]+$/;
function normalizeValue(v) {
  // Strip leading and trailing HTTP whitespace (TAB, LF, CR, SPACE).
  let s = String(v), a = 0, b = s.length;
  const ws = (c) => c === 9 || c === 10 || c === 13 || c === 32;
  while (a < b && ws(primordials.StringPrototypeCharCodeAt(s, a))) a++;
  while (b > a && ws(primordials.StringPrototypeCharCodeAt(s, b - 1))) b--;
  return primordials.StringPrototypeSlice(s, a, b);
}
function checkName(name, where) {
  const n = String(name);
  if (!RegExpPrototypeTest(TOKEN, n)) throw new TypeError(where + ": invalid header name " + primordials.JSONStringify(n));
  return StringPrototypeToLowerCase(n);
}
function checkValue(value, where) {
  const v = normalizeValue(value);
  for (let i = 0; i < v.length; i++) {
    const c = primordials.StringPrototypeCharCodeAt(v, i);
    if (c === 0 || c === 10 || c === 13 || c > 255) throw new TypeError(where + ": invalid header value " + primordials.JSONStringify(v));
  }
  return v;
}
const headerSlots = new SafeWeakMap();
const hs = brandCheck(headerSlots, "Headers");
function mutable(s, what) {
  if (s.guard === "immutable") throw new TypeError("Headers.prototype." + what + ": the headers are immutable");
}
// HeadersInit: a sequence of [name, value] pairs (another Headers through its iterator) or a
// record; each name and value is a ByteString, then validated and normalized.
function fillHeaders(headers, init) {
  if (init === undefined) return;
  const where = "Headers constructor";
  if (init === null || (typeof init !== "object" && typeof init !== "function")) throw new TypeError(where + ": init must be an object or a sequence of pairs");
  const s = headerSlots.get(headers);
  const pairs = toPairs(init, where, (x) => toByteString(x, where));
  for (let i = 0; i < pairs.length; i++) ArrayPrototypePush(s.list, [checkName(pairs[i][0], where), checkValue(pairs[i][1], where)]);
}
// ByteString (WebIDL §3.2.11): a DOMString with no code unit above 0xFF.
function toByteString(v, where) {
  const str = toDOMString(v, where);
  for (let i = 0; i < str.length; i++) {
    if (primordials.StringPrototypeCharCodeAt(str, i) > 255) throw new TypeError(where + ": " + primordials.JSONStringify(str) + " is not a ByteString (it has a character above U+00FF)");
  }
  return str;
}
class Headers {
  constructor(init = undefined) {
    headerSlots.set(this, { __proto__: null, list: [], guard: "none" });
    fillHeaders(this, init);
  }
  append(name, value) {
    requireArgs(arguments.length, 2, "Headers.prototype.append");
    const s = hs(this, "append");
    const n = checkName(name, "Headers.prototype.append"), v = checkValue(value, "Headers.prototype.append");
    mutable(s, "append");
    ArrayPrototypePush(s.list, [n, v]);
  }
  delete(name) {
    requireArgs(arguments.length, 1, "Headers.prototype.delete");
    const s = hs(this, "delete");
    const n = checkName(name, "Headers.prototype.delete");
    mutable(s, "delete");
    for (let i = s.list.length - 1; i >= 0; i--) if (s.list[i][0] === n) ArrayPrototypeSplice(s.list, i, 1);
  }
  get(name) {
    requireArgs(arguments.length, 1, "Headers.prototype.get");
    const s = hs(this, "get");
    const n = checkName(name, "Headers.prototype.get");
    let out = null;
    for (let i = 0; i < s.list.length; i++) if (s.list[i][0] === n) out = out === null ? s.list[i][1] : out + ", " + s.list[i][1];
    return out;
  }
  getSetCookie() {
    const s = hs(this, "getSetCookie");
    const out = [];
    for (let i = 0; i < s.list.length; i++) if (s.list[i][0] === "set-cookie") ArrayPrototypePush(out, s.list[i][1]);
    return out;
  }
  has(name) {
    requireArgs(arguments.length, 1, "Headers.prototype.has");
    const s = hs(this, "has");
    const n = checkName(name, "Headers.prototype.has");
    for (let i = 0; i < s.list.length; i++) if (s.list[i][0] === n) return true;
    return false;
  }
  set(name, value) {
    requireArgs(arguments.length, 2, "Headers.prototype.set");
    const s = hs(this, "set");
    const n = checkName(name, "Headers.prototype.set"), v = checkValue(value, "Headers.prototype.set");
    mutable(s, "set");
    let found = false;
    for (let i = 0; i < s.list.length; i++) {
      if (s.list[i][0] !== n) continue;
      if (!found) { s.list[i][1] = v; found = true; } else { ArrayPrototypeSplice(s.list, i, 1); i--; }
    }
    if (!found) ArrayPrototypePush(s.list, [n, v]);
  }
}
// Fetch §"sort and combine": names sorted, values combined, except set-cookie which stays separate.
function sortedPairs(s) {
  const names = [];
  for (let i = 0; i < s.list.length; i++) if (!primordials.ArrayPrototypeIncludes(names, s.list[i][0])) ArrayPrototypePush(names, s.list[i][0]);
  ArrayPrototypeSort(names, (a, b) => (a < b ? -1 : a > b ? 1 : 0));
  const out = [];
  for (let i = 0; i < names.length; i++) {
    const n = names[i];
    if (n === "set-cookie") {
      for (let j = 0; j < s.list.length; j++) if (s.list[j][0] === n) ArrayPrototypePush(out, [n, s.list[j][1]]);
      continue;
    }
    let v = null;
    for (let j = 0; j < s.list.length; j++) if (s.list[j][0] === n) v = v === null ? s.list[j][1] : v + ", " + s.list[j][1];
    ArrayPrototypePush(out, [n, v]);
  }
  return out;
}
definePairIterable(Headers, "Headers", hs, sortedPairs);
ObjectDefineProperty(Headers.prototype, Symbol.toStringTag, { __proto__: null, value: "Headers", configurable: true });
// The Headers operations platform code uses (Headers.prototype's methods may be replaced);
// names are already lowercase.
function headerGet(h, n) {
  const list = headerSlots.get(h).list;
  let out = null;
  for (let i = 0; i < list.length; i++) if (list[i][0] === n) out = out === null ? list[i][1] : out + ", " + list[i][1];
  return out;
}
function headerHas(h, n) { return headerGet(h, n) !== null; }
function headerAppend(h, n, v) { ArrayPrototypePush(headerSlots.get(h).list, [n, v]); }
function headerSet(h, n, v) {
  const list = headerSlots.get(h).list;
  for (let i = list.length - 1; i >= 0; i--) if (list[i][0] === n) ArrayPrototypeSplice(list, i, 1);
  ArrayPrototypePush(list, [n, v]);
}
function headersFromList(list, guard) {
  const h = new Headers();
  const s = headerSlots.get(h);
  for (let i = 0; i < list.length; i++) ArrayPrototypePush(s.list, [StringPrototypeToLowerCase(list[i][0]), list[i][1]]);
  s.guard = guard;
  return h;
}

// --- bodies --------------------------------------------------------------------------
// body: null | { bytes: Uint8Array } | { rid, signal, expected, done, open } | { stream },
// and any of them may gain .stream when the body getter is first read.
// Body records are null-prototype: a field one kind lacks reads as undefined, never from Object.prototype.
function bytesBody(bytes) { return { __proto__: null, bytes }; }
function streamBody(stream) { return { __proto__: null, stream }; }
function extractBody(init, where) {
  if (init === undefined || init === null) return { __proto__: null, body: null, type: null };
  if (isBlob(init)) { const t = blobType(init); return { __proto__: null, body: bytesBody(blobBytes(init)), type: t === "" ? null : t }; }
  if (isReadableStream(init)) {
    if (isLocked(init) || isDisturbed(init)) throw new TypeError(where + ": the body stream is locked or has already been read");
    return { __proto__: null, body: streamBody(init), type: null };
  }
  if (typeof init === "string") return { __proto__: null, body: bytesBody(utf8Encode(init)), type: "text/plain;charset=UTF-8" };
  if (isURLSearchParams(init)) return { __proto__: null, body: bytesBody(utf8Encode(serializeSearchParams(init))), type: "application/x-www-form-urlencoded;charset=UTF-8" };
  if (primordials.isArrayBuffer(init) || primordials.ArrayBufferIsView(init)) {
    return { __proto__: null, body: bytesBody(TypedArrayPrototypeSlice(bytesView(init, where))), type: null };
  }
  return { __proto__: null, body: bytesBody(utf8Encode(String(init))), type: "text/plain;charset=UTF-8" };
}
// Returns a fresh Uint8Array the caller owns. A network body is collected into one
// buffer, preallocated from content-length when the server sent one, so the peak is
// the body plus one chunk (not every chunk and then a copy).
function bodyUsed(s) {
  return s.used || (s.body !== null && s.body.stream !== undefined && isDisturbed(s.body.stream));
}
async function readAll(s, where) {
  if (bodyUsed(s)) throw new TypeError(where + ": the body has already been consumed");
  const body = s.body;
  if (body !== null && body.stream !== undefined && isLocked(body.stream)) throw new TypeError(where + ": the body stream is locked to a reader");
  s.used = true;
  if (body === null) return new Uint8Array(0);
  // "return await": an async function returning a promise would adopt it through Promise.prototype.then.
  if (body.stream !== undefined) return await readableStreamCollect(body.stream, where);
  if (body.bytes !== undefined) return TypedArrayPrototypeSlice(body.bytes);
  let out = new Uint8Array(body.expected);
  let length = 0;
  try {
    for (;;) {
      const chunk = await op_fetch_read(body.rid);
      if (chunk === null) { body.open = false; break; }
      const chunkLength = TypedArrayPrototypeGetLength(chunk);
      if (length + chunkLength > TypedArrayPrototypeGetLength(out)) {
        const grown = new Uint8Array(primordials.MathMax(TypedArrayPrototypeGetLength(out) * 2, length + chunkLength, 65536));
        TypedArrayPrototypeSet(grown, out, 0);
        out = grown;
      }
      TypedArrayPrototypeSet(out, chunk, length);
      length += chunkLength;
    }
  } catch (e) {
    body.open = false;
    throw bodyError(body, e, where);
  } finally {
    body.done();
  }
  return length === TypedArrayPrototypeGetLength(out) ? out : primordials.TypedArrayPrototypeSubarray(out, 0, length);
}
// Why reading a network body failed: the guest's abort, a body released when the call that
// fetched it ended (the host closed its rid), or the host's own error.
function bodyError(body, e, where) {
  if (body.signal !== null && signalAborted(body.signal)) return signalReason(body.signal);
  if (e !== null && typeof e === "object" && e.name === "BadResource") {
    return new TypeError(where + ": the response body was released when the call that fetched it ended; read it in the same run");
  }
  return e;
}
// The body as a byte stream (the Fetch standard sets bodies up "with byte reading support",
// so a BYOB reader works on it) of Uint8Array chunks, made on first use; each chunk enqueued is
// a fresh copy, since enqueuing transfers its buffer to the stream. A network body
// pulls one chunk per read through op_fetch_read (highWaterMark 0: nothing is read ahead),
// so a large response never sits whole in the guest; cancel() closes the host resource.
function bodyStream(body) {
  if (body.stream !== undefined) return body.stream;
  if (body.bytes !== undefined) {
    const bytes = body.bytes;
    let sent = false;
    const stream = createReadableByteStream(() => {
      if (!sent && TypedArrayPrototypeGetLength(bytes) > 0) streamControllerEnqueue(stream, TypedArrayPrototypeSlice(bytes));
      sent = true;
      streamControllerClose(stream);
    }, () => {});
    body.stream = stream;
    return stream;
  }
  const stream = createReadableByteStream(
    () => primordials.SafePromiseThen(op_fetch_read(body.rid), (chunk) => {
      if (chunk === null) { body.open = false; body.done(); streamControllerClose(stream); return; }
      streamControllerEnqueue(stream, chunk);
    }, (e) => {
      body.open = false;
      body.done();
      throw bodyError(body, e, "ReadableStream");
    }),
    () => {
      body.open = false;
      body.done();
    },
  );
  body.stream = stream;
  return stream;
}
function defineBodyMethods(Class, slotsOf, name) {
  const methods = {
    async arrayBuffer() {
      const b = await readAll(slotsOf(this, "arrayBuffer"), name + ".arrayBuffer");
      const buffer = primordials.TypedArrayPrototypeGetBuffer(b);
      return primordials.ArrayBufferPrototypeGetByteLength(buffer) === TypedArrayPrototypeGetLength(b) ? buffer : primordials.TypedArrayPrototypeGetBuffer(TypedArrayPrototypeSlice(b));
    },
    async bytes() {
      const b = await readAll(slotsOf(this, "bytes"), name + ".bytes");
      return primordials.ArrayBufferPrototypeGetByteLength(primordials.TypedArrayPrototypeGetBuffer(b)) === TypedArrayPrototypeGetLength(b) ? b : TypedArrayPrototypeSlice(b);
    },
    async text() { return utf8Decode(await readAll(slotsOf(this, "text"), name + ".text")); },
    async json() { return JSONParse(utf8Decode(await readAll(slotsOf(this, "json"), name + ".json"))); },
    async blob() {
      const s = slotsOf(this, "blob");
      const b = await readAll(s, name + ".blob");
      const type = headerGet(s.headers, "content-type");
      return makeBlob(b, type === null ? "" : type);
    },
  };
  for (const key of primordials.ObjectKeys(methods)) {
    ObjectDefineProperty(Class.prototype, key, { __proto__: null, value: methods[key], writable: true, configurable: true });
  }
  ObjectDefineProperty(Class.prototype, "bodyUsed", { __proto__: null, get() { return bodyUsed(slotsOf(this, "bodyUsed")); }, configurable: true });
  ObjectDefineProperty(Class.prototype, "body", { __proto__: null,
    get() {
      const s = slotsOf(this, "body");
      if (s.body === null) return null;
      // A body consumed by text()/json()/... without a stream shows as it would had the stream
      // been read to the end: disturbed, closed and locked.
      if (s.used && s.body.stream === undefined) {
        const stream = createReadableByteStream(() => {}, () => {});
        cancelStream(stream, undefined);
        lockStream(stream);
        s.body.stream = stream;
      }
      return bodyStream(s.body);
    },
    configurable: true,
  });
}

// --- Response ----------------------------------------------------------------------------
const responseSlots = new SafeWeakMap();
const rs = brandCheck(responseSlots, "Response");
const NULL_BODY = [101, 103, 204, 205, 304];
class Response {
  constructor(body = null, init = undefined) {
    const where = "Response constructor";
    // ResponseInit, members in lexicographic order: headers, status (unsigned short), statusText (ByteString).
    const o = toDictionary(init, where, "init");
    const headersInit = o.headers;
    const statusRaw = o.status;
    const status = statusRaw === undefined ? 200 : toUnsignedShort(statusRaw);
    const statusTextRaw = o.statusText;
    const statusText = statusTextRaw === undefined ? "" : toByteString(statusTextRaw, where);
    if (status < 200 || status > 599) throw new RangeError(where + ": status must be in 200..599, got " + status);
    if (!RegExpPrototypeTest(/^[\t\x20-\x7e\x80-\xff]*$/, statusText)) throw new TypeError(where + ": invalid statusText " + primordials.JSONStringify(statusText));
    const headers = new Headers(headersInit);
    const { body: b, type } = extractBody(body, "Response constructor");
    if (b !== null && primordials.ArrayPrototypeIncludes(NULL_BODY, status)) throw new TypeError("Response constructor: a " + status + " response cannot have a body");
    if (type !== null && !headerHas(headers, "content-type")) headerAppend(headers, "content-type", type);
    responseSlots.set(this, { __proto__: null, status, statusText, headers, body: b, used: false, url: "", redirected: false, type: "default" });
  }
  static error() {
    const r = new Response();
    const s = responseSlots.get(r);
    s.status = 0; s.type = "error"; headerSlots.get(s.headers).guard = "immutable";
    return r;
  }
  static redirect(url, status = 302) {
    const parsed = parseURL(toUSVString(url, "Response.redirect"), baseURL());
    if (parsed === null) throw new TypeError("Response.redirect: invalid URL " + primordials.JSONStringify(String(url)));
    if (!primordials.ArrayPrototypeIncludes([301, 302, 303, 307, 308], status)) throw new RangeError("Response.redirect: status must be a redirect status, got " + status);
    const r = new Response(null, { __proto__: null, status, headers: { __proto__: null, location: parsed.href } });
    headerSlots.get(responseSlots.get(r).headers).guard = "immutable";
    return r;
  }
  static json(data, init = undefined) {
    const text = primordials.JSONStringify(data);
    if (text === undefined) throw new TypeError("Response.json: data is not JSON-serializable");
    const r = new Response(text, init);
    const h = responseSlots.get(r).headers;
    if (!headerHas(h, "content-type") || headerGet(h, "content-type") === "text/plain;charset=UTF-8") headerSet(h, "content-type", "application/json");
    return r;
  }
  get status() { return rs(this, "status").status; }
  get statusText() { return rs(this, "statusText").statusText; }
  get ok() { const s = rs(this, "ok").status; return s >= 200 && s <= 299; }
  get headers() { return rs(this, "headers").headers; }
  get url() { return rs(this, "url").url; }
  get redirected() { return rs(this, "redirected").redirected; }
  get type() { return rs(this, "type").type; }
  clone() {
    const s = rs(this, "clone");
    if (bodyUsed(s)) throw new TypeError("Response.prototype.clone: the body has already been consumed");
    if (s.body !== null && s.body.stream !== undefined && isLocked(s.body.stream)) throw new TypeError("Response.prototype.clone: the body stream is locked to a reader");
    const r = new Response(null, { __proto__: null, status: s.status === 0 ? 200 : s.status, statusText: s.statusText });
    const copied = headerSlots.get(responseSlots.get(r).headers).list;
    const list = headerSlots.get(s.headers).list;
    for (let i = 0; i < list.length; i++) ArrayPrototypePush(copied, [list[i][0], list[i][1]]);
    const c = responseSlots.get(r);
    c.status = s.status; c.url = s.url; c.redirected = s.redirected; c.type = s.type;
    // A body of bytes with no stream yet: the clone gets its own record (the bytes are never
    // written to), so each side makes its own stream; sharing the record shared the stream.
    if (s.body === null) c.body = null;
    else if (s.body.bytes !== undefined && s.body.stream === undefined) c.body = bytesBody(s.body.bytes);
    else {
      // Fetch "clone a body": tee the stream; the original keeps one branch, the clone the other.
      const branches = teeStream(bodyStream(s.body));
      s.body.stream = branches[0];
      c.body = streamBody(branches[1]);
    }
    headerSlots.get(c.headers).guard = headerSlots.get(s.headers).guard;
    return r;
  }
}
defineBodyMethods(Response, rs, "Response.prototype");
ObjectDefineProperty(Response.prototype, Symbol.toStringTag, { __proto__: null, value: "Response", configurable: true });

// --- Request -------------------------------------------------------------------------------
const requestSlots = new SafeWeakMap();
const rq = brandCheck(requestSlots, "Request");
const FORBIDDEN_METHODS = ["CONNECT", "TRACE", "TRACK"];
const NORMALIZED = ["DELETE", "GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH"];
const MODES = ["navigate", "same-origin", "no-cors", "cors"];
const CREDENTIALS = ["omit", "same-origin", "include"];
const CACHES = ["default", "no-store", "reload", "no-cache", "force-cache", "only-if-cached"];
const REDIRECTS = ["follow", "error", "manual"];
const REFERRER_POLICIES = ["", "no-referrer", "no-referrer-when-downgrade", "same-origin", "origin", "strict-origin",
  "origin-when-cross-origin", "strict-origin-when-cross-origin", "unsafe-url"];
const PRIORITIES = ["high", "low", "auto"];
// RequestInit (Fetch §5.4), converted as WebIDL converts a dictionary: every member read in
// lexicographic order and converted as it is read, before the constructor's steps use any.
function readRequestInit(init, where) {
  const o = toDictionary(init, where, "init");
  const d = { __proto__: null };
  d.body = o.body;
  let v = o.cache; d.cache = v === undefined ? undefined : toEnum(v, CACHES, where, "init.cache");
  v = o.credentials; d.credentials = v === undefined ? undefined : toEnum(v, CREDENTIALS, where, "init.credentials");
  v = o.duplex; d.duplex = v === undefined ? undefined : toEnum(v, ["half"], where, "init.duplex");
  d.headers = o.headers;
  v = o.integrity; d.integrity = v === undefined ? undefined : toDOMString(v, where);
  v = o.keepalive; d.keepalive = v === undefined ? undefined : !!v;
  v = o.method; d.method = v === undefined ? undefined : toByteString(v, where);
  v = o.mode; d.mode = v === undefined ? undefined : toEnum(v, MODES, where, "init.mode");
  v = o.priority; d.priority = v === undefined ? undefined : toEnum(v, PRIORITIES, where, "init.priority");
  v = o.redirect; d.redirect = v === undefined ? undefined : toEnum(v, REDIRECTS, where, "init.redirect");
  v = o.referrer; d.referrer = v === undefined ? undefined : toUSVString(v, where);
  v = o.referrerPolicy; d.referrerPolicy = v === undefined ? undefined : toEnum(v, REFERRER_POLICIES, where, "init.referrerPolicy");
  d.signal = o.signal;
  d.window = o.window;
  return d;
}
class Request {
  constructor(input, init = undefined) {
    const where = "Request constructor";
    requireArgs(arguments.length, 1, where);
    let base = null;
    let url;
    if (requestSlots.has(input)) { base = requestSlots.get(input); url = base.url; }
    else {
      const text = toUSVString(input, where);
      const parsed = parseURL(text, baseURL());
      if (parsed === null) {
        throw new TypeError(where + ": invalid URL " + primordials.JSONStringify(text) + (baseURL() === undefined ? " (a relative URL needs a base: the sandbox has no location; see web({ location }))" : ""));
      }
      if (parsed.username !== "" || parsed.password !== "") throw new TypeError(where + ": the URL " + parsed.href + " includes credentials");
      url = parsed.href;
    }
    const o = readRequestInit(init, where);
    if (o.window !== undefined && o.window !== null) throw new TypeError(where + ": init.window must be null");
    const mode = o.mode !== undefined ? o.mode : base === null ? "cors" : base.mode;
    if (o.mode === "navigate") throw new TypeError(where + ": init.mode cannot be \"navigate\"");
    const credentials = o.credentials !== undefined ? o.credentials : base === null ? "same-origin" : base.credentials;
    const cache = o.cache !== undefined ? o.cache : base === null ? "default" : base.cache;
    if (cache === "only-if-cached" && mode !== "same-origin") throw new TypeError(where + ": cache \"only-if-cached\" needs mode \"same-origin\"");
    let referrer = base === null ? "about:client" : base.referrer;
    if (o.referrer !== undefined) {
      if (o.referrer === "") referrer = "";
      else {
        const parsed = parseURL(o.referrer, baseURL());
        if (parsed === null) throw new TypeError(where + ": invalid referrer URL " + primordials.JSONStringify(o.referrer));
        referrer = parsed.href === "about:client" ? "about:client" : parsed.href;
      }
    }
    const referrerPolicy = o.referrerPolicy !== undefined ? o.referrerPolicy : base === null ? "" : base.referrerPolicy;
    const integrity = o.integrity !== undefined ? o.integrity : base === null ? "" : base.integrity;
    const keepalive = o.keepalive !== undefined ? o.keepalive : base === null ? false : base.keepalive;
    let method = base === null ? "GET" : base.method;
    if (o.method !== undefined) {
      const m = o.method;
      if (!RegExpPrototypeTest(TOKEN, m)) throw new TypeError(where + ": invalid method " + primordials.JSONStringify(m));
      const upper = StringPrototypeToUpperCase(m);
      if (primordials.ArrayPrototypeIncludes(FORBIDDEN_METHODS, upper)) throw new TypeError(where + ": the method " + m + " is forbidden");
      method = primordials.ArrayPrototypeIncludes(NORMALIZED, upper) ? upper : m;
    }
    const redirect = o.redirect !== undefined ? o.redirect : base === null ? "follow" : base.redirect;
    const signal = o.signal !== undefined ? o.signal : base === null ? null : base.signal;
    if (signal !== null && !isAbortSignal(signal)) throw new TypeError(where + ": init.signal must be an AbortSignal");
    const headers = new Headers(o.headers);
    if (o.headers === undefined && base !== null) {
      // The input request's header list is copied, not iterated (its iterator may be replaced).
      const list = headerSlots.get(base.headers).list;
      for (let i = 0; i < list.length; i++) headerAppend(headers, list[i][0], list[i][1]);
    }
    let body = base === null ? null : base.body;
    if (o.body !== undefined && o.body !== null) {
      if (method === "GET" || method === "HEAD") throw new TypeError(where + ": a " + method + " request cannot have a body");
      const e = extractBody(o.body, where);
      body = e.body;
      if (e.type !== null && !headerHas(headers, "content-type")) headerAppend(headers, "content-type", e.type);
      // Fetch: a stream body needs init.duplex ("half" is the only value there is).
      if (body.stream !== undefined && o.duplex === undefined) throw new TypeError(where + ": a ReadableStream body needs init.duplex set to 'half'");
    }
    if (base !== null && bodyUsed(base) && o.body === undefined) throw new TypeError(where + ": the input request's body has already been consumed");
    requestSlots.set(this, {
      __proto__: null, url, method, headers, body, used: false, redirect, signal, mode, credentials, cache, referrer, referrerPolicy,
      integrity, keepalive,
    });
  }
  get mode() { return rq(this, "mode").mode; }
  get credentials() { return rq(this, "credentials").credentials; }
  get cache() { return rq(this, "cache").cache; }
  get referrer() { return rq(this, "referrer").referrer; }
  get referrerPolicy() { return rq(this, "referrerPolicy").referrerPolicy; }
  get integrity() { return rq(this, "integrity").integrity; }
  get keepalive() { return rq(this, "keepalive").keepalive; }
  get destination() { rq(this, "destination"); return ""; }
  get isReloadNavigation() { rq(this, "isReloadNavigation"); return false; }
  get isHistoryNavigation() { rq(this, "isHistoryNavigation"); return false; }
  get url() { return rq(this, "url").url; }
  get method() { return rq(this, "method").method; }
  get headers() { return rq(this, "headers").headers; }
  get redirect() { return rq(this, "redirect").redirect; }
  get signal() { return rq(this, "signal").signal; }
  get duplex() { rq(this, "duplex"); return "half"; }
  clone() {
    const s = rq(this, "clone");
    if (bodyUsed(s)) throw new TypeError("Request.prototype.clone: the body has already been consumed");
    const r = new Request(this);
    if (s.body !== null && s.body.stream !== undefined) {
      if (isLocked(s.body.stream)) throw new TypeError("Request.prototype.clone: the body stream is locked to a reader");
      const branches = teeStream(s.body.stream);
      s.body.stream = branches[0];
      requestSlots.get(r).body = streamBody(branches[1]);
    }
    return r;
  }
}
defineBodyMethods(Request, rq, "Request.prototype");
ObjectDefineProperty(Request.prototype, Symbol.toStringTag, { __proto__: null, value: "Request", configurable: true });

// --- fetch -------------------------------------------------------------------------------------
function fetch(input, init = undefined) {
  return new Promise((resolve, reject) => {
    requireArgs(arguments.length, 1, "fetch");
    const request = new Request(input, init);
    const s = requestSlots.get(request);
    const signal = s.signal;
    if (signal !== null && signalAborted(signal)) { reject(signalReason(signal)); return; }
    if (s.body !== null && s.body.stream !== undefined) {
      // A stream body is read whole before the request is sent (the host's fetch takes bytes).
      primordials.SafePromiseThen(readAll(s, "fetch"), (bytes) => send(request, s, signal, bytes, resolve, reject), reject);
      return;
    }
    send(request, s, signal, s.body === null ? null : s.body.bytes, resolve, reject);
  });
}
function send(request, s, signal, bodyBytes, resolve, reject) {
    if (signal !== null && signalAborted(signal)) { reject(signalReason(signal)); return; }
    // One host resource per request: closing it aborts the request and its body.
    const rid = op_fetch_new();
    let open = true;
    const done = () => { if (open) { open = false; try { core.close(rid); } catch {} } };
    if (signal !== null) abortSignalAdd(signal, done);
    const headerList = sortedPairs(headerSlots.get(s.headers));
    primordials.SafePromiseThen(op_fetch_send({ url: s.url, method: s.method, headers: headerList, body: bodyBytes, redirect: s.redirect, rid }),
      (r) => {
        const response = new Response(null, { __proto__: null, status: r.status < 200 ? 200 : r.status });
        const rsl = responseSlots.get(response);
        rsl.status = r.status; rsl.statusText = r.statusText; rsl.url = r.url; rsl.redirected = r.redirected; rsl.type = r.type;
        rsl.headers = headersFromList(r.headers, "immutable");
        if (!r.body) { done(); rsl.body = null; }
        else {
          const declared = +(headerGet(rsl.headers, "content-length") ?? "");
          const expected = declared >= 0 && declared <= r.limit ? declared : 0;
          rsl.body = { __proto__: null, rid, signal, expected, done, open: true };
        }
        resolve(response);
      },
      (e) => {
        const aborted = signal !== null && signalAborted(signal);
        done();
        if (aborted) { reject(signalReason(signal)); return; }
        if (e !== null && typeof e === "object" && e.name === "PermissionDenied") { reject(e); return; }
        if (e instanceof TypeError) { reject(e); return; }
        reject(new TypeError("fetch: network error for " + s.url + ": " + (e && e.message), { cause: e }));
      });
}

for (const C of [Headers, Request, Response]) webidlInterface(C);
const global = primordials.globalThis;
for (const [name, value] of [["Headers", Headers], ["Request", Request], ["Response", Response], ["fetch", fetch]]) {
  ObjectDefineProperty(global, name, { __proto__: null, value, writable: true, configurable: true, enumerable: false });
}
export { fetch, Headers, Request, Response };
`;
