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
    DataViewPrototypeGetByteLength, BigInt, ArrayPrototypePush, ArrayPrototypePop, ArrayPrototypeIncludes, FunctionPrototypeCall, ObjectHasOwn,
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
    ObjectDefineProperty(cls.prototype, "name", { __proto__: null, value: name, writable: true, configurable: true, enumerable: false });
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
    if (Ctor === undefined) ObjectDefineProperty(error, "name", { __proto__: null, value: name, writable: true, configurable: true, enumerable: false });
    if (typeof stack === "string" && stack !== "") {
      ObjectDefineProperty(error, "stack", { __proto__: null, value: stack, writable: true, configurable: true, enumerable: false });
    }
    return error;
  }
  // The name of the class that made an object, read through intrinsics and own
  // data properties only (no guest getter runs): its prototype's constructor's
  // name. Undefined for plain objects, null-prototype objects and anonymous classes.
  function constructorName(e) {
    const proto = ObjectGetPrototypeOf(e);
    if (proto === null || proto === ObjectPrototype) return undefined;
    const c = ObjectGetOwnPropertyDescriptor(proto, "constructor");
    if (c === undefined || !ObjectHasOwn(c, "value") || typeof c.value !== "function") return undefined;
    const d = ObjectGetOwnPropertyDescriptor(c.value, "name");
    if (d === undefined || !ObjectHasOwn(d, "value") || typeof d.value !== "string" || d.value === "") return undefined;
    return d.value;
  }
  // Reads name/message/stack of any thrown value without letting it throw. The
  // name is the object's own or inherited \`name\`, unless that is only the
  // generic "Error" (or missing) and its class has a name of its own: a thrown
  // \`class Test262Error {}\` or \`class MyError extends Error {}\` keeps its class.
  function describeError(e) {
    let name = "Error", message = "", stack = "", isError = false;
    try {
      if (e !== null && (typeof e === "object" || typeof e === "function")) {
        isError = e instanceof Error;
        const n = e.name, m = e.message, s = e.stack;
        const ctor = typeof n === "string" && n !== "Error" ? undefined : constructorName(e);
        if (ctor !== undefined) name = ctor;
        else if (typeof n === "string") name = n;
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
  // The path of the value being converted, joined only when an error names it.
  function pathOf(where, path) {
    let out = where;
    for (let i = 0; i < path.length; i++) {
      const k = path[i];
      out += typeof k === "number" ? "[" + k + "]" : "." + k;
    }
    return out;
  }
  // Copies a guest value into plain data that JSON can carry. Accessors are
  // read (a getter that throws becomes a TypeError naming the property); the
  // ancestors list catches cycles; MAX_DEPTH bounds recursion.
  function plain(value, where, path, ancestors) {
    switch (typeof value) {
      case "string": case "boolean": return value;
      case "number":
        if (value === 0 && 1 / value < 0) return { [MARK]: "number", v: "-0" };
        if (value !== value || value === 1 / 0 || value === -1 / 0) return { [MARK]: "number", v: String(value) };
        return value;
      case "undefined": return { [MARK]: "undefined" };
      case "bigint": return { [MARK]: "bigint", v: String(value) };
      case "function": throw encodeError(pathOf(where, path), "a function");
      case "symbol": throw encodeError(pathOf(where, path), "a symbol");
    }
    if (value === null) return null;
    if (ancestors.length > MAX_DEPTH) throw new TypeError(pathOf(where, path) + ": value is nested deeper than " + MAX_DEPTH + " levels");
    if (ArrayPrototypeIncludes(ancestors, value)) throw new TypeError(pathOf(where, path) + ": value is cyclic");
    let out;
    const isArray = ArrayIsArray(value);
    const proto = isArray ? null : ObjectGetPrototypeOf(value);
    if (!isArray && proto !== ObjectPrototype && proto !== null) {
      const bytes = value instanceof ArrayBuffer ? value : bytesOf(value);
      if (bytes !== undefined) {
        const u8 = new Uint8Array(bytes);
        const arr = [];
        for (let i = 0; i < u8.length; i++) arr[i] = u8[i];
        return { [MARK]: value instanceof ArrayBuffer ? "ab" : "u8", v: arr };
      }
      const tag = ObjectPrototypeToString(value);
      throw encodeError(pathOf(where, path), "an object of class " + StringPrototypeSlice(tag, 8, -1));
    }
    ArrayPrototypePush(ancestors, value);
    if (isArray) {
      out = [];
      const n = value.length;
      for (let i = 0; i < n; i++) {
        ArrayPrototypePush(path, i);
        out[i] = plain(read(value, i, where, path), where, path, ancestors);
        ArrayPrototypePop(path);
      }
    } else {
      out = {};
      const keys = ObjectKeys(value);
      for (let i = 0; i < keys.length; i++) {
        const k = keys[i];
        ArrayPrototypePush(path, k);
        if (k === MARK) throw new TypeError(pathOf(where, path) + ": reserved key");
        out[k] = plain(read(value, k, where, path), where, path, ancestors);
        ArrayPrototypePop(path);
      }
    }
    ArrayPrototypePop(ancestors);
    return out;
  }
  function read(obj, key, where, path) {
    try {
      return obj[key];
    } catch (e) {
      throw new TypeError(pathOf(where, path) + ": reading the property threw: " + String(e && e.message || e));
    }
  }
  // Host side of an op argument / completion value that is an object.
  // Returns an ArrayBuffer copy for byte views (the host reads it directly),
  // or JSON text for everything else.
  function encode(value, where) {
    if (ArrayBufferIsView(value)) return bytesOf(value);
    return JSONStringify(plain(value, where, [], []));
  }
  // new Uint8Array(array) would iterate the array through Array.prototype[Symbol.iterator].
  function bytesFromArray(arr) {
    const u8 = new Uint8Array(arr.length);
    for (let i = 0; i < arr.length; i++) u8[i] = arr[i];
    return u8;
  }
  function revive(key, v) {
    if (v !== null && typeof v === "object" && ObjectHasOwn(v, MARK)) {
      switch (v[MARK]) {
        case "undefined": return undefined;
        case "bigint": return BigInt(v.v);
        case "number": return v.v === "-0" ? -0 : +v.v;
        case "u8": return bytesFromArray(v.v);
        case "ab": return TypedArrayPrototypeGetBuffer(bytesFromArray(v.v));
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

  // --- unhandled rejections: web turns them into "unhandledrejection" events
  let unhandledRejectionHandler;
  function setUnhandledRejectionHandler(fn) { unhandledRejectionHandler = fn; }
  function handleUnhandledRejection(promise, reason) {
    if (unhandledRejectionHandler === undefined) return false;
    return FunctionPrototypeCall(unhandledRejectionHandler, undefined, promise, reason) === true;
  }

  const core = ObjectFreeze({
    __proto__: null,
    ops, primordials, errors: ObjectFreeze({ ...errors }), registerErrorClass,
    startTimer, cancelTimer, refTimer, setUncaughtExceptionHandler, setUnhandledRejectionHandler,
    resources: () => ops.op_resources(), close: (rid) => ops.op_close(rid),
  });
  return {
    __proto__: null,
    core, ops, settle, fireTimer, handleUncaught, handleUnhandledRejection, encode, decode, makeError, describeError,
    utf16ToString, stringToUtf16, flatten, bigintToString, makeBigInt, wrapBytes,
    objectPrototype: ObjectPrototype, arrayPrototype: primordials.ArrayPrototype, protoKey: "__proto__", messageKey: "message",
  };
})`;
