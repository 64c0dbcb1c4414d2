/**
 * structuredClone (HTML §2.7 StructuredSerialize/Deserialize, in one pass):
 * primitives, wrappers, Date, RegExp, ArrayBuffer, views, Map, Set, Error
 * types (with cause), arrays (sparse stay sparse) and plain objects, keeping
 * shared references and cycles; serializable platform objects (DOMException,
 * Blob, File) through registerSerializable; ArrayBuffers and transferable platform
 * objects (MessagePort, through registerTransferable) in options.transfer move and
 * are detached. Functions, symbols, WeakMap/WeakSet/WeakRef, Promise
 * and other platform objects throw a DataCloneError DOMException.
 */
export const STRUCTURED_CLONE_SOURCE = String.raw`
import { primordials } from "ext:core/mod.js";
import { DOMException, isDOMException } from "ext:islet_web/01_dom_exception.js";
import { requireArgs, toDictionary, toSequence } from "ext:islet_web/00_webidl.js";
const {
  ArrayBuffer, ArrayBufferPrototypeSlice, ArrayIsArray, BigInt, Boolean, DataView, Date, DatePrototypeGetTime, Error,
  MapPrototypeForEach, MapPrototypeSet, Number, Object, ObjectKeys, ObjectPrototypeToString,
  RegExp, SafeMap, SetPrototypeForEach, SetPrototypeAdd, String, Map, Set, ObjectDefineProperty,
  TypedArrayPrototypeGetBuffer, TypedArrayPrototypeGetByteOffset, TypedArrayPrototypeGetLength, TypedArrayPrototypeGetSymbolToStringTag,
  DataViewPrototypeGetBuffer, DataViewPrototypeGetByteOffset, DataViewPrototypeGetByteLength, ArrayBufferIsView,
  ObjectHasOwn, MapPrototypeGet, MapPrototypeHas, ArrayPrototypePush,
} = primordials;
const ERROR_CTORS = { __proto__: null, Error, EvalError: primordials.EvalError, RangeError: primordials.RangeError,
  ReferenceError: primordials.ReferenceError, SyntaxError: primordials.SyntaxError, TypeError: primordials.TypeError, URIError: primordials.URIError };
const TYPED = { __proto__: null, Int8Array: primordials.Int8Array, Uint8Array: primordials.Uint8Array, Uint8ClampedArray: primordials.Uint8ClampedArray,
  Int16Array: primordials.Int16Array, Uint16Array: primordials.Uint16Array, Int32Array: primordials.Int32Array, Uint32Array: primordials.Uint32Array,
  Float32Array: primordials.Float32Array, Float64Array: primordials.Float64Array, BigInt64Array: primordials.BigInt64Array, BigUint64Array: primordials.BigUint64Array };

function fail(what) { return new DOMException(what + " could not be cloned.", "DataCloneError"); }

// CreateDataProperty: a plain assignment would run a setter guest code put on Object.prototype
// or Array.prototype; a definition never does.
function put(obj, key, value) {
  ObjectDefineProperty(obj, key, { __proto__: null, value, writable: true, enumerable: true, configurable: true });
}
// The flags of a regexp from its internal slots (the "flags" getter reads each flag through the
// regexp's own, replaceable, accessors).
const FLAG_GETTERS = [["d", primordials.RegExpPrototypeGetHasIndices], ["g", primordials.RegExpPrototypeGetGlobal],
  ["i", primordials.RegExpPrototypeGetIgnoreCase], ["m", primordials.RegExpPrototypeGetMultiline], ["s", primordials.RegExpPrototypeGetDotAll],
  ["u", primordials.RegExpPrototypeGetUnicode], ["v", primordials.RegExpPrototypeGetUnicodeSets], ["y", primordials.RegExpPrototypeGetSticky]];
function regExpFlags(re) {
  let flags = "";
  for (let i = 0; i < FLAG_GETTERS.length; i++) if (FLAG_GETTERS[i][1] !== undefined && FLAG_GETTERS[i][1](re)) flags += FLAG_GETTERS[i][0];
  return flags;
}
const { isArrayBuffer, isBigIntObject, isBooleanObject, isDataView, isDate, isMap, isNumberObject, isRegExp, isSet, isStringObject, typedArrayName } = primordials;

// The kind of a value by internal slot (HTML StructuredSerializeInternal steps 6-26); never
// decided by Object.prototype.toString or instanceof alone, which ask the value
// (Symbol.toStringTag, Symbol.hasInstance). The tag only picks which slot check to run first:
// each failing check throws inside, so running all of them for every plain object would make
// a clone many times slower.
const BRANDS = [["Boolean", isBooleanObject], ["Number", isNumberObject], ["BigInt", isBigIntObject], ["String", isStringObject],
  ["Date", isDate], ["RegExp", isRegExp], ["ArrayBuffer", isArrayBuffer], ["DataView", isDataView], ["Map", isMap], ["Set", isSet]];
const TAGGED = { __proto__: null };
for (let i = 0; i < BRANDS.length; i++) TAGGED["[object " + BRANDS[i][0] + "]"] = BRANDS[i];
const ObjectPrototype = primordials.ObjectPrototype;
function kindOf(value) {
  if (ArrayIsArray(value)) return "Array";
  if (typedArrayName(value) !== undefined) return "TypedArray";
  let tag;
  try { tag = ObjectPrototypeToString(value); } catch { tag = ""; }
  const proto = primordials.ObjectGetPrototypeOf(value);
  // An ordinary object straight from Object.prototype (or null): nothing else reports this tag there.
  if (tag === "[object Object]" && (proto === ObjectPrototype || proto === null)) return "Object";
  const hinted = TAGGED[tag];
  if (hinted !== undefined && hinted[1](value)) return hinted[0];
  for (let i = 0; i < BRANDS.length; i++) if (BRANDS[i][1](value)) return BRANDS[i][0];
  if (tag === "[object Error]" || primordials.ObjectPrototypeIsPrototypeOf(primordials.ErrorPrototype, value)) return "Error";
  if (tag === "[object Object]" || tag === "[object Arguments]") return "Object";
  // A tag the object gives itself, or one read from Object.prototype, does not make it a platform
  // object: it is ordinary. (Platform objects and Promise/WeakMap/… take theirs from their class.)
  if (proto === ObjectPrototype || proto === null || ObjectHasOwn(value, primordials.SymbolToStringTag)) return "Object";
  return "";
}

// Platform objects that are serializable register here (a higher layer cannot be imported):
// [test, copy] pairs, asked before the ECMAScript types.
const serializables = [];
function registerSerializable(test, copy) { primordials.ArrayPrototypePush(serializables, [test, copy]); }
// DOMException is serializable (WebIDL §3.14.1): name and message are kept (read through the
// prototype's own getters, not whatever the instance shadows them with).
const nameOf = primordials.ObjectGetOwnPropertyDescriptor(DOMException.prototype, "name").get;
const messageOf = primordials.ObjectGetOwnPropertyDescriptor(DOMException.prototype, "message").get;
registerSerializable(isDOMException, (v) => new DOMException(primordials.ReflectApply(messageOf, v, []), primordials.ReflectApply(nameOf, v, [])));

function clone(value, memory) {
  const t = typeof value;
  if (t === "symbol") throw fail(String(primordials.SymbolPrototypeToString(value)));
  if (t === "function") throw fail("function " + (value.name || "anonymous"));
  if (t !== "object" || value === null) return value;
  if (MapPrototypeHas(memory, value)) return MapPrototypeGet(memory, value);
  for (let i = 0; i < serializables.length; i++) {
    if (!serializables[i][0](value)) continue;
    const copy = serializables[i][1](value);
    MapPrototypeSet(memory, value, copy);
    return copy;
  }
  let out;
  switch (kindOf(value)) {
    case "Boolean": out = new Object(primordials.BooleanPrototypeValueOf(value)); break;
    case "Number": out = new Object(primordials.NumberPrototypeValueOf(value)); break;
    case "String": out = new Object(primordials.StringPrototypeValueOf(value)); break;
    case "BigInt": out = new Object(primordials.BigIntPrototypeValueOf(value)); break;
    case "Date": out = new Date(DatePrototypeGetTime(value)); break;
    case "RegExp": out = new RegExp(primordials.RegExpPrototypeGetSource(value), regExpFlags(value)); break;
    case "ArrayBuffer": out = ArrayBufferPrototypeSlice(value, 0); break;
    case "Map": {
      out = new Map();
      MapPrototypeSet(memory, value, out);
      const entries = [];
      MapPrototypeForEach(value, (v, k) => { entries[entries.length] = k; entries[entries.length] = v; });
      for (let i = 0; i < entries.length; i += 2) MapPrototypeSet(out, clone(entries[i], memory), clone(entries[i + 1], memory));
      return out;
    }
    case "Set": {
      out = new Set();
      MapPrototypeSet(memory, value, out);
      const items = [];
      SetPrototypeForEach(value, (v) => { items[items.length] = v; });
      for (let i = 0; i < items.length; i++) SetPrototypeAdd(out, clone(items[i], memory));
      return out;
    }
    case "Error": {
      let name = "Error";
      try { const n = value.name; if (typeof n === "string" && n in ERROR_CTORS) name = n; } catch {}
      const Ctor = ERROR_CTORS[name];
      out = new Ctor();
      MapPrototypeSet(memory, value, out);
      const m = primordials.ObjectGetOwnPropertyDescriptor(value, "message");
      if (m !== undefined && ObjectHasOwn(m, "value")) ObjectDefineProperty(out, "message", { __proto__: null, value: String(m.value), writable: true, configurable: true, enumerable: false });
      else delete out.message;
      const s = value.stack;
      if (typeof s === "string") ObjectDefineProperty(out, "stack", { __proto__: null, value: s, writable: true, configurable: true, enumerable: false });
      if (ObjectHasOwn(value, "cause")) ObjectDefineProperty(out, "cause", { __proto__: null, value: clone(value.cause, memory), writable: true, configurable: true, enumerable: false });
      return out;
    }
    case "Array": {
      out = new primordials.Array(value.length);
      MapPrototypeSet(memory, value, out);
      const keys = ObjectKeys(value);
      for (let i = 0; i < keys.length; i++) put(out, keys[i], clone(value[keys[i]], memory));
      return out;
    }
    case "DataView": {
      const buf = clone(DataViewPrototypeGetBuffer(value), memory);
      out = new DataView(buf, DataViewPrototypeGetByteOffset(value), DataViewPrototypeGetByteLength(value));
      break;
    }
    case "TypedArray": {
      const buf = clone(TypedArrayPrototypeGetBuffer(value), memory);
      out = new TYPED[typedArrayName(value)](buf, TypedArrayPrototypeGetByteOffset(value), TypedArrayPrototypeGetLength(value));
      break;
    }
    case "Object": {
      out = {};
      MapPrototypeSet(memory, value, out);
      const keys = ObjectKeys(value);
      for (let i = 0; i < keys.length; i++) put(out, keys[i], clone(value[keys[i]], memory));
      return out;
    }
    default: throw fail(describe(value));
  }
  MapPrototypeSet(memory, value, out);
  return out;
}
function describe(v) {
  let tag;
  try { tag = ObjectPrototypeToString(v); } catch { tag = "[object Object]"; }
  return primordials.StringPrototypeSlice(tag, 8, -1) + " object";
}

const ArrayBufferPrototypeGetDetached = primordials.ArrayBufferPrototypeGetDetached;
const ArrayBufferPrototypeTransfer = primordials.ArrayBufferPrototypeTransfer;
function isDetached(buffer) {
  return ArrayBufferPrototypeGetDetached !== undefined && ArrayBufferPrototypeGetDetached(buffer);
}
// Transferable platform objects (MessagePort) register here: test(v), detached(v), and
// prepare(v), which makes the copy without touching v and returns [copy, commit]; commit()
// detaches v once the whole clone has succeeded.
const transferables = [];
function registerTransferable(test, detached, prepare) { primordials.ArrayPrototypePush(transferables, [test, detached, prepare]); }

/**
 * HTML StructuredSerializeWithTransfer (and the deserialization, in one pass): the transfer
 * list may hold ArrayBuffers and registered transferables, each once, none detached. Every
 * reference to a transferred object in the value becomes its one copy; the originals are
 * detached only after the whole value was copied, so a failed clone leaves them as they were.
 * Returns [copy of value, copies of the transfer list in its order].
 */
function cloneWithTransfer(value, transfer, where) {
  const memory = new SafeMap();
  const commits = [];
  const copies = [];
  for (let i = 0; i < transfer.length; i++) {
    const t = transfer[i];
    if (MapPrototypeHas(memory, t)) throw new DOMException(where + ": the transfer list holds the same object twice", "DataCloneError");
    let copy;
    if (primordials.isArrayBuffer(t)) {
      if (isDetached(t)) throw new DOMException(where + ": transfer[" + i + "] is already detached", "DataCloneError");
      copy = ArrayBufferPrototypeSlice(t, 0);
      ArrayPrototypePush(commits, () => ArrayBufferPrototypeTransfer(t));
    } else {
      let kind;
      for (let j = 0; j < transferables.length; j++) if (transferables[j][0](t)) { kind = transferables[j]; break; }
      if (kind === undefined) {
        throw new DOMException(where + ": transfer[" + i + "] is not transferable (ArrayBuffers and MessagePorts are)", "DataCloneError");
      }
      if (kind[1](t)) throw new DOMException(where + ": transfer[" + i + "] is already detached", "DataCloneError");
      const prepared = kind[2](t);
      copy = prepared[0];
      ArrayPrototypePush(commits, prepared[1]);
    }
    MapPrototypeSet(memory, t, copy);
    ArrayPrototypePush(copies, copy);
  }
  const out = clone(value, memory);
  for (let i = 0; i < commits.length; i++) commits[i]();
  return [out, copies];
}
function structuredClone(value, options = undefined) {
  const where = "structuredClone";
  requireArgs(arguments.length, 1, where);
  const o = toDictionary(options, where);
  const transferRaw = o.transfer;
  const transfer = transferRaw === undefined ? [] : toSequence(transferRaw, where, "options.transfer", (x) => x);
  return cloneWithTransfer(value, transfer, where)[0];
}
export { cloneWithTransfer, registerSerializable, registerTransferable, structuredClone };
`;
