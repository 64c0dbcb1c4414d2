/**
 * Host side of timers: when each guest timer is due. The guest keeps the
 * callbacks (js/01_core.ts); the event loop fires due ids in order of
 * (deadline, creation), the order HTML requires for equal deadlines.
 */
export interface Timer {
  id: number;
  deadline: number;
  refed: boolean;
}

export class TimerQueue {
  readonly #timers = new Map<number, Timer>();
  #nextId = 1;
  constructor(private readonly maxTimers: number) {}

  start(delayMs: unknown, refed: boolean, now: number): number {
    if (this.#timers.size >= this.maxTimers) {
      throw new RangeError(`Too many timers: the sandbox allows ${this.maxTimers} at once`);
    }
    let delay = typeof delayMs === "number" ? delayMs : Number(delayMs);
    if (!(delay >= 0) || !Number.isFinite(delay)) delay = 0;
    const id = this.#nextId++;
    this.#timers.set(id, { id, deadline: now + delay, refed });
    return id;
  }
  cancel(id: number): void {
    this.#timers.delete(id);
  }
  ref(id: number, refed: boolean): void {
    const t = this.#timers.get(id);
    if (t) t.refed = refed;
  }
  /** Removes and returns the ids due at `now`, ordered by deadline then id. */
  takeDue(now: number): number[] {
    if (this.#timers.size === 0) return [];
    const due: Timer[] = [];
    for (const t of this.#timers.values()) if (t.deadline <= now) due.push(t);
    due.sort((a, b) => a.deadline - b.deadline || a.id - b.id);
    for (const t of due) this.#timers.delete(t.id);
    return due.map((t) => t.id);
  }
  /** Earliest deadline among timers that keep the loop alive (or all timers, if `anyRef` is false). */
  nextDeadline(): number | undefined {
    let next: number | undefined;
    for (const t of this.#timers.values()) if (next === undefined || t.deadline < next) next = t.deadline;
    return next;
  }
  hasRefed(): boolean {
    for (const t of this.#timers.values()) if (t.refed) return true;
    return false;
  }
  get size(): number {
    return this.#timers.size;
  }
  clear(): void {
    this.#timers.clear();
  }
}
