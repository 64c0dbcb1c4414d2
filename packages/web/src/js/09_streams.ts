/**
 * ReadableStream with its default reader and controller, async iteration,
 * tee() and ReadableStream.from, plus CountQueuingStrategy and
 * ByteLengthQueuingStrategy (WHATWG Streams §4, §6). Byte streams
 * (`type: "bytes"`, BYOB readers) are not here; a fetch body is a default stream
 * of Uint8Array chunks. WritableStream, TransformStream and pipeTo/pipeThrough are
 * in 09_writable_stream, which uses the internals exported at the end.
 *
 * Internal helpers (createReadableStream, readableStreamCollect, isDisturbed,
 * isLocked) let fetch and Blob build and drain streams without going through
 * user-replaceable methods.
 */
export const STREAMS_SOURCE = String.raw`
import { primordials } from "ext:core/mod.js";
import { EMPTY_DICT, requireArgs } from "ext:islet_web/00_webidl.js";
const {
  ArrayPrototypePush, ArrayPrototypeShift, FunctionPrototypeCall, MathMax, NumberIsNaN, ObjectDefineProperty,
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
let constructing = false;
function st(self, what) {
  const s = streams.get(self);
  if (s === undefined) throw new TypeError("ReadableStream.prototype." + what + ": illegal invocation");
  return s;
}
function ctl(self, what) {
  const c = controllers.get(self);
  if (c === undefined) throw new TypeError("ReadableStreamDefaultController.prototype." + what + ": illegal invocation");
  return c;
}
function rdr(self, what) {
  const r = readers.get(self);
  if (r === undefined) throw new TypeError("ReadableStreamDefaultReader.prototype." + what + ": illegal invocation");
  return r;
}

// --- controller algorithms (§4.9) ----------------------------------------------------------
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
  }, (e) => controllerError(c, e));
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
  const startResult = call(start, c.object, c.object);
  then(startResult, () => { c.started = true; callPullIfNeeded(c); }, (e) => controllerError(c, e));
}

// --- stream algorithms (§4.8) ---------------------------------------------------------------
function streamClose(s) {
  s.state = "closed";
  const reader = s.reader;
  if (reader === null) return;
  reader.closed.resolve(undefined);
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
  const c = s.controller;
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
function acquireReader(reader, stream, where) {
  const s = streams.get(stream);
  if (s === undefined) throw new TypeError(where + ": argument 1 is not a ReadableStream");
  if (s.reader !== null) throw new TypeError(where + ": the stream is already locked to a reader");
  const r = { stream: s, readRequests: [], closed: deferred() };
  if (s.state === "closed") r.closed.resolve(undefined);
  else if (s.state === "errored") r.closed.reject(s.storedError);
  s.reader = r;
  readers.set(reader, r);
  return r;
}
function readerRelease(r) {
  const s = r.stream;
  const error = new TypeError("ReadableStreamDefaultReader: the reader's lock was released");
  if (s.state === "readable") r.closed.reject(error);
  else { r.closed = deferred(); r.closed.reject(error); }
  const requests = r.readRequests;
  r.readRequests = [];
  for (let i = 0; i < requests.length; i++) requests[i].error(error);
  s.reader = null;
  r.stream = null;
}

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
  const c = {
    object, stream, queue: [], queueTotalSize: 0, started: false, closeRequested: false, pulling: false,
    pullAgain: false, hwm, size, pull, cancel,
  };
  controllers.set(object, c);
  return c;
}
function newStreamSlots() {
  return { state: "readable", reader: null, storedError: undefined, disturbed: false, controller: null };
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
    const cancel = source.cancel, pull = source.pull, start = source.start, type = source.type;
    if (cancel !== undefined && typeof cancel !== "function") throw new TypeError(where + ": underlyingSource.cancel must be a function");
    if (pull !== undefined && typeof pull !== "function") throw new TypeError(where + ": underlyingSource.pull must be a function");
    if (start !== undefined && typeof start !== "function") throw new TypeError(where + ": underlyingSource.start must be a function");
    if (type !== undefined) {
      const t = String(type);
      if (t === "bytes") throw new RangeError(where + ": byte streams (type: \"bytes\") are not supported in Islet; use a default stream of Uint8Array chunks");
      throw new TypeError(where + ": underlyingSource.type must be \"bytes\" or undefined, got " + primordials.JSONStringify(t));
    }
    const hwm = extractHighWaterMark({ highWaterMark: hwmRaw }, 1, where);
    const size = extractSize({ size: sizeRaw }, where);
    const s = newStreamSlots();
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
      const m = String(mode);
      if (m === "byob") throw new TypeError("ReadableStream.prototype.getReader: a BYOB reader needs a byte stream, and this is a default stream");
      throw new TypeError("ReadableStream.prototype.getReader: options.mode must be \"byob\" or undefined, got " + primordials.JSONStringify(m));
    }
    return new ReadableStreamDefaultReader(this);
  }
  tee() {
    const s = st(this, "tee");
    return tee(this, s);
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
function streamControllerEnqueue(stream, chunk) { controllerEnqueue(streams.get(stream).controller, chunk); }
function streamControllerClose(stream) { controllerClose(streams.get(stream).controller); }
function streamControllerError(stream, e) { controllerError(streams.get(stream).controller, e); }
/** ReadableStreamCancel on an unlocked or locked stream (the caller owns the lock). */
function cancelStream(stream, reason) { return streamCancel(streams.get(stream), reason); }
function teeStream(stream) { return tee(stream, streams.get(stream)); }

/** The internal slots of a ReadableStream (undefined for anything else), for pipeTo and TransformStream. */
function readableSlots(stream) { return isObject(stream) ? streams.get(stream) : undefined; }
/** AcquireReadableStreamDefaultReader without a reader object: the internal reader record. */
function acquireInternalReader(stream, where) { return acquireReader({}, stream, where); }
/** ReadableStreamDefaultControllerHasBackpressure. */
function controllerHasBackpressure(c) { return !shouldCallPull(c); }

export {
  acquireInternalReader, canCloseOrEnqueue, controllerClose, controllerEnqueue, controllerError, controllerHasBackpressure, desiredSize as controllerDesiredSize,
  deferred, extractHighWaterMark, extractSize, readableSlots, readerReadSteps, readerRelease, rejected, resolved, streamCancel,
  ByteLengthQueuingStrategy, CountQueuingStrategy, ReadableStream, ReadableStreamDefaultController, ReadableStreamDefaultReader,
  cancelStream, createReadableStream, lockStream, isDisturbed, isLocked, isReadableStream, readableStreamCollect,
  streamControllerClose, streamControllerEnqueue, streamControllerError, teeStream,
};
`;
