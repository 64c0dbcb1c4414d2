/**
 * The lifetime of one call into the runtime, for host work that call starts.
 *
 * A call runs guest code to completion: it ends when `runtime.runEventLoop()`
 * settles — resolved (nothing is pending any more) or rejected (an uncaught
 * error, an interrupt, a fault) — and when the runtime is disposed. Ops read
 * `state.get(CallScope).signal` when they start host work and stop it when
 * that signal aborts.
 *
 * Invariant: host work a call started does not outlive the call. A fetch in
 * flight when a run is interrupted is aborted (its request is not sent later),
 * a permission prompt still waiting is cancelled, and a response body the
 * program never read releases its rid, so a sandbox that makes many calls
 * does not collect resources it can no longer use.
 */
export class CallScope {
  /** The current call's, made when host work first asks: most calls start none. */
  #controller: AbortController | undefined;

  /** Aborts when the current call ends; each call gets a fresh one. */
  get signal(): AbortSignal {
    this.#controller ??= new AbortController();
    return this.#controller.signal;
  }

  /** Ends the current call (its signal aborts with `reason`, if anything holds it) and starts the next. */
  end(reason: string): void {
    const ended = this.#controller;
    this.#controller = undefined;
    ended?.abort(new CallEnded(reason));
  }
}

/** The abort reason of a call's signal. */
export class CallEnded extends Error {
  override name = "AbortError";
}
