/**
 * DOMException (WebIDL §3.14.1) with the legacy codes of the "error names"
 * table. Registered with core so host errors named e.g. "DataCloneError" could
 * map to it; guest code throws it directly.
 */
export const DOM_EXCEPTION_SOURCE = String.raw`
import { core, primordials } from "ext:core/mod.js";
const { Error, ObjectDefineProperty, ObjectFreeze, ObjectPrototypeIsPrototypeOf, String, TypeError } = primordials;

const CODES = {
  __proto__: null,
  IndexSizeError: 1, HierarchyRequestError: 3, WrongDocumentError: 4, InvalidCharacterError: 5,
  NoModificationAllowedError: 7, NotFoundError: 8, NotSupportedError: 9, InvalidStateError: 11,
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
function slot(self, what) {
  const s = slots.get(self);
  if (s === undefined) throw new TypeError("DOMException.prototype." + what + ": illegal invocation");
  return s;
}

class DOMException extends Error {
  constructor(message = "", options = "Error") {
    super();
    let name = "Error";
    let cause;
    let hasCause = false;
    if (options !== null && typeof options === "object") {
      if ("name" in options) name = String(options.name);
      if ("cause" in options) { cause = options.cause; hasCause = true; }
    } else if (options !== undefined) {
      name = String(options);
    }
    slots.set(this, { message: String(message), name, code: CODES[name] ?? 0 });
    if (hasCause) ObjectDefineProperty(this, "cause", { __proto__: null, value: cause, writable: true, configurable: true, enumerable: false });
    // The stack Error() captured names "Error"; rebuild its first line.
    const stack = this.stack;
    if (typeof stack === "string") {
      ObjectDefineProperty(this, "stack", { __proto__: null,
        value: name + (message === "" ? "" : ": " + String(message)) + "\n" + stack, writable: true, configurable: true, enumerable: false,
      });
    }
  }
  get message() { return slot(this, "message").message; }
  get name() { return slot(this, "name").name; }
  get code() { return slot(this, "code").code; }
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
