/**
 * crypto (WebCrypto §10): getRandomValues, randomUUID, subtle.digest; and
 * navigator. Random bytes and digests come from the host's Web Crypto.
 */
export const CRYPTO_SOURCE = String.raw`
import { primordials } from "ext:core/mod.js";
import { op_crypto_digest, op_crypto_random, op_crypto_random_uuid, op_navigator_info } from "ext:core/ops";
import { DOMException } from "ext:islet_web/01_dom_exception.js";
import { bytesView } from "ext:islet_web/05_encoding.js";
import { requireArgs, webidlInterface } from "ext:islet_web/00_webidl.js";
const {
  ArrayBufferIsView, ObjectDefineProperty, Promise, String, StringPrototypeToUpperCase, TypeError, Uint8Array,
  TypedArrayPrototypeGetBuffer, TypedArrayPrototypeGetByteOffset, TypedArrayPrototypeGetByteLength,
  TypedArrayPrototypeGetSymbolToStringTag, TypedArrayPrototypeSet,
} = primordials;
const illegal = primordials.Symbol("illegal");
const INTEGER_ARRAYS = ["Int8Array", "Uint8Array", "Uint8ClampedArray", "Int16Array", "Uint16Array", "Int32Array", "Uint32Array", "BigInt64Array", "BigUint64Array"];
const DIGESTS = { __proto__: null, "SHA-1": "SHA-1", "SHA-256": "SHA-256", "SHA-384": "SHA-384", "SHA-512": "SHA-512" };

class SubtleCrypto {
  constructor(key = undefined) { if (key !== illegal) throw new TypeError("SubtleCrypto: illegal constructor"); }
  digest(algorithm, data) {
    // The op's promise is returned as it is: resolving another promise with it would call
    // Promise.prototype.then, which guest code may have replaced.
    try {
      requireArgs(arguments.length, 2, "SubtleCrypto.prototype.digest");
      let name = algorithm;
      if (algorithm !== null && typeof algorithm === "object") {
        if (algorithm.name === undefined) throw new TypeError("SubtleCrypto.prototype.digest: algorithm.name is required");
        name = algorithm.name;
      }
      const normalized = DIGESTS[StringPrototypeToUpperCase(String(name))];
      if (normalized === undefined) throw new DOMException("SubtleCrypto.prototype.digest: unrecognized algorithm name " + primordials.JSONStringify(String(name)), "NotSupportedError");
      const bytes = bytesView(data, "SubtleCrypto.prototype.digest");
      return op_crypto_digest(normalized, bytes);
    } catch (e) {
      return new Promise((_, reject) => reject(e));
    }
  }
}
ObjectDefineProperty(SubtleCrypto.prototype, Symbol.toStringTag, { __proto__: null, value: "SubtleCrypto", configurable: true });
const subtle = new SubtleCrypto(illegal);

class Crypto {
  constructor(key = undefined) { if (key !== illegal) throw new TypeError("Crypto: illegal constructor"); }
  get subtle() { return subtle; }
  getRandomValues(array) {
    requireArgs(arguments.length, 1, "Crypto.prototype.getRandomValues");
    if (!ArrayBufferIsView(array)) throw new TypeError("Crypto.prototype.getRandomValues: argument 1 is not an ArrayBufferView");
    const tag = TypedArrayPrototypeGetSymbolToStringTag(array);
    if (tag === undefined || !primordials.ArrayPrototypeIncludes(INTEGER_ARRAYS, tag)) {
      throw new DOMException("Crypto.prototype.getRandomValues: argument 1 must be an integer-typed array, got " + (tag ?? "DataView"), "TypeMismatchError");
    }
    const n = TypedArrayPrototypeGetByteLength(array);
    if (n > 65536) {
      throw new DOMException("Crypto.prototype.getRandomValues: the array's byte length (" + n + ") exceeds the 65536-byte quota", "QuotaExceededError");
    }
    const target = new Uint8Array(TypedArrayPrototypeGetBuffer(array), TypedArrayPrototypeGetByteOffset(array), n);
    TypedArrayPrototypeSet(target, op_crypto_random(n), 0);
    return array;
  }
  randomUUID() { return op_crypto_random_uuid(); }
}
ObjectDefineProperty(Crypto.prototype, Symbol.toStringTag, { __proto__: null, value: "Crypto", configurable: true });
const crypto = new Crypto(illegal);

const info = op_navigator_info();
class Navigator {
  constructor(key = undefined) { if (key !== illegal) throw new TypeError("Navigator: illegal constructor"); }
  get userAgent() { return info.userAgent; }
  get hardwareConcurrency() { return info.hardwareConcurrency; }
  get language() { return info.languages[0]; }
  get languages() { return primordials.ArrayPrototypeSlice(info.languages); }
}
ObjectDefineProperty(Navigator.prototype, Symbol.toStringTag, { __proto__: null, value: "Navigator", configurable: true });
const navigator = new Navigator(illegal);

for (const C of [Crypto, SubtleCrypto, Navigator]) webidlInterface(C);
const global = primordials.globalThis;
for (const [name, value] of [["Crypto", Crypto], ["SubtleCrypto", SubtleCrypto], ["Navigator", Navigator]]) {
  ObjectDefineProperty(global, name, { __proto__: null, value, writable: true, configurable: true, enumerable: false });
}
ObjectDefineProperty(global, "crypto", { __proto__: null, value: crypto, writable: true, configurable: true, enumerable: true });
ObjectDefineProperty(global, "navigator", { __proto__: null, value: navigator, writable: true, configurable: true, enumerable: true });
export { crypto, navigator };
`;
