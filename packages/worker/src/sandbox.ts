/**
 * Page side: a `Sandbox` owns one dedicated module worker at a time.
 *
 * It never rejects for guest faults: every call resolves with a `RunResult`.
 * When the worker does not answer within `limits.wallMs` the page terminates
 * it, reports `Terminated`, and the next call starts a fresh worker.
 */
import * as Comlink from "comlink";
import { startWorker } from "./locate.ts";
import {
  type ConsoleEntry,
  type HostCallResult,
  type PageCallbacks,
  type PermissionRequest,
  type RunRequest,
  type RunResult,
  type SandboxLimits,
  type SandboxPermissions,
  validateHostName,
  validateLimits,
  validatePermissions,
  validateReply,
  validateRunRequest,
  type WorkerApi,
  type WorkerReply,
} from "./protocol.ts";
import { loadQuickJSModule, type WasmSource } from "./wasm.ts";

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
  onConsole?: (entry: ConsoleEntry) => void;
  onStatus?: (status: SandboxStatus) => void;
  /** Asked when a request is neither allowed nor denied by `permissions`. No callback: denied. */
  onPermissionRequest?: (request: PermissionRequest) => boolean | Promise<boolean>;
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

/** Default wall-clock limit per call, after which the worker is killed. */
export const DEFAULT_WALL_MS = 30_000;
/** How long a new worker may take to start its runtime. */
const STARTUP_MS = 30_000;
/** Default CPU limit per call inside the worker. */
export const DEFAULT_CPU_MS = 5_000;

interface Live {
  worker: Worker;
  remote: Comlink.Remote<WorkerApi>;
  ready: Promise<void>;
  /** Settles when the page kills this worker: calls in flight end at once instead of at their deadline. */
  killed: Promise<"killed">;
  kill: () => void;
}

export class Sandbox {
  onConsole: ((entry: ConsoleEntry) => void) | undefined;
  onStatus: ((status: SandboxStatus) => void) | undefined;
  readonly #options: SandboxOptions;
  readonly #limits: SandboxLimits;
  readonly #permissions: SandboxPermissions;
  readonly #host: Map<string, HostFunction>;
  #live: Live | undefined;
  #status: SandboxStatus = { state: "idle", elapsedMs: 0, memoryUsed: 0, workers: 0 };
  #terminated = false;
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: SandboxOptions = {}) {
    this.#options = options;
    this.#limits = validateLimits("createSandbox", options.limits);
    this.#permissions = validatePermissions("createSandbox", options.permissions);
    this.#host = new Map();
    for (const [name, fn] of Object.entries(options.host ?? {})) {
      if (typeof fn !== "function") throw new TypeError(`createSandbox: host.${name} must be a function`);
      this.#host.set(validateHostName("createSandbox", name), fn);
    }
    this.onConsole = options.onConsole;
    this.onStatus = options.onStatus;
  }

  /** Starts the worker and its runtime now (createSandbox awaits this). */
  start(): Promise<void> {
    return this.#ensureLive().ready;
  }

  /** Evaluates `files` from `entry` in this sandbox; globals persist unless `fresh`. */
  run(request: RunRequest): Promise<RunResult> {
    let checked: RunRequest;
    try {
      checked = validateRunRequest("sandbox.run", request);
    } catch (error) {
      return Promise.reject(error);
    }
    return this.#call((remote) => remote.run(checked));
  }

  /** Evaluates `code` as a classic script; `value` is its completion value. */
  eval(code: string): Promise<RunResult> {
    if (typeof code !== "string") return Promise.reject(new TypeError("sandbox.eval: code must be a string"));
    return this.#call((remote) => remote.eval(code));
  }

  async resources(): Promise<{ rid: number; name: string }[]> {
    this.#assertOpen("resources");
    const live = this.#ensureLive();
    await live.ready;
    return live.remote.resources();
  }

  status(): SandboxStatus {
    return { ...this.#status };
  }

  /** Ends the worker for good; later calls reject. */
  terminate(): void {
    this.#terminated = true;
    this.#kill();
    this.#setStatus({ state: "terminated" });
  }

  /** Drops the worker and every global in it; the next call starts a fresh one. */
  async restart(): Promise<void> {
    this.#assertOpen("restart");
    this.#kill();
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

  #call(fn: (remote: Comlink.Remote<WorkerApi>) => Promise<WorkerReply>): Promise<RunResult> {
    try {
      this.#assertOpen("run");
    } catch (error) {
      return Promise.reject(error);
    }
    const next = this.#queue.then(() => this.#callNow(fn));
    this.#queue = next.catch(() => {});
    return next;
  }

  async #callNow(fn: (remote: Comlink.Remote<WorkerApi>) => Promise<WorkerReply>): Promise<RunResult> {
    if (this.#terminated) return terminatedResult("the sandbox was terminated");
    const live = this.#ensureLive();
    const start = performance.now();
    this.#setStatus({ state: "running", elapsedMs: 0 });
    // Starting a worker has its own deadline; `wallMs` counts from when the call is sent.
    const started = await withDeadline(
      Promise.race([live.ready.then(() => "ready" as const, workerFailure), live.killed]),
      STARTUP_MS,
    );
    if (started !== "ready") return this.#afterKill(live, start, typeof started === "string" ? undefined : started);
    const wallMs = this.#limits.wallMs ?? DEFAULT_WALL_MS;
    const answer = await withDeadline(
      Promise.race([fn(live.remote).then(validateReply, workerFailure), live.killed]),
      wallMs,
    );
    if (typeof answer === "string" || this.#live !== live) return this.#afterKill(live, start, undefined, wallMs);
    const { result, memoryUsed, crashed } = answer;
    // A crashed runtime or a dead worker is replaced on the next call.
    if (crashed) this.#kill();
    const state = crashed ? "crashed" : !result.ok && result.error.name === "Interrupted" ? "interrupted" : "idle";
    this.#setStatus({ state, elapsedMs: performance.now() - start, memoryUsed });
    return result;
  }

  /** Hard kill: the worker did not answer in time (or failed to start, or was killed meanwhile). */
  #afterKill(live: Live, start: number, failure?: WorkerReply, wallMs?: number): RunResult {
    if (this.#live === live) this.#kill();
    const elapsedMs = performance.now() - start;
    if (failure !== undefined) {
      this.#setStatus({ state: "crashed", elapsedMs, memoryUsed: 0 });
      return failure.result;
    }
    // A call killed by restart() leaves the new worker's status alone.
    if (!this.#terminated && this.#live === undefined)
      this.#setStatus({ state: "terminated", elapsedMs, memoryUsed: 0 });
    return terminatedResult(
      this.#terminated
        ? "the sandbox was terminated"
        : wallMs === undefined
          ? `the sandbox's worker did not start within ${STARTUP_MS} ms and was terminated`
          : `the sandbox did not answer within ${wallMs} ms and its worker was terminated`,
    );
  }

  #ensureLive(): Live {
    if (this.#live !== undefined) return this.#live;
    const worker = startWorker(this.#options.workerUrl);
    const remote = Comlink.wrap<WorkerApi>(worker);
    const ready = loadQuickJSModule(this.#options.wasm).then((wasmModule) =>
      remote.init(
        {
          wasmModule,
          limits: { cpuMs: DEFAULT_CPU_MS, ...withoutWall(this.#limits) },
          permissions: this.#permissions,
          hostFunctions: [...this.#host.keys()],
          prompt: this.#options.onPermissionRequest !== undefined,
        },
        Comlink.proxy(this.#callbacks()),
      ),
    );
    ready.catch(() => {});
    let kill = () => {};
    const killed = new Promise<"killed">((resolve) => {
      kill = () => resolve("killed");
    });
    const live: Live = { worker, remote, ready, killed, kill };
    worker.addEventListener("error", () => {
      if (this.#live === live) this.#setStatus({ state: "crashed" });
    });
    this.#live = live;
    this.#status.workers++;
    return live;
  }

  #callbacks(): PageCallbacks {
    return {
      console: (entry) => {
        try {
          this.onConsole?.(entry);
        } catch {
          // A throwing page callback must not break the sandbox.
        }
      },
      hostCall: async (name, args): Promise<HostCallResult> => {
        // Only the page's own listed functions are reachable; the name is checked again here.
        const fn = typeof name === "string" ? this.#host.get(name) : undefined;
        if (fn === undefined) return { ok: false, name: "NotFound", message: `host.${String(name)}: no such function` };
        try {
          const value = await fn(...(Array.isArray(args) ? args : []));
          return { ok: true, value };
        } catch (error) {
          const e = error instanceof Error ? error : new Error(String(error));
          return { ok: false, name: e.name, message: e.message };
        }
      },
      permission: async (request) => {
        const ask = this.#options.onPermissionRequest;
        if (ask === undefined) return false;
        try {
          return (await ask({ ...request })) === true;
        } catch {
          return false;
        }
      },
    };
  }

  #kill(): void {
    const live = this.#live;
    this.#live = undefined;
    if (live === undefined) return;
    live.worker.terminate();
    live.remote[Comlink.releaseProxy]();
    live.kill();
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

function withoutWall(limits: SandboxLimits): Omit<SandboxLimits, "wallMs"> {
  const { wallMs: _wall, ...rest } = limits;
  return rest;
}

function terminatedResult(message: string): RunResult {
  return { ok: false, error: { name: "Terminated", message, stack: "" } };
}

/** A transport failure (worker died, init failed) becomes a result, not a rejection. */
function workerFailure(error: unknown): WorkerReply {
  const e = error instanceof Error ? error : new Error(String(error));
  return {
    result: { ok: false, error: { name: e.name || "Error", message: e.message, stack: e.stack ?? "" } },
    memoryUsed: 0,
    crashed: true,
  };
}

/** Creates a sandbox and waits until its worker and runtime are ready. */
export async function createSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const sandbox = new Sandbox(options);
  await sandbox.start();
  return sandbox;
}
