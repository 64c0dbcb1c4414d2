/** AbortController and AbortSignal (DOM §3.1–3.2): abort(reason), timeout(), any(), throwIfAborted(). */
export const ABORT_SOURCE = String.raw`
import { primordials } from "ext:core/mod.js";
import { DOMException } from "ext:islet_web/01_dom_exception.js";
import { addListener, dispatchInternal, Event, EventTarget, markTrusted, removeListenerOf, reportException, setAbortHooks } from "ext:islet_web/03_event.js";
import { brandCheck, requireArgs, toSequence } from "ext:islet_web/00_webidl.js";
import { setUnrefTimeout } from "ext:islet_web/02_timers.js";
const { ArrayPrototypePush, FunctionPrototypeCall, ObjectDefineProperty, SafeWeakMap, TypeError, WeakRefPrototypeDeref } = primordials;

const signals = new SafeWeakMap();
const illegalConstructor = primordials.Symbol("illegal constructor");
const sig = brandCheck(signals, "AbortSignal");
function createSignal() {
  return new AbortSignal(illegalConstructor);
}

// DOM "signal abort": set reason, run abort algorithms, fire "abort", then abort dependents.
function signalAbort(signal, reason) {
  const s = signals.get(signal);
  if (s.aborted) return;
  s.aborted = true;
  s.reason = reason === undefined ? new DOMException("signal is aborted without reason", "AbortError") : reason;
  const dependentsToAbort = [];
  for (let i = 0; i < s.dependents.length; i++) {
    const d = WeakRefPrototypeDeref(s.dependents[i]);
    if (d !== undefined && !signals.get(d).aborted) {
      signals.get(d).aborted = true;
      signals.get(d).reason = s.reason;
      ArrayPrototypePush(dependentsToAbort, d);
    }
  }
  runAbortSteps(signal);
  for (let i = 0; i < dependentsToAbort.length; i++) runAbortSteps(dependentsToAbort[i]);
}
function runAbortSteps(signal) {
  const s = signals.get(signal);
  const algorithms = s.algorithms;
  s.algorithms = [];
  for (let i = 0; i < algorithms.length; i++) {
    try { algorithms[i](); } catch (e) { reportException(e); }
  }
  dispatchInternal(signal, markTrusted(new Event("abort")));
}
function addAlgorithm(signal, algorithm) {
  const s = signals.get(signal);
  if (s.aborted) return;
  ArrayPrototypePush(s.algorithms, algorithm);
}
function removeAlgorithm(signal, algorithm) {
  const list = signals.get(signal).algorithms;
  const i = primordials.ArrayPrototypeIndexOf(list, algorithm);
  if (i !== -1) primordials.ArrayPrototypeSplice(list, i, 1);
}
function isAbortSignal(v) { return v !== null && typeof v === "object" && signals.has(v); }
function signalAborted(signal) { return signals.get(signal).aborted; }
function signalReason(signal) { return signals.get(signal).reason; }
setAbortHooks(isAbortSignal, signalAborted, addAlgorithm);

class AbortSignal extends EventTarget {
  constructor(key = undefined) {
    if (key !== illegalConstructor) throw new TypeError("AbortSignal: illegal constructor (use new AbortController().signal)");
    super();
    signals.set(this, { __proto__: null, aborted: false, reason: undefined, algorithms: [], dependents: [], dependent: false, sources: [], onabort: null, handler: null });
  }
  static abort(reason = undefined) {
    const signal = createSignal();
    signalAbort(signal, reason);
    return signal;
  }
  static timeout(milliseconds) {
    requireArgs(arguments.length, 1, "AbortSignal.timeout");
    const ms = +milliseconds;
    // [EnforceRange] unsigned long long: NaN, infinities, negatives and values past 2^53 - 1 are TypeErrors.
    if (!(ms >= 0) || ms > 9007199254740991) {
      throw new TypeError("AbortSignal.timeout: milliseconds must be a non-negative finite number, got " + primordials.String(milliseconds));
    }
    const signal = createSignal();
    // Does not keep the event loop alive (HTML: timer task in the "timer task source", unref'd like Deno's).
    setUnrefTimeout(() => signalAbort(signal, new DOMException("The operation timed out.", "TimeoutError")), primordials.MathTrunc(ms));
    return signal;
  }
  static any(signalsArg) {
    requireArgs(arguments.length, 1, "AbortSignal.any");
    // sequence<AbortSignal> (WebIDL): iterated through its @@iterator, each element checked as it comes.
    const list = toSequence(signalsArg, "AbortSignal.any", "argument 1", (s) => {
      if (!(s !== null && typeof s === "object" && signals.has(s))) throw new TypeError("AbortSignal.any: every element must be an AbortSignal");
      return s;
    });
    const result = createSignal();
    const r = signals.get(result);
    for (let i = 0; i < list.length; i++) {
      const s = signals.get(list[i]);
      if (s.aborted) { r.aborted = true; r.reason = s.reason; return result; }
    }
    r.dependent = true;
    for (let i = 0; i < list.length; i++) {
      const s = signals.get(list[i]);
      const sources = s.dependent ? s.sources : [list[i]];
      for (let j = 0; j < sources.length; j++) {
        const src = sources[j];
        if (primordials.ArrayPrototypeIncludes(r.sources, src)) continue;
        ArrayPrototypePush(r.sources, src);
        ArrayPrototypePush(signals.get(src).dependents, new primordials.WeakRef(result));
      }
    }
    return result;
  }
  get aborted() { return sig(this, "aborted").aborted; }
  get reason() { return sig(this, "reason").reason; }
  throwIfAborted() {
    const s = sig(this, "throwIfAborted");
    if (s.aborted) throw s.reason;
  }
  get onabort() { return sig(this, "onabort").onabort; }
  set onabort(fn) {
    const s = sig(this, "onabort");
    if (s.onabort !== null) removeListenerOf(this, "abort", s.handler);
    s.onabort = typeof fn === "function" || (fn !== null && typeof fn === "object") ? fn : null;
    if (s.onabort !== null) {
      s.handler = (e) => { if (typeof s.onabort === "function") FunctionPrototypeCall(s.onabort, this, e); };
      addListener(this, "abort", s.handler);
    }
  }
}
ObjectDefineProperty(AbortSignal.prototype, Symbol.toStringTag, { __proto__: null, value: "AbortSignal", configurable: true });

const controllers = new SafeWeakMap();
class AbortController {
  constructor() { controllers.set(this, createSignal()); }
  get signal() {
    const s = controllers.get(this);
    if (s === undefined) throw new TypeError("AbortController.prototype.signal: illegal invocation");
    return s;
  }
  abort(reason = undefined) {
    const s = controllers.get(this);
    if (s === undefined) throw new TypeError("AbortController.prototype.abort: illegal invocation");
    signalAbort(s, reason);
  }
}
ObjectDefineProperty(AbortController.prototype, Symbol.toStringTag, { __proto__: null, value: "AbortController", configurable: true });

/** An AbortController's signal, for platform code (the signal getter may be replaced). */
function abortControllerSignal(controller) { return controllers.get(controller); }

export {
  AbortController, AbortSignal, abortControllerSignal, addAlgorithm as abortSignalAdd, removeAlgorithm as abortSignalRemove, isAbortSignal, signalAbort,
  signalAborted, signalReason,
};
`;
