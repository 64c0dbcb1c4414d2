/**
 * DOMException (WebIDL §3.14.1) with the legacy codes of the "error names"
 * table. Registered with core so host errors named e.g. "DataCloneError" could
 * map to it; guest code throws it directly.
 */
export const DOM_EXCEPTION_SOURCE = String.raw`
import { core, primordials } from "ext:core/mod.js";
import { brandCheck } from "ext:islet_web/00_webidl.js";
const {
  Error, ErrorPrototype, ObjectDefineProperty, ObjectFreeze, ObjectGetOwnPropertyDescriptor, ObjectSetPrototypeOf, ReflectConstruct,
  String, TypeError,
} = primordials;

const CODES = {
  __proto__: null,
  IndexSizeError: 1, HierarchyRequestError: 3, WrongDocumentError: 4, InvalidCharacterError: 5,
  NoModificationAllowedError: 7, NotFoundError: 8, NotSupportedError: 9, InUseAttributeError: 10, InvalidStateError: 11,
  SyntaxError: 12, InvalidModificationError: 13, NamespaceError: 14, InvalidAccessError: 15,
  TypeMismatchError: 17, SecurityError: 18, NetworkError: 19, AbortError: 20, URLMismatchError: 21,
  QuotaExceededError: 22, TimeoutError: 23, InvalidNodeTypeError: 24, DataCloneError: 25,
};
const LEGACY = [
  ["INDEX_SIZE_ERR", 1], ["DOMSTRING_SIZE_ERR", 2], ["HIERARCHY_REQUEST_ERR", 3], ["WRONG_DOCUMENT_ERR", 4],
  ["INVALID_CHARACTER_ERR", 5], ["NO_DATA_ALLOWED_ERR", 6], ["NO_MODIFICATION_ALLOWED_ERR", 7],
  ["NOT_FOUND_ERR", 8], ["NOT_SUPPORTED_ERR", 9], ["INUSE_ATTRIBUTE_ERR", 10], ["INVALID_STATE_ERR", 11],
  ["SYNTAX_ERR", 12], ["INVALID_MODIFICATION_ERR", 13], ["NAMESPACE_ERR", 14], ["INVALID_ACCESS_ERR", 15],
  ["VALIDATION_ERR", 16], ["TYPE_MISMATCH_ERR", 17], ["SECURITY_ERR", 18], ["NETWORK_ERR", 19],
  ["ABORT_ERR", 20], ["URL_MISMATCH_ERR", 21], ["QUOTA_EXCEEDED_ERR", 22], ["TIMEOUT_ERR", 23],
  ["INVALID_NODE_TYPE_ERR", 24], ["DATA_CLONE_ERR", 25],
];

const slots = new primordials.SafeWeakMap();
const slot = brandCheck(slots, "DOMException");

// WebIDL §3.14.1: the interface object does not inherit from Error (its [[Prototype]] is
// %Function.prototype%), the interface prototype object does; name, message, code and cause
// are enumerable accessors on the prototype, never own properties of the instance. The
// instance itself is made by %Error% (ReflectConstruct with new.target), so it is a real
// error object with a stack, whatever subclass constructed it.
class DOMException {
  constructor(message = undefined, options = undefined) {
    const self = ReflectConstruct(Error, [], new.target);
    const msg = message === undefined ? "" : String(message);
    let name = "Error";
    let cause;
    // (DOMString or DOMExceptionOptions): an object, null or undefined is the dictionary;
    // its members are read in order (cause, then name).
    if (options === null || options === undefined || typeof options === "object" || typeof options === "function") {
      if (options !== null && options !== undefined) {
        cause = options.cause;
        const n = options.name;
        if (n !== undefined) name = String(n);
      }
    } else {
      name = String(options);
    }
    slots.set(self, { __proto__: null, message: msg, name, code: CODES[name] ?? 0, cause });
    // The stack %Error% captured has no first line naming the error; add one.
    const stack = ObjectGetOwnPropertyDescriptor(self, "stack");
    if (stack !== undefined && typeof stack.value === "string") {
      ObjectDefineProperty(self, "stack", {
        __proto__: null, value: name + (msg === "" ? "" : ": " + msg) + "\n" + stack.value, writable: true, configurable: true, enumerable: false,
      });
    }
    return self;
  }
}
ObjectSetPrototypeOf(DOMException.prototype, ErrorPrototype);
const accessors = {
  get name() { return slot(this, "name").name; },
  get message() { return slot(this, "message").message; },
  get code() { return slot(this, "code").code; },
  get cause() { return slot(this, "cause").cause; },
};
for (const key of ["name", "message", "code", "cause"]) {
  const getter = ObjectGetOwnPropertyDescriptor(accessors, key).get;
  ObjectDefineProperty(DOMException.prototype, key, { __proto__: null, get: getter, enumerable: true, configurable: true });
}
ObjectDefineProperty(DOMException.prototype, Symbol.toStringTag, { __proto__: null, value: "DOMException", configurable: true });
for (const [key, value] of LEGACY) {
  ObjectDefineProperty(DOMException, key, { __proto__: null, value, enumerable: true });
  ObjectDefineProperty(DOMException.prototype, key, { __proto__: null, value, enumerable: true });
}
ObjectFreeze(CODES);
core.registerErrorClass("DOMException", DOMException);

export function isDOMException(v) { return v !== null && typeof v === "object" && slots.has(v); }
export { DOMException };
`;
