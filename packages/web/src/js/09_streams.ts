/**
 * ReadableStream with its default reader and controller, async iteration,
 * tee() and ReadableStream.from, byte streams (`type: "bytes"`: ReadableByteStreamController,
 * ReadableStreamBYOBRequest, ReadableStreamBYOBReader, the byte tee), plus CountQueuingStrategy
 * and ByteLengthQueuingStrategy (WHATWG Streams §4, §6). Blob.stream() and fetch bodies are
 * byte streams (createReadableByteStream). WritableStream, TransformStream and
 * pipeTo/pipeThrough are in 09_writable_stream, which uses the internals exported at the end.
 *
 * Internal helpers (createReadableStream, readableStreamCollect, isDisturbed,
 * isLocked) let fetch and Blob build and drain streams without going through
 * user-replaceable methods.
 */
export const STREAMS_SOURCE = String.raw`
import { primordials } from "ext:core/mod.js";
import { brandCheck, EMPTY_DICT, requireArgs, toArrayBufferView, toDictionary, toEnforcedUnsignedLongLong, toEnum } from "ext:islet_web/00_webidl.js";
const {
  ArrayPrototypePush, ArrayPrototypeShift, FunctionPrototypeCall, MathMax, MathMin, NumberIsNaN, ObjectDefineProperty,
  ObjectGetPrototypeOf, Promise, PromisePrototypeThen, RangeError, SafeWeakMap, String, TypeError, Uint8Array,
  ArrayBufferIsView, TypedArrayPrototypeSet, TypedArrayPrototypeGetByteLength, TypedArrayPrototypeGetSymbolToStringTag,
} = primordials;
const SymbolAsyncIterator = primordials.SymbolAsyncIterator;
const SymbolIterator = primordials.SymbolIterator;
const Infinity_ = 1 / 0;

function noop() {}
// ECMAScript PromiseResolve(%Promise%, v): a native promise is used as it is, so adopting
// it never calls a user-replaced Promise.prototype.then (resolve(promise) would).
const PromiseResolveStatic = primordials.PromiseResolve;
function resolved(v) { return primordials.ReflectApply(PromiseResolveStatic, Promise, [v]); }
function rejected(e) { return new Promise((_, reject) => reject(e)); }
/** A promise with its resolvers and whether it has settled, marked handled. */
function deferred() {
  const d = primordials.PromiseWithResolvers();
  // The closed promise may be rejected with nobody listening: never an unhandled rejection.
  PromisePrototypeThen(d.promise, undefined, noop);
  const record = { __proto__: null, promise: d.promise, settled: false, resolve: undefined, reject: undefined };
  record.resolve = (v) => { record.settled = true; d.resolve(v); };
  record.reject = (e) => { record.settled = true; d.reject(e); };
  return record;
}
function then(p, f, r) { return PromisePrototypeThen(p, f, r); }
function call(fn, self, ...args) {
  // "Invoke a callback" and promise-ify: a throw becomes a rejected promise.
  try { return resolved(fn === undefined ? undefined : primordials.ReflectApply(fn, self, args)); } catch (e) { return rejected(e); }
}
function isObject(v) { return v !== null && (typeof v === "object" || typeof v === "function"); }

// --- queuing strategies (§6) -------------------------------------------------------
function extractHighWaterMark(strategy, fallback, where) {
  const hwm = strategy.highWaterMark;
  if (hwm === undefined) return fallback;
  const n = +hwm;
  if (NumberIsNaN(n) || n < 0) throw new RangeError(where + ": highWaterMark must be a non-negative number, got " + String(hwm));
  return n;
}
function extractSize(strategy, where) {
  const size = strategy.size;
  if (size === undefined) return () => 1;
  if (typeof size !== "function") throw new TypeError(where + ": strategy.size must be a function");
  return (chunk) => FunctionPrototypeCall(size, undefined, chunk);
}
const strategySlots = new SafeWeakMap();
function strategyInit(init, where) {
  if (!isObject(init)) throw new TypeError(where + ": argument 1 must be an object with highWaterMark");
  if (init.highWaterMark === undefined) throw new TypeError(where + ": init.highWaterMark is required");
  return +init.highWaterMark;
}
function hwmOf(self, cls) {
  const s = strategySlots.get(self);
  if (s === undefined || s.cls !== cls) throw new TypeError(cls + ".prototype.highWaterMark: illegal invocation");
  return s.hwm;
}
const byteLengthSize = function size(chunk) { return chunk.byteLength; };
const countSize = function size() { return 1; };
class ByteLengthQueuingStrategy {
  constructor(init) { strategySlots.set(this, { cls: "ByteLengthQueuingStrategy", hwm: strategyInit(init, "ByteLengthQueuingStrategy constructor") }); }
  get highWaterMark() { return hwmOf(this, "ByteLengthQueuingStrategy"); }
  get size() { hwmOf(this, "ByteLengthQueuingStrategy"); return byteLengthSize; }
}
class CountQueuingStrategy {
  constructor(init) { strategySlots.set(this, { cls: "CountQueuingStrategy", hwm: strategyInit(init, "CountQueuingStrategy constructor") }); }
  get highWaterMark() { return hwmOf(this, "CountQueuingStrategy"); }
  get size() { hwmOf(this, "CountQueuingStrategy"); return countSize; }
}
ObjectDefineProperty(ByteLengthQueuingStrategy.prototype, Symbol.toStringTag, { __proto__: null, value: "ByteLengthQueuingStrategy", configurable: true });
ObjectDefineProperty(CountQueuingStrategy.prototype, Symbol.toStringTag, { __proto__: null, value: "CountQueuingStrategy", configurable: true });

// --- slots ---------------------------------------------------------------------------
// stream: { state: "readable"|"closed"|"errored", reader, storedError, disturbed, controller }
// controller: { stream, queue: [{ value, size }], queueTotalSize, started, closeRequested, pulling,
//               pullAgain, hwm, size, pull, cancel }   (pull/cancel return promises)
// reader: { stream, readRequests: [{ chunk(value), close(), error(e) }], closed: deferred }
const streams = new SafeWeakMap();
const controllers = new SafeWeakMap();
const readers = new SafeWeakMap();
const byobReaders = new SafeWeakMap();
let constructing = false;
const st = brandCheck(streams, "ReadableStream");
const ctl = brandCheck(controllers, "ReadableStreamDefaultController");
const rdr = brandCheck(readers, "ReadableStreamDefaultReader");

// --- controller algorithms (§4.9) ----------------------------------------------------------
// desiredSize, shouldCallPull, callPullIfNeeded and setUpController serve both controllers: the
// default and the byte controller's versions of them are the same steps (a byte stream's
// reader requests are read-into requests when its reader is a BYOB reader).
function desiredSize(c) {
  const state = c.stream.state;
  if (state === "errored") return null;
  if (state === "closed") return 0;
  return c.hwm - c.queueTotalSize;
}
function canCloseOrEnqueue(c) { return !c.closeRequested && c.stream.state === "readable"; }
function clearAlgorithms(c) { c.pull = undefined; c.cancel = undefined; c.size = undefined; }
function shouldCallPull(c) {
  if (!canCloseOrEnqueue(c) || !c.started) return false;
  const reader = c.stream.reader;
  if (reader !== null && reader.readRequests.length > 0) return true;
  return desiredSize(c) > 0;
}
function callPullIfNeeded(c) {
  if (!shouldCallPull(c)) return;
  if (c.pulling) { c.pullAgain = true; return; }
  c.pulling = true;
  then(c.pull(), () => {
    c.pulling = false;
    if (c.pullAgain) { c.pullAgain = false; callPullIfNeeded(c); }
  }, (e) => errorAny(c, e));
}
function controllerClose(c) {
  if (!canCloseOrEnqueue(c)) return;
  c.closeRequested = true;
  if (c.queue.length === 0) { clearAlgorithms(c); streamClose(c.stream); }
}
function controllerEnqueue(c, chunk) {
  if (!canCloseOrEnqueue(c)) return;
  const s = c.stream;
  if (s.reader !== null && s.reader.readRequests.length > 0) {
    ArrayPrototypeShift(s.reader.readRequests).chunk(chunk);
  } else {
    let size;
    try {
      size = c.size(chunk);
      size = +size;
      if (NumberIsNaN(size) || size < 0 || size === Infinity_) throw new RangeError("ReadableStreamDefaultController.prototype.enqueue: the chunk's size must be a finite non-negative number, got " + String(size));
    } catch (e) {
      controllerError(c, e);
      throw e;
    }
    ArrayPrototypePush(c.queue, { value: chunk, size });
    c.queueTotalSize += size;
  }
  callPullIfNeeded(c);
}
function controllerError(c, e) {
  if (c.stream.state !== "readable") return;
  c.queue = [];
  c.queueTotalSize = 0;
  clearAlgorithms(c);
  streamError(c.stream, e);
}
function setUpController(stream, c, start) {
  stream.controller = c;
  // "Let startResult be the result of performing startAlgorithm. (This might throw an exception.)":
  // a start() that throws makes the constructor throw, as in Chromium; its result is awaited.
  const startResult = start === undefined ? undefined : start(c.object);
  then(resolved(startResult), () => { c.started = true; callPullIfNeeded(c); }, (e) => errorAny(c, e));
}

// --- stream algorithms (§4.8) ---------------------------------------------------------------
function streamClose(s) {
  s.state = "closed";
  const reader = s.reader;
  if (reader === null) return;
  reader.closed.resolve(undefined);
  // A BYOB reader's read-into requests are settled by the byte controller (close, respond).
  if (reader.byob) return;
  const requests = reader.readRequests;
  reader.readRequests = [];
  for (let i = 0; i < requests.length; i++) requests[i].close();
}
function streamError(s, e) {
  s.state = "errored";
  s.storedError = e;
  const reader = s.reader;
  if (reader === null) return;
  reader.closed.reject(e);
  const requests = reader.readRequests;
  reader.readRequests = [];
  for (let i = 0; i < requests.length; i++) requests[i].error(e);
}
function streamCancel(s, reason) {
  s.disturbed = true;
  if (s.state === "closed") return resolved(undefined);
  if (s.state === "errored") return rejected(s.storedError);
  streamClose(s);
  const reader = s.reader;
  if (reader !== null && reader.byob) {
    const requests = reader.readRequests;
    reader.readRequests = [];
    for (let i = 0; i < requests.length; i++) requests[i].close(undefined);
  }
  // The controller's [[CancelSteps]].
  const c = s.controller;
  if (c.byte) byteClearPendingPullIntos(c);
  c.queue = [];
  c.queueTotalSize = 0;
  const cancel = c.cancel;
  clearAlgorithms(c);
  return then(cancel === undefined ? resolved(undefined) : cancel(reason), () => undefined);
}
/**
 * ReadableStreamDefaultReaderRead with a read request of steps (chunk, close, error), as the
 * spec's internal callers (tee, pipeTo) use it: no promise is resolved with a result object,
 * so a guest's Object.prototype.then is never called by them.
 */
function readerReadSteps(r, request) {
  const s = r.stream;
  s.disturbed = true;
  if (s.state === "closed") { request.close(); return; }
  if (s.state === "errored") { request.error(s.storedError); return; }
  const c = s.controller;
  if (c.byte) { bytePullSteps(c, request); return; }
  if (c.queue.length > 0) {
    const entry = ArrayPrototypeShift(c.queue);
    c.queueTotalSize = MathMax(0, c.queueTotalSize - entry.size);
    if (c.closeRequested && c.queue.length === 0) { clearAlgorithms(c); streamClose(s); }
    else callPullIfNeeded(c);
    request.chunk(entry.value);
    return;
  }
  ArrayPrototypePush(r.readRequests, request);
  callPullIfNeeded(c);
}
/** ReadableStreamDefaultReader.read(): a promise of an iterator result. */
function readerRead(r) {
  const d = primordials.PromiseWithResolvers();
  readerReadSteps(r, {
    __proto__: null,
    chunk(value) { d.resolve({ value, done: false }); },
    close() { d.resolve({ value: undefined, done: true }); },
    error(e) { d.reject(e); },
  });
  return d.promise;
}
/**
 * SetUpReadableStreamDefaultReader / SetUpReadableStreamBYOBReader: locks "stream" to a new
 * reader record, registered for the object "reader". A BYOB reader's requests are read-into
 * requests (chunk(view), close(view), error(e)); a default reader's are read requests.
 */
function acquireReader(reader, stream, where, byob = false) {
  const s = streams.get(stream);
  if (s === undefined) throw new TypeError(where + ": argument 1 is not a ReadableStream");
  if (s.reader !== null) throw new TypeError(where + ": the stream is already locked to a reader");
  if (byob && !s.controller.byte) throw new TypeError(where + ": a BYOB reader needs a byte stream (type: \"bytes\"), and this is a default stream");
  const r = { __proto__: null, stream: s, readRequests: [], closed: deferred(), byob };
  if (s.state === "closed") r.closed.resolve(undefined);
  else if (s.state === "errored") r.closed.reject(s.storedError);
  s.reader = r;
  (byob ? byobReaders : readers).set(reader, r);
  return r;
}
function readerRelease(r) {
  const s = r.stream;
  const error = new TypeError((r.byob ? "ReadableStreamBYOBReader" : "ReadableStreamDefaultReader") + ": the reader's lock was released");
  if (s.state === "readable") r.closed.reject(error);
  else { r.closed = deferred(); r.closed.reject(error); }
  // The controller's [[ReleaseSteps]]: a byte stream keeps only the head pull-into, now owned by no reader.
  const c = s.controller;
  if (c.byte && c.pendingPullIntos.length > 0) {
    const first = c.pendingPullIntos[0];
    first.readerType = "none";
    c.pendingPullIntos = [first];
  }
  const requests = r.readRequests;
  r.readRequests = [];
  for (let i = 0; i < requests.length; i++) requests[i].error(error);
  s.reader = null;
  r.stream = null;
}

// --- byte streams (§4.7 ReadableStreamBYOBReader, §4.8 ReadableByteStreamController, §4.9 BYOB request) ---
// byte controller: { byte: true, object, stream, queue: [{ buffer, byteOffset, byteLength }], queueTotalSize,
//   started, closeRequested, pulling, pullAgain, hwm, pull, cancel, autoAllocateChunkSize,
//   pendingPullIntos: [pull-into descriptor], byobRequest: ReadableStreamBYOBRequest | null }
// pull-into descriptor: { buffer, bufferByteLength, byteOffset, byteLength, bytesFilled, minimumFill,
//   elementSize, ctor, readerType: "default" | "byob" | "none" }
//
// Detaching (the spec's TransferArrayBuffer): QuickJS has ArrayBuffer.prototype.transfer, captured
// before user code runs; it moves the data block to a new ArrayBuffer without copying and detaches
// the old one, which is what the spec asks. A SharedArrayBuffer or a resizable buffer never gets
// here: the WebIDL ArrayBufferView conversion (toArrayBufferView) refuses views on either.
const ArrayBufferPrototypeTransfer = primordials.ArrayBufferPrototypeTransfer;
const ArrayBufferPrototypeGetDetached = primordials.ArrayBufferPrototypeGetDetached;
const ArrayBufferPrototypeGetByteLength = primordials.ArrayBufferPrototypeGetByteLength;
const ArrayBufferPrototypeSlice = primordials.ArrayBufferPrototypeSlice;
const TypedArrayPrototypeGetBuffer = primordials.TypedArrayPrototypeGetBuffer;
const TypedArrayPrototypeGetByteOffset = primordials.TypedArrayPrototypeGetByteOffset;
const DataView = primordials.DataView;
const ArrayBuffer = primordials.ArrayBuffer;
const byteControllers = new SafeWeakMap();
const byobRequests = new SafeWeakMap();
/** Element constructor and size by [[TypedArrayName]]: never the view's own (replaceable) "constructor". */
const viewKinds = { __proto__: null };
for (const name of ["Int8Array", "Uint8Array", "Uint8ClampedArray", "Int16Array", "Uint16Array", "Int32Array", "Uint32Array",
  "Float32Array", "Float64Array", "BigInt64Array", "BigUint64Array", "Float16Array"]) {
  const ctor = name === "Float16Array" ? primordials.globalThis.Float16Array : primordials[name];
  if (ctor !== undefined) viewKinds[name] = { __proto__: null, ctor, size: ctor.BYTES_PER_ELEMENT };
}
function isDetached(buffer) { return ArrayBufferPrototypeGetDetached(buffer); }
function transferBuffer(buffer) { return ArrayBufferPrototypeTransfer(buffer); }
/** A view's [[ViewedArrayBuffer]], [[ByteOffset]], [[ByteLength]] and element type, read through captured getters. */
function viewParts(view) {
  const name = primordials.typedArrayName(view);
  if (name === undefined) {
    const buffer = primordials.DataViewPrototypeGetBuffer(view);
    const gone = isDetached(buffer);
    return {
      __proto__: null, buffer, byteOffset: gone ? 0 : primordials.DataViewPrototypeGetByteOffset(view),
      byteLength: gone ? 0 : primordials.DataViewPrototypeGetByteLength(view), ctor: DataView, elementSize: 1,
    };
  }
  const kind = viewKinds[name];
  return {
    __proto__: null, buffer: TypedArrayPrototypeGetBuffer(view), byteOffset: TypedArrayPrototypeGetByteOffset(view),
    byteLength: TypedArrayPrototypeGetByteLength(view), ctor: kind.ctor, elementSize: kind.size,
  };
}
function newView(ctor, buffer, byteOffset, length) { return new ctor(buffer, byteOffset, length); }
function copyBytes(to, toOffset, from, fromOffset, n) {
  TypedArrayPrototypeSet(new Uint8Array(to, toOffset, n), new Uint8Array(from, fromOffset, n));
}

function byteInvalidateRequest(c) {
  if (c.byobRequest === null) return;
  const req = byobRequests.get(c.byobRequest);
  req.controller = undefined;
  req.view = null;
  c.byobRequest = null;
}
function byteClearPendingPullIntos(c) {
  byteInvalidateRequest(c);
  c.pendingPullIntos = [];
}
function byteError(c, e) {
  if (c.stream.state !== "readable") return;
  byteClearPendingPullIntos(c);
  c.queue = [];
  c.queueTotalSize = 0;
  clearAlgorithms(c);
  streamError(c.stream, e);
}
/** ReadableByteStreamControllerClose: throws (after erroring the stream) if a partial element is pending. */
function byteClose(c) {
  const s = c.stream;
  if (c.closeRequested || s.state !== "readable") return;
  if (c.queueTotalSize > 0) { c.closeRequested = true; return; }
  if (c.pendingPullIntos.length > 0) {
    const first = c.pendingPullIntos[0];
    if (first.bytesFilled % first.elementSize !== 0) {
      const e = new TypeError("ReadableByteStreamController.prototype.close: the stream closed with " + first.bytesFilled + " bytes, not a whole number of the view's elements");
      byteError(c, e);
      throw e;
    }
  }
  clearAlgorithms(c);
  streamClose(s);
}
function byteShiftPendingPullInto(c) { return ArrayPrototypeShift(c.pendingPullIntos); }
function fulfillRequest(s, chunk, done) {
  const request = ArrayPrototypeShift(s.reader.readRequests);
  if (done) request.close(chunk); else request.chunk(chunk);
}
function byteConvertDescriptor(d) {
  return newView(d.ctor, transferBuffer(d.buffer), d.byteOffset, d.bytesFilled / d.elementSize);
}
function byteCommitDescriptor(s, d) {
  // A default reader's close steps take no chunk; fulfillRequest passes one they ignore.
  fulfillRequest(s, byteConvertDescriptor(d), s.state === "closed");
}
function byteEnqueueChunk(c, buffer, byteOffset, byteLength) {
  ArrayPrototypePush(c.queue, { __proto__: null, buffer, byteOffset, byteLength });
  c.queueTotalSize += byteLength;
}
function byteEnqueueCloned(c, buffer, byteOffset, byteLength) {
  let clone;
  try { clone = ArrayBufferPrototypeSlice(buffer, byteOffset, byteOffset + byteLength); } catch (e) { byteError(c, e); throw e; }
  byteEnqueueChunk(c, clone, 0, byteLength);
}
function byteEnqueueDetachedPullInto(c, d) {
  if (d.bytesFilled > 0) byteEnqueueCloned(c, d.buffer, d.byteOffset, d.bytesFilled);
  byteShiftPendingPullInto(c);
}
function byteFillFromQueue(c, d) {
  const maxBytesToCopy = MathMin(c.queueTotalSize, d.byteLength - d.bytesFilled);
  const maxBytesFilled = d.bytesFilled + maxBytesToCopy;
  let remaining = maxBytesToCopy;
  let ready = false;
  const maxAlignedBytes = maxBytesFilled - (maxBytesFilled % d.elementSize);
  // A read({ min }) not yet filled to its minimum stays at the head, for the source to keep filling.
  if (maxAlignedBytes >= d.minimumFill) { remaining = maxAlignedBytes - d.bytesFilled; ready = true; }
  const queue = c.queue;
  while (remaining > 0) {
    const head = queue[0];
    const n = MathMin(remaining, head.byteLength);
    copyBytes(d.buffer, d.byteOffset + d.bytesFilled, head.buffer, head.byteOffset, n);
    if (head.byteLength === n) ArrayPrototypeShift(queue);
    else { head.byteOffset += n; head.byteLength -= n; }
    c.queueTotalSize -= n;
    d.bytesFilled += n;
    remaining -= n;
  }
  return ready;
}
function byteHandleQueueDrain(c) {
  if (c.queueTotalSize === 0 && c.closeRequested) { clearAlgorithms(c); streamClose(c.stream); }
  else callPullIfNeeded(c);
}
function byteFillReadRequestFromQueue(c, request) {
  const entry = ArrayPrototypeShift(c.queue);
  c.queueTotalSize -= entry.byteLength;
  byteHandleQueueDrain(c);
  request.chunk(new Uint8Array(entry.buffer, entry.byteOffset, entry.byteLength));
}
function byteProcessPullIntosUsingQueue(c) {
  const filled = [];
  while (c.pendingPullIntos.length > 0 && c.queueTotalSize > 0) {
    const d = c.pendingPullIntos[0];
    if (byteFillFromQueue(c, d)) { byteShiftPendingPullInto(c); ArrayPrototypePush(filled, d); }
  }
  return filled;
}
function byteProcessReadRequestsUsingQueue(c) {
  const reader = c.stream.reader;
  while (reader.readRequests.length > 0 && c.queueTotalSize > 0) {
    byteFillReadRequestFromQueue(c, ArrayPrototypeShift(reader.readRequests));
  }
}
/** ReadableByteStreamControllerEnqueue: "chunk" has passed the checks of enqueue(); the caller owns it no more. */
function byteEnqueue(c, chunk) {
  const s = c.stream;
  if (c.closeRequested || s.state !== "readable") return;
  const { buffer, byteOffset, byteLength } = viewParts(chunk);
  if (isDetached(buffer)) throw new TypeError("ReadableByteStreamController.prototype.enqueue: the chunk's buffer is detached");
  const transferred = transferBuffer(buffer);
  if (c.pendingPullIntos.length > 0) {
    const first = c.pendingPullIntos[0];
    if (isDetached(first.buffer)) throw new TypeError("ReadableByteStreamController.prototype.enqueue: the byobRequest's buffer was detached, so it cannot be filled with an enqueued chunk");
    byteInvalidateRequest(c);
    first.buffer = transferBuffer(first.buffer);
    if (first.readerType === "none") byteEnqueueDetachedPullInto(c, first);
  }
  const reader = s.reader;
  if (reader !== null && !reader.byob) {
    byteProcessReadRequestsUsingQueue(c);
    if (reader.readRequests.length === 0) byteEnqueueChunk(c, transferred, byteOffset, byteLength);
    else {
      if (c.pendingPullIntos.length > 0) byteShiftPendingPullInto(c);
      fulfillRequest(s, new Uint8Array(transferred, byteOffset, byteLength), false);
    }
  } else if (reader !== null) {
    byteEnqueueChunk(c, transferred, byteOffset, byteLength);
    const filled = byteProcessPullIntosUsingQueue(c);
    for (let i = 0; i < filled.length; i++) byteCommitDescriptor(s, filled[i]);
  } else {
    byteEnqueueChunk(c, transferred, byteOffset, byteLength);
  }
  callPullIfNeeded(c);
}
/** The byte controller's [[PullSteps]] for a default reader's read request. */
function bytePullSteps(c, request) {
  const s = c.stream;
  if (c.queueTotalSize > 0) { byteFillReadRequestFromQueue(c, request); return; }
  const size = c.autoAllocateChunkSize;
  if (size !== undefined) {
    let buffer;
    try { buffer = new ArrayBuffer(size); } catch (e) { request.error(e); return; }
    ArrayPrototypePush(c.pendingPullIntos, {
      __proto__: null, buffer, bufferByteLength: size, byteOffset: 0, byteLength: size, bytesFilled: 0, minimumFill: 1,
      elementSize: 1, ctor: Uint8Array, readerType: "default",
    });
  }
  ArrayPrototypePush(s.reader.readRequests, request);
  callPullIfNeeded(c);
}
/** ReadableByteStreamControllerPullInto: "min" elements at least, into "view" (already validated). */
function bytePullInto(c, view, min, request) {
  const s = c.stream;
  const { buffer: viewBuffer, byteOffset, byteLength, ctor, elementSize } = viewParts(view);
  let buffer;
  try { buffer = transferBuffer(viewBuffer); } catch (e) { request.error(e); return; }
  const d = {
    __proto__: null, buffer, bufferByteLength: ArrayBufferPrototypeGetByteLength(buffer), byteOffset, byteLength, bytesFilled: 0,
    minimumFill: min * elementSize, elementSize, ctor, readerType: "byob",
  };
  if (c.pendingPullIntos.length > 0) {
    ArrayPrototypePush(c.pendingPullIntos, d);
    ArrayPrototypePush(s.reader.readRequests, request);
    return;
  }
  if (s.state === "closed") { request.close(newView(ctor, d.buffer, byteOffset, 0)); return; }
  if (c.queueTotalSize > 0) {
    if (byteFillFromQueue(c, d)) {
      const filled = byteConvertDescriptor(d);
      byteHandleQueueDrain(c);
      request.chunk(filled);
      return;
    }
    if (c.closeRequested) {
      const e = new TypeError("ReadableStreamBYOBReader.prototype.read: the stream closed with too few bytes to fill the view's elements");
      byteError(c, e);
      request.error(e);
      return;
    }
  }
  ArrayPrototypePush(c.pendingPullIntos, d);
  ArrayPrototypePush(s.reader.readRequests, request);
  callPullIfNeeded(c);
}
function byteRespondInClosedState(c, first) {
  if (first.readerType === "none") byteShiftPendingPullInto(c);
  const s = c.stream;
  const reader = s.reader;
  if (reader === null || !reader.byob) return;
  const filled = [];
  while (filled.length < reader.readRequests.length) ArrayPrototypePush(filled, byteShiftPendingPullInto(c));
  for (let i = 0; i < filled.length; i++) byteCommitDescriptor(s, filled[i]);
}
function byteRespondInReadableState(c, bytesWritten, d) {
  d.bytesFilled += bytesWritten;
  if (d.readerType === "none") {
    byteEnqueueDetachedPullInto(c, d);
    const filled = byteProcessPullIntosUsingQueue(c);
    for (let i = 0; i < filled.length; i++) byteCommitDescriptor(c.stream, filled[i]);
    return;
  }
  if (d.bytesFilled < d.minimumFill) return;
  byteShiftPendingPullInto(c);
  const remainder = d.bytesFilled % d.elementSize;
  if (remainder > 0) byteEnqueueCloned(c, d.buffer, d.byteOffset + d.bytesFilled - remainder, remainder);
  d.bytesFilled -= remainder;
  const filled = byteProcessPullIntosUsingQueue(c);
  byteCommitDescriptor(c.stream, d);
  for (let i = 0; i < filled.length; i++) byteCommitDescriptor(c.stream, filled[i]);
}
function byteRespondInternal(c, bytesWritten) {
  const first = c.pendingPullIntos[0];
  byteInvalidateRequest(c);
  if (c.stream.state === "closed") byteRespondInClosedState(c, first);
  else byteRespondInReadableState(c, bytesWritten, first);
  callPullIfNeeded(c);
}
function byteRespond(c, bytesWritten, where) {
  const first = c.pendingPullIntos[0];
  if (c.stream.state === "closed") {
    if (bytesWritten !== 0) throw new TypeError(where + ": bytesWritten must be 0 once the stream is closed, got " + bytesWritten);
  } else {
    if (bytesWritten === 0) throw new TypeError(where + ": bytesWritten must be greater than 0 while the stream is readable");
    if (first.bytesFilled + bytesWritten > first.byteLength) throw new RangeError(where + ": bytesWritten (" + bytesWritten + ") is more than the view's " + (first.byteLength - first.bytesFilled) + " bytes");
  }
  first.buffer = transferBuffer(first.buffer);
  byteRespondInternal(c, bytesWritten);
}
function byteRespondWithNewView(c, view, where) {
  const first = c.pendingPullIntos[0];
  const { buffer, byteOffset, byteLength } = viewParts(view);
  if (c.stream.state === "closed") {
    if (byteLength !== 0) throw new TypeError(where + ": the view's byteLength must be 0 once the stream is closed, got " + byteLength);
  } else if (byteLength === 0) {
    throw new TypeError(where + ": the view's byteLength must be greater than 0 while the stream is readable");
  }
  if (first.byteOffset + first.bytesFilled !== byteOffset) throw new RangeError(where + ": the view does not start where the byobRequest's view starts");
  if (first.bufferByteLength !== ArrayBufferPrototypeGetByteLength(buffer)) throw new RangeError(where + ": the view's buffer has a different byteLength than the byobRequest's buffer");
  if (first.bytesFilled + byteLength > first.byteLength) throw new RangeError(where + ": the view is larger than the byobRequest's view");
  first.buffer = transferBuffer(buffer);
  byteRespondInternal(c, byteLength);
}
function byteGetByobRequest(c) {
  if (c.byobRequest === null && c.pendingPullIntos.length > 0) {
    const first = c.pendingPullIntos[0];
    const view = new Uint8Array(first.buffer, first.byteOffset + first.bytesFilled, first.byteLength - first.bytesFilled);
    constructing = true;
    let request;
    try { request = new ReadableStreamBYOBRequest(); } finally { constructing = false; }
    byobRequests.set(request, { __proto__: null, controller: c, view });
    c.byobRequest = request;
  }
  return c.byobRequest;
}
function newByteController(s, hwm, autoAllocateChunkSize, pull, cancel) {
  constructing = true;
  let object;
  try { object = new ReadableByteStreamController(); } finally { constructing = false; }
  const c = {
    __proto__: null, byte: true, object, stream: s, queue: [], queueTotalSize: 0, started: false, closeRequested: false, pulling: false,
    pullAgain: false, hwm, size: undefined, pull, cancel, autoAllocateChunkSize, pendingPullIntos: [], byobRequest: null,
  };
  byteControllers.set(object, c);
  return c;
}
/** ReadableStreamBYOBReaderRead with read-into steps, for read() and the byte tee. */
function byobReaderReadSteps(r, view, min, request) {
  const s = r.stream;
  s.disturbed = true;
  if (s.state === "errored") request.error(s.storedError);
  else bytePullInto(s.controller, view, min, request);
}
/** The controller of a stream, for the platform's helpers that feed a stream of either kind. */
function enqueueAny(c, chunk) { if (c.byte) byteEnqueue(c, chunk); else controllerEnqueue(c, chunk); }
function closeAny(c) { if (c.byte) byteClose(c); else controllerClose(c); }
function errorAny(c, e) { if (c.byte) byteError(c, e); else controllerError(c, e); }

class ReadableByteStreamController {
  constructor() {
    if (!constructing) throw new TypeError("ReadableByteStreamController: illegal constructor");
  }
  get byobRequest() { return byteGetByobRequest(bctl(this, "byobRequest")); }
  get desiredSize() { return desiredSize(bctl(this, "desiredSize")); }
  close() {
    const c = bctl(this, "close");
    if (c.closeRequested) throw new TypeError("ReadableByteStreamController.prototype.close: the stream is already closing");
    if (c.stream.state !== "readable") throw new TypeError("ReadableByteStreamController.prototype.close: the stream is " + c.stream.state);
    byteClose(c);
  }
  enqueue(chunk) {
    const c = bctl(this, "enqueue");
    const where = "ReadableByteStreamController.prototype.enqueue";
    requireArgs(arguments.length, 1, where);
    toArrayBufferView(chunk, where, "argument 1");
    const { buffer, byteLength } = viewParts(chunk);
    if (byteLength === 0) throw new TypeError(where + ": the chunk's byteLength must not be 0");
    if (ArrayBufferPrototypeGetByteLength(buffer) === 0) throw new TypeError(where + ": the chunk's buffer must not be empty (or detached)");
    if (c.closeRequested) throw new TypeError(where + ": the stream is closing");
    if (c.stream.state !== "readable") throw new TypeError(where + ": the stream is " + c.stream.state);
    byteEnqueue(c, chunk);
  }
  error(e = undefined) { byteError(bctl(this, "error"), e); }
}

class ReadableStreamBYOBRequest {
  constructor() {
    if (!constructing) throw new TypeError("ReadableStreamBYOBRequest: illegal constructor");
  }
  get view() { return breq(this, "view").view; }
  respond(bytesWritten) {
    const req = breq(this, "respond");
    const where = "ReadableStreamBYOBRequest.prototype.respond";
    requireArgs(arguments.length, 1, where);
    const n = toEnforcedUnsignedLongLong(bytesWritten, where, "bytesWritten");
    if (req.controller === undefined) throw new TypeError(where + ": the request was already answered (or the stream was closed or errored)");
    if (isDetached(TypedArrayPrototypeGetBuffer(req.view))) throw new TypeError(where + ": the view's buffer was detached, so it cannot be the response");
    byteRespond(req.controller, n, where);
  }
  respondWithNewView(view) {
    const req = breq(this, "respondWithNewView");
    const where = "ReadableStreamBYOBRequest.prototype.respondWithNewView";
    requireArgs(arguments.length, 1, where);
    toArrayBufferView(view, where, "argument 1");
    if (req.controller === undefined) throw new TypeError(where + ": the request was already answered (or the stream was closed or errored)");
    if (isDetached(viewParts(view).buffer)) throw new TypeError(where + ": the view's buffer is detached");
    byteRespondWithNewView(req.controller, view, where);
  }
}

class ReadableStreamBYOBReader {
  constructor(stream) {
    requireArgs(arguments.length, 1, "ReadableStreamBYOBReader constructor");
    acquireReader(this, stream, "ReadableStreamBYOBReader constructor", true);
  }
  get closed() {
    const r = byobReaders.get(this);
    if (r === undefined) return rejected(new TypeError("ReadableStreamBYOBReader.prototype.closed: illegal invocation"));
    return r.closed.promise;
  }
  read(view, options = undefined) {
    const where = "ReadableStreamBYOBReader.prototype.read";
    const r = byobReaders.get(this);
    if (r === undefined) return rejected(new TypeError(where + ": illegal invocation"));
    let min;
    let parts;
    try {
      requireArgs(arguments.length, 1, where);
      toArrayBufferView(view, where, "argument 1");
      const rawMin = toDictionary(options, where).min;
      min = rawMin === undefined ? 1 : toEnforcedUnsignedLongLong(rawMin, where, "options.min");
      parts = viewParts(view);
    } catch (e) { return rejected(e); }
    if (parts.byteLength === 0) return rejected(new TypeError(where + ": the view's byteLength must not be 0"));
    if (ArrayBufferPrototypeGetByteLength(parts.buffer) === 0) return rejected(new TypeError(where + ": the view's buffer must not be empty (or detached)"));
    if (isDetached(parts.buffer)) return rejected(new TypeError(where + ": the view's buffer is detached"));
    if (min === 0) return rejected(new TypeError(where + ": options.min must be greater than 0"));
    const length = parts.byteLength / parts.elementSize;
    if (min > length) return rejected(new RangeError(where + ": options.min (" + min + ") is more than the view's " + (parts.ctor === DataView ? "byteLength" : "length") + " (" + length + ")"));
    if (r.stream === null) return rejected(new TypeError(where + ": the reader has been released"));
    const d = primordials.PromiseWithResolvers();
    byobReaderReadSteps(r, view, min, {
      __proto__: null,
      chunk(value) { d.resolve({ value, done: false }); },
      close(value) { d.resolve({ value, done: true }); },
      error(e) { d.reject(e); },
    });
    return d.promise;
  }
  releaseLock() {
    const r = byobReaders.get(this);
    if (r === undefined) throw new TypeError("ReadableStreamBYOBReader.prototype.releaseLock: illegal invocation");
    if (r.stream === null) return;
    readerRelease(r);
  }
  cancel(reason = undefined) {
    const r = byobReaders.get(this);
    if (r === undefined) return rejected(new TypeError("ReadableStreamBYOBReader.prototype.cancel: illegal invocation"));
    if (r.stream === null) return rejected(new TypeError("ReadableStreamBYOBReader.prototype.cancel: the reader has been released"));
    return streamCancel(r.stream, reason);
  }
}
const bctl = brandCheck(byteControllers, "ReadableByteStreamController");
const breq = brandCheck(byobRequests, "ReadableStreamBYOBRequest");
ObjectDefineProperty(ReadableByteStreamController.prototype, Symbol.toStringTag, { __proto__: null, value: "ReadableByteStreamController", configurable: true });
ObjectDefineProperty(ReadableStreamBYOBRequest.prototype, Symbol.toStringTag, { __proto__: null, value: "ReadableStreamBYOBRequest", configurable: true });
ObjectDefineProperty(ReadableStreamBYOBReader.prototype, Symbol.toStringTag, { __proto__: null, value: "ReadableStreamBYOBReader", configurable: true });

// --- public classes ---------------------------------------------------------------------------
class ReadableStreamDefaultController {
  constructor() {
    if (!constructing) throw new TypeError("ReadableStreamDefaultController: illegal constructor");
  }
  get desiredSize() { return desiredSize(ctl(this, "desiredSize")); }
  close() {
    const c = ctl(this, "close");
    if (!canCloseOrEnqueue(c)) throw new TypeError("ReadableStreamDefaultController.prototype.close: the stream is " + (c.closeRequested ? "already closing" : c.stream.state));
    controllerClose(c);
  }
  enqueue(chunk = undefined) {
    const c = ctl(this, "enqueue");
    if (!canCloseOrEnqueue(c)) throw new TypeError("ReadableStreamDefaultController.prototype.enqueue: the stream is " + (c.closeRequested ? "closing" : c.stream.state));
    controllerEnqueue(c, chunk);
  }
  error(e = undefined) { controllerError(ctl(this, "error"), e); }
}
ObjectDefineProperty(ReadableStreamDefaultController.prototype, Symbol.toStringTag, { __proto__: null, value: "ReadableStreamDefaultController", configurable: true });

function newController(stream, hwm, size, pull, cancel) {
  constructing = true;
  let object;
  try { object = new ReadableStreamDefaultController(); } finally { constructing = false; }
  // Records are null-prototype: a guest's Object.prototype.byte (or any other name) is never read.
  const c = {
    __proto__: null, byte: false, object, stream, queue: [], queueTotalSize: 0, started: false, closeRequested: false, pulling: false,
    pullAgain: false, hwm, size, pull, cancel,
  };
  controllers.set(object, c);
  return c;
}
function newStreamSlots() {
  return { __proto__: null, state: "readable", reader: null, storedError: undefined, disturbed: false, controller: null };
}

class ReadableStream {
  constructor(underlyingSource = undefined, strategy = undefined) {
    const where = "ReadableStream constructor";
    if (underlyingSource === null) throw new TypeError(where + ": underlyingSource must be an object");
    const source = underlyingSource === undefined ? EMPTY_DICT : underlyingSource;
    if (!isObject(source)) throw new TypeError(where + ": underlyingSource must be an object");
    const strat = strategy === undefined || strategy === null ? EMPTY_DICT : strategy;
    if (!isObject(strat)) throw new TypeError(where + ": strategy must be an object");
    // WebIDL: the strategy argument is converted (its members read) before the source's are.
    const hwmRaw = strat.highWaterMark;
    const sizeRaw = strat.size;
    // UnderlyingSource dictionary members are read in WebIDL order (alphabetical).
    // Each member is converted as it is read ([EnforceRange] for autoAllocateChunkSize).
    const autoRaw = source.autoAllocateChunkSize;
    const autoAllocateChunkSize = autoRaw === undefined ? undefined : toEnforcedUnsignedLongLong(autoRaw, where, "underlyingSource.autoAllocateChunkSize");
    const cancel = source.cancel;
    if (cancel !== undefined && typeof cancel !== "function") throw new TypeError(where + ": underlyingSource.cancel must be a function");
    const pull = source.pull;
    if (pull !== undefined && typeof pull !== "function") throw new TypeError(where + ": underlyingSource.pull must be a function");
    const start = source.start;
    if (start !== undefined && typeof start !== "function") throw new TypeError(where + ": underlyingSource.start must be a function");
    const typeRaw = source.type;
    const type = typeRaw === undefined ? undefined : toEnum(typeRaw, ["bytes"], where, "underlyingSource.type");
    const s = newStreamSlots();
    if (type === "bytes") {
      // SetUpReadableByteStreamControllerFromUnderlyingSource.
      if (sizeRaw !== undefined) throw new RangeError(where + ": the strategy of a byte stream cannot have a size function");
      const hwm = extractHighWaterMark({ highWaterMark: hwmRaw }, 0, where);
      if (autoAllocateChunkSize === 0) throw new TypeError(where + ": underlyingSource.autoAllocateChunkSize must be greater than 0");
      streams.set(this, s);
      const c = newByteController(s, hwm, autoAllocateChunkSize,
        () => call(pull, source, c.object),
        (reason) => call(cancel, source, reason));
      setUpController(s, c, start === undefined ? undefined : (ctrl) => FunctionPrototypeCall(start, source, ctrl));
      return;
    }
    const hwm = extractHighWaterMark({ highWaterMark: hwmRaw }, 1, where);
    const size = extractSize({ size: sizeRaw }, where);
    streams.set(this, s);
    const c = newController(s, hwm, size,
      () => call(pull, source, c.object),
      (reason) => call(cancel, source, reason));
    setUpController(s, c, start === undefined ? undefined : (ctrl) => FunctionPrototypeCall(start, source, ctrl));
  }
  get locked() { return st(this, "locked").reader !== null; }
  cancel(reason = undefined) {
    const s = streams.get(this);
    if (s === undefined) return rejected(new TypeError("ReadableStream.prototype.cancel: illegal invocation"));
    if (s.reader !== null) return rejected(new TypeError("ReadableStream.prototype.cancel: the stream is locked to a reader"));
    return streamCancel(s, reason);
  }
  getReader(options = undefined) {
    st(this, "getReader");
    if (options !== undefined && options !== null && !isObject(options)) throw new TypeError("ReadableStream.prototype.getReader: options must be an object");
    const mode = options === undefined || options === null ? undefined : options.mode;
    if (mode !== undefined) {
      toEnum(mode, ["byob"], "ReadableStream.prototype.getReader", "options.mode");
      return new ReadableStreamBYOBReader(this);
    }
    return new ReadableStreamDefaultReader(this);
  }
  tee() {
    const s = st(this, "tee");
    return s.controller.byte ? byteTee(this, s) : tee(this, s);
  }
  values(options = undefined) {
    st(this, "values");
    const preventCancel = options !== undefined && options !== null && !!options.preventCancel;
    return makeAsyncIterator(this, preventCancel);
  }
  static from(asyncIterable) {
    return streamFrom(asyncIterable);
  }
}
ObjectDefineProperty(ReadableStream.prototype, SymbolAsyncIterator, { __proto__: null, value: ReadableStream.prototype.values, writable: true, configurable: true });
ObjectDefineProperty(ReadableStream.prototype, Symbol.toStringTag, { __proto__: null, value: "ReadableStream", configurable: true });

class ReadableStreamDefaultReader {
  constructor(stream) {
    requireArgs(arguments.length, 1, "ReadableStreamDefaultReader constructor");
    acquireReader(this, stream, "ReadableStreamDefaultReader constructor");
  }
  get closed() {
    const r = readers.get(this);
    if (r === undefined) return rejected(new TypeError("ReadableStreamDefaultReader.prototype.closed: illegal invocation"));
    return r.closed.promise;
  }
  read() {
    const r = readers.get(this);
    if (r === undefined) return rejected(new TypeError("ReadableStreamDefaultReader.prototype.read: illegal invocation"));
    if (r.stream === null) return rejected(new TypeError("ReadableStreamDefaultReader.prototype.read: the reader has been released"));
    return readerRead(r);
  }
  releaseLock() {
    const r = rdr(this, "releaseLock");
    if (r.stream === null) return;
    readerRelease(r);
  }
  cancel(reason = undefined) {
    const r = readers.get(this);
    if (r === undefined) return rejected(new TypeError("ReadableStreamDefaultReader.prototype.cancel: illegal invocation"));
    if (r.stream === null) return rejected(new TypeError("ReadableStreamDefaultReader.prototype.cancel: the reader has been released"));
    return streamCancel(r.stream, reason);
  }
}
ObjectDefineProperty(ReadableStreamDefaultReader.prototype, Symbol.toStringTag, { __proto__: null, value: "ReadableStreamDefaultReader", configurable: true });

// --- async iteration (§4.2.5) -------------------------------------------------------------------
const AsyncIteratorPrototype = ObjectGetPrototypeOf(ObjectGetPrototypeOf(async function* () {}).prototype);
const iterators = new SafeWeakMap();
const ReadableStreamAsyncIteratorPrototype = primordials.ObjectCreate(AsyncIteratorPrototype);
function itr(self, what) {
  const it = iterators.get(self);
  if (it === undefined) throw new TypeError("ReadableStream async iterator: " + what + ": illegal invocation");
  return it;
}
// Calls are queued: a next() or return() waits for the one before it (WebIDL async iterators).
// With none in flight the steps run now, so return() releases the lock before it returns.
// Callbacks never return a promise (adopting one would call Promise.prototype.then).
function enqueueStep(it, step) {
  const d = primordials.PromiseWithResolvers();
  const run = () => { then(step(), d.resolve, d.reject); };
  if (it.ongoing === null) run(); else then(it.ongoing, run, run);
  const clear = () => { if (it.ongoing === ongoing) it.ongoing = null; };
  const ongoing = then(d.promise, clear, clear);
  it.ongoing = ongoing;
  return d.promise;
}
primordials.ObjectDefineProperties(ReadableStreamAsyncIteratorPrototype, {
  __proto__: null,
  next: {
    __proto__: null,
    value: function next() {
      let it;
      try { it = itr(this, "next"); } catch (e) { return rejected(e); }
      return enqueueStep(it, () => {
        if (it.finished) return resolved({ value: undefined, done: true });
        return then(readerRead(it.reader), (result) => {
          if (result.done) { it.finished = true; readerRelease(it.reader); }
          return result;
        }, (e) => {
          it.finished = true;
          readerRelease(it.reader);
          throw e;
        });
      });
    },
    writable: true, enumerable: true, configurable: true,
  },
  return: {
    __proto__: null,
    value: function (value = undefined) {
      let it;
      try { it = itr(this, "return"); } catch (e) { return rejected(e); }
      return enqueueStep(it, () => {
        if (it.finished) return resolved({ value, done: true });
        it.finished = true;
        const r = it.reader;
        if (!it.preventCancel) {
          const result = streamCancel(r.stream, value);
          readerRelease(r);
          return then(result, () => ({ value, done: true }));
        }
        readerRelease(r);
        return resolved({ value, done: true });
      });
    },
    writable: true, enumerable: true, configurable: true,
  },
});
ObjectDefineProperty(ReadableStreamAsyncIteratorPrototype, Symbol.toStringTag, { __proto__: null, value: "ReadableStream AsyncIterator", configurable: true });
function makeAsyncIterator(stream, preventCancel) {
  const it = primordials.ObjectCreate(ReadableStreamAsyncIteratorPrototype);
  const holder = {};
  const reader = acquireReader(holder, stream, "ReadableStream.prototype.values");
  iterators.set(it, { reader, preventCancel, finished: false, ongoing: null });
  return it;
}

// --- tee (§4.9.1 ReadableStreamDefaultTee, cloneForBranch2 = false) -----------------------------
function tee(stream, s) {
  const reader = acquireReader({}, stream, "ReadableStream.prototype.tee");
  let reading = false, readAgain = false, canceled1 = false, canceled2 = false, reason1, reason2;
  const cancelDone = primordials.PromiseWithResolvers();
  let b1, b2;
  function pull() {
    if (reading) { readAgain = true; return resolved(undefined); }
    reading = true;
    readerReadSteps(reader, {
      __proto__: null,
      chunk(value) {
        // Spec: the chunk steps run in a microtask, so a read inside them sees the pull finished.
        then(resolved(undefined), () => {
          readAgain = false;
          if (!canceled1) controllerEnqueue(b1.controller, value);
          if (!canceled2) controllerEnqueue(b2.controller, value);
          reading = false;
          if (readAgain) pull();
        });
      },
      close() {
        reading = false;
        if (!canceled1) controllerClose(b1.controller);
        if (!canceled2) controllerClose(b2.controller);
        if (!canceled1 || !canceled2) cancelDone.resolve(undefined);
      },
      error() { reading = false; },
    });
    return resolved(undefined);
  }
  function cancel1(reason) {
    canceled1 = true; reason1 = reason;
    if (canceled2) then(streamCancel(s, [reason1, reason2]), cancelDone.resolve, cancelDone.reject);
    return cancelDone.promise;
  }
  function cancel2(reason) {
    canceled2 = true; reason2 = reason;
    if (canceled1) then(streamCancel(s, [reason1, reason2]), cancelDone.resolve, cancelDone.reject);
    return cancelDone.promise;
  }
  const out1 = createReadableStream(pull, cancel1, 0);
  const out2 = createReadableStream(pull, cancel2, 0);
  b1 = streams.get(out1);
  b2 = streams.get(out2);
  then(reader.closed.promise, noop, (e) => {
    controllerError(b1.controller, e);
    controllerError(b2.controller, e);
    if (!canceled1 || !canceled2) cancelDone.resolve(undefined);
  });
  return [out1, out2];
}

// --- tee of a byte stream (§4.9.2 ReadableByteStreamTee) ---------------------------------------
// Both branches are byte streams. The source is read with a default reader, or with a BYOB
// reader into the view of whichever branch has a byobRequest; the other branch gets a copy.
function byteTee(stream, s) {
  let reader = acquireReader({}, stream, "ReadableStream.prototype.tee");
  let reading = false, readAgain1 = false, readAgain2 = false, canceled1 = false, canceled2 = false, reason1, reason2;
  const cancelDone = primordials.PromiseWithResolvers();
  let b1, b2;
  function forwardReaderError(r) {
    then(r.closed.promise, noop, (e) => {
      if (r !== reader) return;
      byteError(b1.controller, e);
      byteError(b2.controller, e);
      if (!canceled1 || !canceled2) cancelDone.resolve(undefined);
    });
  }
  function cloneAsUint8Array(view) {
    const { buffer, byteOffset, byteLength } = viewParts(view);
    return new Uint8Array(ArrayBufferPrototypeSlice(buffer, byteOffset, byteOffset + byteLength));
  }
  function failBoth(e) {
    byteError(b1.controller, e);
    byteError(b2.controller, e);
    then(streamCancel(s, e), cancelDone.resolve, cancelDone.reject);
  }
  function pullAgain() {
    reading = false;
    if (readAgain1) pull1(); else if (readAgain2) pull2();
  }
  function pullWithDefaultReader() {
    if (reader.byob) {
      readerRelease(reader);
      reader = acquireReader({}, stream, "ReadableStream.prototype.tee");
      forwardReaderError(reader);
    }
    readerReadSteps(reader, {
      __proto__: null,
      chunk(chunk) {
        // As in the default tee: a microtask later, so an error already signalled wins.
        then(resolved(undefined), () => {
          readAgain1 = false; readAgain2 = false;
          let chunk2 = chunk;
          if (!canceled1 && !canceled2) {
            try { chunk2 = cloneAsUint8Array(chunk); } catch (e) { failBoth(e); return; }
          }
          if (!canceled1) byteEnqueue(b1.controller, chunk);
          if (!canceled2) byteEnqueue(b2.controller, chunk2);
          pullAgain();
        });
      },
      close() {
        reading = false;
        if (!canceled1) byteClose(b1.controller);
        if (!canceled2) byteClose(b2.controller);
        if (b1.controller.pendingPullIntos.length > 0) byteRespond(b1.controller, 0, "tee");
        if (b2.controller.pendingPullIntos.length > 0) byteRespond(b2.controller, 0, "tee");
        if (!canceled1 || !canceled2) cancelDone.resolve(undefined);
      },
      error() { reading = false; },
    });
  }
  function pullWithBYOBReader(view, forBranch2) {
    if (!reader.byob) {
      readerRelease(reader);
      reader = acquireReader({}, stream, "ReadableStream.prototype.tee", true);
      forwardReaderError(reader);
    }
    const byobBranch = forBranch2 ? b2 : b1;
    const otherBranch = forBranch2 ? b1 : b2;
    byobReaderReadSteps(reader, view, 1, {
      __proto__: null,
      chunk(chunk) {
        then(resolved(undefined), () => {
          readAgain1 = false; readAgain2 = false;
          const byobCanceled = forBranch2 ? canceled2 : canceled1;
          const otherCanceled = forBranch2 ? canceled1 : canceled2;
          if (!otherCanceled) {
            let cloned;
            try { cloned = cloneAsUint8Array(chunk); } catch (e) { failBoth(e); return; }
            if (!byobCanceled) byteRespondWithNewView(byobBranch.controller, chunk, "tee");
            byteEnqueue(otherBranch.controller, cloned);
          } else if (!byobCanceled) {
            byteRespondWithNewView(byobBranch.controller, chunk, "tee");
          }
          pullAgain();
        });
      },
      close(chunk) {
        reading = false;
        const byobCanceled = forBranch2 ? canceled2 : canceled1;
        const otherCanceled = forBranch2 ? canceled1 : canceled2;
        if (!byobCanceled) byteClose(byobBranch.controller);
        if (!otherCanceled) byteClose(otherBranch.controller);
        if (chunk !== undefined) {
          if (!byobCanceled) byteRespondWithNewView(byobBranch.controller, chunk, "tee");
          if (!otherCanceled && otherBranch.controller.pendingPullIntos.length > 0) byteRespond(otherBranch.controller, 0, "tee");
        }
        if (!byobCanceled || !otherCanceled) cancelDone.resolve(undefined);
      },
      error() { reading = false; },
    });
  }
  function pullBranch(branch, forBranch2) {
    if (reading) {
      if (forBranch2) readAgain2 = true; else readAgain1 = true;
      return resolved(undefined);
    }
    reading = true;
    const request = byteGetByobRequest(branch.controller);
    if (request === null) pullWithDefaultReader();
    else pullWithBYOBReader(byobRequests.get(request).view, forBranch2);
    return resolved(undefined);
  }
  function pull1() { return pullBranch(b1, false); }
  function pull2() { return pullBranch(b2, true); }
  function cancel1(reason) {
    canceled1 = true; reason1 = reason;
    if (canceled2) then(streamCancel(s, [reason1, reason2]), cancelDone.resolve, cancelDone.reject);
    return cancelDone.promise;
  }
  function cancel2(reason) {
    canceled2 = true; reason2 = reason;
    if (canceled1) then(streamCancel(s, [reason1, reason2]), cancelDone.resolve, cancelDone.reject);
    return cancelDone.promise;
  }
  const out1 = createReadableByteStream(pull1, cancel1);
  const out2 = createReadableByteStream(pull2, cancel2);
  b1 = streams.get(out1);
  b2 = streams.get(out2);
  forwardReaderError(reader);
  return [out1, out2];
}

// --- ReadableStream.from (§4.2.4) ---------------------------------------------------------------------
function streamFrom(iterable) {
  if (!isObject(iterable) && typeof iterable !== "string") throw new TypeError("ReadableStream.from: argument 1 must be an iterable or async iterable");
  let method = iterable[SymbolAsyncIterator];
  let sync = false;
  if (method === undefined || method === null) { method = iterable[SymbolIterator]; sync = true; }
  if (typeof method !== "function") throw new TypeError("ReadableStream.from: argument 1 is not iterable");
  const iterator = FunctionPrototypeCall(method, iterable);
  if (!isObject(iterator)) throw new TypeError("ReadableStream.from: the iterator method did not return an object");
  const nextMethod = iterator.next;
  let stream;
  const pull = () => {
    let result;
    try { result = FunctionPrototypeCall(nextMethod, iterator); } catch (e) { return rejected(e); }
    const d = primordials.PromiseWithResolvers();
    then(resolved(result), (r) => {
      try {
        if (!isObject(r)) throw new TypeError("ReadableStream.from: the iterator result is not an object");
        const c = streams.get(stream).controller;
        if (r.done) { controllerClose(c); d.resolve(undefined); return; }
        // A sync iterator's value is awaited (CreateAsyncFromSyncIterator).
        if (sync) then(resolved(r.value), (v) => { controllerEnqueue(c, v); d.resolve(undefined); }, d.reject);
        else { controllerEnqueue(c, r.value); d.resolve(undefined); }
      } catch (e) { d.reject(e); }
    }, d.reject);
    return d.promise;
  };
  const cancel = (reason) => {
    let ret;
    try { ret = iterator.return; } catch (e) { return rejected(e); }
    if (ret === undefined || ret === null) return resolved(undefined);
    return then(call(ret, iterator, reason), (r) => {
      if (!isObject(r)) throw new TypeError("ReadableStream.from: the iterator's return() result is not an object");
    });
  };
  stream = createReadableStream(pull, cancel, 0);
  return stream;
}

// --- internal helpers for fetch and Blob ---------------------------------------------------------------
/**
 * A stream whose pull()/cancel() are internal (return promises); hwm 0 pulls only when read.
 * "size" is a strategy's size function (called with this undefined) or undefined for 1 a chunk.
 */
function createReadableStream(pull, cancel, hwm = 0, start = undefined, size = undefined) {
  const stream = primordials.ObjectCreate(ReadableStream.prototype);
  const s = newStreamSlots();
  streams.set(stream, s);
  const c = newController(s, hwm, extractSize({ __proto__: null, size }, "ReadableStream"), () => call(pull, undefined, c.object), (reason) => call(cancel, undefined, reason));
  setUpController(s, c, start);
  return stream;
}
/**
 * A byte stream whose pull()/cancel() are internal, as the platform's byte sources (Blob.stream(),
 * bodies) are "set up with byte reading support": highWaterMark 0, no autoAllocateChunkSize, so a
 * BYOB read copies from what pull() enqueues and keeps the rest queued.
 */
function createReadableByteStream(pull, cancel, start = undefined) {
  const stream = primordials.ObjectCreate(ReadableStream.prototype);
  const s = newStreamSlots();
  streams.set(stream, s);
  const c = newByteController(s, 0, undefined, () => call(pull, undefined, c.object), (reason) => call(cancel, undefined, reason));
  setUpController(s, c, start);
  return stream;
}
function isReadableStream(v) { return isObject(v) && streams.has(v); }
function isDisturbed(stream) { return streams.get(stream).disturbed; }
function isLocked(stream) { return streams.get(stream).reader !== null; }
/** Locks a stream to an internal reader no one holds (a body consumed without its stream). */
function lockStream(stream) { acquireReader({}, stream, "lockStream"); }
/**
 * Fetch "fully read body": reads every chunk (each must be a Uint8Array) into one buffer.
 * The reader is never released, so the stream stays locked (and disturbed) afterwards.
 */
async function readableStreamCollect(stream, where) {
  const r = acquireReader({}, stream, where);
  const chunks = [];
  let length = 0;
  for (;;) {
    const { value, done } = await readerRead(r);
    if (done) break;
    if (!ArrayBufferIsView(value) || TypedArrayPrototypeGetSymbolToStringTag(value) !== "Uint8Array") {
      const e = new TypeError(where + ": the body stream produced a chunk that is not a Uint8Array");
      // The source's cancel() may reject; that is not the caller's error to see.
      then(streamCancel(r.stream, e), undefined, noop);
      throw e;
    }
    ArrayPrototypePush(chunks, value);
    length += TypedArrayPrototypeGetByteLength(value);
  }
  if (chunks.length === 1) return primordials.TypedArrayPrototypeSlice(chunks[0]);
  const out = new Uint8Array(length);
  let at = 0;
  for (let i = 0; i < chunks.length; i++) { TypedArrayPrototypeSet(out, chunks[i], at); at += TypedArrayPrototypeGetByteLength(chunks[i]); }
  return out;
}
/** The controller object of an internal stream, for enqueue/close from a start function. */
function streamControllerEnqueue(stream, chunk) { enqueueAny(streams.get(stream).controller, chunk); }
function streamControllerClose(stream) { closeAny(streams.get(stream).controller); }
function streamControllerError(stream, e) { errorAny(streams.get(stream).controller, e); }
/** ReadableStreamCancel on an unlocked or locked stream (the caller owns the lock). */
function cancelStream(stream, reason) { return streamCancel(streams.get(stream), reason); }
function teeStream(stream) {
  const s = streams.get(stream);
  return s.controller.byte ? byteTee(stream, s) : tee(stream, s);
}

/** The internal slots of a ReadableStream (undefined for anything else), for pipeTo and TransformStream. */
function readableSlots(stream) { return isObject(stream) ? streams.get(stream) : undefined; }
/** AcquireReadableStreamDefaultReader without a reader object: the internal reader record. */
function acquireInternalReader(stream, where) { return acquireReader({}, stream, where); }
/** ReadableStreamDefaultControllerHasBackpressure. */
function controllerHasBackpressure(c) { return !shouldCallPull(c); }

export {
  acquireInternalReader, canCloseOrEnqueue, controllerClose, controllerEnqueue, controllerError, controllerHasBackpressure, desiredSize as controllerDesiredSize,
  deferred, extractHighWaterMark, extractSize, readableSlots, readerReadSteps, readerRelease, rejected, resolved, streamCancel,
  ByteLengthQueuingStrategy, CountQueuingStrategy, ReadableByteStreamController, ReadableStream, ReadableStreamBYOBReader,
  ReadableStreamBYOBRequest, ReadableStreamDefaultController, ReadableStreamDefaultReader,
  cancelStream, createReadableByteStream, createReadableStream, lockStream, isDisturbed, isLocked, isReadableStream, readableStreamCollect,
  streamControllerClose, streamControllerEnqueue, streamControllerError, teeStream,
};
`;
