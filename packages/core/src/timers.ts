/**
 * Host side of timers: when each guest timer is due. The guest keeps the
 * callbacks (js/01_core.ts); the event loop fires due ids in order of
 * (deadline, creation), the order HTML requires for equal deadlines.
 *
 * Timers sit in a binary min-heap keyed by (deadline, id), so starting a timer
 * and taking the due ones cost O(log n) each, not a scan of every timer per
 * loop turn. A cancelled timer leaves the map at once and its heap entry is
 * skipped when it reaches the top (lazy deletion).
 */
export interface Timer {
  id: number;
  deadline: number;
  refed: boolean;
}

function before(a: Timer, b: Timer): boolean {
  return a.deadline < b.deadline || (a.deadline === b.deadline && a.id < b.id);
}

export class TimerQueue {
  readonly #timers = new Map<number, Timer>();
  readonly #heap: Timer[] = [];
  #refed = 0;
  #nextId = 1;
  constructor(private readonly maxTimers: number) {}

  start(delayMs: unknown, refed: boolean, now: number): number {
    if (this.#timers.size >= this.maxTimers) {
      throw new RangeError(`Too many timers: the sandbox allows ${this.maxTimers} at once`);
    }
    let delay = typeof delayMs === "number" ? delayMs : Number(delayMs);
    if (!(delay >= 0) || !Number.isFinite(delay)) delay = 0;
    const id = this.#nextId++;
    const timer = { id, deadline: now + delay, refed };
    this.#timers.set(id, timer);
    if (refed) this.#refed++;
    this.#push(timer);
    return id;
  }
  cancel(id: number): void {
    const t = this.#timers.get(id);
    if (t === undefined) return;
    this.#timers.delete(id);
    if (t.refed) this.#refed--;
    // Keep the heap from holding only dead entries when a program cancels in bulk.
    if (this.#heap.length > 64 && this.#heap.length > 2 * this.#timers.size) this.#rebuild();
  }
  ref(id: number, refed: boolean): void {
    const t = this.#timers.get(id);
    if (t === undefined || t.refed === refed) return;
    t.refed = refed;
    this.#refed += refed ? 1 : -1;
  }
  /** Removes and returns the ids due at `now`, ordered by deadline then id. */
  takeDue(now: number): number[] {
    const due: number[] = [];
    for (let top = this.#top(); top !== undefined && top.deadline <= now; top = this.#top()) {
      this.#pop();
      this.#timers.delete(top.id);
      if (top.refed) this.#refed--;
      due.push(top.id);
    }
    return due;
  }
  /** Earliest deadline among all live timers (ref'd or not). */
  nextDeadline(): number | undefined {
    return this.#top()?.deadline;
  }
  hasRefed(): boolean {
    return this.#refed > 0;
  }
  get size(): number {
    return this.#timers.size;
  }
  clear(): void {
    this.#timers.clear();
    this.#heap.length = 0;
    this.#refed = 0;
  }

  /** The earliest live timer, dropping cancelled entries from the top. */
  #top(): Timer | undefined {
    for (;;) {
      const top = this.#heap[0];
      if (top === undefined || this.#timers.get(top.id) === top) return top;
      this.#pop();
    }
  }
  #push(timer: Timer): void {
    const heap = this.#heap;
    let i = heap.push(timer) - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = heap[parent] as Timer;
      if (!before(timer, p)) break;
      heap[i] = p;
      i = parent;
    }
    heap[i] = timer;
  }
  #pop(): void {
    const heap = this.#heap;
    const last = heap.pop() as Timer;
    if (heap.length === 0) return;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= heap.length) break;
      const r = l + 1;
      const child = r < heap.length && before(heap[r] as Timer, heap[l] as Timer) ? r : l;
      if (!before(heap[child] as Timer, last)) break;
      heap[i] = heap[child] as Timer;
      i = child;
    }
    heap[i] = last;
  }
  #rebuild(): void {
    const live = [...this.#timers.values()];
    this.#heap.length = 0;
    for (const t of live) this.#push(t);
  }
}
