/**
 * Per-runtime limits: guest heap, guest stack, CPU time per run, caps on
 * pending async ops and timers.
 */
export interface Limits {
  /** Hard cap on the guest heap; the wasm memory is fixed at this plus a small headroom. */
  memoryBytes: number;
  /** QuickJS's stack limit. Kept well below the host's stack so deep recursion fails in the guest. */
  stackBytes: number;
  /** CPU time the guest may use per `executeScript` / `runEventLoop` / `evaluateModule` call; 0 = none. */
  cpuMs: number;
  maxPendingOps: number;
  maxTimers: number;
  /** Open resources (rids) at once: response bodies, streaming decoders… */
  maxResources: number;
}

export const DEFAULT_LIMITS: Readonly<Limits> = Object.freeze({
  memoryBytes: 64 << 20,
  stackBytes: 256 << 10,
  cpuMs: 0,
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

/**
 * CPU budget for one run. Time counts only while guest code runs (between
 * `enter` and `exit`), not while the loop waits for host I/O or timers.
 */
export class CpuBudget {
  #remaining = Number.POSITIVE_INFINITY;
  #deadline = Number.POSITIVE_INFINITY;
  #enteredAt = 0;
  #depth = 0;
  /** Set when the interrupt handler fired during this run. */
  tripped = false;
  /** A host-requested stop (e.g. a Stop button); checked by the interrupt handler. */
  stopRequested = false;

  reset(cpuMs: number): void {
    this.#remaining = cpuMs > 0 ? cpuMs : Number.POSITIVE_INFINITY;
    this.tripped = false;
    this.stopRequested = false;
  }
  enter(): void {
    if (this.#depth++ === 0) {
      this.#enteredAt = now();
      this.#deadline = this.#enteredAt + this.#remaining;
    }
  }
  exit(): void {
    if (--this.#depth === 0) {
      this.#remaining -= now() - this.#enteredAt;
      this.#deadline = Number.POSITIVE_INFINITY;
    }
  }
  /** The interrupt handler: sticky once the deadline passed, so a guest cannot outrun it. */
  shouldInterrupt(): boolean {
    if (this.tripped) return true;
    if (this.stopRequested || now() > this.#deadline) this.tripped = true;
    return this.tripped;
  }
}
