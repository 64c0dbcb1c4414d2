/**
 * Host <-> guest value conversion for op arguments, op results and completion values.
 *
 * Guest → host (`toHost`):
 * | guest value                          | host value               | path                                   |
 * | ------------------------------------ | ------------------------ | -------------------------------------- |
 * | int / float64 number                 | number                   | tag read / QTS_GetFloat64              |
 * | boolean, null, undefined             | same                     | tag read                               |
 * | string (flat)                        | string (surrogates kept) | direct read of the JSString            |
 * | string (rope)                        | string                   | guest flatten, then direct read        |
 * | BigInt                               | bigint                   | tag read / guest String()              |
 * | HostRef (opaque host object)         | the host object          | host ref id                            |
 * | ArrayBuffer                          | ArrayBuffer (copy)       | classify, then copy from the heap      |
 * | typed array, DataView                | Uint8Array (copy)        | classify, guest window, heap copy      |
 * | array (Array.isArray)                | array                    | classify, host walk (length, elements) |
 * | plain object (Object.prototype/null) | plain object             | classify, host walk (own enum keys)    |
 * | function, symbol, Map, Date, Promise,| —                        | BridgeTypeError naming the value:      |
 * | class instance, cyclic, too deep/big |                          | a guest TypeError in an op             |
 *
 * Host → guest (`toGuest`), built over the FFI (no JSON text, no markers):
 * | host value                           | guest value              | path                                   |
 * | ------------------------------------ | ------------------------ | -------------------------------------- |
 * | number, boolean, null, undefined     | same (-0, NaN kept)      | QTS_NewFloat64 / constants             |
 * | string                               | string (surrogates, NUL) | UTF-8 via scratch or its own block;    |
 * |                                      |                          | UTF-16 via guest helper otherwise      |
 * | bigint                               | BigInt                   | guest BigInt(string)                   |
 * | HostObject (`hostObject(v)`)         | opaque HostRef           | QTS_NewHostRef                         |
 * | ArrayBuffer                          | ArrayBuffer (copy)       | QTS_NewArrayBuffer                     |
 * | Uint8Array, other views              | Uint8Array (copy)        | QTS_NewArrayBuffer + guest wrap        |
 * | array                                | array                    | guest newArray(...items), 512 a call   |
 * | plain object (Object.prototype/null) | plain object             | guest objectOf<n> literal (≤ 8 keys),  |
 * |                                      |                          | else newObject(k, v, …), 512 a call    |
 * | function, symbol, Promise, Map, Date,| —                        | BridgeTypeError naming the op and the  |
 * | class instance, cyclic, too deep/big |                          | value (a guest TypeError in an op)     |
 *
 * A copy the sandbox's fixed memory cannot hold is a BridgeRangeError naming
 * the call and the size (engine.ts), never an empty or partial value.
 *
 * Invariants:
 * - guest code never holds a host function or a live host object. Values cross
 *   by copy; a host object crosses only as an opaque HostRef whose id the guest
 *   cannot forge into another object.
 * - what crosses is decided by brands and by prototypes read through intrinsics
 *   captured at bootstrap (`classify` in js/01_core.ts), never through a
 *   property the guest can redefine (`__proto__`, `Array.isArray`, `buffer`).
 * - host → guest objects get their properties as own data properties (an
 *   object literal with computed keys, or a null-prototype object whose
 *   prototype is set afterwards): no guest setter runs and an own "__proto__"
 *   key stays a key.
 * - every pointer a conversion allocates (argument boxes, byte copies, string
 *   blocks) is freed on every path, errors included.
 */
import { type Engine, isFloatTag, type Ptr, Tag } from "./engine.ts";
import { OBJECT_MAKERS } from "./js/01_core.ts";

/** Guest helper functions from `js/01_core.ts`, held as owned pointers. */
export interface GuestHelpers {
  classify: Ptr;
  viewBytes: Ptr;
  describeValue: Ptr;
  newObject: Ptr;
  /** `objectOf<n>(k0, v0, …)`: an object literal of n computed keys, n = 0…OBJECT_MAKERS. */
  [maker: `objectOf${number}`]: Ptr;
  newArray: Ptr;
  addProperties: Ptr;
  flatten: Ptr;
  utf16ToString: Ptr;
  stringToUtf16: Ptr;
  bigintToString: Ptr;
  makeBigInt: Ptr;
  wrapBytes: Ptr;
  /** The string "message". */
  messageKey: Ptr;
}

/** What `classify` (js/01_core.ts) says an object is. */
const KIND_PLAIN = 1;
const KIND_ARRAY = 2;
const KIND_ARRAY_BUFFER = 3;
const KIND_VIEW = 4;

/** State of one guest → host copy of nested data: ancestors (for cycles) and a size budget. */
interface Walk {
  ancestors: number[];
  visited: number;
  /** Characters and bytes copied so far: a guest can reference one big string many times. */
  copied: number;
  /** Strings already read in this walk, by JSString address: a repeated string is read once. */
  strings: Map<number, string>;
  /**
   * A reference (dup) to every string in `strings`, freed when the walk ends.
   * Invariant: while an address is a key of `strings`, its string is alive, so
   * the address cannot be reused by another string (a getter may drop the last
   * guest reference and allocate a new string at the same address).
   */
  held: Ptr[];
}
/** State of one host → guest copy: ancestors (for cycles) and an element count. */
interface Build {
  ancestors: object[];
  visited: number;
}
/** The most characters plus bytes one conversion may copy to the host. */
export const MAX_COPY_BYTES = 64 << 20;
const MAX_DEPTH = 64;
const MAX_ELEMENTS = 1 << 20;
/**
 * Strings at least this long are read once per conversion (and held); shorter
 * ones are read and charged each time. 32 × MAX_ELEMENTS is below
 * MAX_COPY_BYTES, so repeating short strings alone cannot exhaust the budget.
 */
const STRING_CACHE_MIN = 32;
/** Object keys up to this length are cached as guest strings, up to KEY_CACHE_ENTRIES of them. */
const KEY_CACHE_MAX_LENGTH = 32;
const KEY_CACHE_ENTRIES = 1024;
/** Values one guest call carries when building an array or object (QTS_Call copies argv onto the C stack). */
const ARGS_PER_CALL = 512;
// JS_GPN_STRING_MASK | JS_GPN_ENUM_ONLY | QTS_STANDARD_COMPLIANT_NUMBER: enumerable string keys, indices as strings.
const OWN_ENUMERABLE_STRING_KEYS = 1 | 16 | 128;
const PLAIN_DATA =
  "pass plain data (numbers, strings, booleans, null, undefined, bigints, arrays, plain objects, ArrayBuffer, typed arrays)";

/**
 * Thrown on the host when a guest helper threw: the guest exception is still
 * pending in the context and must be propagated as is (it may be an
 * uncatchable interrupt), never wrapped or swallowed.
 */
export class GuestThrow {
  constructor(readonly exception: Ptr) {}
}

/**
 * A value that cannot cross the bridge. A TypeError to the guest; on the host
 * it marks an expected refusal, not an engine fault.
 */
export class BridgeTypeError extends TypeError {
  override name = "TypeError";
}

/** A host object the guest may hold but not look into (deno_core's cppgc objects). */
export class HostObject<T extends object = object> {
  constructor(readonly value: T) {}
}
/** Wrap `value` so an op can hand it to the guest as an opaque handle. */
export function hostObject<T extends object>(value: T): HostObject<T> {
  return new HostObject(value);
}

export interface HostRefTable {
  put(value: object): number;
  get(id: number): object;
}

export class Marshal {
  constructor(
    private readonly engine: Engine,
    private readonly helpers: GuestHelpers,
    private readonly hostRefs: HostRefTable,
    /** Whether the current run's interrupt fired (its exceptions must not be converted). */
    private readonly isInterrupted: () => boolean = () => false,
  ) {}

  /**
   * Guest strings for object keys the host sends often (owned; freed in
   * dispose()): a key is made once, not once per object. Strings are immutable,
   * so a cached key can never change under a later conversion.
   */
  readonly #keys = new Map<string, Ptr>();

  /** The cached key strings (for a snapshot). */
  keyEntries(): [string, Ptr][] {
    return [...this.#keys];
  }
  /** Replaces the key cache with a snapshot's (whose image holds those strings); nothing is freed. */
  adoptKeys(entries: readonly [string, Ptr][]): void {
    this.#keys.clear();
    for (const [k, p] of entries) this.#keys.set(k, p);
  }

  /** Frees the cached keys. Call before the engine is disposed. */
  dispose(): void {
    for (const p of this.#keys.values()) this.engine.free(p);
    this.#keys.clear();
  }

  /** An owned guest string for object key `k`, from the key cache when it is short. */
  #key(k: string, where: () => string): Ptr {
    if (k.length > KEY_CACHE_MAX_LENGTH) return this.#string(k, where);
    const cached = this.#keys.get(k);
    if (cached !== undefined) return this.engine.dup(cached);
    const p = this.#string(k, where);
    if (this.#keys.size >= KEY_CACHE_ENTRIES) return p;
    this.#keys.set(k, p);
    return this.engine.dup(p);
  }

  /** Guest → host. `where` names the value in error messages ("op_x: argument 2"). */
  toHost(p: Ptr, where: () => string, walk?: Walk): unknown {
    const e = this.engine;
    const tag = e.tag(p);
    switch (tag) {
      case Tag.Int:
        return e.payload(p);
      case Tag.Bool:
        return e.payload(p) !== 0;
      case Tag.Null:
        return null;
      case Tag.Undefined:
      case Tag.Uninitialized:
        return undefined;
      case Tag.String: {
        if (walk === undefined) return e.readFlatString(p) ?? this.#slowString(p, where);
        const address = e.payload(p);
        const known = walk.strings.get(address);
        if (known !== undefined) return known;
        const text = e.readFlatString(p) ?? this.#slowString(p, where);
        this.#charge(walk, text.length, where);
        if (text.length >= STRING_CACHE_MIN) {
          walk.held.push(e.dup(p));
          walk.strings.set(address, text);
        }
        return text;
      }
      case Tag.StringRope:
        return this.#withResult(this.#call(this.helpers.flatten, [p]), (flat) => this.toHost(flat, where));
      case Tag.ShortBigInt:
        return BigInt(e.payload(p));
      case Tag.BigInt:
        return this.#withResult(this.#call(this.helpers.bigintToString, [p]), (s) =>
          BigInt(this.toHost(s, where) as string),
        );
      case Tag.Symbol:
        throw new BridgeTypeError(`${where()}: a symbol cannot cross the bridge`);
      case Tag.Object:
        return this.#objectToHost(p, where, walk);
      default:
        if (isFloatTag(tag)) return e.getNumber(p);
        throw new BridgeTypeError(`${where()}: unsupported value (tag ${tag})`);
    }
  }

  /**
   * Objects are classified by the guest's `classify` helper, which reads brands
   * and prototypes through intrinsics captured at bootstrap (a program that
   * redefines `Object.prototype.__proto__` or `Array.isArray` cannot make a
   * Uint8Array cross as `{0: …}`). Plain objects and arrays are then walked from
   * the host, one FFI call per key or element (getters and proxy traps run as
   * guest code; what they throw propagates untouched); bytes are copied straight
   * from the heap; anything else is a TypeError naming what it is.
   */
  #objectToHost(p: Ptr, where: () => string, walk: Walk | undefined): unknown {
    const e = this.engine;
    const refId = e.hostRefId(p);
    if (refId !== 0) return this.hostRefs.get(refId);
    const kind = this.#classify(p);
    if (kind === KIND_PLAIN || kind === KIND_ARRAY) {
      if (walk !== undefined) return this.#walk(p, kind, where, walk);
      const state: Walk = { ancestors: [], visited: 0, copied: 0, strings: new Map(), held: [] };
      try {
        return this.#walk(p, kind, where, state);
      } finally {
        for (const h of state.held) e.free(h);
      }
    }
    if (kind === KIND_ARRAY_BUFFER) {
      const bytes = e.readArrayBuffer(p, where);
      if (walk !== undefined) this.#charge(walk, bytes.byteLength, where);
      return bytes.buffer;
    }
    if (kind === KIND_VIEW) {
      return this.#withResult(this.#call(this.helpers.viewBytes, [p]), (buffer) => {
        const bytes = e.readArrayBuffer(buffer, where);
        if (walk !== undefined) this.#charge(walk, bytes.byteLength, where);
        return bytes;
      });
    }
    throw new BridgeTypeError(`${where()}: ${this.#describe(p, where)} cannot cross the bridge; ${PLAIN_DATA}`);
  }

  /** The kind `classify` gives object `p` (KIND_*, 0 for anything that cannot cross). */
  #classify(p: Ptr): number {
    return this.#withResult(this.#call(this.helpers.classify, [p]), (r) => this.engine.payload(r));
  }

  /** "a Map", "a function"…: what guest object `p` is, for an error message. */
  #describe(p: Ptr, where: () => string): string {
    return this.#withResult(this.#call(this.helpers.describeValue, [p]), (r) => String(this.toHost(r, where)));
  }

  #walk(p: Ptr, kind: number, where: () => string, walk: Walk): unknown {
    const address = this.engine.payload(p);
    if (walk.ancestors.includes(address)) throw new BridgeTypeError(`${where()}: value is cyclic`);
    if (walk.ancestors.length >= MAX_DEPTH) {
      throw new BridgeTypeError(`${where()}: value is nested deeper than ${MAX_DEPTH} levels`);
    }
    walk.ancestors.push(address);
    try {
      return kind === KIND_ARRAY ? this.#arrayToHost(p, where, walk) : this.#plainObjectToHost(p, where, walk);
    } finally {
      walk.ancestors.pop();
    }
  }

  #charge(walk: Walk, size: number, where: () => string): void {
    walk.copied += size;
    if (walk.copied > MAX_COPY_BYTES) {
      throw new BridgeTypeError(
        `${where()}: value is too large to copy (more than ${MAX_COPY_BYTES} bytes of strings and bytes)`,
      );
    }
  }

  #plainObjectToHost(p: Ptr, where: () => string, walk: Walk): Record<string, unknown> {
    const e = this.engine;
    const out = e.scratchWords();
    const error = e.em._QTS_GetOwnPropertyNames(e.ctx, out, out + 4, p, OWN_ENUMERABLE_STRING_KEYS);
    if (error !== 0) {
      const exception = e.throwValue(error);
      e.free(error);
      throw new GuestThrow(exception);
    }
    const array = e.i32[out >> 2] as number;
    const length = (e.i32[(out + 4) >> 2] as number) >>> 0;
    const keys: Ptr[] = [];
    for (let i = 0; i < length; i++) keys.push(e.i32[(array >> 2) + i] as number);
    // The C side allocates this array with plain malloc(); js_free() would corrupt
    // QuickJS's memory accounting (and soon report out of memory), so free() it.
    if (array !== 0) e.freeRaw(array);
    const result: Record<string, unknown> = {};
    try {
      for (const k of keys) {
        if (++walk.visited > MAX_ELEMENTS)
          throw new BridgeTypeError(`${where()}: value has more than ${MAX_ELEMENTS} elements`);
        const key = this.toHost(k, where) as string;
        const v = this.#readProperty(e.em._QTS_GetProp(e.ctx, p, k), () => `${where()}.${key}`);
        try {
          const value = this.toHost(v, () => `${where()}.${key}`, walk);
          // An own "__proto__" key stays a plain property; assigning it would set the host prototype.
          if (key === "__proto__")
            Object.defineProperty(result, key, { value, enumerable: true, writable: true, configurable: true });
          else result[key] = value;
        } finally {
          e.free(v);
        }
      }
    } finally {
      for (const k of keys) e.free(k);
    }
    return result;
  }

  #arrayToHost(p: Ptr, where: () => string, walk: Walk): unknown[] {
    const e = this.engine;
    const out = e.scratchWords();
    if (e.em._QTS_GetLength(e.ctx, out, p) < 0) throw new GuestThrow(e.newExceptionResult());
    const length = (e.i32[out >> 2] as number) >>> 0;
    if (walk.visited + length > MAX_ELEMENTS)
      throw new BridgeTypeError(`${where()}: value has more than ${MAX_ELEMENTS} elements`);
    walk.visited += length;
    const result = new Array<unknown>(length);
    for (let i = 0; i < length; i++) {
      const v = this.#readProperty(e.em._QTS_GetPropNumber(e.ctx, p, i), () => `${where()}[${i}]`);
      try {
        result[i] = this.toHost(v, () => `${where()}[${i}]`, walk);
      } finally {
        e.free(v);
      }
    }
    return result;
  }

  /**
   * The result of reading a property. A getter (or proxy trap) that threw becomes
   * a TypeError naming the property — unless the run was interrupted, in which
   * case the exception propagates untouched so it stays uncatchable.
   */
  #readProperty(r: Ptr, where: () => string): Ptr {
    const e = this.engine;
    if (e.tag(r) !== Tag.Exception) return r;
    if (this.isInterrupted()) throw new GuestThrow(r);
    const exception = e.takeException(r);
    let detail = "";
    try {
      const message = e.em._QTS_GetProp(e.ctx, exception, this.helpers.messageKey);
      if (e.tag(message) === Tag.Exception) e.clearPendingException();
      else if (e.tag(message) === Tag.String) detail = `: ${e.readFlatString(message) ?? ""}`;
      e.free(message);
    } finally {
      e.free(exception);
    }
    throw new BridgeTypeError(`${where()}: reading the property threw${detail}`);
  }

  #slowString(p: Ptr, where: () => string): string {
    return this.#withResult(this.#call(this.helpers.stringToUtf16, [p]), (buf) => {
      const bytes = this.engine.readArrayBuffer(buf, where);
      const units = new Uint16Array(bytes.buffer, 0, bytes.byteLength >> 1);
      let out = "";
      for (let i = 0; i < units.length; i += 8192) {
        out += String.fromCharCode.apply(null, units.subarray(i, i + 8192) as unknown as number[]);
      }
      return out;
    });
  }

  /**
   * Host → guest. Returns an owned pointer. Throws a BridgeTypeError for values
   * that cannot cross, a RangeError when the sandbox's memory cannot hold the
   * copy, and GuestThrow when QuickJS itself ran out of memory (its exception
   * is pending). Values are built over the FFI: no JSON text, no markers.
   */
  toGuest(value: unknown, where: () => string, build?: Build): Ptr {
    const e = this.engine;
    switch (typeof value) {
      case "undefined":
        return e.newUndefined();
      case "number":
        return e.newNumber(value);
      case "boolean":
        return e.newBoolean(value);
      case "string":
        return this.#string(value, where);
      case "bigint":
        return this.#callWith(this.helpers.makeBigInt, this.#string(value.toString(), where));
      case "function":
        throw new BridgeTypeError(`${where()}: a function cannot cross the bridge; ${PLAIN_DATA}`);
      case "symbol":
        throw new BridgeTypeError(`${where()}: a symbol cannot cross the bridge; ${PLAIN_DATA}`);
    }
    if (value === null) return e.newNull();
    return this.#objectToGuest(value as object, where, build);
  }

  #objectToGuest(value: object, where: () => string, build: Build | undefined): Ptr {
    const e = this.engine;
    if (value instanceof HostObject) return e.newHostRef(this.hostRefs.put(value.value));
    if (value instanceof ArrayBuffer) return this.#checked(e.newArrayBuffer(new Uint8Array(value), where));
    if (ArrayBuffer.isView(value)) {
      const bytes = new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
      return this.#callWith(this.helpers.wrapBytes, this.#checked(e.newArrayBuffer(bytes, where)));
    }
    const isArray = Array.isArray(value);
    if (!isArray) {
      const proto = Object.getPrototypeOf(value);
      if (proto !== Object.prototype && proto !== null) {
        throw new BridgeTypeError(`${where()}: ${describeHost(value)} cannot cross the bridge; ${PLAIN_DATA}`);
      }
    }
    const state = build ?? { ancestors: [], visited: 0 };
    if (state.ancestors.includes(value)) throw new BridgeTypeError(`${where()}: value is cyclic`);
    if (state.ancestors.length >= MAX_DEPTH) {
      throw new BridgeTypeError(`${where()}: value is nested deeper than ${MAX_DEPTH} levels`);
    }
    state.ancestors.push(value);
    try {
      if (isArray) {
        const array = value as unknown[];
        const n = this.#count(state, array.length, where);
        return this.#build(this.helpers.newArray, n, (i, out, keyed) => {
          if (keyed) out.push(e.newNumber(i));
          out.push(this.toGuest(array[i], () => `${where()}[${i}]`, state));
        });
      }
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record);
      this.#count(state, keys.length, where);
      const maker = keys.length <= OBJECT_MAKERS ? this.helpers[`objectOf${keys.length}`] : this.helpers.newObject;
      return this.#build(maker as Ptr, keys.length, (i, out) => {
        const key = keys[i] as string;
        out.push(this.#key(key, where));
        out.push(this.toGuest(record[key], () => `${where()}.${key}`, state));
      });
    } finally {
      state.ancestors.pop();
    }
  }

  #count(build: Build, n: number, where: () => string): number {
    build.visited += n;
    if (build.visited > MAX_ELEMENTS) {
      throw new BridgeTypeError(`${where()}: value has more than ${MAX_ELEMENTS} elements`);
    }
    return n;
  }

  /**
   * Makes a guest object or array of `total` items: `create` (newObject /
   * newArray) takes the first ARGS_PER_CALL values, `addProperties` the rest,
   * each item preceded by its key (`keyed`). Every value pushed is owned and
   * freed here on every path.
   */
  #build(create: Ptr, total: number, push: (i: number, out: Ptr[], keyed: boolean) => void): Ptr {
    const e = this.engine;
    const owned: Ptr[] = [];
    let target = 0;
    try {
      let start = 0;
      do {
        const end = Math.min(total, start + ARGS_PER_CALL);
        for (let i = start; i < end; i++) push(i, owned, target !== 0);
        const r = target === 0 ? this.#call(create, owned) : this.#call(this.helpers.addProperties, [target, ...owned]);
        for (const p of owned) e.free(p);
        owned.length = 0;
        if (e.tag(r) === Tag.Exception) throw new GuestThrow(r);
        if (target === 0) target = r;
        else e.free(r);
        start = end;
      } while (start < total);
      const result = target;
      target = 0;
      return result;
    } finally {
      for (const p of owned) e.free(p);
      if (target !== 0) e.free(target);
    }
  }

  #string(s: string, where: () => string): Ptr {
    const e = this.engine;
    return this.#checked(
      e.newString(
        s,
        (utf16) => this.#callWith(this.helpers.utf16ToString, this.#checked(e.newArrayBuffer(utf16, where))),
        where,
      ),
    );
  }

  /** An owned result that may be an exception (QuickJS out of memory): throws GuestThrow if it is. */
  #checked(r: Ptr): Ptr {
    if (this.engine.tag(r) === Tag.Exception) throw new GuestThrow(r);
    return r;
  }

  /** Calls a helper with one owned argument, frees it, returns the owned result or throws GuestThrow. */
  #callWith(fn: Ptr, ownedArg: Ptr): Ptr {
    try {
      return this.#checked(this.#call(fn, [ownedArg]));
    } finally {
      this.engine.free(ownedArg);
    }
  }

  #call(fn: Ptr, args: Ptr[]): Ptr {
    return this.engine.call(fn, this.engine.undefinedPtr, args);
  }

  /** Runs `use` on an owned helper result, then frees it; a thrown helper becomes GuestThrow. */
  #withResult<T>(r: Ptr, use: (r: Ptr) => T): T {
    if (this.engine.tag(r) === Tag.Exception) throw new GuestThrow(r);
    try {
      return use(r);
    } finally {
      this.engine.free(r);
    }
  }
}

/** "an object of class Map": what a host object that cannot cross is. */
function describeHost(value: object): string {
  let name: unknown;
  try {
    name = (value as { constructor?: { name?: unknown } }).constructor?.name;
  } catch {
    name = undefined;
  }
  return `an object of class ${typeof name === "string" && name !== "" ? name : "(unnamed)"}`;
}
