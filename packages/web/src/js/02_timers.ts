/**
 * setTimeout / setInterval / clearTimeout / clearInterval / queueMicrotask over
 * core's one-shot timers (HTML §8.6 "timer initialization steps").
 */
export const TIMERS_SOURCE = String.raw`
import { core, primordials } from "ext:core/mod.js";
const { FunctionPrototypeCall, MapPrototypeDelete, MapPrototypeGet, MapPrototypeSet, NumberIsNaN, ReflectApply, SafeMap, String, TypeError } = primordials;
const nativeQueueMicrotask = primordials.queueMicrotask;
const indirectEval = primordials.globalThis.eval;
const resolved = new primordials.Promise((r) => r(undefined));

// web id -> { coreId, nesting }; ids are shared by timeouts and intervals (HTML: one map of active timers).
const active = new SafeMap();
let nextId = 1;
let currentNesting = 0;

function toLong(v) {
  // WebIDL "long": ToNumber, NaN/±Infinity -> 0, truncate, wrap modulo 2^32 into signed range.
  let n = +v;
  if (NumberIsNaN(n) || n === 1 / 0 || n === -1 / 0) return 0;
  n = n < 0 ? -primordials.MathFloor(-n) : primordials.MathFloor(n);
  return n | 0;
}

function initialize(handler, timeout, args, repeat, id) {
  // Step: a non-function handler is a string of code, evaluated in the global scope (as Deno and browsers do).
  const callback = typeof handler === "function"
    ? handler
    : (() => { const code = String(handler); return () => indirectEval(code); })();
  const nesting = currentNesting + 1;
  // Step 5: if timeout < 0, set it to 0. Step 6: nesting level > 5 clamps to 4 ms.
  let ms = toLong(timeout);
  if (ms < 0) ms = 0;
  if (nesting > 5 && ms < 4) ms = 4;
  const record = { coreId: 0 };
  const task = () => {
    if (MapPrototypeGet(active, id) !== record) return;
    if (!repeat) MapPrototypeDelete(active, id);
    const saved = currentNesting;
    currentNesting = nesting;
    try {
      ReflectApply(callback, primordials.globalThis, args);
    } finally {
      currentNesting = saved;
      // Intervals re-arm after the callback, with the same id, unless it cleared itself.
      if (repeat && MapPrototypeGet(active, id) === record) {
        MapPrototypeDelete(active, id);
        initialize(callback, timeout, args, true, id);
      }
    }
  };
  record.coreId = core.startTimer(task, ms, true);
  MapPrototypeSet(active, id, record);
  return id;
}

function setTimeout(handler, timeout = 0, ...args) {
  return initialize(handler, timeout, args, false, nextId++);
}
function setInterval(handler, timeout = 0, ...args) {
  return initialize(handler, timeout, args, true, nextId++);
}
function clearTimer(id) {
  const key = toLong(id);
  const record = MapPrototypeGet(active, key);
  if (record === undefined) return;
  MapPrototypeDelete(active, key);
  core.cancelTimer(record.coreId);
}
function clearTimeout(id = 0) { clearTimer(id); }
function clearInterval(id = 0) { clearTimer(id); }
// 03_event (a higher layer) installs HTML's "report an exception" here.
let reportMicrotaskException = null;
function setMicrotaskExceptionReporter(report) { reportMicrotaskException = report; }
function queueMicrotask(callback) {
  if (typeof callback !== "function") {
    throw new TypeError("queueMicrotask: argument 1 is not a function (got " + typeof callback + ")");
  }
  // HTML "queue a microtask": an exception the callback throws is reported (an "error" event on
  // the global scope), not turned into a rejected promise.
  const job = () => {
    try {
      FunctionPrototypeCall(callback, undefined);
    } catch (e) {
      if (reportMicrotaskException === null) throw e;
      reportMicrotaskException(e);
    }
  };
  if (typeof nativeQueueMicrotask === "function") nativeQueueMicrotask(job);
  else primordials.SafePromiseThen(resolved, job);
}

/** A timer that does not keep the event loop alive (used by AbortSignal.timeout). */
function setUnrefTimeout(callback, ms) {
  const id = nextId++;
  const record = { coreId: 0 };
  record.coreId = core.startTimer(() => {
    if (MapPrototypeGet(active, id) !== record) return;
    MapPrototypeDelete(active, id);
    callback();
  }, ms, false);
  MapPrototypeSet(active, id, record);
  return id;
}

export { clearInterval, clearTimeout, queueMicrotask, setMicrotaskExceptionReporter, setInterval, setTimeout, setUnrefTimeout, clearTimer };
`;
