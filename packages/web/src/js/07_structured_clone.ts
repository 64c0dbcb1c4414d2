/**
 * structuredClone (HTML §2.7 StructuredSerialize/Deserialize, in one pass):
 * primitives, wrappers, Date, RegExp, ArrayBuffer, views, Map, Set, Error
 * types, arrays and plain objects, keeping shared references and cycles.
 * Functions, symbols, WeakMap/WeakSet/WeakRef, Promise and platform objects
 * throw a DataCloneError DOMException.
 */
export const STRUCTURED_CLONE_SOURCE = String.raw`
import { primordials } from "ext:core/mod.js";
import { DOMException } from "ext:islet_web/01_dom_exception.js";
import { requireArgs } from "ext:islet_web/03_event.js";
const {
  ArrayBuffer, ArrayBufferPrototypeSlice, ArrayIsArray, BigInt, Boolean, DataView, Date, DatePrototypeGetTime, Error,
  MapPrototypeForEach, MapPrototypeSet, Number, Object, ObjectKeys, ObjectPrototypeToString,
  RegExp, SafeMap, SetPrototypeForEach, SetPrototypeAdd, String, Map, Set, ObjectDefineProperty,
  TypedArrayPrototypeGetBuffer, TypedArrayPrototypeGetByteOffset, TypedArrayPrototypeGetLength, TypedArrayPrototypeGetSymbolToStringTag,
  DataViewPrototypeGetBuffer, DataViewPrototypeGetByteOffset, DataViewPrototypeGetByteLength, ArrayBufferIsView,
  ObjectHasOwn, MapPrototypeGet, MapPrototypeHas,
} = primordials;
const ERROR_CTORS = { __proto__: null, Error, EvalError: primordials.EvalError, RangeError: primordials.RangeError,
  ReferenceError: primordials.ReferenceError, SyntaxError: primordials.SyntaxError, TypeError: primordials.TypeError, URIError: primordials.URIError };
const TYPED = { __proto__: null, Int8Array: primordials.Int8Array, Uint8Array: primordials.Uint8Array, Uint8ClampedArray: primordials.Uint8ClampedArray,
  Int16Array: primordials.Int16Array, Uint16Array: primordials.Uint16Array, Int32Array: primordials.Int32Array, Uint32Array: primordials.Uint32Array,
  Float32Array: primordials.Float32Array, Float64Array: primordials.Float64Array, BigInt64Array: primordials.BigInt64Array, BigUint64Array: primordials.BigUint64Array };

function fail(what) { return new DOMException(what + " could not be cloned.", "DataCloneError"); }

function clone(value, memory) {
  const t = typeof value;
  if (t === "symbol") throw fail(String(primordials.SymbolPrototypeToString(value)));
  if (t === "function") throw fail("function " + (value.name || "anonymous"));
  if (t !== "object" || value === null) return value;
  if (MapPrototypeHas(memory, value)) return MapPrototypeGet(memory, value);
  const tag = ObjectPrototypeToString(value);
  let out;
  switch (tag) {
    case "[object Boolean]": out = new Object(primordials.BooleanPrototypeValueOf(value)); break;
    case "[object Number]": out = new Object(primordials.NumberPrototypeValueOf(value)); break;
    case "[object String]": out = new Object(primordials.StringPrototypeValueOf(value)); break;
    case "[object BigInt]": out = new Object(primordials.BigIntPrototypeValueOf(value)); break;
    case "[object Date]": out = new Date(DatePrototypeGetTime(value)); break;
    case "[object RegExp]": out = new RegExp(primordials.RegExpPrototypeGetSource(value), primordials.RegExpPrototypeGetFlags(value)); break;
    case "[object ArrayBuffer]": out = ArrayBufferPrototypeSlice(value, 0); break;
    case "[object Map]": {
      out = new Map();
      MapPrototypeSet(memory, value, out);
      const entries = [];
      MapPrototypeForEach(value, (v, k) => { entries[entries.length] = [k, v]; });
      for (let i = 0; i < entries.length; i++) MapPrototypeSet(out, clone(entries[i][0], memory), clone(entries[i][1], memory));
      return out;
    }
    case "[object Set]": {
      out = new Set();
      MapPrototypeSet(memory, value, out);
      const items = [];
      SetPrototypeForEach(value, (v) => { items[items.length] = v; });
      for (let i = 0; i < items.length; i++) SetPrototypeAdd(out, clone(items[i], memory));
      return out;
    }
    case "[object Error]": {
      let name = "Error";
      try { const n = value.name; if (typeof n === "string" && n in ERROR_CTORS) name = n; } catch {}
      const Ctor = ERROR_CTORS[name];
      out = new Ctor();
      MapPrototypeSet(memory, value, out);
      const m = primordials.ObjectGetOwnPropertyDescriptor(value, "message");
      if (m !== undefined && "value" in m) ObjectDefineProperty(out, "message", { __proto__: null, value: String(m.value), writable: true, configurable: true, enumerable: false });
      else delete out.message;
      const s = value.stack;
      if (typeof s === "string") ObjectDefineProperty(out, "stack", { __proto__: null, value: s, writable: true, configurable: true, enumerable: false });
      if (ObjectHasOwn(value, "cause")) ObjectDefineProperty(out, "cause", { __proto__: null, value: clone(value.cause, memory), writable: true, configurable: true, enumerable: false });
      return out;
    }
    case "[object Array]": {
      out = new primordials.Array(value.length);
      MapPrototypeSet(memory, value, out);
      const keys = ObjectKeys(value);
      for (let i = 0; i < keys.length; i++) out[keys[i]] = clone(value[keys[i]], memory);
      return out;
    }
    case "[object DataView]": {
      const buf = clone(DataViewPrototypeGetBuffer(value), memory);
      out = new DataView(buf, DataViewPrototypeGetByteOffset(value), DataViewPrototypeGetByteLength(value));
      break;
    }
    case "[object Object]": {
      out = {};
      MapPrototypeSet(memory, value, out);
      const keys = ObjectKeys(value);
      for (let i = 0; i < keys.length; i++) out[keys[i]] = clone(value[keys[i]], memory);
      return out;
    }
    default: {
      if (ArrayBufferIsView(value)) {
        const name = TypedArrayPrototypeGetSymbolToStringTag(value);
        const buf = clone(TypedArrayPrototypeGetBuffer(value), memory);
        out = new TYPED[name](buf, TypedArrayPrototypeGetByteOffset(value), TypedArrayPrototypeGetLength(value));
        break;
      }
      throw fail(describe(value));
    }
  }
  MapPrototypeSet(memory, value, out);
  return out;
}
function describe(v) {
  const tag = ObjectPrototypeToString(v);
  return primordials.StringPrototypeSlice(tag, 8, -1) + " object";
}

function structuredClone(value, options = undefined) {
  requireArgs(arguments.length, 1, "structuredClone");
  if (options !== undefined && options !== null && typeof options === "object" && options.transfer !== undefined) {
    const t = options.transfer;
    if (t === null || typeof t !== "object" || t.length > 0) {
      throw new DOMException("structuredClone: options.transfer is not supported in Islet (nothing is transferable between realms here)", "DataCloneError");
    }
  }
  return clone(value, new SafeMap());
}
export { structuredClone };
`;
