/**
 * WritableStream with its default writer and controller (WHATWG Streams §5),
 * TransformStream with its default controller (§6), and ReadableStream's
 * pipeTo/pipeThrough (§4.9.6 ReadableStreamPipeTo), which need both sides'
 * internals and so are installed on ReadableStream.prototype from here.
 *
 * Each abstract operation keeps the spec's name (camelCased, without the
 * "WritableStream" prefix where the slot record says which stream it is), so a
 * step can be checked against the standard. Internal callers (pipeTo,
 * TransformStream, the encoding and compression streams) use the slot records and
 * never a public method a program may have replaced; pipeTo reads with read
 * requests of steps, so it never calls a guest's Object.prototype.then.
 */
export const WRITABLE_STREAM_SOURCE = String.raw`
import { primordials } from "ext:core/mod.js";
import { brandCheck, EMPTY_DICT, requireArgs, setToStringTag, toDictionary } from "ext:islet_web/00_webidl.js";
import { AbortController, abortSignalAdd, abortSignalRemove, isAbortSignal, signalAbort, signalAborted, signalReason, abortControllerSignal } from "ext:islet_web/04_abort.js";
import {
  acquireInternalReader, canCloseOrEnqueue, controllerClose, controllerDesiredSize, controllerEnqueue, controllerError,
  controllerHasBackpressure, createReadableStream, deferred, extractHighWaterMark, extractSize, readableSlots, readerReadSteps,
  readerRelease, rejected, resolved, ReadableStream, streamCancel,
} from "ext:islet_web/09_streams.js";
const {
  ArrayPrototypePush, ArrayPrototypeShift, Boolean, FunctionPrototypeCall, NumberIsNaN, ObjectDefineProperty, PromisePrototypeThen,
  RangeError, ReflectApply, SafeWeakMap, String, TypeError,
} = primordials;
const Infinity_ = 1 / 0;

function noop() {}
function then(p, f, r) { return PromisePrototypeThen(p, f, r); }
function isObject(v) { return v !== null && (typeof v === "object" || typeof v === "function"); }
function newPromise() { return primordials.PromiseWithResolvers(); }
/** "Invoke a callback function" and promise-ify the result: a throw becomes a rejected promise. */
function promiseCall(fn, self, args) {
  try { return resolved(fn === undefined ? undefined : ReflectApply(fn, self, args)); } catch (e) { return rejected(e); }
}
/** A callback dictionary member (WebIDL callback function conversion): undefined or a function. */
function callbackMember(dict, name, where, what) {
  const v = dict[name];
  if (v !== undefined && typeof v !== "function") throw new TypeError(where + ": " + what + "." + name + " must be a function");
  return v;
}
/** QueuingStrategy (WebIDL dictionary, members highWaterMark then size), converted as an argument is. */
function toQueuingStrategy(v, where) {
  const d = toDictionary(v, where, "strategy");
  const hwm = d.highWaterMark;
  const strategy = { __proto__: null, highWaterMark: hwm === undefined ? undefined : +hwm, size: undefined };
  strategy.size = callbackMember(d, "size", where, "strategy");
  return strategy;
}
/** A promise that is already rejected and marked handled (the spec's "a promise rejected with", then "set handled"). */
function handledRejection(e) {
  const d = deferred();
  d.reject(e);
  return d;
}
function settledDeferred() {
  const d = deferred();
  d.resolve(undefined);
  return d;
}

// --- slots -----------------------------------------------------------------------------
// stream: { state: "writable"|"closed"|"erroring"|"errored", storedError, writer, controller, writeRequests,
//           inFlightWriteRequest, closeRequest, inFlightCloseRequest, pendingAbortRequest, backpressure }
// writer: { stream, ready: deferred, closed: deferred }
// controller: { object, stream, queue, queueTotalSize, started, hwm, size, write, close, abort, abortController }
const wstreams = new SafeWeakMap();
const writers = new SafeWeakMap();
const wcontrollers = new SafeWeakMap();
const CLOSE_SENTINEL = primordials.ObjectFreeze({ __proto__: null });
let constructingController = false;

const wsOf = brandCheck(wstreams, "WritableStream");
const writerOf = brandCheck(writers, "WritableStreamDefaultWriter");
const wcOf = brandCheck(wcontrollers, "WritableStreamDefaultController");
/** A writer's record whose lock is held, or the TypeError a released writer's methods give. */
function lockedWriter(self, what) {
  const w = writerOf(self, what);
  if (w.stream === undefined) throw new TypeError("WritableStreamDefaultWriter.prototype." + what + ": the writer's lock was released");
  return w;
}
/** WebIDL: an operation or attribute that returns a promise rejects instead of throwing. */
function rejectsOnThrow(f) {
  try { return f(); } catch (e) { return rejected(e); }
}

// --- WritableStream abstract operations (§5.5) ------------------------------------------
function closeQueuedOrInFlight(s) { return s.closeRequest !== undefined || s.inFlightCloseRequest !== undefined; }
function hasOperationMarkedInFlight(s) { return s.inFlightWriteRequest !== undefined || s.inFlightCloseRequest !== undefined; }

function streamAbort(s, reason) {
  if (s.state === "closed" || s.state === "errored") return resolved(undefined);
  signalAbort(abortControllerSignal(s.controller.abortController), reason);
  // The signal's listeners ran guest code, which may have moved the stream on.
  const state = s.state;
  if (state === "closed" || state === "errored") return resolved(undefined);
  if (s.pendingAbortRequest !== undefined) return s.pendingAbortRequest.deferred.promise;
  let wasAlreadyErroring = false;
  if (state === "erroring") { wasAlreadyErroring = true; reason = undefined; }
  const d = newPromise();
  s.pendingAbortRequest = { __proto__: null, deferred: d, reason, wasAlreadyErroring };
  if (!wasAlreadyErroring) startErroring(s, reason);
  return d.promise;
}
function streamClose(s) {
  const state = s.state;
  if (state === "closed" || state === "errored") {
    return rejected(new TypeError("WritableStream.prototype.close: the stream is already " + state));
  }
  const d = newPromise();
  s.closeRequest = d;
  const w = s.writer;
  if (w !== undefined && s.backpressure && state === "writable") w.ready.resolve(undefined);
  // WritableStreamDefaultControllerClose
  enqueueValueWithSize(s.controller, CLOSE_SENTINEL, 0);
  advanceQueueIfNeeded(s.controller);
  return d.promise;
}
function addWriteRequest(s) {
  const d = newPromise();
  ArrayPrototypePush(s.writeRequests, d);
  return d.promise;
}
function dealWithRejection(s, error) {
  if (s.state === "writable") { startErroring(s, error); return; }
  finishErroring(s);
}
function startErroring(s, reason) {
  const c = s.controller;
  s.state = "erroring";
  s.storedError = reason;
  if (s.writer !== undefined) writerEnsureReadyPromiseRejected(s.writer, reason);
  if (!hasOperationMarkedInFlight(s) && c.started) finishErroring(s);
}
function finishErroring(s) {
  s.state = "errored";
  resetQueue(s.controller);
  const storedError = s.storedError;
  const requests = s.writeRequests;
  s.writeRequests = [];
  for (let i = 0; i < requests.length; i++) requests[i].reject(storedError);
  const abortRequest = s.pendingAbortRequest;
  if (abortRequest === undefined) { rejectCloseAndClosedPromiseIfNeeded(s); return; }
  s.pendingAbortRequest = undefined;
  if (abortRequest.wasAlreadyErroring) {
    abortRequest.deferred.reject(storedError);
    rejectCloseAndClosedPromiseIfNeeded(s);
    return;
  }
  // controller.[[AbortSteps]](reason)
  const c = s.controller;
  const promise = c.abort(abortRequest.reason);
  clearAlgorithms(c);
  then(promise, () => {
    abortRequest.deferred.resolve(undefined);
    rejectCloseAndClosedPromiseIfNeeded(s);
  }, (reason) => {
    abortRequest.deferred.reject(reason);
    rejectCloseAndClosedPromiseIfNeeded(s);
  });
}
function finishInFlightWrite(s) {
  s.inFlightWriteRequest.resolve(undefined);
  s.inFlightWriteRequest = undefined;
}
function finishInFlightWriteWithError(s, error) {
  s.inFlightWriteRequest.reject(error);
  s.inFlightWriteRequest = undefined;
  dealWithRejection(s, error);
}
function finishInFlightClose(s) {
  s.inFlightCloseRequest.resolve(undefined);
  s.inFlightCloseRequest = undefined;
  if (s.state === "erroring") {
    s.storedError = undefined;
    if (s.pendingAbortRequest !== undefined) {
      s.pendingAbortRequest.deferred.resolve(undefined);
      s.pendingAbortRequest = undefined;
    }
  }
  s.state = "closed";
  if (s.writer !== undefined) s.writer.closed.resolve(undefined);
}
function finishInFlightCloseWithError(s, error) {
  s.inFlightCloseRequest.reject(error);
  s.inFlightCloseRequest = undefined;
  if (s.pendingAbortRequest !== undefined) {
    s.pendingAbortRequest.deferred.reject(error);
    s.pendingAbortRequest = undefined;
  }
  dealWithRejection(s, error);
}
function rejectCloseAndClosedPromiseIfNeeded(s) {
  if (s.closeRequest !== undefined) {
    s.closeRequest.reject(s.storedError);
    s.closeRequest = undefined;
  }
  if (s.writer !== undefined) s.writer.closed.reject(s.storedError);
}
function updateBackpressure(s, backpressure) {
  const w = s.writer;
  if (w !== undefined && backpressure !== s.backpressure) {
    if (backpressure) w.ready = deferred();
    else w.ready.resolve(undefined);
  }
  s.backpressure = backpressure;
}

// --- writer (§5.6) ----------------------------------------------------------------------------
function acquireWriter(writerObject, stream, where) {
  const s = isObject(stream) ? wstreams.get(stream) : undefined;
  if (s === undefined) throw new TypeError(where + ": argument 1 is not a WritableStream");
  if (s.writer !== undefined) throw new TypeError(where + ": the stream is already locked to a writer");
  const w = { __proto__: null, stream: s, ready: undefined, closed: undefined };
  s.writer = w;
  const state = s.state;
  if (state === "writable") {
    w.ready = !closeQueuedOrInFlight(s) && s.backpressure ? deferred() : settledDeferred();
    w.closed = deferred();
  } else if (state === "erroring") {
    w.ready = handledRejection(s.storedError);
    w.closed = deferred();
  } else if (state === "closed") {
    w.ready = settledDeferred();
    w.closed = settledDeferred();
  } else {
    w.ready = handledRejection(s.storedError);
    w.closed = handledRejection(s.storedError);
  }
  if (writerObject !== undefined) writers.set(writerObject, w);
  return w;
}
// A deferred already settled is replaced by a fresh rejected one (the spec's "set to a promise rejected with").
function writerEnsureReadyPromiseRejected(w, error) {
  if (w.ready.settled) w.ready = handledRejection(error);
  else w.ready.reject(error);
}
function writerEnsureClosedPromiseRejected(w, error) {
  if (w.closed.settled) w.closed = handledRejection(error);
  else w.closed.reject(error);
}
function writerGetDesiredSize(w) {
  const s = w.stream;
  if (s.state === "errored" || s.state === "erroring") return null;
  if (s.state === "closed") return 0;
  return s.controller.hwm - s.controller.queueTotalSize;
}
function writerRelease(w) {
  const s = w.stream;
  const releasedError = new TypeError("WritableStreamDefaultWriter: the writer's lock was released");
  writerEnsureReadyPromiseRejected(w, releasedError);
  writerEnsureClosedPromiseRejected(w, releasedError);
  s.writer = undefined;
  w.stream = undefined;
}
function writerWrite(w, chunk) {
  const s = w.stream;
  const c = s.controller;
  const chunkSize = controllerGetChunkSize(c, chunk);
  if (s !== w.stream) return rejected(new TypeError("WritableStreamDefaultWriter.prototype.write: the writer's lock was released while the chunk's size was computed"));
  const state = s.state;
  if (state === "errored") return rejected(s.storedError);
  if (closeQueuedOrInFlight(s) || state === "closed") {
    return rejected(new TypeError("WritableStreamDefaultWriter.prototype.write: the stream is " + (state === "closed" ? "closed" : "closing")));
  }
  if (state === "erroring") return rejected(s.storedError);
  const promise = addWriteRequest(s);
  controllerWrite(c, chunk, chunkSize);
  return promise;
}
function writerCloseWithErrorPropagation(w) {
  const s = w.stream;
  const state = s.state;
  if (closeQueuedOrInFlight(s) || state === "closed") return resolved(undefined);
  if (state === "errored") return rejected(s.storedError);
  return streamClose(s);
}

// --- controller (§5.7) --------------------------------------------------------------------------
function resetQueue(c) { c.queue = []; c.queueTotalSize = 0; }
function enqueueValueWithSize(c, value, size) {
  size = +size;
  if (NumberIsNaN(size) || size < 0 || size === Infinity_) {
    throw new RangeError("WritableStream: the chunk's size must be a finite non-negative number, got " + String(size));
  }
  ArrayPrototypePush(c.queue, { __proto__: null, value, size });
  c.queueTotalSize += size;
}
function dequeueValue(c) {
  const entry = ArrayPrototypeShift(c.queue);
  c.queueTotalSize -= entry.size;
  if (c.queueTotalSize < 0) c.queueTotalSize = 0;
  return entry.value;
}
function clearAlgorithms(c) { c.write = undefined; c.close = undefined; c.abort = undefined; c.size = undefined; }
function controllerGetBackpressure(c) { return c.hwm - c.queueTotalSize <= 0; }
function controllerGetChunkSize(c, chunk) {
  if (c.size === undefined) return 1;
  try { return c.size(chunk); } catch (e) { controllerErrorIfNeeded(c, e); return 1; }
}
function controllerWrite(c, chunk, chunkSize) {
  try { enqueueValueWithSize(c, chunk, chunkSize); } catch (e) { controllerErrorIfNeeded(c, e); return; }
  const s = c.stream;
  if (!closeQueuedOrInFlight(s) && s.state === "writable") updateBackpressure(s, controllerGetBackpressure(c));
  advanceQueueIfNeeded(c);
}
function advanceQueueIfNeeded(c) {
  const s = c.stream;
  if (!c.started || s.inFlightWriteRequest !== undefined) return;
  if (s.state === "erroring") { finishErroring(s); return; }
  if (c.queue.length === 0) return;
  const value = c.queue[0].value;
  if (value === CLOSE_SENTINEL) processClose(c); else processWrite(c, value);
}
function controllerErrorIfNeeded(c, e) {
  if (c.stream.state === "writable") controllerErrorW(c, e);
}
function controllerErrorW(c, e) {
  clearAlgorithms(c);
  startErroring(c.stream, e);
}
function processClose(c) {
  const s = c.stream;
  s.inFlightCloseRequest = s.closeRequest;
  s.closeRequest = undefined;
  dequeueValue(c);
  const sinkClosePromise = c.close();
  clearAlgorithms(c);
  then(sinkClosePromise, () => finishInFlightClose(s), (reason) => finishInFlightCloseWithError(s, reason));
}
function processWrite(c, chunk) {
  const s = c.stream;
  s.inFlightWriteRequest = ArrayPrototypeShift(s.writeRequests);
  then(c.write(chunk), () => {
    finishInFlightWrite(s);
    dequeueValue(c);
    if (!closeQueuedOrInFlight(s) && s.state === "writable") updateBackpressure(s, controllerGetBackpressure(c));
    advanceQueueIfNeeded(c);
  }, (reason) => {
    if (s.state === "writable") clearAlgorithms(c);
    finishInFlightWriteWithError(s, reason);
  });
}
/**
 * SetUpWritableStreamDefaultController. "start" is called now (a throw propagates to the
 * caller, as from the constructor); write/close/abort return promises.
 */
function setUpWritableController(stream, s, start, write, close, abort, hwm, size) {
  constructingController = true;
  let object;
  try { object = new WritableStreamDefaultController(); } finally { constructingController = false; }
  const c = {
    __proto__: null, object, stream: s, queue: [], queueTotalSize: 0, started: false, hwm, size, write, close, abort,
    abortController: new AbortController(),
  };
  wcontrollers.set(object, c);
  s.controller = c;
  updateBackpressure(s, controllerGetBackpressure(c));
  const startResult = start === undefined ? undefined : start(object);
  then(resolved(startResult), () => {
    c.started = true;
    advanceQueueIfNeeded(c);
  }, (r) => {
    c.started = true;
    dealWithRejection(s, r);
  });
}
function newWritableSlots() {
  return {
    __proto__: null, state: "writable", storedError: undefined, writer: undefined, controller: undefined, writeRequests: [],
    inFlightWriteRequest: undefined, closeRequest: undefined, inFlightCloseRequest: undefined, pendingAbortRequest: undefined,
    backpressure: false,
  };
}
/** CreateWritableStream: a stream whose algorithms are internal functions returning promises. */
function createWritableStream(start, write, close, abort, hwm = 1, size = undefined) {
  const stream = primordials.ObjectCreate(WritableStream.prototype);
  const s = newWritableSlots();
  wstreams.set(stream, s);
  setUpWritableController(stream, s, start, write, close, abort, hwm, extractSize({ __proto__: null, size }, "WritableStream"));
  return stream;
}

// --- public classes ---------------------------------------------------------------------------------
class WritableStream {
  constructor(underlyingSink = undefined, strategy = undefined) {
    const where = "WritableStream constructor";
    if (underlyingSink !== undefined && underlyingSink !== null && !isObject(underlyingSink)) {
      throw new TypeError(where + ": underlyingSink must be an object");
    }
    // WebIDL converts the strategy argument before the body converts underlyingSink.
    const strat = toQueuingStrategy(strategy, where);
    const sink = underlyingSink === undefined || underlyingSink === null ? EMPTY_DICT : underlyingSink;
    // UnderlyingSink members in WebIDL order: abort, close, start, type, write.
    const abort = callbackMember(sink, "abort", where, "underlyingSink");
    const close = callbackMember(sink, "close", where, "underlyingSink");
    const start = callbackMember(sink, "start", where, "underlyingSink");
    const type = sink.type;
    const write = callbackMember(sink, "write", where, "underlyingSink");
    if (type !== undefined) throw new RangeError(where + ": underlyingSink.type must be undefined (no writable stream types are defined)");
    const size = extractSize(strat, where);
    const hwm = extractHighWaterMark(strat, 1, where);
    const s = newWritableSlots();
    wstreams.set(this, s);
    setUpWritableController(this, s,
      start === undefined ? undefined : (ctrl) => FunctionPrototypeCall(start, underlyingSink, ctrl),
      (chunk) => promiseCall(write, underlyingSink, [chunk, s.controller.object]),
      () => promiseCall(close, underlyingSink, []),
      (reason) => promiseCall(abort, underlyingSink, [reason]),
      hwm, size);
  }
  get locked() { return wsOf(this, "locked").writer !== undefined; }
  abort(reason = undefined) {
    return rejectsOnThrow(() => {
      const s = wsOf(this, "abort");
      if (s.writer !== undefined) throw new TypeError("WritableStream.prototype.abort: the stream is locked to a writer");
      return streamAbort(s, reason);
    });
  }
  close() {
    return rejectsOnThrow(() => {
      const s = wsOf(this, "close");
      if (s.writer !== undefined) throw new TypeError("WritableStream.prototype.close: the stream is locked to a writer");
      if (closeQueuedOrInFlight(s)) throw new TypeError("WritableStream.prototype.close: the stream is already closing");
      return streamClose(s);
    });
  }
  getWriter() {
    wsOf(this, "getWriter");
    return new WritableStreamDefaultWriter(this);
  }
}
setToStringTag(WritableStream, "WritableStream");

class WritableStreamDefaultWriter {
  constructor(stream) {
    requireArgs(arguments.length, 1, "WritableStreamDefaultWriter constructor");
    acquireWriter(this, stream, "WritableStreamDefaultWriter constructor");
  }
  get closed() { return rejectsOnThrow(() => writerOf(this, "closed").closed.promise); }
  get desiredSize() { return writerGetDesiredSize(lockedWriter(this, "desiredSize")); }
  get ready() { return rejectsOnThrow(() => writerOf(this, "ready").ready.promise); }
  abort(reason = undefined) { return rejectsOnThrow(() => streamAbort(lockedWriter(this, "abort").stream, reason)); }
  close() {
    return rejectsOnThrow(() => {
      const s = lockedWriter(this, "close").stream;
      if (closeQueuedOrInFlight(s)) throw new TypeError("WritableStreamDefaultWriter.prototype.close: the stream is already closing");
      return streamClose(s);
    });
  }
  releaseLock() {
    const w = writerOf(this, "releaseLock");
    if (w.stream === undefined) return;
    writerRelease(w);
  }
  write(chunk = undefined) { return rejectsOnThrow(() => writerWrite(lockedWriter(this, "write"), chunk)); }
}
setToStringTag(WritableStreamDefaultWriter, "WritableStreamDefaultWriter");

class WritableStreamDefaultController {
  constructor() {
    if (!constructingController) throw new TypeError("WritableStreamDefaultController: illegal constructor");
  }
  get signal() { return abortControllerSignal(wcOf(this, "signal").abortController); }
  error(e = undefined) {
    const c = wcOf(this, "error");
    if (c.stream.state !== "writable") return;
    controllerErrorW(c, e);
  }
}
setToStringTag(WritableStreamDefaultController, "WritableStreamDefaultController");

// --- TransformStream (§6) ----------------------------------------------------------------------------
// stream: { readable, writable, rs (readable slots), ws (writable slots), backpressure, backpressureChange, controller }
// controller: { object, stream, transform, flush, cancel, finish }
const tstreams = new SafeWeakMap();
const tcontrollers = new SafeWeakMap();
let constructingTransformController = false;

const tsOf = brandCheck(tstreams, "TransformStream");
const tcOf = brandCheck(tcontrollers, "TransformStreamDefaultController");
function tsError(t, e) {
  controllerError(t.rs.controller, e);
  tsErrorWritableAndUnblockWrite(t, e);
}
function tsErrorWritableAndUnblockWrite(t, e) {
  tcClearAlgorithms(t.controller);
  controllerErrorIfNeeded(t.ws.controller, e);
  tsUnblockWrite(t);
}
function tsUnblockWrite(t) { if (t.backpressure) tsSetBackpressure(t, false); }
function tsSetBackpressure(t, backpressure) {
  if (t.backpressureChange !== undefined) t.backpressureChange.resolve(undefined);
  t.backpressureChange = newPromise();
  t.backpressure = backpressure;
}
function tcClearAlgorithms(c) { c.transform = undefined; c.flush = undefined; c.cancel = undefined; }
function tcEnqueue(c, chunk) {
  const t = c.stream;
  const rc = t.rs.controller;
  if (!canCloseOrEnqueue(rc)) throw new TypeError("TransformStreamDefaultController.prototype.enqueue: the readable side is not readable");
  try {
    controllerEnqueue(rc, chunk);
  } catch (e) {
    tsErrorWritableAndUnblockWrite(t, e);
    throw t.rs.storedError;
  }
  const backpressure = controllerHasBackpressure(rc);
  if (backpressure !== t.backpressure) tsSetBackpressure(t, true);
}
function tcTerminate(c) {
  const t = c.stream;
  controllerClose(t.rs.controller);
  tsErrorWritableAndUnblockWrite(t, new TypeError("TransformStream: the stream was terminated"));
}
function tcPerformTransform(c, chunk) {
  return then(c.transform(chunk), undefined, (r) => {
    tsError(c.stream, r);
    throw r;
  });
}
function sinkWrite(t, chunk) {
  const c = t.controller;
  if (t.backpressure) {
    // Settled through resolvers, not by returning the transform's promise from a reaction:
    // resolving a promise with a promise looks up its "then", which guest code may have replaced.
    const done = newPromise();
    then(t.backpressureChange.promise, () => {
      if (t.ws.state === "erroring") return done.reject(t.ws.storedError);
      then(tcPerformTransform(c, chunk), done.resolve, done.reject);
    });
    return done.promise;
  }
  return tcPerformTransform(c, chunk);
}
/**
 * The shared shape of the sink abort, sink close and source cancel algorithms: run the
 * transformer's algorithm once (a second call gets the same finish promise), clear the
 * algorithms, then settle the other side and the finish promise by the result.
 */
function tsFinish(t, run, fulfilled, failed) {
  const c = t.controller;
  if (c.finish !== undefined) return c.finish.promise;
  const finish = c.finish = newPromise();
  const promise = run(c);
  tcClearAlgorithms(c);
  then(promise, () => fulfilled(finish), (r) => {
    failed(r);
    finish.reject(r);
  });
  return finish.promise;
}
function sinkAbort(t, reason) {
  return tsFinish(t, (c) => c.cancel(reason), (finish) => {
    if (t.rs.state === "errored") finish.reject(t.rs.storedError);
    else { controllerError(t.rs.controller, reason); finish.resolve(undefined); }
  }, (r) => controllerError(t.rs.controller, r));
}
function sinkClose(t) {
  return tsFinish(t, (c) => c.flush(), (finish) => {
    if (t.rs.state === "errored") finish.reject(t.rs.storedError);
    else { controllerClose(t.rs.controller); finish.resolve(undefined); }
  }, (r) => controllerError(t.rs.controller, r));
}
function sourceCancel(t, reason) {
  return tsFinish(t, (c) => c.cancel(reason), (finish) => {
    if (t.ws.state === "errored") finish.reject(t.ws.storedError);
    else { controllerErrorIfNeeded(t.ws.controller, reason); tsUnblockWrite(t); finish.resolve(undefined); }
  }, (r) => {
    controllerErrorIfNeeded(t.ws.controller, r);
    tsUnblockWrite(t);
  });
}
function sourcePull(t) {
  tsSetBackpressure(t, false);
  return t.backpressureChange.promise;
}
/**
 * InitializeTransformStream and SetUpTransformStreamDefaultController. The algorithms take the
 * controller record and return promises; "startPromise" settles the start of both sides.
 */
function initializeTransformStream(object, startPromise, writableHWM, writableSize, readableHWM, readableSize, transform, flush, cancel) {
  const t = {
    __proto__: null, readable: undefined, writable: undefined, rs: undefined, ws: undefined, backpressure: undefined,
    backpressureChange: undefined, controller: undefined,
  };
  t.writable = createWritableStream(() => startPromise, (chunk) => sinkWrite(t, chunk), () => sinkClose(t), (reason) => sinkAbort(t, reason), writableHWM, writableSize);
  t.ws = wstreams.get(t.writable);
  t.readable = createReadableStream(() => sourcePull(t), (reason) => sourceCancel(t, reason), readableHWM, () => startPromise, readableSize);
  t.rs = readableSlots(t.readable);
  tsSetBackpressure(t, true);
  constructingTransformController = true;
  let controllerObject;
  try { controllerObject = new TransformStreamDefaultController(); } finally { constructingTransformController = false; }
  const c = { __proto__: null, object: controllerObject, stream: t, transform: undefined, flush: undefined, cancel: undefined, finish: undefined };
  c.transform = transform === undefined
    ? (chunk) => { try { tcEnqueue(c, chunk); return resolved(undefined); } catch (e) { return rejected(e); } }
    : (chunk) => transform(chunk, c);
  c.flush = flush === undefined ? () => resolved(undefined) : () => flush(c);
  c.cancel = cancel === undefined ? () => resolved(undefined) : (reason) => cancel(reason, c);
  tcontrollers.set(controllerObject, c);
  t.controller = c;
  if (object !== undefined) tstreams.set(object, t);
  return t;
}

/**
 * The GenericTransformStream mixin (Streams §6.4.1) on an interface: readable and writable
 * getters, each reading "check(self, what)" (a brand check returning the internal
 * TransformStream record).
 */
function defineGenericTransformStream(Class, check) {
  const accessors = {
    get readable() { return check(this, "readable").readable; },
    get writable() { return check(this, "writable").writable; },
  };
  for (const key of ["readable", "writable"]) {
    ObjectDefineProperty(Class.prototype, key, { __proto__: null, get: primordials.ObjectGetOwnPropertyDescriptor(accessors, key).get, enumerable: false, configurable: true });
  }
}

class TransformStream {
  constructor(transformer = undefined, writableStrategy = undefined, readableStrategy = undefined) {
    const where = "TransformStream constructor";
    if (transformer !== undefined && transformer !== null && !isObject(transformer)) throw new TypeError(where + ": transformer must be an object");
    const ws = toQueuingStrategy(writableStrategy, where);
    const rs = toQueuingStrategy(readableStrategy, where);
    const dict = transformer === undefined || transformer === null ? EMPTY_DICT : transformer;
    // Transformer members in WebIDL order: cancel, flush, readableType, start, transform, writableType.
    const cancel = callbackMember(dict, "cancel", where, "transformer");
    const flush = callbackMember(dict, "flush", where, "transformer");
    const readableType = dict.readableType;
    const start = callbackMember(dict, "start", where, "transformer");
    const transform = callbackMember(dict, "transform", where, "transformer");
    const writableType = dict.writableType;
    if (readableType !== undefined) throw new RangeError(where + ": transformer.readableType must be undefined");
    if (writableType !== undefined) throw new RangeError(where + ": transformer.writableType must be undefined");
    const readableHWM = extractHighWaterMark(rs, 0, where);
    const readableSize = rs.size;
    const writableHWM = extractHighWaterMark(ws, 1, where);
    const writableSize = ws.size;
    const startPromise = newPromise();
    const t = initializeTransformStream(this, startPromise.promise, writableHWM, writableSize, readableHWM, readableSize,
      transform === undefined ? undefined : (chunk, c) => promiseCall(transform, transformer, [chunk, c.object]),
      flush === undefined ? undefined : (c) => promiseCall(flush, transformer, [c.object]),
      cancel === undefined ? undefined : (reason) => promiseCall(cancel, transformer, [reason]));
    if (start !== undefined) startPromise.resolve(FunctionPrototypeCall(start, transformer, t.controller.object));
    else startPromise.resolve(undefined);
  }
}
defineGenericTransformStream(TransformStream, tsOf);
setToStringTag(TransformStream, "TransformStream");

class TransformStreamDefaultController {
  constructor() {
    if (!constructingTransformController) throw new TypeError("TransformStreamDefaultController: illegal constructor");
  }
  get desiredSize() { return controllerDesiredSize(tcOf(this, "desiredSize").stream.rs.controller); }
  enqueue(chunk = undefined) { tcEnqueue(tcOf(this, "enqueue"), chunk); }
  error(reason = undefined) { tsError(tcOf(this, "error").stream, reason); }
  terminate() { tcTerminate(tcOf(this, "terminate")); }
}
setToStringTag(TransformStreamDefaultController, "TransformStreamDefaultController");

/**
 * A TransformStream driven by platform code (TextEncoderStream, CompressionStream …):
 * "transform(chunk, enqueue)" and "flush(enqueue)" are called with this undefined and may
 * throw; neither runs before "startPromise" (an intrinsic promise) fulfils. The result is the
 * internal record, whose readable/writable the wrapper exposes.
 */
function createTransformStream(transform, flush, cancel = undefined, startPromise = resolved(undefined)) {
  let t;
  const enqueue = (chunk) => tcEnqueue(t.controller, chunk);
  t = initializeTransformStream(undefined, startPromise, 1, undefined, 0, undefined,
    (chunk) => { try { transform(chunk, enqueue); return resolved(undefined); } catch (e) { return rejected(e); } },
    flush === undefined ? undefined : () => { try { flush(enqueue); return resolved(undefined); } catch (e) { return rejected(e); } },
    cancel === undefined ? undefined : (reason) => { try { cancel(reason); return resolved(undefined); } catch (e) { return rejected(e); } });
  return t;
}

// --- pipeTo / pipeThrough (§4.9.6) ----------------------------------------------------------------------
/** StreamPipeOptions (members in WebIDL order: preventAbort, preventCancel, preventClose, signal). */
function toPipeOptions(v, where) {
  const d = toDictionary(v, where);
  const preventAbort = Boolean(d.preventAbort);
  const preventCancel = Boolean(d.preventCancel);
  const preventClose = Boolean(d.preventClose);
  const signal = d.signal;
  if (signal !== undefined && !isAbortSignal(signal)) throw new TypeError(where + ": options.signal must be an AbortSignal");
  return { __proto__: null, preventAbort, preventCancel, preventClose, signal };
}
/** "Waiting for all" of the promises the actions return: the first rejection, or undefined. */
function waitForAll(actions) {
  const d = newPromise();
  let pending = actions.length;
  if (pending === 0) d.resolve(undefined);
  for (let i = 0; i < actions.length; i++) {
    then(actions[i](), () => { if (--pending === 0) d.resolve(undefined); }, d.reject);
  }
  return d.promise;
}
function pipeTo(source, dest, preventClose, preventAbort, preventCancel, signal) {
  const reader = acquireInternalReader(source.object, "ReadableStream.prototype.pipeTo");
  const writer = acquireWriter(undefined, dest.object, "ReadableStream.prototype.pipeTo");
  const src = source.slots, dst = wstreams.get(dest.object);
  src.disturbed = true;
  let shuttingDown = false;
  let currentWrite = resolved(undefined);
  const result = newPromise();
  let abortAlgorithm;

  function finalize(isError, error) {
    writerRelease(writer);
    readerRelease(reader);
    if (signal !== undefined) abortSignalRemove(signal, abortAlgorithm);
    if (isError) result.reject(error); else result.resolve(undefined);
  }
  function waitForWritesToFinish() {
    const old = currentWrite;
    return then(currentWrite, () => (old !== currentWrite ? waitForWritesToFinish() : undefined));
  }
  function whenWritesDone(next) {
    if (dst.state === "writable" && !closeQueuedOrInFlight(dst)) then(waitForWritesToFinish(), next);
    else next();
  }
  function shutdownWithAction(action, originalIsError = false, originalError = undefined) {
    if (shuttingDown) return;
    shuttingDown = true;
    whenWritesDone(() => {
      let p;
      try { p = action(); } catch (e) { p = rejected(e); }
      then(p, () => finalize(originalIsError, originalError), (newError) => finalize(true, newError));
    });
  }
  function shutdown(isError = false, error = undefined) {
    if (shuttingDown) return;
    shuttingDown = true;
    whenWritesDone(() => finalize(isError, error));
  }
  if (signal !== undefined) {
    abortAlgorithm = () => {
      const error = signalReason(signal);
      const actions = [];
      if (!preventAbort) ArrayPrototypePush(actions, () => (dst.state === "writable" ? streamAbort(dst, error) : resolved(undefined)));
      if (!preventCancel) ArrayPrototypePush(actions, () => (src.state === "readable" ? streamCancel(src, error) : resolved(undefined)));
      shutdownWithAction(() => waitForAll(actions), true, error);
    };
    if (signalAborted(signal)) { abortAlgorithm(); return result.promise; }
    abortSignalAdd(signal, abortAlgorithm);
  }

  function pipeStep(done) {
    if (done || shuttingDown) return;
    then(writer.ready.promise, () => {
      if (shuttingDown) return;
      readerReadSteps(reader, {
        __proto__: null,
        chunk(chunk) {
          currentWrite = then(writerWrite(writer, chunk), undefined, noop);
          pipeStep(false);
        },
        close() {},
        error() {},
      });
    }, noop);
  }

  // Errors must propagate forward, then backward; closing forward, then backward.
  const sourceErrored = (storedError) => {
    if (!preventAbort) shutdownWithAction(() => streamAbort(dst, storedError), true, storedError);
    else shutdown(true, storedError);
  };
  const destErrored = (storedError) => {
    if (!preventCancel) shutdownWithAction(() => streamCancel(src, storedError), true, storedError);
    else shutdown(true, storedError);
  };
  const sourceClosed = () => {
    if (!preventClose) shutdownWithAction(() => writerCloseWithErrorPropagation(writer));
    else shutdown();
  };
  if (src.state === "errored") sourceErrored(src.storedError);
  else then(reader.closed.promise, () => sourceClosed(), sourceErrored);
  if (dst.state === "errored") destErrored(dst.storedError);
  else then(writer.closed.promise, undefined, destErrored);
  if (src.state === "closed") sourceClosed();
  if (closeQueuedOrInFlight(dst) || dst.state === "closed") {
    const destClosed = new TypeError("ReadableStream.prototype.pipeTo: the destination stream is closed or closing");
    if (!preventCancel) shutdownWithAction(() => streamCancel(src, destClosed), true, destClosed);
    else shutdown(true, destClosed);
  }
  pipeStep(false);
  return result.promise;
}

const pipeMethods = {
  pipeTo(destination, options = undefined) {
    const where = "ReadableStream.prototype.pipeTo";
    const src = readableSlots(this);
    if (src === undefined) return rejected(new TypeError(where + ": illegal invocation"));
    if (arguments.length < 1) return rejected(new TypeError(where + ": 1 argument required, but only 0 present"));
    if (!isObject(destination) || !wstreams.has(destination)) return rejected(new TypeError(where + ": argument 1 is not a WritableStream"));
    let o;
    try { o = toPipeOptions(options, where); } catch (e) { return rejected(e); }
    if (src.reader !== null) return rejected(new TypeError(where + ": the source stream is locked to a reader"));
    if (wstreams.get(destination).writer !== undefined) return rejected(new TypeError(where + ": the destination stream is locked to a writer"));
    return pipeTo({ object: this, slots: src }, { object: destination }, o.preventClose, o.preventAbort, o.preventCancel, o.signal);
  },
  pipeThrough(transform, options = undefined) {
    const where = "ReadableStream.prototype.pipeThrough";
    const src = readableSlots(this);
    if (src === undefined) throw new TypeError(where + ": illegal invocation");
    requireArgs(arguments.length, 1, where);
    // ReadableWritablePair: required members readable, then writable.
    if (!isObject(transform)) throw new TypeError(where + ": argument 1 must be an object with readable and writable");
    const readable = transform.readable;
    if (readableSlots(readable) === undefined) throw new TypeError(where + ": transform.readable must be a ReadableStream");
    const writable = transform.writable;
    if (!isObject(writable) || !wstreams.has(writable)) throw new TypeError(where + ": transform.writable must be a WritableStream");
    const o = toPipeOptions(options, where);
    if (src.reader !== null) throw new TypeError(where + ": the source stream is locked to a reader");
    if (wstreams.get(writable).writer !== undefined) throw new TypeError(where + ": transform.writable is locked to a writer");
    const promise = pipeTo({ object: this, slots: src }, { object: writable }, o.preventClose, o.preventAbort, o.preventCancel, o.signal);
    then(promise, undefined, noop);
    return readable;
  },
};
// Operations of ReadableStream (WebIDL: writable, enumerable, configurable).
for (const name of ["pipeThrough", "pipeTo"]) {
  ObjectDefineProperty(ReadableStream.prototype, name, { __proto__: null, value: pipeMethods[name], writable: true, enumerable: true, configurable: true });
}

export {
  createTransformStream, defineGenericTransformStream, createWritableStream, TransformStream, TransformStreamDefaultController, WritableStream,
  WritableStreamDefaultController, WritableStreamDefaultWriter,
};
`;
