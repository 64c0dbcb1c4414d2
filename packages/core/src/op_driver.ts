/**
 * The op driver: owns every in-flight async op (deno_core's `OpDriver`).
 *
 * `submit` starts an op's host promise and hands back the promise id the
 * guest waits on; when the host promise settles, its result is queued here
 * until the event loop delivers it to the guest (`deliverBatch`).
 *
 * Invariants:
 * - An entry leaves the queue only after its delivery returned: a delivery
 *   that throws (an interrupt, a fault) leaves it queued, so nothing is dropped
 *   silently. Delivering an id twice is harmless: the guest settles each id once.
 * - `cancelAll` is the one place entries are discarded on purpose (a call that
 *   failed, dispose); their host promises keep running but their results are
 *   ignored when they arrive.
 */

export interface CompletedOp {
  readonly id: number;
  /** The op's name, for errors about its result. */
  readonly name: string;
  readonly ok: boolean;
  readonly value: unknown;
}

export class OpDriver {
  #nextId = 1;
  /** In-flight ops (host promise not settled yet): id → op name. */
  readonly #inFlight = new Map<number, string>();
  /** Settled on the host, not yet delivered to the guest; oldest first. */
  readonly #completed: CompletedOp[] = [];
  #closed = false;

  constructor(
    private readonly maxPending: number,
    private readonly onCompleted: () => void,
  ) {}

  /** Ops started and not yet settled on the host. */
  get pendingCount(): number {
    return this.#inFlight.size;
  }
  /** Whether results are waiting to be delivered. */
  get hasCompleted(): boolean {
    return this.#completed.length > 0;
  }

  /** Starts an async op; returns the id its guest promise is keyed by. */
  submit(name: string, start: () => unknown): number {
    if (this.#closed) throw new Error(`${name}: the runtime was disposed`);
    if (this.#inFlight.size >= this.maxPending) {
      throw new RangeError(`${name}: too many pending async ops (the sandbox allows ${this.maxPending})`);
    }
    const id = this.#nextId++;
    const promise = start();
    this.#inFlight.set(id, name);
    Promise.resolve(promise).then(
      (value) => this.#complete(id, true, value),
      (error) => this.#complete(id, false, error),
    );
    return id;
  }

  /**
   * Delivers the oldest queued results, at most `batchSize` of them. `deliver`
   * may throw; the batch it was given then stays queued.
   */
  deliverBatch(batchSize: number, deliver: (batch: readonly CompletedOp[]) => void): void {
    const batch = this.#completed.slice(0, batchSize);
    if (batch.length === 0) return;
    deliver(batch);
    this.#completed.splice(0, batch.length);
  }

  /** Forgets every in-flight and queued op: later host results are ignored. */
  cancelAll(): void {
    this.#inFlight.clear();
    this.#completed.length = 0;
  }

  /** After dispose: nothing new starts and nothing arriving is kept. */
  close(): void {
    this.#closed = true;
    this.cancelAll();
  }

  #complete(id: number, ok: boolean, value: unknown): void {
    const name = this.#inFlight.get(id);
    if (name === undefined) return;
    this.#inFlight.delete(id);
    this.#completed.push({ id, name, ok, value });
    this.onCompleted();
  }
}
