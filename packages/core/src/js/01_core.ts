/**
 * Guest half of the bridge (deno_core `01_core.js`). A function expression the
 * host calls once at bootstrap with the primordials and the raw op functions.
 * It returns `internals`: the guest functions the host calls (settle async ops,
 * fire timers, encode/decode values, make errors), and `core`: the API that
 * extension modules import from `ext:core/mod.js`.
 *
 * Invariant: nothing here is reachable from `globalThis` after bootstrap; the
 * host keeps `internals` as a handle and extension modules get `core` through
 * the reserved `ext:` specifiers only.
 */
export const CORE_SOURCE = /* js */ `(function makeCore(primordials, rawOps, asyncOpNames) {
  "use strict";
  const {
    ArrayBuffer, ArrayBufferPrototypeGetByteLength, ArrayBufferPrototypeSlice, ArrayIsArray,
    DataView, Error, JSONParse, JSONStringify, MapPrototypeDelete, MapPrototypeGet, MapPrototypeSet,
    NumberIsNaN, ObjectDefineProperty, ObjectFreeze, ObjectGetOwnPropertyDescriptor, ObjectGetPrototypeOf,
    ObjectKeys, ObjectPrototype, ObjectPrototypeToString, Promise, ReflectApply, SafeMap, SafeSet, String,
    StringFromCharCode, StringPrototypeCharCodeAt, StringPrototypeIncludes, StringPrototypeSlice, TypeError, Uint16Array, Uint8Array,
    ArrayBufferIsView, TypedArrayPrototypeGetBuffer, TypedArrayPrototypeGetByteOffset,
    TypedArrayPrototypeGetByteLength, DataViewPrototypeGetBuffer, DataViewPrototypeGetByteOffset,
    DataViewPrototypeGetByteLength, BigInt, ArrayPrototypePush, FunctionPrototypeCall, ObjectHasOwn,
  } = primordials;
  const global = primordials.globalThis;

  // --- error classes (the registry the host's error translation uses) -------
  const errorClasses = new SafeMap();
  function registerErrorClass(name, ctor) {
    if (typeof name !== "string" || typeof ctor !== "function") throw new TypeError("registerErrorClass(name, ctor): bad arguments");
    MapPrototypeSet(errorClasses, name, ctor);
  }
  for (const name of ["Error", "TypeError", "RangeError", "SyntaxError", "ReferenceError", "EvalError", "URIError"]) {
    registerErrorClass(name, primordials[name]);
  }
  function defineErrorClass(name) {
    const cls = { [name]: class extends Error {
      constructor(message, options) { super(message, options); }
    } }[name];
    ObjectDefineProperty(cls.prototype, "name", { value: name, writable: true, configurable: true, enumerable: false });
    registerErrorClass(name, cls);
    return cls;
  }
  const errors = {
    PermissionDenied: defineErrorClass("PermissionDenied"),
    NotFound: defineErrorClass("NotFound"),
    BadResource: defineErrorClass("BadResource"),
    Interrupted: defineErrorClass("Interrupted"),
  };
  function makeError(name, message, stack) {
    const Ctor = MapPrototypeGet(errorClasses, name);
    const error = Ctor === undefined ? new Error(message) : new Ctor(message);
    if (Ctor === undefined) ObjectDefineProperty(error, "name", { value: name, writable: true, configurable: true, enumerable: false });
    if (typeof stack === "string" && stack !== "") {
      ObjectDefineProperty(error, "stack", { value: stack, writable: true, configurable: true, enumerable: false });
    }
    return error;
  }
  // Reads name/message/stack of any thrown value without letting it throw.
  function describeError(e) {
    let name = "Error", message = "", stack = "", isError = false;
    try {
      if (e !== null && (typeof e === "object" || typeof e === "function")) {
        isError = e instanceof Error;
        const n = e.name, m = e.message, s = e.stack;
        if (typeof n === "string") name = n;
        if (typeof m === "string") message = m;
        if (typeof s === "string") stack = s;
        if (!isError && message === "") message = String(e);
      } else {
        name = "Uncaught";
        message = typeof e === "symbol" ? "Symbol()" : String(e);
      }
    } catch {
      message = "(error while reading the thrown value)";
    }
    return JSONStringify([name, message, stack, isError]);
  }

  // --- values crossing the bridge ------------------------------------------------
  // Plain data is sent as JSON text; what JSON cannot carry is wrapped in a
  // marker object { "\\u0000islet": kind, v }. Keys equal to the marker are refused
  // so a guest cannot forge one.
  const MARK = "\\u0000islet";
  const MAX_DEPTH = 64;
  function bytesOf(view) {
    if (ArrayBufferIsView(view)) {
      if (view instanceof DataView) {
        return ArrayBufferPrototypeSlice(DataViewPrototypeGetBuffer(view), DataViewPrototypeGetByteOffset(view),
          DataViewPrototypeGetByteOffset(view) + DataViewPrototypeGetByteLength(view));
      }
      const off = TypedArrayPrototypeGetByteOffset(view);
      return ArrayBufferPrototypeSlice(TypedArrayPrototypeGetBuffer(view), off, off + TypedArrayPrototypeGetByteLength(view));
    }
    return undefined;
  }
  function encodeError(where, what) {
    return new TypeError(where + ": " + what + " cannot cross the bridge; pass plain data (numbers, strings, booleans, null, arrays, plain objects, Uint8Array)");
  }
  function plain(value, where, seen, depth) {
    switch (typeof value) {
      case "string": case "boolean": return value;
      case "number":
        if (value === 0 && 1 / value < 0) return { [MARK]: "number", v: "-0" };
        if (value !== value || value === 1 / 0 || value === -1 / 0) return { [MARK]: "number", v: String(value) };
        return value;
      case "undefined": return { [MARK]: "undefined" };
      case "bigint": return { [MARK]: "bigint", v: String(value) };
      case "function": throw encodeError(where, "a function");
      case "symbol": throw encodeError(where, "a symbol");
    }
    if (value === null) return null;
    if (depth > MAX_DEPTH) throw new TypeError(where + ": value is nested deeper than " + MAX_DEPTH + " levels");
    if (seen.has(value)) throw new TypeError(where + ": value is cyclic");
    const bytes = value instanceof ArrayBuffer ? value : bytesOf(value);
    if (bytes !== undefined) {
      const u8 = new Uint8Array(bytes);
      const out = [];
      for (let i = 0; i < u8.length; i++) out[i] = u8[i];
      return { [MARK]: value instanceof ArrayBuffer ? "ab" : "u8", v: out };
    }
    seen.add(value);
    let out;
    if (ArrayIsArray(value)) {
      out = [];
      const n = value.length;
      for (let i = 0; i < n; i++) out[i] = plain(readData(value, String(i), where), where + "[" + i + "]", seen, depth + 1);
    } else {
      const proto = ObjectGetPrototypeOf(value);
      if (proto !== ObjectPrototype && proto !== null) {
        const tag = ObjectPrototypeToString(value);
        throw encodeError(where, "an object of class " + StringPrototypeSlice(tag, 8, -1));
      }
      out = {};
      const keys = ObjectKeys(value);
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i];
        if (k === MARK) throw new TypeError(where + ": reserved key");
        out[k] = plain(readData(value, k, where), where + "." + k, seen, depth + 1);
      }
    }
    seen.delete(value);
    return out;
  }
  function readData(obj, key, where) {
    const d = ObjectGetOwnPropertyDescriptor(obj, key);
    if (d === undefined) return undefined;
    if (!ObjectHasOwn(d, "value")) throw encodeError(where + "." + key, "a getter");
    return d.value;
  }
  // Host side of an op argument / completion value that is an object.
  // Returns an ArrayBuffer copy for byte views (the host reads it directly),
  // or JSON text for everything else.
  function encode(value, where) {
    if (ArrayBufferIsView(value)) return bytesOf(value);
    return JSONStringify(plain(value, where, new SafeSet(), 0));
  }
  function revive(key, v) {
    if (v !== null && typeof v === "object" && ObjectHasOwn(v, MARK)) {
      switch (v[MARK]) {
        case "undefined": return undefined;
        case "bigint": return BigInt(v.v);
        case "number": return v.v === "-0" ? -0 : +v.v;
        case "u8": return new Uint8Array(v.v);
        case "ab": { const u8 = new Uint8Array(v.v); return u8.buffer; }
      }
    }
    return v;
  }
  function decode(text) {
    // JSON text escapes U+0000, so look for the escaped marker.
    return StringPrototypeIncludes(text, "\\\\u0000islet") ? JSONParse(text, revive) : JSONParse(text);
  }
  function utf16ToString(buffer) {
    const units = new Uint16Array(buffer);
    let out = "";
    for (let i = 0; i < units.length; i += 8192) {
      out += ReflectApply(StringFromCharCode, null, units.subarray(i, i + 8192));
    }
    return out;
  }
  function stringToUtf16(s) {
    const units = new Uint16Array(s.length);
    for (let i = 0; i < s.length; i++) units[i] = StringPrototypeCharCodeAt(s, i);
    return units.buffer;
  }
  function flatten(s) { return StringPrototypeSlice(s, 0); }
  function bigintToString(b) { return String(b); }
  function makeBigInt(s) { return BigInt(s); }
  function wrapBytes(buffer) { return new Uint8Array(buffer); }

  // --- async ops: promise ids, settled by the host in batches -----------------
  const pending = new SafeMap();
  // Called by the host once per loop turn with (id, ok, value) triples.
  function settle() {
    for (let i = 0; i + 2 < arguments.length; i += 3) {
      const id = arguments[i];
      const r = MapPrototypeGet(pending, id);
      if (r === undefined) continue;
      MapPrototypeDelete(pending, id);
      if (arguments[i + 1]) r.resolve(arguments[i + 2]); else r.reject(arguments[i + 2]);
    }
  }
  function asyncOp(raw) {
    return function (...args) {
      const id = ReflectApply(raw, undefined, args);
      return new Promise((resolve, reject) => { MapPrototypeSet(pending, id, { resolve, reject }); });
    };
  }
  const ops = { __proto__: null };
  for (const name of ObjectKeys(rawOps)) {
    ops[name] = ObjectHasOwn(asyncOpNames, name) ? asyncOp(rawOps[name]) : rawOps[name];
  }
  ObjectFreeze(ops);

  // --- timers (web's setTimeout/setInterval build on these) --------------------
  const timerCallbacks = new SafeMap();
  function startTimer(callback, delayMs, refed) {
    if (typeof callback !== "function") throw new TypeError("startTimer: callback is not a function");
    const id = ops.op_timer_start(delayMs, refed !== false);
    MapPrototypeSet(timerCallbacks, id, callback);
    return id;
  }
  function cancelTimer(id) {
    if (MapPrototypeDelete(timerCallbacks, id)) ops.op_timer_cancel(id);
  }
  function refTimer(id, refed) {
    if (MapPrototypeGet(timerCallbacks, id) !== undefined) ops.op_timer_ref(id, refed !== false);
  }
  function fireTimer(id) {
    const callback = MapPrototypeGet(timerCallbacks, id);
    if (callback === undefined) return;
    MapPrototypeDelete(timerCallbacks, id);
    callback();
  }

  // --- uncaught exceptions: an extension (web) may turn them into "error" events
  let uncaughtHandler;
  function setUncaughtExceptionHandler(fn) { uncaughtHandler = fn; }
  function handleUncaught(error) {
    if (uncaughtHandler === undefined) return false;
    return FunctionPrototypeCall(uncaughtHandler, undefined, error) === true;
  }

  const core = ObjectFreeze({
    __proto__: null,
    ops, primordials, errors: ObjectFreeze({ ...errors }), registerErrorClass,
    startTimer, cancelTimer, refTimer, setUncaughtExceptionHandler,
    resources: () => ops.op_resources(), close: (rid) => ops.op_close(rid),
  });
  return {
    __proto__: null,
    core, ops, settle, fireTimer, handleUncaught, encode, decode, makeError, describeError,
    utf16ToString, stringToUtf16, flatten, bigintToString, makeBigInt, wrapBytes,
  };
})`;
