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
const { FunctionPrototypeCall, ObjectCreate, ObjectDefineProperty, ObjectFreeze, ObjectGetPrototypeOf, SafeWeakMap, TypeError } = primordials;
const SymbolIterator = primordials.SymbolIterator;
const IteratorPrototype = ObjectGetPrototypeOf(ObjectGetPrototypeOf([][SymbolIterator]()));

/** The dictionary an omitted or null dictionary argument converts to: every member takes its default. */
const EMPTY_DICT = ObjectFreeze({ __proto__: null });

/** WebIDL overload resolution step: too few arguments is a TypeError naming the call. */
function requireArgs(n, count, where) {
  if (n < count) throw new TypeError(where + ": " + count + " argument" + (count === 1 ? "" : "s") + " required, but only " + n + " present");
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

export { definePairIterable, EMPTY_DICT, requireArgs };
`;
