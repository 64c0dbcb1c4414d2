/**
 * Page side: a `Sandbox` owns one dedicated module worker at a time.
 *
 * It never rejects for guest faults: every call resolves with a `RunResult`.
 * `limits.wallMs` is enforced inside the worker by core (the call ends with
 * `Interrupted`, the worker lives on; a long native built-in is stopped there by
 * core's loop meter); when the worker still has not answered {@link KILL_GRACE_MS}
 * later (wedged some other way) the page terminates it, reports `Terminated`, and
 * the next call starts a fresh worker.
 *
 * The worker talks back only through {@link WorkerMessage}s on one
 * MessagePort (protocol.ts), validated here: console entries, host calls and
 * permission questions. A `run`/`eval` resolves after every console entry it
 * produced was handed to `onConsole`.
 */
import * as Comlink from "comlink";
import { dropStoredImage, LOOKUP_MS, storedImage, storeImage } from "./image_store.ts";
import { startWorker } from "./locate.ts";
import {
  type ConsoleEntry,
  type ConsoleValue,
  type HostCallResult,
  type PageMessage,
  type PermissionRequest,
  PROTOCOL_VERSION,
  type RunRequest,
  type RunResult,
  type SandboxLimits,
  type SandboxPermissions,
  validateHostName,
  validateInitReply,
  validateInspectReply,
  validateLimits,
  validateLocation,
  validatePermissions,
  validateReply,
  validateRunRequest,
  validateWorkerMessage,
  type WorkerApi,
  type WorkerReply,
} from "./protocol.ts";
import { offerSpare, SPARE_DELAY_MS, type SpareKind, takeSpare } from "./spare.ts";
import { loadQuickJSModule, type WasmSource, wasmSourceKey } from "./wasm.ts";

// biome-ignore lint/suspicious/noExplicitAny: host functions take and return anything structured-cloneable
export type HostFunction = (...args: any[]) => unknown;

export interface SandboxOptions {
  /**
   * The QuickJS release `.wasm`: a compiled module or its URL (compiled once per
   * page). Default: `setDefaultWasm()`'s, else the `.wasm` shipped with this package.
   */
  wasm?: WasmSource;
  /** The worker script; default: the one shipped with this package (bundlers emit it). */
  workerUrl?: string | URL;
  limits?: SandboxLimits;
  permissions?: SandboxPermissions;
  /** Functions the guest may call as `host.name(...)` / `import { name } from "islet:host"`. */
  host?: Record<string, HostFunction>;
  /**
   * The sandbox's base URL, an absolute `http:` or `https:` URL (`@islet/web`'s
   * `web({ location })`, Deno's `--location`): the guest sees it as `location`, and relative
   * `fetch`/`Request` URLs resolve against it. It grants nothing: fetching it still needs
   * `permissions.net`. Without it there is no `location` and a relative URL is a `TypeError`.
   */
  location?: string | URL;
  onConsole?: (entry: ConsoleEntry) => void;
  onStatus?: (status: SandboxStatus) => void;
  /**
   * Asked when a request is neither allowed nor denied by `permissions`. No callback: denied.
   * Asked once per kind and target, at most 16 at a time (the sandbox's core dedupes and caps).
   * `context.signal` aborts when the prompt is cancelled — the call that asked ended (a limit,
   * an uncaught error), `terminate()`, `restart()`, or the worker being killed — so a dialog can
   * close itself; an answer after that is ignored.
   */
  onPermissionRequest?: (request: PermissionRequest, context: { signal: AbortSignal }) => boolean | Promise<boolean>;
  /**
   * `false`: this sandbox neither takes a spare worker nor leaves one for the next
   * sandbox of its kind (spare.ts) — for hosts that keep their own warm sandboxes, as
   * `createSandboxPool` and `<islet-run>` do. Default: it does.
   */
  spare?: boolean;
}

export type SandboxState = "idle" | "running" | "interrupted" | "crashed" | "terminated";

export interface SandboxStatus {
  state: SandboxState;
  /** Wall time of the current call (running) or the last one. */
  elapsedMs: number;
  /** Guest heap bytes in use after the last call. */
  memoryUsed: number;
  /** Workers this sandbox started (1 + restarts and kills). */
  workers: number;
}

/** Default wall-clock limit per call (core ends the call with `Interrupted`). */
export const DEFAULT_WALL_MS = 30_000;
/** How long after `wallMs` a worker that has not answered is terminated (the backstop). */
export const KILL_GRACE_MS = 1_000;
/** How long a new worker may take to start its runtime. */
const STARTUP_MS = 30_000;
/** Default CPU limit per call inside the worker. */
export const DEFAULT_CPU_MS = 5_000;

/**
 * `sandbox.inspect` of a value the sandbox no longer keeps: the run that
 * logged it ended (a later call, a reset), later logs pushed it out, or the
 * worker that logged it is gone (terminated, restarted, killed). A page shows
 * it as "value no longer available".
 */
export class ConsoleValueUnavailable extends Error {
  override name = "ConsoleValueUnavailable";
}

/** Why the page ended a worker; calls it ends say so. */
type KillReason = "terminated" | "restarted" | "wallMs" | "startup" | "crashed";

interface Live {
  /** This worker's number in the sandbox (1, 2, … as it restarts): the first part of its console handles. */
  no: number;
  worker: Worker;
  remote: Comlink.Remote<WorkerApi>;
  /** The page's end of the worker → page channel. */
  events: MessagePort;
  ready: Promise<void>;
  /** Settles when the page kills this worker: calls in flight end at once instead of at their deadline. */
  killed: Promise<KillReason>;
  kill: (reason: KillReason) => void;
  /** `console` messages received from this worker. */
  consoleSeen: number;
  /** Calls waiting for console messages still in flight: resolved once `consoleSeen` reaches `seq`. */
  consoleWaiters: { seq: number; resolve: () => void }[];
  /** Aborted when this worker is killed: cancels the page's pending permission prompts. */
  prompts: AbortController;
  /** Prompts waiting for the page's answer, by message id; the worker may cancel one. */
  promptsById: Map<number, AbortController>;
}

/**
 * Images of bootstrapped runtimes, made by a page's first worker of each kind
 * and handed to the next ones (which restore instead of bootstrapping): per
 * compiled module, then per memory limit and host-function list — what the
 * worker's extensions depend on. A worker refuses an image that does not fit
 * and bootstraps instead, so this is only ever a shortcut.
 */
const images = new WeakMap<WebAssembly.Module, Map<string, object | "making">>();

export class Sandbox {
  onConsole: ((entry: ConsoleEntry) => void) | undefined;
  onStatus: ((status: SandboxStatus) => void) | undefined;
  readonly #options: SandboxOptions;
  readonly #limits: SandboxLimits;
  readonly #permissions: SandboxPermissions;
  readonly #location: string | undefined;
  readonly #host: Map<string, HostFunction>;
  #live: Live | undefined;
  #status: SandboxStatus = { state: "idle", elapsedMs: 0, memoryUsed: 0, workers: 0 };
  #terminated = false;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: SandboxOptions = {}) {
    this.#options = options;
    this.#limits = validateLimits("createSandbox", options.limits);
    this.#permissions = validatePermissions("createSandbox", options.permissions);
    this.#location = validateLocation("createSandbox", options.location);
    if (options.spare !== undefined && typeof options.spare !== "boolean")
      throw new TypeError(`createSandbox: spare must be true or false, got ${String(options.spare)}`);
    this.#host = new Map();
    for (const [name, fn] of Object.entries(options.host ?? {})) {
      if (typeof fn !== "function") throw new TypeError(`createSandbox: host.${name} must be a function`);
      this.#host.set(validateHostName("createSandbox", name), fn);
    }
    this.onConsole = options.onConsole;
    this.onStatus = options.onStatus;
  }

  /** Starts the worker and its runtime now (createSandbox awaits this). A worker that fails to start is ended. */
  start(): Promise<void> {
    const live = this.#ensureLive();
    // Killed while starting (terminate() or restart() meanwhile): settle now, not never.
    return Promise.race([live.ready.then(() => undefined), live.killed]).then(
      (killed) => {
        if (killed !== undefined) throw new Error(`sandbox.start: ${killMessage(killed, this.#limits)}`);
      },
      (error: unknown) => {
        if (this.#live === live) this.#kill("crashed");
        throw error;
      },
    );
  }

  /** Evaluates `files` from `entry` in this sandbox; globals persist unless `fresh`. */
  run(request: RunRequest): Promise<RunResult> {
    let checked: RunRequest;
    try {
      checked = validateRunRequest("sandbox.run", request);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#call("run", (remote) => remote.run(checked));
  }

  /** Evaluates `code` as a classic script; `value` is its completion value. */
  eval(code: string): Promise<RunResult> {
    if (typeof code !== "string") return Promise.reject(new TypeError("sandbox.eval: code must be a string"));
    return this.#call("eval", (remote) => remote.eval(code));
  }

  /** The guest's open resources. Rejects if the worker is killed or restarted before it answers. */
  async resources(): Promise<{ rid: number; name: string }[]> {
    this.#assertOpen("resources");
    const live = this.#ensureLive();
    const answer = await Promise.race([live.ready.then(() => live.remote.resources()), live.killed]);
    if (typeof answer === "string") throw new Error(`sandbox.resources: ${killMessage(answer, this.#limits)}`);
    if (!Array.isArray(answer)) throw new TypeError("sandbox.resources: malformed reply from the worker");
    return answer
      .filter((r) => typeof r?.rid === "number" && typeof r?.name === "string")
      .map((r) => ({ rid: r.rid, name: r.name }));
  }

  /**
   * Reads the entries of a console value the preview cut off
   * (`ConsoleValue.unexpanded`, by its `handle`): its preview tree, as deep
   * again, with handles where it is cut off again. No guest code runs (no
   * getter, no `toString`); it waits for a call in flight. Rejects with
   * {@link ConsoleValueUnavailable} when the value is no longer kept — the next
   * `run`/`eval` and `reset()` release the values of the calls before, and a
   * terminated or restarted worker takes its values with it.
   */
  async inspect(handle: string): Promise<ConsoleValue> {
    if (typeof handle !== "string")
      throw new TypeError("sandbox.inspect: handle must be a ConsoleValue's handle string");
    const dot = handle.indexOf(":");
    const no = Number(handle.slice(0, dot));
    if (dot < 1 || !Number.isSafeInteger(no))
      throw new TypeError(`sandbox.inspect: ${JSON.stringify(handle.slice(0, 60))} is not a console value's handle`);
    const live = this.#live;
    if (this.#terminated || live === undefined || live.no !== no)
      throw new ConsoleValueUnavailable(
        `sandbox.inspect: value no longer available (${this.#terminated ? "the sandbox was terminated" : "the worker that logged it was terminated or restarted"})`,
      );
    const answer = await Promise.race([
      live.ready.then((): Promise<unknown> => live.remote.inspect(handle.slice(dot + 1))).then(validateInspectReply),
      live.killed,
    ]);
    if (typeof answer === "string")
      throw new ConsoleValueUnavailable(
        `sandbox.inspect: value no longer available (${killMessage(answer, this.#limits)})`,
      );
    if (!answer.ok) {
      if (answer.reason === "unavailable") throw new ConsoleValueUnavailable(`sandbox.inspect: ${answer.message}`);
      throw new Error(`sandbox.inspect: ${answer.message}`);
    }
    tagHandles(answer.value, live.no);
    return answer.value;
  }

  status(): SandboxStatus {
    return { ...this.#status };
  }

  /**
   * Returns the sandbox to the state it started in, in place: the worker's
   * runtime is reset to its snapshot (a memory copy), so no global, module,
   * timer or resource of earlier runs remains. Queued after calls already made.
   */
  reset(): Promise<void> {
    try {
      this.#assertOpen("reset");
    } catch (error) {
      return Promise.reject(error);
    }
    const next = this.#queue.then(async () => {
      const live = this.#ensureLive();
      const answer = await Promise.race([
        live.ready.then(() => live.remote.reset()).then(() => "done" as const),
        live.killed,
      ]);
      if (answer !== "done") throw new Error(`sandbox.reset: ${killMessage(answer, this.#limits)}`);
    });
    this.#queue = next.catch(() => {});
    return next;
  }

  /** Ends the worker for good; later calls reject. */
  terminate(): void {
    this.#terminated = true;
    this.#kill("terminated");
    this.#setStatus({ state: "terminated" });
  }

  /** Drops the worker and every global in it; the next call starts a fresh one. */
  async restart(): Promise<void> {
    this.#assertOpen("restart");
    this.#kill("restarted");
    this.#setStatus({ state: "idle", memoryUsed: 0 });
    await this.start();
  }

  get terminated(): boolean {
    return this.#terminated;
  }

  // ---------------------------------------------------------------------------------------

  #assertOpen(api: string): void {
    if (this.#terminated) throw new Error(`sandbox.${api}: the sandbox was terminated`);
  }

  #call(api: string, fn: (remote: Comlink.Remote<WorkerApi>) => Promise<WorkerReply>): Promise<RunResult> {
    try {
      this.#assertOpen(api);
    } catch (error) {
      return Promise.reject(error);
    }
    const next = this.#queue.then(() => this.#callNow(fn));
    this.#queue = next.catch(() => {});
    return next;
  }

  async #callNow(fn: (remote: Comlink.Remote<WorkerApi>) => Promise<WorkerReply>): Promise<RunResult> {
    if (this.#terminated) return terminatedResult(killMessage("terminated", this.#limits));
    const live = this.#ensureLive();
    const start = performance.now();
    this.#setStatus({ state: "running", elapsedMs: 0 });
    // Starting a worker has its own deadline; `wallMs` counts from when the call is sent.
    const started = await withDeadline(
      Promise.race([live.ready.then(() => "ready" as const, workerFailure), live.killed]),
      STARTUP_MS,
    );
    if (started === "timeout") return this.#afterKill(live, start, "startup");
    if (typeof started === "object") return this.#afterKill(live, start, "crashed", started);
    if (started !== "ready") return this.#afterKill(live, start, started);
    // Core ends the call at `wallMs` itself; this deadline is only for a worker that cannot answer.
    const wallMs = this.#limits.wallMs ?? DEFAULT_WALL_MS;
    const answer = await withDeadline(
      Promise.race([fn(live.remote).then(validateReply, workerFailure), live.killed]),
      wallMs + KILL_GRACE_MS,
    );
    if (answer === "timeout") return this.#afterKill(live, start, "wallMs");
    if (typeof answer === "string") return this.#afterKill(live, start, answer);
    // Every console entry of this call is on its way (one ordered port): deliver them first.
    await Promise.race([this.#consoleReached(live, answer.consoleSeq), live.killed]);
    const { result, memoryUsed, crashed } = answer;
    if (this.#live !== live) {
      // Killed (terminate/restart) while the last entries were delivered: the call itself finished.
      return result;
    }
    // A crashed runtime or a dead worker is replaced on the next call. A limit that had to stop
    // the engine inside a built-in also discards the runtime, but the worker made a new one and is sound.
    const limitStop = !result.ok && (result.reason === "interrupted" || result.reason === "memory");
    if (crashed && !limitStop) this.#kill("crashed");
    const state =
      crashed && !limitStop ? "crashed" : !result.ok && result.reason === "interrupted" ? "interrupted" : "idle";
    this.#setStatus({ state, elapsedMs: performance.now() - start, memoryUsed });
    return result;
  }

  #consoleReached(live: Live, seq: number): Promise<void> {
    if (live.consoleSeen >= seq) return Promise.resolve();
    return new Promise((resolve) => live.consoleWaiters.push({ seq, resolve }));
  }

  /** The worker was killed (or is killed now): the call ends with `Terminated`, or with the failure that ended it. */
  #afterKill(live: Live, start: number, reason: KillReason, failure?: WorkerReply): RunResult {
    if (this.#live === live) this.#kill(reason);
    const elapsedMs = performance.now() - start;
    if (failure !== undefined) {
      this.#setStatus({ state: "crashed", elapsedMs, memoryUsed: 0 });
      return failure.result;
    }
    // A call ended by restart() leaves the new worker's status alone.
    if (reason !== "restarted" && reason !== "terminated")
      this.#setStatus({ state: "terminated", elapsedMs, memoryUsed: 0 });
    return terminatedResult(killMessage(reason, this.#limits));
  }

  #ensureLive(): Live {
    if (this.#live !== undefined) return this.#live;
    const hostFunctions = [...this.#host.keys()];
    // The location is read at bootstrap (the guest's `location`), so an image is made for one.
    const imageKey = JSON.stringify([this.#limits.memoryBytes ?? null, hostFunctions, this.#location ?? null]);
    const kind = this.#options.spare === false ? undefined : this.#spareKind(imageKey);
    const spare = kind === undefined ? undefined : takeSpare(kind);
    const worker = spare?.worker ?? startWorker(this.#options.workerUrl);
    const remote = spare?.remote ?? Comlink.wrap<WorkerApi>(worker);
    const channel = new MessageChannel();
    let kill: (reason: KillReason) => void = () => {};
    const killed = new Promise<KillReason>((resolve) => {
      kill = resolve;
    });
    const { wasm, workerUrl } = this.#options;
    // Looked up at once, beside the module's compile: an image an earlier page load kept.
    const stored = spare === undefined ? storedImage(wasm, workerUrl, imageKey) : Promise.resolve(undefined);
    const ready = loadQuickJSModule(wasm).then(async (wasmModule) => {
      let forModule = images.get(wasmModule);
      if (forModule === undefined) {
        forModule = new Map();
        images.set(wasmModule, forModule);
      }
      let cached = forModule.get(imageKey);
      // The page has none of this kind yet: one kept by an earlier page load, which the worker
      // checks (makeSnapshot below: it bootstraps and returns its own when that one does not fit).
      const lookup = cached === undefined ? await withDeadline(stored, LOOKUP_MS) : undefined;
      const fromStore = lookup === "timeout" ? undefined : lookup;
      cached = forModule.get(imageKey) ?? fromStore;
      const snapshot = cached === "making" ? undefined : cached;
      // A spare that warmed up restores its own copy of the image; one that failed starts as any worker.
      const prepared =
        spare !== undefined &&
        (await spare.prepared.then(
          () => true,
          () => false,
        ));
      // One worker per kind makes the image; the others started meanwhile bootstrap without one.
      const makeSnapshot = !prepared && (cached === undefined || cached === fromStore) && forModule.size < 16;
      if (makeSnapshot && cached === undefined) forModule.set(imageKey, "making");
      const init = remote.init(
        {
          protocol: PROTOCOL_VERSION,
          wasmModule,
          limits: { cpuMs: DEFAULT_CPU_MS, wallMs: DEFAULT_WALL_MS, ...this.#limits },
          permissions: this.#permissions,
          hostFunctions,
          ...(this.#location !== undefined ? { location: this.#location } : {}),
          prompt: this.#options.onPermissionRequest !== undefined,
          ...(prepared ? { prepared } : snapshot !== undefined ? { snapshot } : {}),
          ...(makeSnapshot ? { makeSnapshot } : {}),
        },
        Comlink.transfer(channel.port2, [channel.port2]),
      );
      let reply: ReturnType<typeof validateInitReply>;
      try {
        reply = validateInitReply(await init);
      } catch (error) {
        // A kept image is never tried twice if a start with it failed.
        if (fromStore !== undefined) void dropStoredImage(wasm, workerUrl, imageKey);
        throw error;
      } finally {
        if (makeSnapshot && forModule.get(imageKey) === "making") forModule.delete(imageKey);
      }
      if (makeSnapshot && reply.snapshot !== undefined) {
        forModule.set(imageKey, reply.snapshot);
        void storeImage(wasm, workerUrl, imageKey, reply.snapshot);
      } else if (fromStore !== undefined && !forModule.has(imageKey)) {
        // Restored: the kept image serves this page's later sandboxes too.
        forModule.set(imageKey, fromStore);
      }
      // The next sandbox of this kind will not wait for a worker to start.
      const image = forModule.get(imageKey);
      if (kind !== undefined && typeof image === "object") {
        const spareConfig = {
          protocol: PROTOCOL_VERSION,
          wasmModule,
          snapshot: image,
          hostFunctions,
          ...(this.#limits.memoryBytes !== undefined ? { memoryBytes: this.#limits.memoryBytes } : {}),
          ...(this.#location !== undefined ? { location: this.#location } : {}),
        };
        setTimeout(() => offerSpare(kind, this.#options.workerUrl, spareConfig), SPARE_DELAY_MS);
      }
    });
    ready.catch(() => {});
    const live: Live = {
      no: this.#status.workers + 1,
      worker,
      remote,
      events: channel.port1,
      ready,
      killed,
      kill,
      consoleSeen: 0,
      consoleWaiters: [],
      prompts: new AbortController(),
      promptsById: new Map(),
    };
    live.events.addEventListener("message", (event) => this.#onWorkerMessage(live, event.data));
    live.events.start();
    worker.addEventListener("error", () => {
      if (this.#live === live) this.#setStatus({ state: "crashed" });
    });
    this.#live = live;
    this.#status.workers++;
    return live;
  }

  /** What a spare worker for this sandbox must match; none when the `.wasm` source cannot be named (the start reports it). */
  #spareKind(image: string): SpareKind | undefined {
    try {
      const { workerUrl } = this.#options;
      const base = globalThis.location?.href;
      return {
        wasm: wasmSourceKey(this.#options.wasm),
        workerUrl: workerUrl === undefined ? undefined : new URL(String(workerUrl), base).href,
        image,
      };
    } catch {
      return undefined;
    }
  }

  /** Everything the worker says arrives here; what is not a {@link WorkerMessage} is dropped. */
  #onWorkerMessage(live: Live, data: unknown): void {
    if (this.#live !== live) return;
    const message = validateWorkerMessage(data);
    // Every console message counts toward the reply's `consoleSeq`, a malformed one too (it is dropped).
    if (isConsoleMessage(data)) {
      live.consoleSeen++;
      if (message?.type === "console") {
        for (const v of message.entry.values ?? []) tagHandles(v, live.no);
        for (const row of message.entry.table?.rows ?? [])
          for (const cell of row) if (cell !== null) tagHandles(cell, live.no);
        this.#deliverConsole(message.entry);
      }
      const due = live.consoleWaiters.filter((w) => w.seq <= live.consoleSeen);
      live.consoleWaiters = live.consoleWaiters.filter((w) => w.seq > live.consoleSeen);
      for (const w of due) w.resolve();
      return;
    }
    if (message?.type === "hostCall") {
      void this.#hostCall(message.name, message.args).then((result) =>
        this.#answer(live, { type: "hostResult", id: message.id, result }, message.name),
      );
    } else if (message?.type === "permission") {
      const prompt = new AbortController();
      live.promptsById.set(message.id, prompt);
      void this.#permission(live, message.request, prompt.signal).then((granted) => {
        live.promptsById.delete(message.id);
        this.#answer(live, { type: "permissionResult", id: message.id, granted });
      });
    } else if (message?.type === "permissionCancel") {
      live.promptsById
        .get(message.id)
        ?.abort(new DOMException("the call that asked for this permission ended", "AbortError"));
      live.promptsById.delete(message.id);
    }
  }

  #deliverConsole(entry: ConsoleEntry): void {
    try {
      this.onConsole?.(entry);
    } catch {
      // A throwing page callback must not break the sandbox.
    }
  }

  async #hostCall(name: string, args: unknown[]): Promise<HostCallResult> {
    // Only the page's own listed functions are reachable; the name is checked again here.
    const fn = this.#host.get(name);
    if (fn === undefined) return { ok: false, name: "NotFound", message: `host.${name}: no such function` };
    try {
      return { ok: true, value: await fn(...args) };
    } catch (error) {
      return { ok: false, ...describeThrown(error) };
    }
  }

  /** Asks the page's `onPermissionRequest`; `own` aborts when the worker cancels this one prompt. */
  async #permission(live: Live, request: PermissionRequest, own: AbortSignal): Promise<boolean> {
    const ask = this.#options.onPermissionRequest;
    const signal = AbortSignal.any([live.prompts.signal, own]);
    if (ask === undefined || signal.aborted) return false;
    const cancelled = new Promise<false>((resolve) =>
      signal.addEventListener("abort", () => resolve(false), { once: true }),
    );
    try {
      return (await Promise.race([ask({ ...request }, { signal }), cancelled])) === true;
    } catch {
      return false;
    }
  }

  /** Posts an answer to the worker; a host function's value that cannot be copied becomes a TypeError naming it. */
  #answer(live: Live, message: PageMessage, hostName?: string): void {
    if (this.#live !== live) return;
    try {
      live.events.postMessage(message);
    } catch (error) {
      if (message.type !== "hostResult") return;
      const why = error instanceof Error ? error.message : String(error);
      live.events.postMessage({
        type: "hostResult",
        id: message.id,
        result: {
          ok: false,
          name: "TypeError",
          message: `host.${hostName}() returned a value that cannot be copied into the sandbox (${why})`,
        },
      } satisfies PageMessage);
    }
  }

  #kill(reason: KillReason): void {
    const live = this.#live;
    this.#live = undefined;
    if (live === undefined) return;
    live.worker.terminate();
    live.remote[Comlink.releaseProxy]();
    live.events.close();
    live.prompts.abort(new DOMException(killMessage(reason, this.#limits), "AbortError"));
    live.kill(reason);
  }

  #setStatus(patch: Partial<SandboxStatus>): void {
    this.#status = { ...this.#status, ...patch };
    try {
      this.onStatus?.(this.status());
    } catch {
      // A throwing page callback must not break the sandbox.
    }
  }
}

/** Prefixes each handle in `v` with the worker's number: a handle names the worker that can answer it. */
function tagHandles(v: ConsoleValue, no: number): void {
  if (v.handle !== undefined) v.handle = `${no}:${v.handle}`;
  for (const e of v.entries ?? []) tagHandles(e.value, no);
}

function isConsoleMessage(data: unknown): boolean {
  return typeof data === "object" && data !== null && (data as { type?: unknown }).type === "console";
}

/** A page function's thrown value as the guest error it becomes (name and message only). */
function describeThrown(error: unknown): { name: string; message: string } {
  try {
    if (error instanceof Error) return { name: String(error.name), message: String(error.message) };
    return { name: "Error", message: String(error) };
  } catch {
    return { name: "Error", message: "the host function threw a value that cannot be described" };
  }
}

function killMessage(reason: KillReason, limits: SandboxLimits): string {
  switch (reason) {
    case "terminated":
      return "the sandbox was terminated";
    case "restarted":
      return "the sandbox was restarted (restart()) and its worker terminated";
    case "wallMs":
      return `the worker did not answer within the call's wall-clock limit (limits.wallMs: ${limits.wallMs ?? DEFAULT_WALL_MS} ms) and ${KILL_GRACE_MS} ms of grace, so it was terminated`;
    case "startup":
      return `the sandbox's worker did not start within ${STARTUP_MS} ms and was terminated`;
    case "crashed":
      return "the sandbox's worker failed and was terminated";
  }
}

async function withDeadline<T>(promise: Promise<T>, ms: number): Promise<T | "timeout"> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<"timeout">((resolve) => {
    timer = setTimeout(() => resolve("timeout"), ms);
  });
  try {
    return await Promise.race([promise, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

function terminatedResult(message: string): RunResult {
  return { ok: false, reason: "terminated", error: { name: "Terminated", message, stack: "" } };
}

/** A transport failure (worker died, init failed) becomes a result, not a rejection. */
function workerFailure(error: unknown): WorkerReply {
  const e = error instanceof Error ? error : new Error(String(error));
  return {
    result: {
      ok: false,
      reason: "crashed",
      error: { name: e.name || "Error", message: e.message, stack: e.stack ?? "" },
    },
    memoryUsed: 0,
    crashed: true,
    consoleSeq: 0,
  };
}

/** Creates a sandbox and waits until its worker and runtime are ready. */
export async function createSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const sandbox = new Sandbox(options);
  await sandbox.start();
  return sandbox;
}
