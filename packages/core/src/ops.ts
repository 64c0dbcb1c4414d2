/**
 * Ops: host functions that guest extension code calls (deno_core's `#[op2]`).
 *
 * `op.sync(fn)` returns a value or throws; `op.async(fn)` returns a promise the
 * event loop settles. Each op becomes one guest function whose calls land in
 * {@link OpTable.dispatch}, which reads arguments straight from the wasm heap
 * (see marshal.ts) — no per-call scope, lifetime or handle objects.
 *
 * Invariants:
 * - Ops are the only way out of the sandbox, and only extension modules can
 *   reach them (`ext:core/ops`); nothing on `globalThis` exposes the op table.
 * - A bad argument becomes a guest TypeError naming the op and the argument;
 *   no guest input can make the dispatcher throw on the host.
 * - A guest exception raised while reading arguments (a getter, an interrupt)
 *   is propagated untouched, so an uncatchable interrupt stays uncatchable.
 */
import type { Engine, Ptr } from "./engine.ts";
import { messageOf } from "./errors.ts";
import { BridgeTypeError, GuestThrow, type Marshal } from "./marshal.ts";
import type { OpDriver } from "./op_driver.ts";
import type { OpState } from "./op_state.ts";
import { BuiltinStopped } from "./wasm_hooks.ts";

// biome-ignore lint/suspicious/noExplicitAny: op arguments are whatever the guest passes; ops validate them
export type SyncOpFn = (state: OpState, ...args: any[]) => unknown;
// biome-ignore lint/suspicious/noExplicitAny: as above
export type AsyncOpFn = (state: OpState, ...args: any[]) => Promise<unknown>;

export interface SyncOp {
  readonly kind: "sync";
  readonly fn: SyncOpFn;
}
export interface AsyncOp {
  readonly kind: "async";
  readonly fn: AsyncOpFn;
}
export type OpDef = SyncOp | AsyncOp;

/**
 * An op that works on guest values themselves (deno_core's `v8::Local<v8::Value>`
 * op arguments): it gets the call's argument pointers, borrowed, and returns an
 * owned JSValue pointer (0 for undefined). Only `@islet/core` makes them
 * ({@link rawOp}, not exported from the package): they see engine memory, and
 * the guest values they return are never copied.
 */
export interface RawOp {
  readonly kind: "raw";
  readonly arity: number;
  readonly fn: (engine: Engine, argc: number, argv: Ptr) => Ptr;
}
/** Every raw op, so `defineExtension` can tell core's own from a look-alike. */
const RAW_OPS = new WeakSet<object>();
export function rawOp(arity: number, fn: RawOp["fn"]): RawOp {
  const def: RawOp = { kind: "raw", arity, fn };
  RAW_OPS.add(def);
  return def;
}
export function isRawOp(def: unknown): def is RawOp {
  return typeof def === "object" && def !== null && RAW_OPS.has(def);
}

export const op = {
  sync(fn: SyncOpFn): SyncOp {
    if (typeof fn !== "function") throw new TypeError("op.sync(fn): fn must be a function");
    return { kind: "sync", fn };
  },
  async(fn: AsyncOpFn): AsyncOp {
    if (typeof fn !== "function") throw new TypeError("op.async(fn): fn must be a function");
    return { kind: "async", fn };
  },
};

export const OP_NAME = /^op_[a-z0-9_]+$/;

interface Entry {
  readonly name: string;
  readonly def: OpDef | RawOp;
  readonly where: readonly (() => string)[];
}

export interface OpTableHooks {
  /** Makes a guest error object (owned) for a host error. */
  makeGuestError(error: unknown): Ptr;
}

/** Labels of an op's first arguments for bridge errors, made once per op name (every runtime binds the same ops). */
const labelsByName = new Map<string, readonly (() => string)[]>();

function argumentLabels(name: string): readonly (() => string)[] {
  let labels = labelsByName.get(name);
  if (labels === undefined) {
    labels = Array.from({ length: 16 }, (_, i) => () => `${name}: argument ${i + 1}`);
    // Op names come from extension definitions; a host inventing them without end stops being cached.
    if (labelsByName.size < 4096) labelsByName.set(name, labels);
  }
  return labels;
}

export class OpTable {
  readonly #byHostId = new Map<number, Entry>();
  readonly #names: string[] = [];
  readonly #hostIds: number[] = [];

  constructor(
    private readonly engine: Engine,
    private readonly marshal: Marshal,
    private readonly state: OpState,
    /** Owns the async ops once started (op_driver.ts). */
    private readonly driver: OpDriver,
    private readonly hooks: OpTableHooks,
  ) {}

  get names(): readonly string[] {
    return this.#names;
  }
  /** The host ids of the ops, in registration order. */
  get hostIds(): readonly number[] {
    return this.#hostIds;
  }

  /** Creates the guest function for an op. Returns an owned pointer. */
  register(name: string, def: OpDef | RawOp, hostId: number): Ptr {
    this.bind(name, def, hostId);
    const arity = def.kind === "raw" ? def.arity : Math.max(0, def.fn.length - 1);
    return this.engine.em._QTS_NewFunction(this.engine.ctx, this.#nameOnHeap(name), arity, 0, hostId);
  }

  /**
   * Routes calls for `hostId` to the op, without creating its guest function:
   * for a runtime restored from a snapshot, whose image already holds it.
   */
  bind(name: string, def: OpDef | RawOp, hostId: number): void {
    this.#byHostId.set(hostId, { name, def, where: argumentLabels(name) });
    this.#names.push(name);
    this.#hostIds.push(hostId);
  }

  #nameOnHeap(name: string): number {
    // QTS_NewFunction copies the name; the scratch buffer is free to reuse afterwards.
    const p = this.engine.scratch(name.length + 1);
    for (let i = 0; i < name.length; i++) this.engine.u8[p + i] = name.charCodeAt(i);
    this.engine.u8[p + name.length] = 0;
    return p;
  }

  has(hostId: number): boolean {
    return this.#byHostId.has(hostId);
  }

  /** The C → host call for an op. Returns an owned JSValue pointer, 0 for undefined. */
  dispatch(hostId: number, argc: number, argv: number): Ptr {
    const entry = this.#byHostId.get(hostId) as Entry;
    if (entry.def.kind === "raw") {
      try {
        return entry.def.fn(this.engine, argc, argv);
      } catch (error) {
        return this.throwHostError(error);
      }
    }
    // A fresh array per call: converting arguments can run guest code (getters,
    // proxy traps) that calls another op before this one runs.
    const args: unknown[] = new Array(argc);
    try {
      for (let i = 0; i < argc; i++) {
        args[i] = this.marshal.toHost(argv + i * 8, entry.where[i] ?? (() => `${entry.name}: argument ${i + 1}`));
      }
      if (entry.def.kind === "sync") {
        const result = entry.def.fn(this.state, ...args);
        if (result === undefined) return 0;
        if (result instanceof Promise) {
          throw new BridgeTypeError(
            `${entry.name}: returned a Promise, but it is a sync op; a sync op returns plain data (declare it with op.async to return a Promise)`,
          );
        }
        return this.marshal.toGuest(result, () => `${entry.name}: return value`);
      }
      const fn = entry.def.fn;
      return this.engine.newNumber(this.driver.submit(entry.name, () => fn(this.state, ...args)));
    } catch (error) {
      if (error instanceof GuestThrow) return error.exception;
      // The loop meter stopping the engine: the wasm stack unwinds to the host.
      if (error instanceof BuiltinStopped) throw error;
      return this.throwHostError(error);
    }
  }

  /** Throws a host error in the guest, keeping its class. Returns the exception value. */
  throwHostError(error: unknown): Ptr {
    let guestError: Ptr;
    try {
      guestError = this.hooks.makeGuestError(error);
    } catch (inner) {
      if (inner instanceof GuestThrow) return inner.exception;
      throw new Error(`could not raise ${messageOf(error)} in the guest: ${messageOf(inner)}`);
    }
    const exception = this.engine.throwValue(guestError);
    this.engine.free(guestError);
    return exception;
  }
}
