/**
 * Event, EventTarget, CustomEvent, ErrorEvent, PromiseRejectionEvent (DOM §2),
 * reportError, and the global scope as an EventTarget whose "error" event sees
 * uncaught exceptions (a listener that calls preventDefault() handles them).
 */
export const EVENT_SOURCE = String.raw`
import { core, primordials } from "ext:core/mod.js";
import { brandCheck, EMPTY_DICT, requireArgs } from "ext:islet_web/00_webidl.js";
import { DOMException } from "ext:islet_web/01_dom_exception.js";
import { setMicrotaskExceptionReporter } from "ext:islet_web/02_timers.js";
const {
  ArrayPrototypePush, ArrayPrototypeSlice, ArrayPrototypeSplice, Boolean, FunctionPrototypeCall, ObjectDefineProperty,
  ObjectGetOwnPropertyDescriptor, SafeWeakMap, String, TypeError,
} = primordials;
const global = primordials.globalThis;
const DateNow = primordials.DateNow;

const NONE = 0, CAPTURING_PHASE = 1, AT_TARGET = 2, BUBBLING_PHASE = 3;
const eventSlots = new SafeWeakMap();
const ev = brandCheck(eventSlots, "Event");
function dict(init, where) {
  if (init === undefined || init === null) return EMPTY_DICT;
  if (typeof init !== "object" && typeof init !== "function") throw new TypeError(where + ": the init argument must be an object");
  return init;
}

const isTrustedGetter = ObjectGetOwnPropertyDescriptor({ get isTrusted() { return ev(this, "isTrusted").isTrusted; } }, "isTrusted").get;
/** Marks an event the platform made and dispatches as trusted (DOM: isTrusted is true only for those). */
function markTrusted(event) {
  eventSlots.get(event).isTrusted = true;
  return event;
}

class Event {
  constructor(type, eventInitDict = undefined) {
    requireArgs(arguments.length, 1, "Event constructor");
    const init = dict(eventInitDict, "Event constructor");
    eventSlots.set(this, {
      __proto__: null, type: String(type), bubbles: Boolean(init.bubbles), cancelable: Boolean(init.cancelable),
      composed: Boolean(init.composed), target: null, currentTarget: null, phase: NONE,
      canceled: false, stop: false, stopImmediate: false, dispatching: false, initialized: true,
      inPassive: false, timeStamp: DateNow(), isTrusted: false,
    });
    // [LegacyUnforgeable] readonly attribute isTrusted: an own, non-configurable accessor on
    // every event, the same getter for all, so no prototype change can forge it.
    ObjectDefineProperty(this, "isTrusted", { __proto__: null, get: isTrustedGetter, enumerable: true, configurable: false });
  }
  get type() { return ev(this, "type").type; }
  get target() { return ev(this, "target").target; }
  get srcElement() { return ev(this, "srcElement").target; }
  get currentTarget() { return ev(this, "currentTarget").currentTarget; }
  get eventPhase() { return ev(this, "eventPhase").phase; }
  get bubbles() { return ev(this, "bubbles").bubbles; }
  get cancelable() { return ev(this, "cancelable").cancelable; }
  get composed() { return ev(this, "composed").composed; }
  get defaultPrevented() { return ev(this, "defaultPrevented").canceled; }
  get timeStamp() { return ev(this, "timeStamp").timeStamp; }
  get returnValue() { return !ev(this, "returnValue").canceled; }
  set returnValue(v) { const s = ev(this, "returnValue"); if (!v && s.cancelable && !s.inPassive) s.canceled = true; }
  get cancelBubble() { return ev(this, "cancelBubble").stop; }
  set cancelBubble(v) { if (v) ev(this, "cancelBubble").stop = true; }
  composedPath() { const s = ev(this, "composedPath"); return s.dispatching && s.currentTarget !== null ? [s.currentTarget] : []; }
  stopPropagation() { ev(this, "stopPropagation").stop = true; }
  stopImmediatePropagation() { const s = ev(this, "stopImmediatePropagation"); s.stop = true; s.stopImmediate = true; }
  preventDefault() { const s = ev(this, "preventDefault"); if (s.cancelable && !s.inPassive) s.canceled = true; }
  initEvent(type, bubbles = false, cancelable = false) {
    requireArgs(arguments.length, 1, "Event.prototype.initEvent");
    const s = ev(this, "initEvent");
    if (s.dispatching) return;
    initEventSlots(s, type, bubbles, cancelable);
  }
}
function initEventSlots(s, type, bubbles, cancelable) {
  s.type = String(type); s.bubbles = Boolean(bubbles); s.cancelable = Boolean(cancelable);
  s.stop = false; s.stopImmediate = false; s.canceled = false; s.target = null;
}
for (const [name, value] of [["NONE", NONE], ["CAPTURING_PHASE", CAPTURING_PHASE], ["AT_TARGET", AT_TARGET], ["BUBBLING_PHASE", BUBBLING_PHASE]]) {
  ObjectDefineProperty(Event, name, { __proto__: null, value, enumerable: true });
  ObjectDefineProperty(Event.prototype, name, { __proto__: null, value, enumerable: true });
}
ObjectDefineProperty(Event.prototype, Symbol.toStringTag, { __proto__: null, value: "Event", configurable: true });

const extraSlots = new SafeWeakMap();
function extra(self, cls, what) {
  const s = extraSlots.get(self);
  if (s === undefined || s.cls !== cls) throw new TypeError(cls + ".prototype." + what + ": illegal invocation");
  return s;
}
class CustomEvent extends Event {
  constructor(type, eventInitDict = undefined) {
    requireArgs(arguments.length, 1, "CustomEvent constructor");
    super(type, eventInitDict);
    const init = dict(eventInitDict, "CustomEvent constructor");
    extraSlots.set(this, { __proto__: null, cls: "CustomEvent", detail: init.detail === undefined ? null : init.detail });
  }
  get detail() { return extra(this, "CustomEvent", "detail").detail; }
  initCustomEvent(type, bubbles = false, cancelable = false, detail = null) {
    requireArgs(arguments.length, 1, "CustomEvent.prototype.initCustomEvent");
    const x = extra(this, "CustomEvent", "initCustomEvent");
    const s = ev(this, "initCustomEvent");
    if (s.dispatching) return;
    initEventSlots(s, type, bubbles, cancelable);
    x.detail = detail;
  }
}
ObjectDefineProperty(CustomEvent.prototype, Symbol.toStringTag, { __proto__: null, value: "CustomEvent", configurable: true });
class ErrorEvent extends Event {
  constructor(type, eventInitDict = undefined) {
    requireArgs(arguments.length, 1, "ErrorEvent constructor");
    super(type, eventInitDict);
    const init = dict(eventInitDict, "ErrorEvent constructor");
    extraSlots.set(this, {
      __proto__: null, cls: "ErrorEvent", message: init.message === undefined ? "" : String(init.message),
      filename: init.filename === undefined ? "" : String(init.filename),
      lineno: init.lineno === undefined ? 0 : init.lineno >>> 0, colno: init.colno === undefined ? 0 : init.colno >>> 0,
      error: init.error,
    });
  }
  get message() { return extra(this, "ErrorEvent", "message").message; }
  get filename() { return extra(this, "ErrorEvent", "filename").filename; }
  get lineno() { return extra(this, "ErrorEvent", "lineno").lineno; }
  get colno() { return extra(this, "ErrorEvent", "colno").colno; }
  get error() { return extra(this, "ErrorEvent", "error").error; }
}
ObjectDefineProperty(ErrorEvent.prototype, Symbol.toStringTag, { __proto__: null, value: "ErrorEvent", configurable: true });
class PromiseRejectionEvent extends Event {
  constructor(type, eventInitDict = undefined) {
    requireArgs(arguments.length, 2, "PromiseRejectionEvent constructor");
    const init = dict(eventInitDict, "PromiseRejectionEvent constructor");
    if (!("promise" in init)) throw new TypeError("PromiseRejectionEvent constructor: init.promise is required");
    if (init.promise === null || (typeof init.promise !== "object" && typeof init.promise !== "function")) {
      throw new TypeError("PromiseRejectionEvent constructor: init.promise must be an object");
    }
    super(type, init);
    extraSlots.set(this, { __proto__: null, cls: "PromiseRejectionEvent", promise: init.promise, reason: init.reason });
  }
  get promise() { return extra(this, "PromiseRejectionEvent", "promise").promise; }
  get reason() { return extra(this, "PromiseRejectionEvent", "reason").reason; }
}
ObjectDefineProperty(PromiseRejectionEvent.prototype, Symbol.toStringTag, { __proto__: null, value: "PromiseRejectionEvent", configurable: true });

// --- EventTarget -------------------------------------------------------------------
// target -> Map(type -> listener[]); listener = { callback, capture, once, passive, removed }
const targets = new SafeWeakMap();
function listenersOf(self, what) {
  const target = self === undefined || self === null ? global : self;
  const m = targets.get(target);
  if (m === undefined) throw new TypeError("EventTarget.prototype." + what + ": illegal invocation");
  return m;
}
function flatten(options) {
  if (typeof options === "boolean" || options === undefined || options === null || typeof options !== "object") {
    return { __proto__: null, capture: Boolean(options), once: false, passive: false, signal: undefined };
  }
  const signal = options.signal;
  return { __proto__: null, capture: Boolean(options.capture), once: Boolean(options.once), passive: Boolean(options.passive), signal };
}
let isAbortSignal = () => false;
let abortSignalAborted = null;
let abortSignalAddAlgorithm = null;
export function setAbortHooks(is, aborted, add) { isAbortSignal = is; abortSignalAborted = aborted; abortSignalAddAlgorithm = add; }

class EventTarget {
  constructor() { targets.set(this, new primordials.SafeMap()); }
  addEventListener(type, callback, options = undefined) {
    requireArgs(arguments.length, 2, "EventTarget.prototype.addEventListener");
    const map = listenersOf(this, "addEventListener");
    const o = flatten(options);
    if (o.signal !== undefined && !isAbortSignal(o.signal)) {
      throw new TypeError("EventTarget.prototype.addEventListener: options.signal is not an AbortSignal");
    }
    if (callback === null) return;
    if (typeof callback !== "function" && typeof callback !== "object") {
      throw new TypeError("EventTarget.prototype.addEventListener: argument 2 is not an object or function");
    }
    if (o.signal !== undefined && abortSignalAborted(o.signal)) return;
    type = String(type);
    let list = map.get(type);
    if (list === undefined) { list = []; map.set(type, list); }
    for (let i = 0; i < list.length; i++) if (list[i].callback === callback && list[i].capture === o.capture) return;
    const listener = { __proto__: null, callback, capture: o.capture, once: o.once, passive: o.passive, removed: false };
    ArrayPrototypePush(list, listener);
    if (o.signal !== undefined) {
      abortSignalAddAlgorithm(o.signal, () => removeListener(map, type, callback, o.capture));
    }
  }
  removeEventListener(type, callback, options = undefined) {
    requireArgs(arguments.length, 2, "EventTarget.prototype.removeEventListener");
    const map = listenersOf(this, "removeEventListener");
    removeListener(map, String(type), callback, flatten(options).capture);
  }
  dispatchEvent(event) {
    requireArgs(arguments.length, 1, "EventTarget.prototype.dispatchEvent");
    listenersOf(this, "dispatchEvent");
    const s = eventSlots.get(event);
    if (s === undefined) throw new TypeError("EventTarget.prototype.dispatchEvent: argument 1 is not an Event");
    if (s.dispatching || !s.initialized) {
      throw new DOMException("EventTarget.prototype.dispatchEvent: the event is already being dispatched", "InvalidStateError");
    }
    return dispatch(this === undefined || this === null ? global : this, event, s);
  }
}
ObjectDefineProperty(EventTarget.prototype, Symbol.toStringTag, { __proto__: null, value: "EventTarget", configurable: true });

function removeListener(map, type, callback, capture) {
  const list = map.get(type);
  if (list === undefined) return;
  for (let i = 0; i < list.length; i++) {
    const l = list[i];
    if (l.callback === callback && l.capture === capture) {
      l.removed = true;
      ArrayPrototypeSplice(list, i, 1);
      return;
    }
  }
}

// DOM §2.9 "dispatch": a target with no parent, so the path is [target]:
// capturing listeners then non-capturing, both at AT_TARGET.
function dispatch(target, event, s) {
  s.dispatching = true;
  s.target = target;
  s.currentTarget = target;
  s.phase = AT_TARGET;
  const map = targets.get(target);
  const list = map.get(s.type);
  if (list !== undefined) {
    const snapshot = ArrayPrototypeSlice(list);
    invoke(target, event, s, map, snapshot, true);
    invoke(target, event, s, map, snapshot, false);
  }
  s.phase = NONE;
  s.currentTarget = null;
  s.dispatching = false;
  s.stop = false;
  s.stopImmediate = false;
  return !s.canceled;
}
function invoke(target, event, s, map, snapshot, capturePhase) {
  if (s.stop) return;
  for (let i = 0; i < snapshot.length; i++) {
    const l = snapshot[i];
    if (l.removed || l.capture !== capturePhase) continue;
    if (l.once) removeListener(map, s.type, l.callback, l.capture);
    if (l.passive) s.inPassive = true;
    try {
      const cb = l.callback;
      if (typeof cb === "function") FunctionPrototypeCall(cb, target, event);
      else {
        const handleEvent = cb.handleEvent;
        if (typeof handleEvent !== "function") throw new TypeError("EventTarget: listener object has no handleEvent method");
        FunctionPrototypeCall(handleEvent, cb, event);
      }
    } catch (e) {
      reportException(e);
    }
    s.inPassive = false;
    if (s.stopImmediate) return;
  }
}

// --- uncaught exceptions -> "error" on the global scope (HTML "report an exception") -----
let rethrowing = false;
function errorEventFor(e) {
  let message = "Uncaught";
  try {
    if (e !== null && typeof e === "object" && typeof e.message === "string") message = "Uncaught " + (typeof e.name === "string" ? e.name + ": " : "") + e.message;
    else message = "Uncaught " + String(e);
  } catch { /* a throwing getter: keep the generic message */ }
  return markTrusted(new ErrorEvent("error", { __proto__: null, message, error: e, cancelable: true }));
}
/** Dispatches "error" on the global scope; true if a listener called preventDefault(). */
function dispatchGlobalError(e) {
  const event = errorEventFor(e);
  const s = eventSlots.get(event);
  dispatch(global, event, s);
  return s.canceled;
}
function reportException(e) {
  if (dispatchGlobalError(e)) return;
  // Not handled: fail the run the way an uncaught exception does (from a task of its own).
  core.startTimer(() => { rethrowing = true; throw e; }, 0, true);
}
setMicrotaskExceptionReporter(reportException);
function reportError(e) {
  requireArgs(arguments.length, 1, "reportError");
  reportException(e);
}
core.setUncaughtExceptionHandler((e) => {
  if (rethrowing) { rethrowing = false; return false; }
  return dispatchGlobalError(e);
});

// --- unhandled rejections -> "unhandledrejection" on the global scope ----------------------
// HTML §8.1.4.7 "notify about rejected promises": a cancelable PromiseRejectionEvent; core
// calls this once the microtask queue has drained, for each rejection still unhandled. A
// listener that calls preventDefault() handles it; otherwise the run fails with
// "Uncaught (in promise) ...". A throwing listener is reported as an "error" event and the
// rejection stays unhandled unless another listener prevents it.
core.setUnhandledRejectionHandler((promise, reason) => {
  const event = markTrusted(new PromiseRejectionEvent("unhandledrejection", { __proto__: null, promise, reason, cancelable: true }));
  const s = eventSlots.get(event);
  dispatch(global, event, s);
  return s.canceled;
});

// --- event handler attributes on the global scope (onerror, onunhandledrejection) ----------
// HTML §8.1.8.1: the handler's listener is added when the attribute is first set to a
// callable and keeps its place while the attribute changes; a non-callable value sets null
// and removes the listener.
// "Process the event handler return value": for onerror on an ErrorEvent the handler gets
// (message, filename, lineno, colno, error) and true cancels; for any other, false cancels.
function isObject(v) { return v !== null && (typeof v === "object" || typeof v === "function"); }
const handlerStates = new SafeWeakMap();
/**
 * The getter and setter of the event handler attribute "name" (onerror, onmessage …): the
 * handler and its listener are kept per target, so one pair serves an interface's prototype.
 * "onSet(target)" runs after a set (MessagePort's onmessage starts the port).
 */
function handlerAccessors(name, onSet = undefined) {
  const type = primordials.StringPrototypeSlice(name, 2);
  const stateOf = (target, what) => {
    const map = isObject(target) ? targets.get(target) : undefined;
    if (map === undefined) throw new TypeError(what + " " + name + ": illegal invocation");
    let states = handlerStates.get(target);
    if (states === undefined) { states = { __proto__: null }; handlerStates.set(target, states); }
    if (states[name] === undefined) states[name] = { __proto__: null, handler: null, listener: null };
    return states[name];
  };
  return {
    get() { return stateOf(this, "get").handler; },
    set(value) {
      const target = this;
      const st = stateOf(target, "set");
      st.handler = typeof value === "function" || (value !== null && typeof value === "object") ? value : null;
      if (st.handler === null) {
        // "Deactivate an event handler": its listener is removed; a later callable is added anew.
        if (st.listener !== null) removeListener(targets.get(target), type, st.listener, false);
        st.listener = null;
      } else if (st.listener === null) {
        st.listener = function (event) {
          const handler = st.handler;
          if (handler === null || typeof handler !== "function") return;
          const s = eventSlots.get(event);
          if (type === "error" && extraSlots.get(event) !== undefined && extraSlots.get(event).cls === "ErrorEvent") {
            const x = extraSlots.get(event);
            const r = FunctionPrototypeCall(handler, this, x.message, x.filename, x.lineno, x.colno, x.error);
            if (r === true && s.cancelable && !s.inPassive) s.canceled = true;
            return;
          }
          const r = FunctionPrototypeCall(handler, this, event);
          if (r === false && s.cancelable && !s.inPassive) s.canceled = true;
        };
        let list = targets.get(target).get(type);
        if (list === undefined) { list = []; targets.get(target).set(type, list); }
        ArrayPrototypePush(list, { __proto__: null, callback: st.listener, capture: false, once: false, passive: false, removed: false });
      }
      if (onSet !== undefined) onSet(target);
    },
  };
}
/** An event handler attribute as an accessor property of "target" (an object or an interface's prototype). */
function defineHandlerAttribute(target, name, onSet = undefined) {
  const accessors = handlerAccessors(name, onSet);
  ObjectDefineProperty(target, name, { __proto__: null,
    get: accessors.get,
    set: accessors.set,
    enumerable: true,
    configurable: true,
  });
}

/** Makes the global object an EventTarget (DOM: the Window/WorkerGlobalScope is one). */
function makeGlobalEventTarget() {
  targets.set(global, new primordials.SafeMap());
  defineHandlerAttribute(global, "onerror");
  defineHandlerAttribute(global, "onunhandledrejection");
}

/** Internal addEventListener / removeEventListener / dispatchEvent that no user-replaced method can intercept. */
function addListener(target, type, callback) {
  const map = targets.get(target);
  let list = map.get(type);
  if (list === undefined) { list = []; map.set(type, list); }
  ArrayPrototypePush(list, { __proto__: null, callback, capture: false, once: false, passive: false, removed: false });
}
function removeListenerOf(target, type, callback) { removeListener(targets.get(target), type, callback, false); }
function dispatchInternal(target, event) { return dispatch(target, event, eventSlots.get(event)); }

export { addListener, defineHandlerAttribute, dispatchInternal, markTrusted, removeListenerOf, CustomEvent, ErrorEvent, Event, EventTarget, makeGlobalEventTarget, PromiseRejectionEvent, reportError, reportException };
`;
