/**
 * Unhandled-rejection tracking (deno_core's `ExceptionState` pending
 * rejections): QuickJS's rejection tracker reports a promise rejected with no
 * handler, and reports it again if a handler is attached later.
 *
 * Deno's rule: a rejection still unhandled when the microtask queue has
 * drained is an error, unless an extension (web's "unhandledrejection" event)
 * handles it. `p = Promise.reject(x); await 0; p.catch(f)` is fine.
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
  readonly #rejections = new Map<number, { promise: Ptr; reason: Ptr }>();
  /** Addresses of error objects delivered to a handler (guest or host) since the last check. */
  readonly #deliveredReasons = new Set<number>();

  constructor(private readonly engine: Engine) {}

  /** QuickJS's rejection tracker callback. */
  onRejection(promise: Ptr, reason: Ptr, handled: boolean): void {
    const engine = this.engine;
    const key = engine.payload(promise);
    const known = this.#rejections.get(key);
    if (!handled) {
      if (known === undefined) this.#rejections.set(key, { promise: engine.dup(promise), reason: engine.dup(reason) });
      return;
    }
    this.markDelivered(reason);
    if (known !== undefined) {
      this.#rejections.delete(key);
      engine.free(known.promise);
      engine.free(known.reason);
    }
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
  }
}
