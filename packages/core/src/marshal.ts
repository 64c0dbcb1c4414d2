/**
 * Host <-> guest value conversion for op arguments, op results and completion values.
 *
 * | guest value                         | host value              | path                       |
 * | ----------------------------------- | ----------------------- | -------------------------- |
 * | int / float64 number                | number                  | tag read / QTS_GetFloat64  |
 * | boolean, null, undefined            | same                    | tag read                   |
 * | string (flat)                       | string (surrogates kept)| direct read of the JSString|
 * | string (rope)                       | string                  | guest flatten, then direct |
 * | BigInt                              | bigint                  | tag read / guest String()  |
 * | ArrayBuffer                         | ArrayBuffer (copy)      | direct copy from the heap  |
 * | Uint8Array, other views             | Uint8Array (copy)       | guest slice, direct copy   |
 * | HostRef (opaque host object)        | the host object         | host ref id                |
 * | plain objects / arrays              | plain objects / arrays  | guest encode → JSON text   |
 * | function, symbol, cyclic, getter,   | —                       | guest TypeError naming the |
 * | class instance                      |                         | op and argument            |
 *
 * Invariant: guest code never holds a host function or a live host object.
 * Values cross by copy; a host object crosses only as an opaque HostRef whose
 * id the guest cannot forge into another object.
 */
import { type Engine, isFloatTag, type Ptr, Tag } from "./engine.ts";

/** Guest helper functions from `js/01_core.ts`, held as owned pointers. */
export interface GuestHelpers {
  encode: Ptr;
  decode: Ptr;
  flatten: Ptr;
  utf16ToString: Ptr;
  stringToUtf16: Ptr;
  bigintToString: Ptr;
  makeBigInt: Ptr;
  wrapBytes: Ptr;
  /** The guest's own Object.prototype and Array.prototype, and the string "__proto__". */
  objectPrototype: Ptr;
  arrayPrototype: Ptr;
  protoKey: Ptr;
  messageKey: Ptr;
}

/** State of one guest → host copy of nested data: ancestors (for cycles) and a size budget. */
interface Walk {
  ancestors: number[];
  visited: number;
  /** Characters and bytes copied so far: a guest can reference one big string many times. */
  copied: number;
  /** Strings already read in this walk, by JSString address: a repeated string is read once. */
  strings: Map<number, string>;
}
/** The most characters plus bytes one conversion may copy to the host. */
export const MAX_COPY_BYTES = 64 << 20;
const MAX_DEPTH = 64;
const MAX_ELEMENTS = 1 << 20;
// JS_GPN_STRING_MASK | JS_GPN_ENUM_ONLY | QTS_STANDARD_COMPLIANT_NUMBER: enumerable string keys, indices as strings.
const OWN_ENUMERABLE_STRING_KEYS = 1 | 16 | 128;

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

const MARK = "\u0000islet";
/** How MARK appears in JSON text (JSON escapes U+0000). */
const MARK_IN_JSON = "\\u0000islet";

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
        if (walk === undefined) return e.readFlatString(p) ?? this.#slowString(p);
        const address = e.payload(p);
        const known = walk.strings.get(address);
        if (known !== undefined) return known;
        const text = e.readFlatString(p) ?? this.#slowString(p);
        this.#charge(walk, text.length, where);
        walk.strings.set(address, text);
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
   * Plain objects and arrays are walked from the host, one FFI call per key or
   * element (getters and proxy traps run as guest code; what they throw
   * propagates untouched). Everything else — byte views, class instances,
   * functions — goes through the guest encoder, which copies bytes and names
   * what cannot cross.
   */
  #objectToHost(p: Ptr, where: () => string, walk: Walk | undefined): unknown {
    const e = this.engine;
    const refId = e.hostRefId(p);
    if (refId !== 0) return this.hostRefs.get(refId);
    const kind = this.#plainKind(p);
    if (kind !== 0) {
      const state: Walk = walk ?? { ancestors: [], visited: 0, copied: 0, strings: new Map() };
      const address = e.payload(p);
      if (state.ancestors.includes(address)) throw new BridgeTypeError(`${where()}: value is cyclic`);
      if (state.ancestors.length >= MAX_DEPTH) {
        throw new BridgeTypeError(`${where()}: value is nested deeper than ${MAX_DEPTH} levels`);
      }
      state.ancestors.push(address);
      try {
        return kind === 2 ? this.#arrayToHost(p, where, state) : this.#plainObjectToHost(p, where, state);
      } finally {
        state.ancestors.pop();
      }
    }
    const value = this.#encodeInGuest(p, where);
    if (walk !== undefined) {
      const size = value instanceof ArrayBuffer || ArrayBuffer.isView(value) ? value.byteLength : 0;
      this.#charge(walk, size, where);
    }
    return value;
  }

  #charge(walk: Walk, size: number, where: () => string): void {
    walk.copied += size;
    if (walk.copied > MAX_COPY_BYTES) {
      throw new BridgeTypeError(
        `${where()}: value is too large to copy (more than ${MAX_COPY_BYTES} bytes of strings and bytes)`,
      );
    }
  }

  /** 1 for a plain object (Object.prototype or null prototype), 2 for an array, 0 for anything else. */
  #plainKind(p: Ptr): number {
    const e = this.engine;
    const proto = this.#owned(e.em._QTS_GetProp(e.ctx, p, this.helpers.protoKey));
    try {
      const tag = e.tag(proto);
      if (tag === Tag.Null || tag === Tag.Undefined) return 1;
      if (tag !== Tag.Object) return 0;
      const address = e.payload(proto);
      if (address === e.payload(this.helpers.objectPrototype)) return 1;
      if (address === e.payload(this.helpers.arrayPrototype)) return 2;
      return 0;
    } finally {
      e.free(proto);
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

  /** An owned result that may be an exception: throws GuestThrow (keeping the exception pending) if it is. */
  #owned(r: Ptr): Ptr {
    if (this.engine.tag(r) === Tag.Exception) throw new GuestThrow(r);
    return r;
  }

  #encodeInGuest(p: Ptr, where: () => string): unknown {
    const e = this.engine;
    const whereStr = this.#string(where());
    try {
      return this.#withResult(this.#call(this.helpers.encode, [p, whereStr]), (r) => {
        if (e.tag(r) === Tag.String) {
          const text = this.toHost(r, where) as string;
          return text.includes(MARK_IN_JSON) ? JSON.parse(text, revive) : JSON.parse(text);
        }
        // A byte view came back as a fresh ArrayBuffer copy; an ArrayBuffer came back as itself.
        const bytes = e.readArrayBuffer(r);
        return e.payload(r) === e.payload(p) ? bytes.buffer : bytes;
      });
    } finally {
      e.free(whereStr);
    }
  }

  #slowString(p: Ptr): string {
    return this.#withResult(this.#call(this.helpers.stringToUtf16, [p]), (buf) => {
      const bytes = this.engine.readArrayBuffer(buf);
      const units = new Uint16Array(bytes.buffer, 0, bytes.byteLength >> 1);
      let out = "";
      for (let i = 0; i < units.length; i += 8192) {
        out += String.fromCharCode.apply(null, units.subarray(i, i + 8192) as unknown as number[]);
      }
      return out;
    });
  }

  /** Host → guest. Returns an owned pointer. Throws a host TypeError for values that cannot cross. */
  toGuest(value: unknown, where: () => string): Ptr {
    const e = this.engine;
    switch (typeof value) {
      case "undefined":
        return e.newUndefined();
      case "number":
        return e.newNumber(value);
      case "boolean":
        return e.newBoolean(value);
      case "string":
        return this.#string(value);
      case "bigint":
        return this.#callWith(this.helpers.makeBigInt, this.#string(value.toString()));
      case "function":
        throw new BridgeTypeError(`${where()}: a function cannot cross the bridge`);
      case "symbol":
        throw new BridgeTypeError(`${where()}: a symbol cannot cross the bridge`);
    }
    if (value === null) return e.newNull();
    if (value instanceof HostObject) return e.newHostRef(this.hostRefs.put(value.value));
    if (value instanceof ArrayBuffer) return e.newArrayBuffer(new Uint8Array(value));
    if (ArrayBuffer.isView(value)) {
      const bytes = new Uint8Array(value.buffer, value.byteOffset, value.byteLength);
      return this.#callWith(this.helpers.wrapBytes, e.newArrayBuffer(bytes));
    }
    let text: string;
    try {
      text = JSON.stringify(value, replacer);
    } catch (error) {
      throw new BridgeTypeError(`${where()}: ${error instanceof Error ? error.message : String(error)}`);
    }
    return this.#callWith(this.helpers.decode, this.#string(text));
  }

  #string(s: string): Ptr {
    return this.engine.newString(s, (utf16) =>
      this.#callWith(this.helpers.utf16ToString, this.engine.newArrayBuffer(utf16)),
    );
  }

  /** Calls a helper with one owned argument, frees it, returns the owned result or throws GuestThrow. */
  #callWith(fn: Ptr, ownedArg: Ptr): Ptr {
    try {
      const r = this.#call(fn, [ownedArg]);
      if (this.engine.tag(r) === Tag.Exception) throw new GuestThrow(r);
      return r;
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

function replacer(this: unknown, key: string, value: unknown): unknown {
  const raw = (this as Record<string, unknown>)[key];
  switch (typeof raw) {
    case "undefined":
      return { [MARK]: "undefined" };
    case "bigint":
      return { [MARK]: "bigint", v: raw.toString() };
    case "number":
      if (Object.is(raw, -0)) return { [MARK]: "number", v: "-0" };
      if (!Number.isFinite(raw)) return { [MARK]: "number", v: String(raw) };
      return raw;
    case "function":
      throw new TypeError(`property "${key}" is a function`);
    case "symbol":
      throw new TypeError(`property "${key}" is a symbol`);
  }
  if (raw instanceof ArrayBuffer) return { [MARK]: "ab", v: Array.from(new Uint8Array(raw)) };
  if (ArrayBuffer.isView(raw)) {
    return { [MARK]: "u8", v: Array.from(new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength)) };
  }
  if (
    key !== "" &&
    typeof value === "object" &&
    value !== null &&
    (value as Record<string, unknown>)[MARK] !== undefined
  ) {
    throw new TypeError(`property "${key}" uses a reserved key`);
  }
  return value;
}

function revive(_key: string, v: unknown): unknown {
  if (v !== null && typeof v === "object" && Object.hasOwn(v, MARK)) {
    const m = v as { [MARK]: string; v?: unknown };
    switch (m[MARK]) {
      case "undefined":
        return undefined;
      case "bigint":
        return BigInt(m.v as string);
      case "number":
        return m.v === "-0" ? -0 : Number(m.v);
      case "u8":
        return Uint8Array.from(m.v as number[]);
      case "ab":
        return Uint8Array.from(m.v as number[]).buffer;
    }
  }
  return v;
}
