/**
 * WebIDL plumbing for every platform file (Deno's `ext/webidl/00_webidl.js`):
 * the "N arguments required" check and the empty dictionary. Written once here;
 * the API files import it instead of repeating it.
 *
 * Invariant: platform code never reads a dictionary member from
 * Object.prototype. An absent dictionary is EMPTY_DICT (null-prototype, frozen),
 * so a guest that defines `Object.prototype.type` cannot change what
 * `new Blob()` means.
 */
export const WEBIDL_SOURCE = String.raw`
import { primordials } from "ext:core/mod.js";
const {
  ArrayBufferIsView, ArrayPrototypeJoin, ArrayPrototypePush, FunctionPrototypeCall, JSONStringify, MathFloor, MathTrunc, ObjectCreate, ObjectDefineProperty,
  ObjectFreeze, ObjectGetOwnPropertyDescriptor, ObjectGetPrototypeOf, ReflectOwnKeys, SafeWeakMap, String, StringPrototypeCharCodeAt,
  StringPrototypeSlice, TypeError,
} = primordials;
const SymbolIterator = primordials.SymbolIterator;
const IteratorPrototype = ObjectGetPrototypeOf(ObjectGetPrototypeOf([][SymbolIterator]()));

/** The dictionary an omitted or null dictionary argument converts to: every member takes its default. */
const EMPTY_DICT = ObjectFreeze({ __proto__: null });

/** WebIDL overload resolution step: too few arguments is a TypeError naming the call. */
function requireArgs(n, count, where) {
  if (n < count) throw new TypeError(where + ": " + count + " argument" + (count === 1 ? "" : "s") + " required, but only " + n + " present");
}

/** DOMString (WebIDL §3.2.10): ToString, except that a symbol is a TypeError. */
function toDOMString(v, where) {
  if (typeof v === "symbol") throw new TypeError(where + ": a symbol cannot be converted to a string");
  return String(v);
}
const SURROGATE = /[\uD800-\uDFFF]/;
/** USVString (WebIDL §3.2.12): a DOMString whose lone surrogates become U+FFFD. */
function toUSVString(v, where) {
  const s = toDOMString(v, where);
  // Fast path: one native regexp search instead of a guest loop over every code unit.
  if (!primordials.SafeRegExpTest(SURROGATE, s)) return s;
  let out = "";
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    const c = StringPrototypeCharCodeAt(s, i);
    if (c < 0xd800 || c > 0xdfff) continue;
    const next = i + 1 < s.length ? StringPrototypeCharCodeAt(s, i + 1) : 0;
    if (c <= 0xdbff && next >= 0xdc00 && next <= 0xdfff) { i++; continue; }
    out += StringPrototypeSlice(s, from, i) + "\uFFFD";
    from = i + 1;
  }
  return out + StringPrototypeSlice(s, from);
}
/** [Clamp] long long (WebIDL §3.2.7): NaN is 0, clamped to the range, rounded half to even. */
function toClampedLongLong(v) {
  let n = +v;
  if (n !== n) return 0;
  if (n > 9223372036854775807) n = 9223372036854775807;
  if (n < -9223372036854775808) n = -9223372036854775808;
  const f = MathFloor(n);
  const r = n - f < 0.5 ? f : n - f > 0.5 ? f + 1 : f % 2 === 0 ? f : f + 1;
  return r === 0 ? 0 : r;
}
/** long long (WebIDL §3.2.7): NaN and infinities are 0, truncated, wrapped into 64 bits. */
function toLongLong(v) {
  const n = +v;
  if (n !== n || n === 1 / 0 || n === -1 / 0) return 0;
  let x = MathTrunc(n);
  if (x >= 9223372036854775808 || x < -9223372036854775808) {
    x = x % 18446744073709551616;
    if (x >= 9223372036854775808) x -= 18446744073709551616;
    if (x < -9223372036854775808) x += 18446744073709551616;
  }
  return x === 0 ? 0 : x;
}
/**
 * [EnforceRange] unsigned long long (WebIDL §3.2.7, ConvertToInt with EnforceRange): NaN and
 * infinities are a TypeError, the value is truncated, and outside 0..2^53-1 it is a TypeError.
 */
function toEnforcedUnsignedLongLong(v, where, what) {
  const n = +v;
  if (n !== n || n === 1 / 0 || n === -1 / 0) throw new TypeError(where + ": " + what + " must be a finite number, got " + String(n));
  const x = MathTrunc(n);
  if (x < 0 || x > 9007199254740991) throw new TypeError(where + ": " + what + " is outside the range of an unsigned long long, got " + String(x));
  return x === 0 ? 0 : x;
}
/**
 * ArrayBufferView (WebIDL §3.2.25), without [AllowShared] or [AllowResizable]: a typed array or
 * DataView whose buffer is neither a SharedArrayBuffer nor resizable. Internal slots are read
 * through captured getters, never through the view's own (replaceable) properties.
 */
function toArrayBufferView(v, where, what) {
  if (!ArrayBufferIsView(v)) throw new TypeError(where + ": " + what + " is not an ArrayBufferView (a typed array or DataView)");
  const buffer = primordials.typedArrayName(v) === undefined ? primordials.DataViewPrototypeGetBuffer(v) : primordials.TypedArrayPrototypeGetBuffer(v);
  // A view's buffer is an ArrayBuffer or a SharedArrayBuffer. isArrayBuffer is asked, not
  // isSharedArrayBuffer: both brand-check by catching a throw, and the common case must not throw.
  if (!primordials.isArrayBuffer(buffer)) throw new TypeError(where + ": " + what + " must not be a view on a SharedArrayBuffer");
  if (primordials.ArrayBufferPrototypeGetResizable(buffer)) throw new TypeError(where + ": " + what + " must not be a view on a resizable ArrayBuffer");
  return v;
}
/** unsigned short (WebIDL §3.2.4): NaN and infinities are 0, truncated, taken modulo 2^16. */
function toUnsignedShort(v) {
  const n = +v;
  if (n !== n || n === 1 / 0 || n === -1 / 0) return 0;
  const x = MathTrunc(n) % 65536;
  return x < 0 ? x + 65536 : x === 0 ? 0 : x;
}
/** A dictionary argument (WebIDL §3.2.21): undefined or null is EMPTY_DICT, an object is read as it is, anything else is a TypeError. */
function toDictionary(v, where, what = "options") {
  if (v === undefined || v === null) return EMPTY_DICT;
  if (typeof v !== "object" && typeof v !== "function") throw new TypeError(where + ": " + what + " must be an object");
  return v;
}
/** An enumeration value (WebIDL §3.2.19): one of "values", or a TypeError naming them. */
function toEnum(v, values, where, what) {
  const s = toDOMString(v, where);
  for (let i = 0; i < values.length; i++) if (values[i] === s) return s;
  throw new TypeError(where + ": " + what + " must be one of " + ArrayPrototypeJoin(values, ", ") + ", got " + JSONStringify(s));
}
/**
 * sequence<T> (WebIDL §3.2.24 "create a sequence from an iterable"): V must be an object with
 * a callable @@iterator; each element is converted by "convert" as it is produced, so a
 * throwing element stops the iteration where the spec says it does.
 */
function toSequence(v, where, what, convert, iteratorMethod = undefined) {
  if (v === null || (typeof v !== "object" && typeof v !== "function")) throw new TypeError(where + ": " + what + " must be a sequence (an iterable object)");
  // A union's conversion has already read @@iterator once; it hands the method over.
  const method = iteratorMethod === undefined ? v[SymbolIterator] : iteratorMethod;
  if (typeof method !== "function") throw new TypeError(where + ": " + what + " is not iterable (it has no [Symbol.iterator] method)");
  const iterator = FunctionPrototypeCall(method, v);
  if (iterator === null || (typeof iterator !== "object" && typeof iterator !== "function")) throw new TypeError(where + ": " + what + "[Symbol.iterator]() did not return an object");
  const next = iterator.next;
  const out = [];
  for (;;) {
    const step = FunctionPrototypeCall(next, iterator);
    if (step === null || (typeof step !== "object" && typeof step !== "function")) throw new TypeError(where + ": the iterator result is not an object");
    if (step.done) return out;
    ArrayPrototypePush(out, convert(step.value));
  }
}

/**
 * record<K, V> (WebIDL §3.2.27) as a list of [key, value] pairs: V's own enumerable keys in
 * [[OwnPropertyKeys]] order, each key and value converted; a key that converts to one already
 * seen replaces that entry's value where it stands.
 */
function toRecord(v, where, convertKey, convertValue) {
  const keys = ReflectOwnKeys(v);
  const out = [];
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i];
    const d = ObjectGetOwnPropertyDescriptor(v, key);
    if (d === undefined || !d.enumerable) continue;
    const typedKey = convertKey(key);
    const typedValue = convertValue(v[key]);
    let found = false;
    for (let j = 0; j < out.length; j++) if (out[j][0] === typedKey) { out[j][1] = typedValue; found = true; break; }
    if (!found) ArrayPrototypePush(out, [typedKey, typedValue]);
  }
  return out;
}
/**
 * (sequence<sequence<T>> or record<T, T>) of name/value pairs, as Headers and URLSearchParams
 * take them: an object with @@iterator is a sequence of two-element sequences (another Headers
 * or URLSearchParams included, through its possibly replaced iterator), any other object a record.
 */
function toPairs(v, where, convert) {
  const method = v[SymbolIterator];
  if (method === undefined || method === null) return toRecord(v, where, convert, convert);
  return toSequence(v, where, "init", (pair) => {
    const items = toSequence(pair, where, "each pair", convert);
    if (items.length !== 2) throw new TypeError(where + ": each pair must have exactly 2 items, got " + items.length);
    return items;
  }, method);
}

/**
 * WebIDL §3.7.9 "pair iterators" for an interface declared "iterable<K, V>": entries, keys,
 * values, forEach and @@iterator (the same function as entries) on "Class.prototype", and
 * a "%Name Iterator%" prototype. Iterators are live: each next() reads the current pairs
 * through "pairsOf(target)", so entries added or removed after the iterator was made are
 * seen (an array iterator over a snapshot would not). "check(self, what)" returns the
 * object's internal target or throws "illegal invocation".
 */
function definePairIterable(Class, name, check, pairsOf) {
  const iteratorSlots = new SafeWeakMap();
  const IterProto = ObjectCreate(IteratorPrototype);
  const iteratorMethods = {
    next() {
      const it = iteratorSlots.get(this);
      if (it === undefined) throw new TypeError(name + " Iterator.prototype.next: illegal invocation");
      const pairs = pairsOf(it.target);
      if (it.index >= pairs.length) return { value: undefined, done: true };
      const pair = pairs[it.index++];
      const value = it.kind === 0 ? pair[0] : it.kind === 1 ? pair[1] : [pair[0], pair[1]];
      return { value, done: false };
    },
  };
  ObjectDefineProperty(IterProto, "next", { __proto__: null, value: iteratorMethods.next, writable: true, enumerable: true, configurable: true });
  ObjectDefineProperty(IterProto, primordials.SymbolToStringTag, { __proto__: null, value: name + " Iterator", configurable: true });
  function iterator(target, kind) {
    const it = ObjectCreate(IterProto);
    iteratorSlots.set(it, { __proto__: null, target, kind, index: 0 });
    return it;
  }
  const methods = {
    entries() { return iterator(check(this, "entries"), 2); },
    keys() { return iterator(check(this, "keys"), 0); },
    values() { return iterator(check(this, "values"), 1); },
    forEach(callback, thisArg = undefined) {
      const target = check(this, "forEach");
      requireArgs(arguments.length, 1, name + ".prototype.forEach");
      if (typeof callback !== "function") throw new TypeError(name + ".prototype.forEach: argument 1 is not a function");
      // The pairs are read again after each call: the callback may change them.
      for (let i = 0; i < pairsOf(target).length; i++) {
        const pair = pairsOf(target)[i];
        FunctionPrototypeCall(callback, thisArg, pair[1], pair[0], this);
      }
    },
  };
  for (const key of ["entries", "keys", "values", "forEach"]) {
    ObjectDefineProperty(Class.prototype, key, { __proto__: null, value: methods[key], writable: true, enumerable: true, configurable: true });
  }
  ObjectDefineProperty(Class.prototype, SymbolIterator, { __proto__: null, value: methods.entries, writable: true, enumerable: false, configurable: true });
}

/**
 * WebIDL §3.7.3-3.7.6: the attributes and operations of an interface are enumerable
 * properties of its prototype (and static ones of the interface object); class syntax makes
 * them non-enumerable, so each interface calls this once after its class is defined.
 */
function webidlInterface(Class) {
  for (const target of [Class.prototype, Class]) {
    const keys = ReflectOwnKeys(target);
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i];
      if (typeof key === "symbol" || (target === Class.prototype ? key === "constructor" : key === "prototype" || key === "length" || key === "name")) continue;
      const d = ObjectGetOwnPropertyDescriptor(target, key);
      if (d.enumerable || !d.configurable) continue;
      d.enumerable = true;
      ObjectDefineProperty(target, key, d);
    }
  }
}

/**
 * The brand check of an interface whose internal slots live in "slots" (a WeakMap from the
 * object to its record): the returned function gives the record of "self", or throws the
 * TypeError "Name.prototype.what: illegal invocation" for anything else.
 */
function brandCheck(slots, name) {
  return (self, what) => {
    const record = self !== null && (typeof self === "object" || typeof self === "function") ? slots.get(self) : undefined;
    if (record === undefined) throw new TypeError(name + ".prototype." + what + ": illegal invocation");
    return record;
  };
}
/** WebIDL §3.7.3: the interface prototype's @@toStringTag is the interface's name. */
function setToStringTag(Class, name) {
  ObjectDefineProperty(Class.prototype, primordials.SymbolToStringTag, { __proto__: null, value: name, configurable: true });
}

export {
  brandCheck, definePairIterable, setToStringTag, EMPTY_DICT, requireArgs, toArrayBufferView, toClampedLongLong, toDictionary, toDOMString, toEnforcedUnsignedLongLong,
  toEnum, toLongLong, toPairs, toRecord, toSequence,
  toUnsignedShort, toUSVString,
  webidlInterface,
};
`;
