/**
 * A pool of warm sandboxes: each has its worker started and its runtime
 * created, so `acquire()` answers at once. A sandbox is handed out once and
 * never returned to the pool (no state leaks from one client to the next).
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
    this.#fill();
    await next.ready;
    next.sandbox.onConsole = options.onConsole ?? this.#options.onConsole;
    next.sandbox.onStatus = options.onStatus ?? this.#options.onStatus;
    return next.sandbox;
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
    const sandbox = new Sandbox({ ...this.#options, onConsole: undefined, onStatus: undefined });
    const ready = sandbox.start();
    ready.catch(() => {});
    return { sandbox, ready };
  }
}

export function createSandboxPool(options: SandboxPoolOptions): SandboxPool {
  return new SandboxPool(options);
}

export type { PermissionRequest };
