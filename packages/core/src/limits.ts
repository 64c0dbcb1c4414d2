/**
 * Per-runtime limits: guest heap, guest stack, CPU and wall-clock time per
 * call, caps on pending async ops, timers and resources; and the per-call
 * {@link RunBudget} that enforces the time limits, the host's stop request
 * and the end of a call that ran out of memory.
 */
export interface Limits {
  /** Hard cap on the guest heap; the wasm memory is fixed at this plus a small headroom. */
  memoryBytes: number;
  /** QuickJS's stack limit. Kept well below the host's stack so deep recursion fails in the guest. */
  stackBytes: number;
  /** CPU time the guest may use per `executeScript` / `evaluateScript` / `evaluateModule` / `runEventLoop` call; 0 = none. */
  cpuMs: number;
  /** Wall-clock time each of those calls may take, waiting included; 0 = none (the default in core). */
  wallMs: number;
  maxPendingOps: number;
  maxTimers: number;
  /** Open resources (rids) at once: response bodies, streaming decoders… */
  maxResources: number;
}

export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  memoryBytes: 64 << 20,
  stackBytes: 256 << 10,
  cpuMs: 0,
  wallMs: 0,
  maxPendingOps: 10_000,
  maxTimers: 10_000,
  maxResources: 10_000,
});

const MAX_MEMORY_BYTES = 2 ** 31;
const MIN_MEMORY_BYTES = 4 << 20;
const MAX_STACK_BYTES = 1 << 20;
const MIN_STACK_BYTES = 32 << 10;

export function resolveLimits(partial: Partial<Limits> = {}): Limits {
  if (partial === null || typeof partial !== "object" || Array.isArray(partial)) {
    throw new TypeError("limits: expected an object such as { memoryBytes, cpuMs }");
  }
  const limits = { ...DEFAULT_LIMITS };
  for (const [key, value] of Object.entries(partial)) {
    if (value === undefined) continue;
    if (!(key in DEFAULT_LIMITS))
      throw new TypeError(`limits.${key}: unknown limit (expected one of ${Object.keys(DEFAULT_LIMITS).join(", ")})`);
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
      throw new RangeError(`limits.${key}: expected a non-negative finite number, got ${String(value)}`);
    }
    limits[key as keyof Limits] = Math.floor(value);
  }
  check("memoryBytes", limits.memoryBytes, MIN_MEMORY_BYTES, MAX_MEMORY_BYTES);
  check("stackBytes", limits.stackBytes, MIN_STACK_BYTES, MAX_STACK_BYTES);
  return limits;
}

function check(key: string, value: number, min: number, max: number): void {
  if (value < min || value > max) throw new RangeError(`limits.${key}: ${value} is outside ${min}..${max}`);
}

const now: () => number = () => performance.now();

/** Why a call was ended by the host. */
export type StopReason = "cpu" | "wall" | "stop" | "memory";

/**
 * The budget of one call (`executeScript`, `evaluateScript`, `evaluateModule`,
 * `runEventLoop`). CPU time counts only while guest code runs (between `enter`
 * and `exit`), not while the loop waits for host I/O or timers; wall-clock time
 * counts from `reset`. Once a reason to stop is seen it is sticky until the
 * next `reset`: the interrupt handler keeps interrupting, and the host runs no
 * further guest code in that call.
 */
export class RunBudget {
  #remaining = Number.POSITIVE_INFINITY;
  #deadline = Number.POSITIVE_INFINITY;
  #wallDeadline = Number.POSITIVE_INFINITY;
  #enteredAt = 0;
  #depth = 0;
  #reason: StopReason | undefined;
  /** When the reason was first seen, and when the host last refused an op since. */
  #trippedAt = 0;
  #refusedAt = 0;
  #stopRequested = false;

  /** `memoryExceeded` tells whether an allocation failed since it was last cleared (engine.ts). */
  constructor(private readonly memoryExceeded: () => boolean = () => false) {}

  /** `deadline`: a wall-clock deadline (`performance.now()` time) set beyond this call, the earlier one counts. */
  reset(cpuMs: number, wallMs = 0, deadline = Number.POSITIVE_INFINITY): void {
    this.#remaining = cpuMs > 0 ? cpuMs : Number.POSITIVE_INFINITY;
    this.#wallDeadline = Math.min(wallMs > 0 ? now() + wallMs : Number.POSITIVE_INFINITY, deadline);
    this.#reason = undefined;
    this.#stopRequested = false;
  }
  enter(): void {
    if (this.#depth++ === 0) {
      this.#enteredAt = now();
      this.#deadline = Math.min(this.#enteredAt + this.#remaining, this.#wallDeadline);
    }
  }
  exit(): void {
    if (--this.#depth === 0) {
      this.#remaining -= now() - this.#enteredAt;
      this.#deadline = Number.POSITIVE_INFINITY;
    }
  }
  /** Whether guest code is on the stack (between `enter` and `exit`): the host was called from inside it. */
  get inGuest(): boolean {
    return this.#depth > 0;
  }
  /** A host-requested stop (e.g. a Stop button): the current call ends with `Interrupted`. */
  requestStop(): void {
    this.#stopRequested = true;
  }
  /** Why the call was stopped, if it was. */
  get reason(): StopReason | undefined {
    return this.#reason;
  }
  get tripped(): boolean {
    return this.#reason !== undefined;
  }
  /** When the wall-clock limit ends the call (for a waiting loop's timer); +Infinity if none. */
  get wallDeadline(): number {
    return this.#wallDeadline;
  }
  /** The cheap check for an op call: only whether memory ran out (sticky, like the others). */
  checkMemory(): boolean {
    if (this.#reason === undefined && this.memoryExceeded()) this.#trip("memory");
    return this.#reason !== undefined;
  }
  /** Ends the call now (its pending work is being discarded); keeps an earlier reason. */
  forceStop(): void {
    if (this.#reason === undefined) this.#trip("stop");
  }
  /** The interrupt handler (and the host between phases): sticky once a limit was passed. */
  shouldInterrupt(): boolean {
    if (this.#reason !== undefined) return true;
    if (this.memoryExceeded()) this.#trip("memory");
    else if (this.#stopRequested) this.#trip("stop");
    else if (now() > this.#deadline) this.#trip(this.#deadline === this.#wallDeadline ? "wall" : "cpu");
    else if (now() > this.#wallDeadline) this.#trip("wall");
    return this.#reason !== undefined;
  }
  #trip(reason: StopReason): void {
    this.#reason = reason;
    this.#trippedAt = now();
  }
  /**
   * Whether guest code is running (inside `enter`/`exit`) although the call
   * should have stopped more than `graceMs` ago: QuickJS's own interrupt
   * check had its chance and the engine is still busy, inside a built-in
   * (the loop meter's question, wasm_fuel.ts).
   */
  overdue(graceMs: number): boolean {
    return this.#depth > 0 && this.shouldInterrupt() && now() - Math.max(this.#trippedAt, this.#refusedAt) > graceMs;
  }
  /**
   * The host refused an op of the stopped call: the engine is not stuck in a
   * built-in but running guest code, which catches the refusal — QuickJS's own
   * check (every 10 000 bytecodes, however slow each) ends it.
   */
  refusedOp(): void {
    this.#refusedAt = now();
  }
}
