/**
 * The engine: one QuickJS runtime + context inside its own wasm instance, and
 * the raw, allocation-free access to its values that the bridge is built on.
 *
 * quickjs-emscripten's convenience layer (a scope and a lifetime object per
 * argument) costs ~4.8 µs per host call; reading values straight from the wasm
 * heap costs ~0.1 µs. This file is the only place that knows the heap layout.
 *
 * Ownership: a `Ptr` returned by a function here is owned by the caller and
 * must be passed to `free()` (or handed to QuickJS, which frees it) exactly
 * once; a `Ptr` passed in is borrowed.
 */
import type { QuickJSContext, QuickJSRuntime, QuickJSWASMModule } from "quickjs-emscripten-core";
import type { QuickJSInstance } from "./quickjs.ts";
import type { EngineLayout } from "./snapshot.ts";
import { trackerFunction } from "./wasm_hooks.ts";

/**
 * A copy the sandbox's fixed wasm memory cannot hold. A RangeError to the
 * guest (it names the call and the size); on the host it marks an expected,
 * recoverable refusal — the engine is fine — never a fault.
 */
export class BridgeRangeError extends RangeError {
  override name = "RangeError";
}

/** A `JSValue *` in the wasm heap. */
export type Ptr = number;

/** QuickJS value tags (quickjs.h, NaN-boxing layout on wasm32). */
export const Tag = {
  BigInt: -9,
  Symbol: -8,
  String: -7,
  StringRope: -6,
  Module: -3,
  FunctionBytecode: -2,
  Object: -1,
  Int: 0,
  Bool: 1,
  Null: 2,
  Undefined: 3,
  Uninitialized: 4,
  CatchOffset: 5,
  Exception: 6,
  ShortBigInt: 7,
} as const;

/** A tag outside QuickJS's tag range is a NaN-boxed float64. */
export function isFloatTag(tag: number): boolean {
  return (tag + 9) >>> 0 >= 17;
}

// biome-ignore lint/suspicious/noExplicitAny: the emscripten module's exports are untyped
type Exports = Record<string, any>;

const encoder = new TextEncoder();
/** The scratch buffer never grows past this; larger conversions use a block of their own, freed at once. */
export const SCRATCH_MAX_BYTES = 64 << 10;
const UNSAFE_FOR_UTF8 = /[\0\uD800-\uDFFF]/;

export class Engine {
  readonly module: QuickJSWASMModule;
  readonly runtime: QuickJSRuntime;
  readonly context: QuickJSContext;
  readonly ctx: number;
  readonly rt: number;
  readonly memory: WebAssembly.Memory;
  readonly em: Exports;
  readonly u8: Uint8Array;
  readonly u16: Uint16Array;
  readonly i32: Int32Array;
  /** Offset of the characters inside a JSString, found by calibration; -1 if unknown. */
  #stringDataOffset = -1;
  #scratch = 0;
  #scratchSize = 0;
  #argv = 0;
  #argvSize = 0;
  #jobContextOut = 0;
  #words = 0;
  readonly #table: WebAssembly.Table | undefined;
  /** Address of rt->host_promise_rejection_tracker, or -1 if it could not be located. */
  readonly #trackerField: number;
  #trackerSlot = 0;
  readonly #undefined: Ptr;
  readonly #null: Ptr;
  readonly #true: Ptr;
  readonly #false: Ptr;
  /** A JSValue holding JS_EXCEPTION, for QTS_ResolveException. Owned; freed in dispose(). */
  readonly #exceptionSlot: number;

  constructor(instance: QuickJSInstance) {
    this.module = instance.module;
    this.memory = instance.memory;
    // biome-ignore lint/suspicious/noExplicitAny: internal field of QuickJSWASMModule
    this.em = (instance.module as any).module as Exports;
    this.runtime = instance.module.newRuntime();
    this.context = this.runtime.newContext();
    // biome-ignore lint/suspicious/noExplicitAny: the raw pointers are protected fields upstream
    this.ctx = (this.context as any).ctx.value as number;
    // biome-ignore lint/suspicious/noExplicitAny: as above
    this.rt = (this.runtime as any).rt.value as number;
    // The memory is fixed-size (initial = maximum), so these views never detach.
    this.u8 = new Uint8Array(this.memory.buffer);
    this.u16 = new Uint16Array(this.memory.buffer);
    this.i32 = new Int32Array(this.memory.buffer);
    this.#undefined = this.em._QTS_GetUndefined();
    this.#null = this.em._QTS_GetNull();
    this.#true = this.em._QTS_GetTrue();
    this.#false = this.em._QTS_GetFalse();
    this.#table = instance.table;
    this.#trackerField = this.#findTrackerField();
    this.#exceptionSlot = this.malloc(8);
    this.i32[this.#exceptionSlot >> 2] = 0;
    this.i32[(this.#exceptionSlot + 4) >> 2] = Tag.Exception;
  }

  // --- snapshots -------------------------------------------------------------------
  /** The engine's own pointers, for a snapshot (snapshot.ts). */
  layout(): EngineLayout {
    return {
      exceptionSlot: this.#exceptionSlot,
      trackerSlot: this.#trackerSlot,
      trackerField: this.#trackerField,
      stringDataOffset: this.#stringDataOffset,
      scratch: this.#scratch,
      scratchSize: this.#scratchSize,
      argv: this.#argv,
      argvSize: this.#argvSize,
      jobContextOut: this.#jobContextOut,
      words: this.#words,
    };
  }
  /**
   * After an image was copied over the memory: takes the pointers the engine
   * allocated lazily from the image. Returns the name of the first pointer made
   * before bootstrap that differs from the image (the creation calls did not
   * land where they did when the image was made), or undefined.
   */
  adoptLayout(image: EngineLayout): string | undefined {
    const mine = this.layout();
    for (const key of ["exceptionSlot", "trackerSlot", "trackerField", "stringDataOffset"] as const) {
      if (mine[key] !== image[key]) return key;
    }
    this.#scratch = image.scratch;
    this.#scratchSize = image.scratchSize;
    this.#argv = image.argv;
    this.#argvSize = image.argvSize;
    this.#jobContextOut = image.jobContextOut;
    this.#words = image.words;
    return undefined;
  }
  /** The function table, when the module exports it (wasm_patch.ts). */
  get table(): WebAssembly.Table | undefined {
    return this.#table;
  }

  // --- promise rejection tracking ---------------------------------------------------
  /**
   * Locates rt->host_promise_rejection_tracker. In every QuickJS since 2020 it
   * sits two words after rt->interrupt_handler, which we find by switching the
   * interrupt handler on and watching which word of the JSRuntime changes.
   * Must run before anything else enables the interrupt handler.
   */
  #findTrackerField(): number {
    const words = 1024;
    const base = this.rt >> 2;
    const before = this.i32.slice(base, base + words);
    this.em._QTS_RuntimeEnableInterruptHandler(this.rt);
    const after = this.i32.slice(base, base + words);
    this.em._QTS_RuntimeDisableInterruptHandler(this.rt);
    const changed: number[] = [];
    for (let i = 0; i < words; i++) if (before[i] !== after[i]) changed.push(i);
    const i = changed[0];
    if (changed.length !== 1 || i === undefined || before[i] !== 0) return -1;
    // interrupt_opaque, the tracker and its opaque must all still be unset.
    if (after[i + 1] !== 0 || after[i + 2] !== 0 || after[i + 3] !== 0) return -1;
    return this.rt + (i + 2) * 4;
  }

  /**
   * Installs QuickJS's promise rejection tracker. `onRejection` gets borrowed
   * pointers to the promise and the reason, valid only during the call.
   * Returns false where the table or the field is unavailable.
   */
  async installRejectionTracker(onRejection: (promise: Ptr, reason: Ptr, handled: boolean) => void): Promise<boolean> {
    if (this.#table === undefined || this.#trackerField < 0) return false;
    const slot = this.malloc(16);
    this.#trackerSlot = slot;
    const u64 = new BigUint64Array(this.memory.buffer);
    const fn = trackerFunction((_ctx, promise, reason, isHandled) => {
      u64[slot >> 3] = BigInt.asUintN(64, promise);
      u64[(slot >> 3) + 1] = BigInt.asUintN(64, reason);
      onRejection(slot, slot + 8, isHandled !== 0);
    });
    const index = this.#table.grow(1);
    this.#table.set(index, fn);
    this.i32[this.#trackerField >> 2] = index;
    return true;
  }

  // --- memory ------------------------------------------------------------------
  malloc(bytes: number): number {
    const p = this.em._malloc(bytes);
    if (p === 0) throw new BridgeRangeError(`QuickJS heap exhausted (asked for ${bytes} bytes)`);
    return p;
  }
  /**
   * Bytes the wasm allocator can still hand out — the allocator's own view,
   * which sees the bridge's copies that QuickJS's accounting cannot. The build
   * exports no mallinfo(), so this probes: it takes the largest block that
   * fits, again and again (down to 64 KiB), then frees them all. Slow; release
   * builds only (the debug build's LeakSanitizer allocator aborts on a failed
   * malloc instead of returning null).
   */
  heapFreeBytes(): number {
    if (this.em._QTS_BuildIsSanitizeLeak()) {
      throw new Error("heapFreeBytes: not available on the debug build (its allocator aborts on a failed malloc)");
    }
    const blocks: number[] = [];
    let total = 0;
    try {
      for (let round = 0; round < 256; round++) {
        let fits = 0;
        let fails = this.memory.buffer.byteLength;
        while (fails - fits > 4096) {
          const size = fits + Math.floor((fails - fits) / 2);
          const p = this.em._malloc(size);
          if (p === 0) fails = size;
          else {
            this.em._free(p);
            fits = size;
          }
        }
        if (fits < 64 << 10) break;
        const p = this.em._malloc(fits);
        if (p === 0) break;
        blocks.push(p);
        total += fits;
      }
    } finally {
      for (const p of blocks) this.em._free(p);
    }
    return total;
  }
  freeRaw(p: number): void {
    this.em._free(p);
  }
  /** Two reusable 32-bit out-parameters (for FFI calls that return through pointers). */
  scratchWords(): number {
    if (this.#words === 0) this.#words = this.malloc(8);
    return this.#words;
  }
  /** An owned result holding JS_EXCEPTION, for an FFI call that left an exception pending. */
  newExceptionResult(): Ptr {
    return this.dup(this.#exceptionSlot);
  }
  /**
   * A reusable buffer of at least `bytes` bytes (at most {@link SCRATCH_MAX_BYTES}),
   * valid until the next call. The new block is allocated before the old one is
   * freed, so a failed allocation (a RangeError) leaves the old buffer in place.
   * Larger buffers are not kept: take them with {@link malloc} and free them.
   */
  scratch(bytes: number): number {
    if (bytes > this.#scratchSize) {
      if (bytes > SCRATCH_MAX_BYTES)
        throw new BridgeRangeError(`scratch(${bytes}): larger than ${SCRATCH_MAX_BYTES} bytes`);
      const size = Math.min(SCRATCH_MAX_BYTES, Math.max(bytes, 256, this.#scratchSize * 2));
      const p = this.malloc(size);
      if (this.#scratch) this.em._free(this.#scratch);
      this.#scratch = p;
      this.#scratchSize = size;
    }
    return this.#scratch;
  }

  // --- values ------------------------------------------------------------------
  tag(p: Ptr): number {
    return this.i32[(p + 4) >> 2] as number;
  }
  payload(p: Ptr): number {
    return this.i32[p >> 2] as number;
  }
  free(p: Ptr): void {
    this.em._QTS_FreeValuePointer(this.ctx, p);
  }
  /**
   * An object's QuickJS class id (JSObject's `class_id`: the uint16 at byte 6,
   * after the GC header's ref count and mark and flag bytes), or -1 for a
   * non-object. Read from memory, so no guest code runs and nothing can forge
   * it (a Proxy is a Proxy whatever its traps say). It is the C layout's: a
   * caller compares with the id of an object it made (op_class_id's users do).
   */
  classId(p: Ptr): number {
    if (this.tag(p) !== Tag.Object) return -1;
    return this.u16[(this.payload(p) + 6) >> 1] as number;
  }
  dup(p: Ptr): Ptr {
    return this.em._QTS_DupValuePointer(this.ctx, p);
  }
  newUndefined(): Ptr {
    return this.dup(this.#undefined);
  }
  newNull(): Ptr {
    return this.dup(this.#null);
  }
  newBoolean(b: boolean): Ptr {
    return this.dup(b ? this.#true : this.#false);
  }
  newNumber(n: number): Ptr {
    return this.em._QTS_NewFloat64(this.ctx, n);
  }
  getNumber(p: Ptr): number {
    const tag = this.tag(p);
    if (tag === Tag.Int) return this.payload(p);
    return this.em._QTS_GetFloat64(this.ctx, p);
  }
  /**
   * A new guest ArrayBuffer holding a copy of `bytes` (owned; Exception-tagged
   * when QuickJS is out of memory). QuickJS takes ownership of the malloc'd copy.
   */
  newArrayBuffer(bytes: Uint8Array, where: () => string = () => "newArrayBuffer"): Ptr {
    const n = bytes.byteLength;
    const p = this.#mallocFor(Math.max(n, 1), where, `${n} bytes`);
    this.u8.set(bytes, p);
    return this.em._QTS_NewArrayBuffer(this.ctx, p, n);
  }
  /**
   * Copies the bytes of `p`, which the caller knows is an ArrayBuffer. A
   * detached buffer reads as empty (and its pending TypeError is cleared).
   *
   * `QTS_GetArrayBuffer` copies the bytes into a block it malloc()s outside
   * QuickJS's accounting; that block is freed here on every path. When it cannot
   * be allocated, this throws a RangeError naming `where` and the size — never
   * an empty or partial copy.
   */
  readArrayBuffer(p: Ptr, where: () => string): Uint8Array<ArrayBuffer> {
    const length = this.em._QTS_GetArrayBufferLength(this.ctx, p) >>> 0;
    if (length === 0) {
      // Empty or detached (JS_GetArrayBuffer left a TypeError pending): nothing to copy.
      this.clearPendingException();
      return new Uint8Array(0);
    }
    const data = this.em._QTS_GetArrayBuffer(this.ctx, p);
    if (data === 0) {
      this.clearPendingException();
      throw new BridgeRangeError(
        `${where()}: cannot copy ${length} bytes out of the sandbox: its memory is exhausted (the copy is made inside its fixed-size wasm memory)`,
      );
    }
    try {
      return this.u8.slice(data, data + length);
    } finally {
      this.em._free(data);
    }
  }
  /** Drops the context's pending exception, if any. */
  clearPendingException(): void {
    const exc = this.em._QTS_ResolveException(this.ctx, this.#exceptionSlot);
    if (exc) this.free(exc);
  }
  hostRefId(p: Ptr): number {
    return this.em._QTS_GetHostRefId(p);
  }
  newHostRef(id: number): Ptr {
    return this.em._QTS_NewHostRef(this.ctx, id);
  }

  // --- strings -----------------------------------------------------------------
  /**
   * Reads a flat guest string (tag String) straight from its JSString, keeping
   * lone surrogates and NULs. Returns undefined if the layout is unknown.
   */
  readFlatString(p: Ptr): string | undefined {
    if (this.#stringDataOffset < 0) return undefined;
    const s = this.payload(p);
    const word = this.i32[(s + 4) >> 2] as number;
    const length = word & 0x7fffffff;
    const wide = word < 0;
    const data = s + this.#stringDataOffset;
    if (length === 0) return "";
    if (!wide) {
      if (length <= 16) {
        let out = "";
        for (let i = 0; i < length; i++) out += String.fromCharCode(this.u8[data + i] as number);
        return out;
      }
      return latin1(this.u8.subarray(data, data + length));
    }
    const start = data >> 1;
    if (length <= 16) {
      let out = "";
      for (let i = 0; i < length; i++) out += String.fromCharCode(this.u16[start + i] as number);
      return out;
    }
    return utf16(this.u16.subarray(start, start + length));
  }

  /**
   * A new guest string (owned; an Exception-tagged result when QuickJS is out
   * of memory). Well-formed text without NULs goes through UTF-8; the rest as
   * UTF-16 (via `slow`). Short text is encoded in the scratch buffer; longer
   * text in a block of its exact UTF-8 size, freed before returning. A block that
   * cannot be allocated is a RangeError naming `where` and the size.
   */
  newString(s: string, slow: (utf16: Uint8Array) => Ptr, where: () => string): Ptr {
    if (!UNSAFE_FOR_UTF8.test(s) || (!s.includes("\0") && s.isWellFormed())) {
      if (s.length <= 256) {
        // Short ASCII (keys, small values): a byte loop beats encodeInto's call overhead.
        const p = this.scratch(s.length * 3 + 1);
        const u8 = this.u8;
        let i = 0;
        for (; i < s.length; i++) {
          const c = s.charCodeAt(i);
          if (c >= 0x80) break;
          u8[p + i] = c;
        }
        if (i === s.length) {
          u8[p + i] = 0;
          return this.em._QTS_NewString(this.ctx, p);
        }
      }
      if (s.length <= SCRATCH_MAX_BYTES / 3 - 1) {
        const cap = s.length * 3 + 1;
        const p = this.scratch(cap);
        const { written } = encoder.encodeInto(s, this.u8.subarray(p, p + cap - 1));
        this.u8[p + written] = 0;
        return this.em._QTS_NewString(this.ctx, p);
      }
      const size = utf8Length(s);
      const p = this.#mallocFor(size + 1, where, `a string of ${s.length} characters`);
      try {
        const { written } = encoder.encodeInto(s, this.u8.subarray(p, p + size));
        this.u8[p + written] = 0;
        return this.em._QTS_NewString(this.ctx, p);
      } finally {
        this.em._free(p);
      }
    }
    const units = new Uint16Array(s.length);
    for (let i = 0; i < s.length; i++) units[i] = s.charCodeAt(i);
    return slow(new Uint8Array(units.buffer));
  }

  /** malloc() for a conversion: a failure is a RangeError naming the value and its size. */
  #mallocFor(bytes: number, where: () => string, what: string): number {
    const p = this.em._malloc(bytes);
    if (p === 0) {
      throw new BridgeRangeError(
        `${where()}: ${what} is too large to copy into the sandbox (${bytes} bytes; its memory is exhausted)`,
      );
    }
    return p;
  }

  /**
   * Finds where characters start inside a JSString by looking at a known
   * string. The layout differs between builds (debug adds a leak-list link).
   */
  calibrateStrings(): void {
    const marker = "islet\u00e9calibrate";
    const wideMarker = "islet\u0101";
    const narrow = this.context.newString(marker);
    const wide = this.context.newString(wideMarker);
    try {
      const np = narrow.value as unknown as number;
      const wp = wide.value as unknown as number;
      if (this.tag(np) !== Tag.String || this.tag(wp) !== Tag.String) return;
      const s = this.payload(np);
      const word = this.i32[(s + 4) >> 2] as number;
      if ((word & 0x7fffffff) !== marker.length || word < 0) return;
      for (let offset = 8; offset <= 64; offset += 4) {
        let ok = true;
        for (let i = 0; i < marker.length && ok; i++) ok = this.u8[s + offset + i] === marker.charCodeAt(i);
        if (ok) {
          const ws = this.payload(wp);
          const wword = this.i32[(ws + 4) >> 2] as number;
          const wstart = (ws + offset) >> 1;
          if (wword < 0 && (wword & 0x7fffffff) === wideMarker.length && this.u16[wstart + 5] === 0x101) {
            this.#stringDataOffset = offset;
          }
          return;
        }
      }
    } finally {
      narrow.dispose();
      wide.dispose();
    }
  }

  // --- calls ---------------------------------------------------------------------
  /** Calls guest function `fn` with borrowed args; returns an owned result (maybe an exception). */
  call(fn: Ptr, thisArg: Ptr, args: readonly Ptr[]): Ptr {
    const n = args.length;
    if (n > this.#argvSize) {
      const size = Math.max(8, n);
      const p = this.malloc(size * 4);
      if (this.#argv) this.em._free(this.#argv);
      this.#argv = p;
      this.#argvSize = size;
    }
    const base = this.#argv >> 2;
    for (let i = 0; i < n; i++) this.i32[base + i] = args[i] as number;
    return this.em._QTS_Call(this.ctx, fn, thisArg, n, this.#argv);
  }
  /**
   * Runs pending jobs (microtasks) until the queue is empty, or at most
   * `maxJobs` of them. Returns 0, or an owned pointer to the exception a job
   * threw (the rest stay queued).
   */
  runJobs(maxJobs = -1): Ptr {
    if (this.em._QTS_IsJobPending(this.rt) === 0) return 0;
    if (this.#jobContextOut === 0) this.#jobContextOut = this.malloc(4);
    const result = this.em._QTS_ExecutePendingJob(this.rt, maxJobs, this.#jobContextOut);
    // The result is a count (a number) or the thrown value itself.
    const tag = this.tag(result);
    if (tag === Tag.Int || isFloatTag(tag)) {
      this.em._QTS_FreeValuePointerRuntime(this.rt, result);
      return 0;
    }
    return result;
  }
  /** Whether QuickJS's job queue (promise jobs) is non-empty. */
  get jobsPending(): boolean {
    return this.em._QTS_IsJobPending(this.rt) !== 0;
  }
  get undefinedPtr(): Ptr {
    return this.#undefined;
  }
  /**
   * Takes the pending exception out of the context for an owned result tagged
   * Exception: frees that result and returns the exception value (owned).
   */
  takeException(resultPtr: Ptr): Ptr {
    const exception = this.em._QTS_ResolveException(this.ctx, resultPtr);
    this.free(resultPtr);
    return exception;
  }
  /** Throws `error` in the guest; returns the JS_EXCEPTION value a host function returns. */
  throwValue(error: Ptr): Ptr {
    return this.em._QTS_Throw(this.ctx, error);
  }

  dispose(): void {
    if (this.#scratch) this.em._free(this.#scratch);
    if (this.#argv) this.em._free(this.#argv);
    this.em._free(this.#exceptionSlot);
    if (this.#jobContextOut) this.em._free(this.#jobContextOut);
    if (this.#words) this.em._free(this.#words);
    if (this.#trackerSlot) this.em._free(this.#trackerSlot);
    this.#scratch = this.#argv = 0;
    this.context.dispose();
    this.runtime.dispose();
  }
}

// TextDecoder's "latin1" is windows-1252, which differs from Latin-1 in 0x80-0x9F;
// its "utf-16le" replaces lone surrogates. Both are used only where they are exact.
const windows1252 = new TextDecoder("latin1");
const utf16le = new TextDecoder("utf-16le");

function latin1(bytes: Uint8Array): string {
  for (let i = 0; i < bytes.length; i++) {
    if (((bytes[i] as number) & 0xe0) === 0x80) return charCodes(bytes);
  }
  return windows1252.decode(bytes);
}

function utf16(units: Uint16Array): string {
  for (let i = 0; i < units.length; i++) {
    if (((units[i] as number) & 0xf800) === 0xd800) return charCodes(units);
  }
  return utf16le.decode(units);
}

function charCodes(units: Uint8Array | Uint16Array): string {
  let out = "";
  for (let i = 0; i < units.length; i += 8192) {
    out += String.fromCharCode.apply(null, units.subarray(i, i + 8192) as unknown as number[]);
  }
  return out;
}

/** Bytes of `s` in UTF-8 (for well-formed text). */
function utf8Length(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) n += c >= 0x800 && (c < 0xd800 || c > 0xdfff) ? 2 : 1;
  }
  return n;
}
