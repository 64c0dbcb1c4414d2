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
}

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
  ) {}

  /** Guest → host. `where` names the value in error messages ("op_x: argument 2"). */
  toHost(p: Ptr, where: () => string): unknown {
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
      case Tag.String:
        return e.readFlatString(p) ?? this.#slowString(p);
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
        return this.#objectToHost(p, where);
      default:
        if (isFloatTag(tag)) return e.getNumber(p);
        throw new BridgeTypeError(`${where()}: unsupported value (tag ${tag})`);
    }
  }

  #objectToHost(p: Ptr, where: () => string): unknown {
    const e = this.engine;
    const refId = e.hostRefId(p);
    if (refId !== 0) return this.hostRefs.get(refId);
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
