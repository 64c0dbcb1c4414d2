/**
 * A pool of warm sandboxes: each has its worker started and its runtime
 * created, so `acquire()` answers at once. A client that is done hands its
 * sandbox back with `release()`: the worker resets its runtime to the
 * snapshot in place (nothing of that client's runs remains) and the sandbox is
 * ready for the next `acquire()` — a message, not a bootstrap. A sandbox never
 * released stays with its client.
 */
import type { ConsoleEntry, PermissionRequest } from "./protocol.ts";
import { Sandbox, type SandboxOptions, type SandboxStatus } from "./sandbox.ts";

export interface SandboxPoolOptions extends SandboxOptions {
  /** How many warm sandboxes to keep ready. */
  size: number;
}

/** Per-client callbacks, set when a sandbox is handed out. */
export interface AcquireOptions {
  onConsole?: (entry: ConsoleEntry) => void;
  onStatus?: (status: SandboxStatus) => void;
}

export class SandboxPool {
  readonly size: number;
  readonly #options: SandboxOptions;
  readonly #warm: { sandbox: Sandbox; ready: Promise<void> }[] = [];
  #disposed = false;

  constructor(options: SandboxPoolOptions) {
    const { size, ...rest } = options;
    if (!Number.isInteger(size) || size < 1 || size > 64)
      throw new RangeError(`createSandboxPool: size must be an integer in 1..64, got ${String(size)}`);
    this.size = size;
    this.#options = rest;
    for (let i = 0; i < size; i++) this.#fill();
  }

  /** Warm sandboxes ready or starting now. */
  get available(): number {
    return this.#warm.length;
  }

  /** Hands out a warm sandbox (starting a new one if the pool is empty) and refills the pool. */
  async acquire(options: AcquireOptions = {}): Promise<Sandbox> {
    if (this.#disposed) throw new Error("pool.acquire: the pool was disposed");
    const next = this.#warm.shift() ?? this.#start();
    // The replacement starts after this hand-out: starting a worker takes the page's thread for a while.
    setTimeout(() => this.#fill(), 0);
    await next.ready;
    next.sandbox.onConsole = options.onConsole ?? this.#options.onConsole;
    next.sandbox.onStatus = options.onStatus ?? this.#options.onStatus;
    return next.sandbox;
  }

  /**
   * Takes a sandbox back: it is reset in place (its runtime copied back to
   * the snapshot: no global, module, timer or resource of the client's runs
   * remains) and waits for the next `acquire()`, first in line; when the pool
   * is full, the warm sandbox started last makes room. Once the pool is
   * disposed, it is terminated instead. Resolves when it is
   * ready again; the client must not use it after releasing it.
   */
  async release(sandbox: Sandbox): Promise<void> {
    if (!(sandbox instanceof Sandbox)) throw new TypeError("pool.release: expected a sandbox from this pool");
    sandbox.onConsole = undefined;
    sandbox.onStatus = undefined;
    if (this.#disposed || sandbox.status().state === "terminated") {
      sandbox.terminate();
      return;
    }
    // A released sandbox is worth more than one still starting: it takes the newest one's place.
    if (this.#warm.length >= this.size) this.#warm.pop()?.sandbox.terminate();
    const ready = sandbox.reset();
    ready.catch(() => {});
    const entry = { sandbox, ready };
    this.#warm.unshift(entry);
    try {
      await ready;
    } catch (error) {
      // A sandbox that cannot be reset leaves the pool; a fresh one takes its place.
      const at = this.#warm.indexOf(entry);
      if (at >= 0) this.#warm.splice(at, 1);
      sandbox.terminate();
      this.#fill();
      throw error;
    }
  }

  /** Terminates the warm sandboxes; handed-out ones stay with their clients. */
  dispose(): void {
    this.#disposed = true;
    for (const { sandbox } of this.#warm.splice(0)) sandbox.terminate();
  }

  #fill(): void {
    while (!this.#disposed && this.#warm.length < this.size) this.#warm.push(this.#start());
  }

  #start(): { sandbox: Sandbox; ready: Promise<void> } {
    // Its own warm sandboxes: no spare worker besides.
    const sandbox = new Sandbox({ ...this.#options, onConsole: undefined, onStatus: undefined, spare: false });
    const ready = sandbox.start();
    ready.catch(() => {});
    return { sandbox, ready };
  }
}

export function createSandboxPool(options: SandboxPoolOptions): SandboxPool {
  return new SandboxPool(options);
}

export type { PermissionRequest };
