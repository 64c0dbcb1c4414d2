/**
 * Guest half of the bridge (deno_core `01_core.js`). A function expression the
 * host calls once at bootstrap with the primordials and the raw op functions.
 * It returns `internals`: the guest functions the host calls (settle async ops,
 * fire timers, classify objects and build values for the marshaler — see
 * marshal.ts —, make errors), and `core`: the API that extension modules import
 * from `ext:core/mod.js`.
 *
 * Invariant: nothing here is reachable from `globalThis` after bootstrap; the
 * host keeps `internals` as a handle and extension modules get `core` through
 * the reserved `ext:` specifiers only.
 */
/** Object literals of 0…OBJECT_MAKERS computed keys are precompiled guest functions (see `objectOf<n>`). */
export const OBJECT_MAKERS = 8;

/** The names of the guest's `objectOf<n>` helpers, n = 0…OBJECT_MAKERS. */
export function objectMakerNames(): string[] {
  return Array.from({ length: OBJECT_MAKERS + 1 }, (_, n) => `objectOf${n}`);
}

function objectMakers(): string {
  return objectMakerNames()
    .map((name, n) => {
      const params = Array.from({ length: n }, (_, i) => `k${i}, v${i}`).join(", ");
      const props = Array.from({ length: n }, (_, i) => `[k${i}]: v${i}`).join(", ");
      return `function ${name}(${params}) { return { ${props} }; }`;
    })
    .join("\n");
}

export const CORE_SOURCE = /* js */ `(function makeCore(primordials, rawOps, asyncOpNames) {
  "use strict";
  const {
    ArrayBuffer, ArrayBufferPrototypeGetByteLength, ArrayBufferPrototypeSlice, ArrayIsArray,
    DataView, Error, JSONParse, JSONStringify, MapPrototypeClear, MapPrototypeDelete, MapPrototypeGet, MapPrototypeSet,
    NumberIsNaN, ObjectDefineProperty, ObjectFreeze, ObjectGetOwnPropertyDescriptor, ObjectGetPrototypeOf,
    ObjectKeys, ObjectPrototype, ObjectPrototypeToString, ObjectSetPrototypeOf, TypedArrayPrototypeSet,
    TypedArrayPrototypeGetSymbolToStringTag, TypedArrayPrototypeSubarray, Promise, ReflectApply, SafeMap, SafeSet, String,
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
  // The host walks plain data itself (marshal.ts); these helpers do only what
  // needs the guest's intrinsics, captured before user code ran, so a program
  // that replaces Object.getPrototypeOf, Array.isArray or a prototype's
  // __proto__ accessor cannot change how a value is classified or copied.
  const KIND_OTHER = 0, KIND_PLAIN = 1, KIND_ARRAY = 2, KIND_ARRAY_BUFFER = 3, KIND_VIEW = 4;
  function isArrayBuffer(value) {
    try {
      ArrayBufferPrototypeGetByteLength(value);
      return true;
    } catch {
      return false;
    }
  }
  // What kind of object crosses: brands first (internal slots, unforgeable),
  // then the prototype read through the captured Object.getPrototypeOf. The
  // ArrayBuffer brand check throws for anything else, and a throw is costly,
  // so plain objects (the common case) are recognised before it runs; an
  // ArrayBuffer whose prototype the guest set to Object.prototype or null
  // therefore crosses as the plain object it now claims to be ({}).
  function classify(value) {
    if (ArrayBufferIsView(value)) return KIND_VIEW;
    if (ArrayIsArray(value)) return KIND_ARRAY;
    const proto = ObjectGetPrototypeOf(value);
    if (proto === ObjectPrototype || proto === null) return KIND_PLAIN;
    return isArrayBuffer(value) ? KIND_ARRAY_BUFFER : KIND_OTHER;
  }
  // The bytes of a view as an ArrayBuffer for the host to copy: the view's own
  // buffer when the view covers all of it, else a copy of the window.
  function viewBytes(view) {
    let buffer, offset, length;
    // The %TypedArray%.prototype[Symbol.toStringTag] getter is a brand check: undefined for a DataView.
    if (TypedArrayPrototypeGetSymbolToStringTag(view) === undefined) {
      buffer = DataViewPrototypeGetBuffer(view);
      offset = DataViewPrototypeGetByteOffset(view);
      length = DataViewPrototypeGetByteLength(view);
    } else {
      buffer = TypedArrayPrototypeGetBuffer(view);
      offset = TypedArrayPrototypeGetByteOffset(view);
      length = TypedArrayPrototypeGetByteLength(view);
    }
    if (isArrayBuffer(buffer)) {
      if (offset === 0 && length === ArrayBufferPrototypeGetByteLength(buffer)) return buffer;
      return ArrayBufferPrototypeSlice(buffer, offset, offset + length);
    }
    // A SharedArrayBuffer: copy the window into a fresh ArrayBuffer.
    const out = new Uint8Array(length);
    TypedArrayPrototypeSet(out, new Uint8Array(buffer, offset, length));
    return TypedArrayPrototypeGetBuffer(out);
  }
  // Names a value that cannot cross, for the host's TypeError ("a function",
  // "an object of class Map"). Reads only data properties: no getter runs.
  function describeValue(value) {
    if (typeof value === "function") return "a function";
    let name = "Object";
    try {
      name = StringPrototypeSlice(ObjectPrototypeToString(value), 8, -1);
      if (name === "Object") {
        const proto = ObjectGetPrototypeOf(value);
        const ctor = proto === null ? undefined : ObjectGetOwnPropertyDescriptor(proto, "constructor");
        const named = ctor !== undefined && typeof ctor.value === "function" ? ObjectGetOwnPropertyDescriptor(ctor.value, "name") : undefined;
        if (named !== undefined && typeof named.value === "string" && named.value !== "") name = named.value;
      }
    } catch {}
    return "an object of class " + name;
  }
  // Host → guest, up to OBJECT_MAKERS keys: an object literal with computed
  // keys creates own data properties on a fresh %Object.prototype% object —
  // no setter runs and "__proto__" stays a key — in one step.
${objectMakers()}
  // Host → guest: fresh objects and arrays built from values the host made.
  // Properties are created on a null-prototype object (no inherited setter can
  // run, "__proto__" stays an own key), then the prototype is set.
  function newObject() {
    const o = { __proto__: null };
    for (let i = 0; i < arguments.length; i += 2) o[arguments[i]] = arguments[i + 1];
    ObjectSetPrototypeOf(o, ObjectPrototype);
    return o;
  }
  function newArray(...items) { return items; }
  const dataProperty = { __proto__: null, value: undefined, writable: true, enumerable: true, configurable: true };
  // More keys or elements than one call carries: define each as an own data property.
  function addProperties(target) {
    for (let i = 1; i < arguments.length; i += 2) {
      dataProperty.value = arguments[i + 1];
      ObjectDefineProperty(target, arguments[i], dataProperty);
    }
    dataProperty.value = undefined;
  }
  function utf16ToString(buffer) {
    const units = new Uint16Array(buffer);
    let out = "";
    for (let i = 0; i < units.length; i += 8192) {
      out += ReflectApply(StringFromCharCode, null, TypedArrayPrototypeSubarray(units, i, i + 8192));
    }
    return out;
  }
  function stringToUtf16(s) {
    const units = new Uint16Array(s.length);
    for (let i = 0; i < s.length; i++) units[i] = StringPrototypeCharCodeAt(s, i);
    return TypedArrayPrototypeGetBuffer(units);
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
  // After a call the host ended: its op resolvers and timer callbacks are dropped
  // (the host already forgot the ops and timers; see runtime.ts: runEventLoop).
  function discardPending() {
    MapPrototypeClear(pending);
    MapPrototypeClear(timerCallbacks);
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

  // --- guest functions an extension's host half calls (runtime.callExposed) -----
  // Deno's extensions hand core callbacks (setMacrotaskCallback …); here an
  // extension module names a function once, at bootstrap, and its host half
  // calls it by that name between calls. Only extension modules reach core, so
  // user code can neither add a name nor replace one.
  const exposed = new SafeMap();
  function exposeToHost(name, fn) {
    if (typeof name !== "string" || typeof fn !== "function") throw new TypeError("exposeToHost(name, fn): bad arguments");
    if (MapPrototypeGet(exposed, name) !== undefined) throw new TypeError("exposeToHost: " + name + " is already exposed");
    MapPrototypeSet(exposed, name, fn);
  }
  function callExposed(name, args) {
    const fn = MapPrototypeGet(exposed, name);
    if (fn === undefined) throw new TypeError("callExposed: no extension exposed " + name);
    return ReflectApply(fn, undefined, args);
  }

  const core = ObjectFreeze({
    __proto__: null,
    ops, primordials, errors: ObjectFreeze({ ...errors }), registerErrorClass, exposeToHost,
    startTimer, cancelTimer, refTimer, setUncaughtExceptionHandler, setUnhandledRejectionHandler,
    resources: () => ops.op_resources(), close: (rid) => ops.op_close(rid),
  });
  return {
    __proto__: null,
    core, ops, settle, fireTimer, discardPending, handleUncaught, handleUnhandledRejection, makeError, describeError, callExposed,
    classify, viewBytes, describeValue, newObject, newArray, addProperties, ${objectMakerNames().join(", ")},
    utf16ToString, stringToUtf16, flatten, bigintToString, makeBigInt, wrapBytes, messageKey: "message",
  };
})`;
