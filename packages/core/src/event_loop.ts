/**
 * The event loop (deno_core's `poll_event_loop`), run by
 * `JsRuntime.runEventLoop`. One turn runs these phases, in this order:
 *
 *   1. microtasks      — QuickJS's job queue, to empty;
 *   2. op results      — results of completed async ops, settled in the guest
 *                        in batches of {@link SETTLE_BATCH} (op_driver.ts),
 *                        each batch followed by a microtask checkpoint;
 *   3. timers          — due timers in (deadline, id) order, each followed by
 *                        a microtask checkpoint;
 *   4. microtasks      — again;
 *   5. evaluations     — module and script promises the host waits on;
 *   6. rejections      — promises still rejected with no handler
 *                        (rejections.ts) fail the loop unless an extension
 *                        handles them.
 *
 * Then, if nothing ref'd is pending (no in-flight op, no queued result, no
 * ref'd timer), the loop ends; otherwise it waits for an op to complete, the
 * next timer to fall due, the wall-clock limit, or `runtime.interrupt()`.
 *
 * Limits are host-side facts (limits.ts: RunBudget). QuickJS turns an
 * interrupt inside a promise job into a rejection the guest can catch, so the
 * loop runs jobs one at a time and checks the budget after each one, after
 * each callback and after each wait: once a limit trips, no further guest code
 * (job, timer, op settlement) runs in that call.
 *
 * No callback is dropped silently: when a timer throws and nothing handles it,
 * the rest of its batch still fires and the first error then ends the run; an
 * op result that cannot be converted rejects that op alone.
 */
import type { QuickJSHandle } from "quickjs-emscripten-core";
import { type Engine, type Ptr, Tag } from "./engine.ts";
import { GuestError } from "./errors.ts";
import type { RunBudget } from "./limits.ts";
import { GuestThrow } from "./marshal.ts";
import type { CompletedOp, OpDriver } from "./op_driver.ts";
import type { RejectionTracker } from "./rejections.ts";
import type { TimerQueue } from "./timers.ts";

/** Op results settled in the guest per call of its `settle` helper. */
export const SETTLE_BATCH = 32;
/** The longest delay a host timer accepts (setTimeout overflows past it and fires at once). */
export const MAX_HOST_DELAY_MS = 2 ** 31 - 1;

/** The guest helpers (js/01_core.ts) the loop calls. */
export type LoopHelper = "settle" | "fireTimer" | "handleUncaught" | "handleUnhandledRejection";

/** What the loop needs from its runtime (runtime.ts). */
export interface LoopHost {
  readonly engine: Engine;
  /** Copies a host value into the guest (marshal.ts); returns an owned pointer. */
  toGuest(value: unknown, where: () => string): Ptr;
  readonly budget: RunBudget;
  readonly ops: OpDriver;
  readonly rejections: RejectionTracker;
  timers(): TimerQueue;
  /** Runs a call into the engine (budget accounting, fault detection). */
  guest<T>(fn: () => T): T;
  callHelper(name: LoopHelper, args: Ptr[]): Ptr;
  /** Converts an owned guest exception pointer to a host error, freeing it. */
  hostErrorFromPtr(exception: Ptr, where: string): Error;
  /** Converts an owned guest exception handle to a host error, disposing it. */
  hostErrorFrom(handle: QuickJSHandle, where: string): Error;
  /** A guest error object (owned) for a host error. */
  makeGuestError(error: unknown): Ptr;
  /** Copies a guest value to the host; a guest exception becomes a host error. */
  toHost(p: Ptr, where: string): unknown;
  /** The host-made error for a call the budget ended (Interrupted, MemoryLimitExceeded). */
  stopError(): Error;
  assertUsable(api: string): void;
}

/** A guest promise the host waits on: a module evaluation, or evaluateScript's completion value. */
export interface Evaluation {
  name: string;
  promise: QuickJSHandle;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  /** For evaluateScript: the label under which the fulfilled value is copied to the host. */
  copyValueAs?: string;
}

export class EventLoop {
  readonly #host: LoopHost;
  readonly #evaluations = new Set<Evaluation>();
  #wake: (() => void) | undefined;
  #running = false;

  constructor(host: LoopHost) {
    this.#host = host;
  }

  get running(): boolean {
    return this.#running;
  }

  /** Wakes a loop waiting for work (an op completed, the runtime was disposed). */
  wake(): void {
    this.#wake?.();
  }

  /** Adds a guest promise the loop settles into `ev.resolve` / `ev.reject`. */
  track(ev: Evaluation): void {
    this.#evaluations.add(ev);
  }

  /** Runs turns until nothing ref'd is pending. */
  async run(): Promise<void> {
    const host = this.#host;
    if (this.#running) throw new Error("runEventLoop: the event loop is already running");
    this.#running = true;
    try {
      for (;;) {
        this.#turn();
        if (!this.#hasPendingWork()) {
          this.#failStalledEvaluations();
          return;
        }
        // Completed ops are settled on the next turn without a host await.
        if (!host.ops.hasCompleted) await this.#waitForWork();
        host.assertUsable("runEventLoop");
        if (host.budget.shouldInterrupt()) throw host.stopError();
      }
    } finally {
      this.#running = false;
    }
  }

  /**
   * Phase 1 and 4 (and after every callback): run QuickJS's job queue to
   * empty, one job at a time, stopping as soon as a limit trips.
   */
  runMicrotasks(where = "runEventLoop"): void {
    const host = this.#host;
    const { engine, budget } = host;
    while (engine.jobsPending) {
      const exception = host.guest(() => engine.runJobs(1));
      if (exception !== 0) throw host.hostErrorFromPtr(exception, where);
      if (budget.shouldInterrupt()) throw host.stopError();
    }
  }

  /** Rejects every tracked evaluation with `error` and forgets it (a failed call). */
  discard(error: () => Error): void {
    if (this.#evaluations.size === 0) return;
    const reason = error();
    for (const ev of this.#evaluations) {
      ev.promise.dispose();
      ev.reject(reason);
    }
    this.#evaluations.clear();
  }

  /**
   * The runtime is disposed: every awaited evaluation rejects with `error`
   * (a caller awaiting it must not wait forever); `free` is false when the
   * engine faulted and its handles cannot be touched.
   */
  dispose(error: Error, free: boolean): void {
    for (const ev of this.#evaluations) {
      if (free) ev.promise.dispose();
      ev.reject(error);
    }
    this.#evaluations.clear();
    this.wake();
  }

  /** Whether `key` is the object address of a promise the host waits on. */
  isEvaluation(key: number): boolean {
    for (const ev of this.#evaluations) {
      if (this.#host.engine.payload(ev.promise.value as unknown as number) === key) return true;
    }
    return false;
  }

  #turn(): void {
    this.runMicrotasks();
    this.#settleOpResults();
    this.#fireDueTimers();
    this.runMicrotasks();
    this.#settleEvaluations();
    this.#checkUnhandledRejections();
  }

  #hasPendingWork(): boolean {
    const { ops } = this.#host;
    return ops.pendingCount > 0 || ops.hasCompleted || this.#host.timers().hasRefed();
  }

  #waitForWork(): Promise<void> {
    return new Promise<void>((resolve) => {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const done = () => {
        if (timer !== undefined) clearTimeout(timer);
        this.#wake = undefined;
        resolve();
      };
      this.#wake = done;
      const host = this.#host;
      if (host.ops.hasCompleted || host.budget.shouldInterrupt()) return done();
      const next = Math.min(host.timers().nextDeadline() ?? Number.POSITIVE_INFINITY, host.budget.wallDeadline);
      if (next !== Number.POSITIVE_INFINITY) {
        // A far deadline wakes the loop after the longest host delay; it then waits again.
        timer = setTimeout(done, Math.min(MAX_HOST_DELAY_MS, Math.max(0, next - performance.now())));
      }
    });
  }

  // --- phase 2: op results -------------------------------------------------------------
  #settleOpResults(): void {
    const { ops } = this.#host;
    while (ops.hasCompleted) {
      ops.deliverBatch(SETTLE_BATCH, (batch) => this.#settle(batch));
      this.runMicrotasks();
    }
  }

  #settle(batch: readonly CompletedOp[]): void {
    const host = this.#host;
    const { engine } = host;
    const args: Ptr[] = [];
    try {
      for (const { id, name, ok, value } of batch) {
        args.push(engine.newNumber(id));
        let settled = ok;
        let guestValue: Ptr;
        try {
          guestValue = ok ? host.toGuest(value, () => `${name}: resolved value`) : host.makeGuestError(value);
        } catch (error) {
          if (host.budget.shouldInterrupt()) throw host.stopError();
          settled = false;
          // A value that cannot be converted rejects this op alone: with the guest's
          // exception (a getter threw), or the host's TypeError naming the value.
          guestValue = error instanceof GuestThrow ? engine.takeException(error.exception) : host.makeGuestError(error);
        }
        args.push(engine.newBoolean(settled), guestValue);
      }
      this.#check(host.callHelper("settle", args), "runEventLoop");
    } finally {
      for (const p of args) engine.free(p);
    }
  }

  // --- phase 3: timers -------------------------------------------------------------------
  #fireDueTimers(): void {
    const host = this.#host;
    const { engine } = host;
    const due = host.timers().takeDue(performance.now());
    let firstError: unknown;
    let failed = false;
    for (const id of due) {
      const idPtr = engine.newNumber(id);
      try {
        const r = host.callHelper("fireTimer", [idPtr]);
        if (engine.tag(r) === Tag.Exception) this.#reportUncaught(r);
        else engine.free(r);
        this.runMicrotasks();
      } catch (error) {
        // A limit ends the call at once; a guest error is reported after the batch has fired.
        if (host.budget.shouldInterrupt()) throw host.stopError();
        if (!failed) [failed, firstError] = [true, error];
      } finally {
        engine.free(idPtr);
      }
    }
    if (failed) throw firstError;
  }

  /** An exception nobody caught: extensions (web's "error" event) may handle it; else the loop fails. */
  #reportUncaught(exceptionResult: Ptr): void {
    const host = this.#host;
    const { engine } = host;
    if (host.budget.shouldInterrupt()) {
      engine.free(engine.takeException(exceptionResult));
      throw host.stopError();
    }
    const exception = engine.takeException(exceptionResult);
    try {
      const handled = host.callHelper("handleUncaught", [exception]);
      const ok = engine.tag(handled) === Tag.Bool && engine.payload(handled) !== 0;
      if (engine.tag(handled) === Tag.Exception) {
        throw host.hostErrorFromPtr(engine.takeException(handled), "runEventLoop");
      }
      engine.free(handled);
      if (!ok) throw host.hostErrorFromPtr(engine.dup(exception), "runEventLoop");
    } finally {
      engine.free(exception);
    }
  }

  // --- phase 5: evaluations ------------------------------------------------------------
  #settleEvaluations(): void {
    if (this.#evaluations.size === 0) return;
    const host = this.#host;
    const { engine } = host;
    for (const ev of this.#evaluations) {
      const state = engine.context.getPromiseState(ev.promise);
      if (state.type === "pending") continue;
      this.#evaluations.delete(ev);
      let value: unknown;
      let copyError: unknown;
      if (state.type === "fulfilled" && ev.copyValueAs !== undefined) {
        try {
          value = host.toHost(state.value.value as unknown as number, ev.copyValueAs);
        } catch (error) {
          copyError = error;
        }
      }
      if (state.type === "fulfilled" && state.value !== ev.promise) state.value.dispose();
      ev.promise.dispose();
      if (state.type === "fulfilled") {
        if (copyError !== undefined) ev.reject(copyError);
        else ev.resolve(value);
        continue;
      }
      host.rejections.markDelivered(state.error.value as unknown as number);
      const error = host.hostErrorFrom(state.error, `evaluating ${ev.name}`);
      ev.reject(error);
      // A script's promise is the host's to handle: it rejects evaluateScript(), not the loop.
      if (ev.copyValueAs === undefined) throw error;
    }
  }

  #failStalledEvaluations(): void {
    if (this.#evaluations.size === 0) return;
    const names = [...this.#evaluations].map((e) => e.name).join(", ");
    const error = new Error(
      `Module evaluation is still pending but there are no pending ops, timers or dynamic imports (${names}): a top-level await waits for something that can never happen`,
    );
    for (const ev of this.#evaluations) {
      ev.promise.dispose();
      ev.reject(error);
    }
    this.#evaluations.clear();
    throw error;
  }

  // --- phase 6: unhandled rejections -------------------------------------------------------
  /** Module evaluation promises are the host's to handle, not the guest's. */
  #checkUnhandledRejections(): void {
    const host = this.#host;
    const { engine, rejections } = host;
    for (let r = rejections.take(); r !== undefined; r = rejections.take()) {
      const { promise, reason } = r;
      if (r.delivered || this.isEvaluation(r.key)) {
        engine.free(promise);
        engine.free(reason);
        continue;
      }
      let handled = false;
      try {
        const result = host.callHelper("handleUnhandledRejection", [promise, reason]);
        if (engine.tag(result) === Tag.Exception) {
          engine.free(reason);
          throw host.hostErrorFromPtr(engine.takeException(result), "runEventLoop");
        }
        handled = engine.tag(result) === Tag.Bool && engine.payload(result) !== 0;
        engine.free(result);
      } finally {
        engine.free(promise);
      }
      if (handled) {
        engine.free(reason);
        continue;
      }
      rejections.endCheck();
      const error = host.hostErrorFromPtr(reason, "runEventLoop");
      if (error instanceof GuestError) {
        throw new GuestError(error.name, `Uncaught (in promise) ${error.message}`, error.guestStack, error.thrown);
      }
      throw error;
    }
    rejections.endCheck();
  }

  #check(result: Ptr, where: string): void {
    const { engine } = this.#host;
    if (engine.tag(result) === Tag.Exception) {
      throw this.#host.hostErrorFromPtr(engine.takeException(result), where);
    }
    engine.free(result);
  }
}
