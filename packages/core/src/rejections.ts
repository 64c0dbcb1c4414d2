/**
 * Unhandled-rejection tracking (deno_core's `ExceptionState` pending
 * rejections): QuickJS's rejection tracker reports a promise rejected with no
 * handler, and reports it again if a handler is attached later.
 *
 * Deno's rule: a rejection still unhandled when the microtask queue has
 * drained is an error, unless an extension (web's "unhandledrejection" event)
 * handles it. `p = Promise.reject(x); await 0; p.catch(f)` is fine.
 *
 * QuickJS rejects two kinds of internal promises with an error that reaches a
 * handler elsewhere, and neither can ever get a handler of its own:
 * - a module's evaluation, when the host takes its error (`markDelivered`);
 * - a module body, which QuickJS runs as an async function: when it throws, the
 *   engine takes the rejection out of that function's promise, drops the
 *   promise, and rejects the module's own promise (the one `import()` waits
 *   on) with the same value (`js_execute_sync_module`, `js_evaluate_module`).
 *   The two rejections are reported back to back, with no guest code between
 *   them, while the engine evaluates a module ({@link moduleJob}), and the
 *   first promise is already dropped by the engine. So an entry whose promise
 *   only this tracker still holds, followed at once by a rejection with the
 *   very same value, is remembered as *moved into* it; when the second gets a
 *   handler (QuickJS's import job attaches one at once) the first goes too.
 *   Matching by value, not by object address, is what makes this hold for a
 *   thrown primitive (`throw 1`), which has no identity. The one program this
 *   also excuses: inside a module's evaluation, a dropped `Promise.reject(v)`
 *   directly followed by another rejection with the same `v` that is then
 *   handled; the first is not reported.
 *
 * Ownership: each tracked entry holds a dup of the promise and of the reason;
 * `take` hands both to the caller, `clear` frees what is left.
 */
import { type Engine, type Ptr, Tag } from "./engine.ts";

export interface Rejection {
  /** The rejected promise's object address (its identity while it is alive). */
  readonly key: number;
  /** Owned. */
  readonly promise: Ptr;
  /** Owned. */
  readonly reason: Ptr;
  /** QuickJS also rejects internal promises with an error it delivered, handled, elsewhere. */
  readonly delivered: boolean;
}

export class RejectionTracker {
  /** Rejected promises with no handler yet, by object address. */
  readonly #rejections = new Map<number, { promise: Ptr; reason: Ptr; movedFrom?: number }>();
  /** Addresses of error objects delivered to a handler (guest or host) since the last check. */
  readonly #deliveredReasons = new Set<number>();
  /** How deep the engine is in evaluating modules (QuickJS's own import job). */
  #moduleJobs = 0;
  /** The key of the entry the previous callback added, while a module job runs; else undefined. */
  #previous: number | undefined;

  constructor(private readonly engine: Engine) {}

  /** Runs `job`, an engine job that evaluates modules (see the header: moved rejections). */
  moduleJob<T>(job: () => T): T {
    this.#moduleJobs++;
    this.#previous = undefined;
    try {
      return job();
    } finally {
      this.#moduleJobs--;
      this.#previous = undefined;
    }
  }

  /** QuickJS's rejection tracker callback. */
  onRejection(promise: Ptr, reason: Ptr, handled: boolean): void {
    const engine = this.engine;
    const key = engine.payload(promise);
    const known = this.#rejections.get(key);
    const previous = this.#previous;
    this.#previous = undefined;
    if (!handled) {
      if (known !== undefined) return;
      const entry: { promise: Ptr; reason: Ptr; movedFrom?: number } = {
        promise: engine.dup(promise),
        reason: engine.dup(reason),
      };
      if (previous !== undefined && this.#movedInto(previous, reason)) entry.movedFrom = previous;
      this.#rejections.set(key, entry);
      if (this.#moduleJobs > 0) this.#previous = key;
      return;
    }
    this.markDelivered(reason);
    if (known !== undefined) {
      this.#drop(key);
      if (known.movedFrom !== undefined) this.#drop(known.movedFrom);
    }
  }

  #drop(key: number): void {
    const entry = this.#rejections.get(key);
    if (entry === undefined) return;
    this.#rejections.delete(key);
    this.engine.free(entry.promise);
    this.engine.free(entry.reason);
  }

  /**
   * Whether the entry `key` may have moved into a rejection with `reason`
   * (see the header): its reason is the very same value, and nothing but this
   * tracker still holds its promise (no handler can ever be attached to it).
   */
  #movedInto(key: number, reason: Ptr): boolean {
    const entry = this.#rejections.get(key);
    if (entry === undefined) return false;
    const i32 = this.engine.i32;
    const sameValue =
      i32[entry.reason >> 2] === i32[reason >> 2] && i32[(entry.reason + 4) >> 2] === i32[(reason + 4) >> 2];
    // An object's header starts with its reference count; 1 is this tracker's own dup.
    return sameValue && i32[key >> 2] === 1;
  }

  /** Records that `reason` reached a handler (e.g. the host took a rejected evaluation's error). */
  markDelivered(reason: Ptr): void {
    if (this.engine.tag(reason) === Tag.Object) this.#deliveredReasons.add(this.engine.payload(reason));
  }

  get size(): number {
    return this.#rejections.size;
  }

  /** Removes and returns the oldest tracked rejection (the caller owns its pointers). */
  take(): Rejection | undefined {
    for (const [key, { promise, reason }] of this.#rejections) {
      this.#rejections.delete(key);
      const engine = this.engine;
      const delivered = engine.tag(reason) === Tag.Object && this.#deliveredReasons.has(engine.payload(reason));
      return { key, promise, reason, delivered };
    }
    return undefined;
  }

  /** Ends a check: deliveries seen so far no longer excuse later rejections. */
  endCheck(): void {
    this.#deliveredReasons.clear();
  }

  /** Frees every tracked entry. */
  clear(): void {
    for (const { promise, reason } of this.#rejections.values()) {
      this.engine.free(promise);
      this.engine.free(reason);
    }
    this.#rejections.clear();
    this.#deliveredReasons.clear();
    this.#previous = undefined;
  }
}
