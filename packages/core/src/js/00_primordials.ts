/**
 * Guest-side primordials (deno_core `00_primordials.js`, endo `commons.js`):
 * the intrinsics Islet's guest code uses, captured before user code runs, so a
 * program that replaces `Array.prototype.push` or `Promise.prototype.then`
 * cannot break the runtime. Security is still the host's job; this only keeps
 * Islet's own guest code working in a hostile realm.
 *
 * The source is a function expression evaluated once at bootstrap.
 */
export const PRIMORDIALS_SOURCE = /* js */ `(function makePrimordials(global) {
  "use strict";
  const { call, bind } = global.Function.prototype;
  const uncurryThis = bind.bind(call);
  const getOwn = global.Object.getOwnPropertyDescriptor;
  const ownKeys = global.Reflect.ownKeys;
  const defineProperty = global.Object.defineProperty;
  const primordials = { __proto__: null, uncurryThis, globalThis: global };
  const upper = (s) => s[0].toUpperCase() + s.slice(1);
  function keyName(key) {
    if (typeof key === "symbol") {
      const d = key.description;
      return "Symbol" + upper(d.startsWith("Symbol.") ? d.slice(7) : d);
    }
    return upper(key);
  }
  function copyStatics(src, prefix) {
    for (const key of ownKeys(src)) {
      const d = getOwn(src, key);
      if (key === "prototype" || key === "length" || key === "name" || key === "caller" || key === "arguments") continue;
      const name = prefix + keyName(key);
      if (global.Object.hasOwn(d, "value")) primordials[name] = d.value;
      else if (d.get) primordials[prefix + "Get" + keyName(key)] = uncurryThis(d.get);
    }
  }
  function copyPrototype(src, prefix) {
    for (const key of ownKeys(src)) {
      if (key === "constructor") continue;
      const d = getOwn(src, key);
      const name = prefix + keyName(key);
      if (global.Object.hasOwn(d, "value")) {
        if (typeof d.value === "function") primordials[name] = uncurryThis(d.value);
      } else {
        if (d.get) primordials[prefix + "Get" + keyName(key)] = uncurryThis(d.get);
        if (d.set) primordials[prefix + "Set" + keyName(key)] = uncurryThis(d.set);
      }
    }
  }
  const names = [
    "Array", "ArrayBuffer", "BigInt", "Boolean", "DataView", "Date", "Error", "EvalError", "Function",
    "Map", "Number", "Object", "Promise", "RangeError", "ReferenceError", "RegExp", "Set", "String",
    "Symbol", "SyntaxError", "TypeError", "URIError", "WeakMap", "WeakSet", "WeakRef",
    "FinalizationRegistry", "AggregateError", "Uint8Array", "Uint16Array", "Uint32Array", "Int8Array",
    "Int16Array", "Int32Array", "Float32Array", "Float64Array", "Uint8ClampedArray", "BigInt64Array",
    "BigUint64Array",
  ];
  for (const name of names) {
    const ctor = global[name];
    if (ctor === undefined) continue;
    primordials[name] = ctor;
    copyStatics(ctor, name);
    if (ctor.prototype) {
      primordials[name + "Prototype"] = ctor.prototype;
      copyPrototype(ctor.prototype, name + "Prototype");
    }
  }
  for (const name of ["JSON", "Math", "Reflect", "Atomics"]) {
    const ns = global[name];
    if (ns === undefined) continue;
    primordials[name] = ns;
    copyStatics(ns, name);
  }
  const TypedArray = global.Object.getPrototypeOf(global.Uint8Array);
  primordials.TypedArray = TypedArray;
  copyStatics(TypedArray, "TypedArray");
  copyPrototype(TypedArray.prototype, "TypedArrayPrototype");
  const ArrayIteratorPrototype = global.Object.getPrototypeOf(global.Array.prototype[global.Symbol.iterator]());
  primordials.ArrayIteratorPrototypeNext = uncurryThis(ArrayIteratorPrototype.next);
  for (const name of ["isNaN", "isFinite", "parseInt", "parseFloat", "encodeURIComponent", "decodeURIComponent", "encodeURI", "decodeURI", "queueMicrotask"]) {
    if (global[name] !== undefined) primordials[name] = global[name];
  }
  // Iteration helpers that do not go through user-replaceable %ArrayIteratorPrototype%.next.
  primordials.SafeMap = class SafeMap extends global.Map {};
  primordials.SafeSet = class SafeSet extends global.Set {};
  // Internal slots keyed by object, with WeakMap's get/set/has/delete. Each map is its own
  // class, so each has its own private name, and a value lives on its key as a private
  // field: invisible to guest code (no trap or reflection reaches it), and released with
  // the key by reference counting. QuickJS releases a real WeakMap's entry for a dead key
  // only at a garbage collection, which large allocations do not trigger: a loop making
  // 1 MiB Blobs ran out of a 64 MiB heap with one Blob live.
  primordials.SafeWeakMap = class SafeWeakMap {
    #has; #get; #set; #delete;
    constructor() {
      const EMPTY = {};
      class Key { constructor(o) { return o; } }
      class Slot extends Key {
        #value;
        constructor(o, value) { super(o); this.#value = value; }
        static has(o) { return #value in o && o.#value !== EMPTY; }
        static get(o) { return #value in o && o.#value !== EMPTY ? o.#value : undefined; }
        static set(o, value) { if (#value in o) o.#value = value; else new Slot(o, value); }
        static clear(o) { if (!(#value in o) || o.#value === EMPTY) return false; o.#value = EMPTY; return true; }
      }
      const isKey = (k) => k !== null && (typeof k === "object" || typeof k === "function");
      this.#has = (k) => isKey(k) && Slot.has(k);
      this.#get = (k) => (isKey(k) ? Slot.get(k) : undefined);
      this.#set = (k, v) => {
        if (!isKey(k)) throw new global.TypeError("invalid value used as weak map key");
        Slot.set(k, v);
      };
      this.#delete = (k) => isKey(k) && Slot.clear(k);
    }
    has(k) { return this.#has(k); }
    get(k) { return this.#get(k); }
    set(k, v) { this.#set(k, v); return this; }
    delete(k) { return this.#delete(k); }
  };
  global.Object.freeze(primordials.SafeWeakMap.prototype);
  global.Object.freeze(primordials.SafeWeakMap);
  for (const [Safe, Base] of [[primordials.SafeMap, global.Map], [primordials.SafeSet, global.Set]]) {
    for (const key of ownKeys(Base.prototype)) {
      if (key === "constructor") continue;
      const d = getOwn(Base.prototype, key);
      defineProperty(Safe.prototype, key, d);
    }
    global.Object.freeze(Safe.prototype);
    global.Object.freeze(Safe);
  }
  // RegExp.prototype.test looks up "exec" on the regexp (user-replaceable); exec itself
  // reads only the regexp's own lastIndex and internal slots.
  const regExpExec = primordials.RegExpPrototypeExec;
  primordials.SafeRegExpTest = (re, s) => regExpExec(re, s) !== null;
  // Brand checks through captured accessors and methods that throw on anything without
  // the internal slot: Object.prototype.toString and instanceof ask the value itself
  // (Symbol.toStringTag, Symbol.hasInstance), which guest code can redefine.
  const brand = (check) => (v) => {
    if (v === null || typeof v !== "object") return false;
    try { check(v); return true; } catch { return false; }
  };
  primordials.isMap = brand(primordials.MapPrototypeGetSize);
  primordials.isSet = brand(primordials.SetPrototypeGetSize);
  primordials.isDate = brand(primordials.DatePrototypeGetTime);
  primordials.isRegExp = brand((v) => regExpExec(v, ""));
  primordials.isArrayBuffer = brand(primordials.ArrayBufferPrototypeGetByteLength);
  primordials.isDataView = brand(primordials.DataViewPrototypeGetByteLength);
  primordials.isBooleanObject = brand(primordials.BooleanPrototypeValueOf);
  primordials.isNumberObject = brand(primordials.NumberPrototypeValueOf);
  primordials.isStringObject = brand(primordials.StringPrototypeValueOf);
  primordials.isBigIntObject = brand(primordials.BigIntPrototypeValueOf);
  primordials.isSymbolObject = brand(primordials.SymbolPrototypeValueOf);
  const sabByteLength = global.SharedArrayBuffer === undefined ? undefined
    : uncurryThis(getOwn(global.SharedArrayBuffer.prototype, "byteLength").get);
  primordials.isSharedArrayBuffer = sabByteLength === undefined ? () => false : brand(sabByteLength);
  /** The typed array's class name ("Uint8Array", …), or undefined for anything else. */
  primordials.typedArrayName = primordials.TypedArrayPrototypeGetSymbolToStringTag;
  const PromiseCtor = global.Promise;
  const promiseThen = primordials.PromisePrototypeThen;
  primordials.SafePromiseThen = (p, onFulfilled, onRejected) => promiseThen(p, onFulfilled, onRejected);
  primordials.PromiseWithResolvers = () => {
    let resolve, reject;
    const promise = new PromiseCtor((res, rej) => { resolve = res; reject = rej; });
    return { promise, resolve, reject };
  };
  return global.Object.freeze(primordials);
})`;
