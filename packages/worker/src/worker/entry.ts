/**
 * The worker entry: one dedicated module worker hosts one `JsRuntime` and
 * exposes {@link WorkerApi} to the page with Comlink. Everything it tells the
 * page (console entries, host calls, permission questions) goes over the
 * MessagePort the page hands over in `init`, as {@link WorkerMessage}s
 * (protocol.ts): the worker holds no page object.
 *
 * Guest code runs synchronously on this thread, so while it runs the worker
 * answers nothing; that is why limits are core's (inside: `cpuMs`, and
 * `wallMs`, which also ends a call that waits forever), and the hard kill is
 * the page's backstop for a worker that cannot answer at all
 * (`Worker.terminate()` a grace period after `wallMs`).
 *
 * What survives a failed call is core's to decide (runtime.ts): the worker
 * keeps its runtime after a guest exception, `Interrupted` or a memory error,
 * and replaces it only when core reports a fault (`RuntimeFault`).
 */
import {
  BridgeRangeError,
  BridgeTypeError,
  type PermissionRequest as CorePermissionRequest,
  JsRuntime,
  type Limits,
  type PermissionGrant,
  type PermissionKind,
  type PermissionsOptions,
  type RuntimeSnapshot,
} from "@islet/core";
import { Console, ConsoleValueUnavailable, inspectConsoleValue, releaseConsoleValues, web } from "@islet/web";
import * as Comlink from "comlink";
import {
  type ConsoleEntry,
  type EventsPort,
  type HostCallResult,
  type InitReply,
  type InspectReply,
  type PermissionRequest,
  PROTOCOL_VERSION,
  type PrepareConfig,
  type PermissionGrant as ProtocolPermissionGrant,
  type PermissionKind as ProtocolPermissionKind,
  type RunResult,
  type SandboxLimits,
  validateConfig,
  validatePageMessage,
  validatePrepareConfig,
  validateRunRequest,
  type WorkerApi,
  type WorkerConfig,
  type WorkerMessage,
  type WorkerReply,
} from "../protocol.ts";
import { errorInfo, failureReason, hostExtension } from "./extensions.ts";
import { RunLoader } from "./loader.ts";

// protocol.ts restates core's limit and permission types (the page's .d.ts stays free of
// core's); these lines fail to compile when the two drift apart.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const protocolMatchesCore: [
  // Every core limit can be set from the page (`wallMs` included: core enforces it too).
  Same<Exclude<keyof Limits, keyof SandboxLimits>, never>,
  Same<PermissionKind, ProtocolPermissionKind>,
  Same<PermissionGrant, ProtocolPermissionGrant>,
  Same<CorePermissionRequest, PermissionRequest>,
] = [true, true, true, true];
void protocolMatchesCore;

let config: WorkerConfig | undefined;
let runtime: JsRuntime | undefined;
let loader: RunLoader | undefined;
/**
 * The image of this worker's bootstrapped runtime: from the page (made by an
 * earlier worker with the same settings), or taken here right after a
 * bootstrap, before any user code — at init when the page asks for one, else
 * at the first fresh run. Fresh runs reset to it in place; a runtime that
 * faulted is replaced by a restore of it.
 */
let image: RuntimeSnapshot | undefined;
/**
 * A spare worker's preparation (`prepare`): the image and module it warmed an
 * engine for, which core keeps (engine reuse) for the first runtime created
 * from that same image object.
 */
let prepared: { config: PrepareConfig; done: Promise<void> } | undefined;
/** Calls run one after another: a run and an eval never interleave on one runtime. */
let queue: Promise<unknown> = Promise.resolve();

// --- the worker → page channel ----------------------------------------------------------

let events: EventsPort | undefined;
/** `console` messages posted so far; each reply carries it so the page can wait for them. */
let consoleSeq = 0;
let nextId = 1;
const pendingHostCalls = new Map<number, (result: HostCallResult) => void>();
const pendingPermissions = new Map<number, (granted: boolean) => void>();

function post(message: WorkerMessage): void {
  if (events === undefined) throw new Error("worker: not initialised");
  events.postMessage(message);
}

function sendConsole(entry: ConsoleEntry): void {
  // Posted at once: the page sees entries while the guest still runs.
  post({ type: "console", entry });
  consoleSeq++;
}

function hostCall(name: string, args: unknown[]): Promise<HostCallResult> {
  const id = nextId++;
  return new Promise((resolve) => {
    try {
      post({ type: "hostCall", id, name, args });
    } catch (error) {
      resolve({
        ok: false,
        name: "TypeError",
        message: `host.${name}(): an argument cannot be copied to the page (${(error as Error).message})`,
      });
      return;
    }
    pendingHostCalls.set(id, resolve);
  });
}

/**
 * Core's prompt: asks the page. When core cancels it (the call that asked
 * ended: a limit, an interrupt, the loop failed), the page is told, so its
 * dialog closes (its `onPermissionRequest` signal aborts); core ignores a late
 * answer.
 */
function askPermission(request: PermissionRequest, { signal }: { signal: AbortSignal }): Promise<boolean> {
  const id = nextId++;
  return new Promise((resolve) => {
    if (signal.aborted) return resolve(false);
    pendingPermissions.set(id, resolve);
    post({ type: "permission", id, request: { ...request } });
    signal.addEventListener(
      "abort",
      () => {
        if (!pendingPermissions.delete(id)) return;
        post({ type: "permissionCancel", id });
        resolve(false);
      },
      { once: true },
    );
  });
}

function onPageMessage(event: { data: unknown }): void {
  const message = validatePageMessage(event.data);
  if (message === undefined) return;
  if (message.type === "hostResult") {
    const resolve = pendingHostCalls.get(message.id);
    pendingHostCalls.delete(message.id);
    resolve?.(message.result);
  } else {
    const resolve = pendingPermissions.get(message.id);
    pendingPermissions.delete(message.id);
    resolve?.(message.granted);
  }
}

// --- the runtime ------------------------------------------------------------------------

/** The extensions of a sandbox's runtime: the web platform and the page's host functions. */
function sandboxExtensions(
  kind: { hostFunctions: string[]; location?: string },
  sink: (entry: ConsoleEntry) => void,
  call: typeof hostCall,
) {
  return [
    ...web({ console: { sink }, ...(kind.location !== undefined ? { location: kind.location } : {}) }),
    hostExtension(kind.hostFunctions, call),
  ];
}

/**
 * Restores the image and disposes the runtime: core puts the engine back to
 * the image and keeps it for the next runtime made from that image, so `init`
 * pays a reset on warm pages and warm code instead of a new instance (running
 * a script as well measured no faster). No guest code runs; nothing of this runtime reaches the next one
 * (core's engine reuse). A failure only means `init` starts cold.
 */
async function warmUp(spare: PrepareConfig): Promise<void> {
  const unreachable = async (): Promise<HostCallResult> => ({
    ok: false,
    name: "Error",
    message: "a spare worker has no page",
  });
  try {
    const rt = await JsRuntime.create({
      extensions: sandboxExtensions(spare, () => {}, unreachable),
      moduleLoader: new RunLoader(spare.hostFunctions),
      ...(spare.memoryBytes !== undefined ? { limits: { memoryBytes: spare.memoryBytes } } : {}),
      build: "release",
      wasmModule: spare.wasmModule,
      snapshot: spare.snapshot as RuntimeSnapshot,
    });
    rt.dispose();
  } catch {
    // A cold init instead.
  }
}

/** `init` of a spare: the page's settings must be those it was prepared for. */
async function adoptPrepared(cfg: WorkerConfig): Promise<void> {
  if (prepared === undefined) throw new TypeError("init: config.prepared, but this worker was not prepared");
  await prepared.done;
  const kind = prepared.config;
  const same =
    kind.memoryBytes === cfg.limits.memoryBytes &&
    kind.location === cfg.location &&
    kind.hostFunctions.length === cfg.hostFunctions.length &&
    kind.hostFunctions.every((name, i) => cfg.hostFunctions[i] === name);
  if (!same)
    throw new TypeError("init: this worker was prepared for another memory limit, host function list or location");
  // The same objects the warm engine was kept under.
  cfg.wasmModule = kind.wasmModule;
  image = kind.snapshot as RuntimeSnapshot;
}

async function createRuntime(takeSnapshot: boolean): Promise<JsRuntime> {
  if (config === undefined) throw new Error("worker: not initialised");
  const permissions: PermissionsOptions = { ...config.permissions };
  // The functions the page listed are granted unless the page decided `host` itself.
  if (permissions.host === undefined) permissions.host = config.hostFunctions;
  if (config.prompt) permissions.prompt = askPermission;
  loader = new RunLoader(config.hostFunctions);
  const options = {
    moduleLoader: loader,
    extensions: sandboxExtensions(config, sendConsole, hostCall),
    permissions,
    limits: config.limits,
    build: "release" as const,
    wasmModule: config.wasmModule,
  };
  if (image !== undefined) {
    try {
      return await JsRuntime.create({ ...options, snapshot: image });
    } catch {
      // An image made for other settings or by another release (a SnapshotMismatch), or one
      // damaged in the page's store (image_store.ts): bootstrap instead (and take this worker's own).
      image = undefined;
    }
  }
  const created = await JsRuntime.create(options);
  if (takeSnapshot) image = created.snapshot();
  return created;
}

async function ensureRuntime(fresh: boolean): Promise<JsRuntime> {
  if (runtime !== undefined && fresh && !runtime.disposed) {
    try {
      // A fresh run is a copy of the image over the runtime's memory, not a new runtime.
      runtime.reset();
      loader?.reset();
      return runtime;
    } catch {
      // Cannot be reset (its engine faulted, or it has no image): replaced below.
    }
  }
  if (runtime !== undefined && (fresh || runtime.disposed)) {
    discardRuntime();
  }
  // A fresh run without an image: bootstrap once more and keep its image, so later fresh runs are resets.
  runtime ??= await createRuntime(fresh);
  return runtime;
}

function discardRuntime(): void {
  try {
    runtime?.dispose();
  } catch {
    // A runtime that fails to free is dropped as it is.
  }
  runtime = undefined;
}

/** Values go to the page by structured clone; anything that cannot be cloned is described instead. */
function cloneable(value: unknown): unknown {
  try {
    structuredClone(value);
    return value;
  } catch {
    return String(value);
  }
}

function serialize<T>(fn: () => Promise<T>): Promise<T> {
  const next = queue.then(fn, fn);
  queue = next.catch(() => {});
  return next;
}

interface Outcome {
  value?: unknown;
  exports?: Record<string, unknown>;
}

async function call(fresh: boolean, body: (rt: JsRuntime) => Promise<Outcome>): Promise<WorkerReply> {
  const start = performance.now();
  let result: RunResult;
  let crashed = false;
  let rt: JsRuntime | undefined;
  try {
    rt = await ensureRuntime(fresh);
    // `wallMs` is per page call, which spans several runtime calls (load, evaluate, run the
    // loop): one deadline for all of them. It counts from when the worker has the runtime, so
    // it measures the guest's work: replacing a runtime that faulted or was stopped inside a
    // built-in is the host's, and on a loaded machine it could use up a small limit by itself.
    const wallMs = config?.limits.wallMs ?? 0;
    rt.setWallDeadline(wallMs > 0 ? performance.now() + wallMs : undefined);
    // Console budgets are per call: a chatty call does not silence the next one.
    rt.opState.get(Console).resetBudget();
    // …and so are the logged values the page may still open: the last call's are let go.
    releaseConsoleValues(rt);
    const outcome = await body(rt);
    result = { ok: true, durationMs: performance.now() - start };
    if (outcome.value !== undefined) result.value = cloneable(outcome.value);
    if (outcome.exports !== undefined) result.exports = cloneable(outcome.exports) as Record<string, unknown>;
  } catch (error) {
    const reason = failureReason(error);
    result = { ok: false, reason, error: errorInfo(error), durationMs: performance.now() - start };
    if (reason === "crashed" || runtime?.disposed || runtime?.fault !== undefined) {
      crashed = true;
      // A limit that had to stop the engine inside a built-in is still that limit.
      if (reason !== "interrupted" && reason !== "memory") result.reason = "crashed";
      discardRuntime();
    }
  } finally {
    if (rt !== undefined && !rt.disposed) rt.setWallDeadline(undefined);
  }
  let memoryUsed = 0;
  try {
    if (runtime !== undefined && !runtime.disposed) memoryUsed = runtime.memoryUsed();
  } catch {
    // memory accounting is best effort
  }
  return { result, memoryUsed, crashed, consoleSeq };
}

const api: WorkerApi = {
  async prepare(rawConfig) {
    if (config !== undefined || prepared !== undefined)
      throw new Error("prepare: this worker is already prepared or initialised");
    const spare = validatePrepareConfig(rawConfig);
    prepared = { config: spare, done: warmUp(spare) };
    await prepared.done;
  },
  async init(rawConfig, port): Promise<InitReply> {
    if (config !== undefined) throw new Error("init: this worker is already initialised");
    if (typeof port?.postMessage !== "function" || typeof port.addEventListener !== "function")
      throw new TypeError("init: expected the page's MessagePort");
    config = validateConfig(rawConfig);
    if (config.prepared === true) await adoptPrepared(config);
    else if (config.snapshot !== undefined) image = config.snapshot as RuntimeSnapshot;
    events = port;
    events.addEventListener("message", onPageMessage);
    events.start();
    runtime = await createRuntime(config.makeSnapshot === true);
    // The image goes back only when the page asked for one (it keeps it for the next workers)
    // and this worker made it: not the one the page sent, which it restored.
    const made = config.makeSnapshot === true && image !== config.snapshot ? image : undefined;
    return made === undefined ? { protocol: PROTOCOL_VERSION } : { protocol: PROTOCOL_VERSION, snapshot: made };
  },
  run(rawRequest) {
    const request = validateRunRequest("run", rawRequest);
    return serialize(() =>
      call(request.fresh === true, async (rt) => {
        if (loader === undefined) throw new Error("worker: not initialised");
        const url = loader.startRun(request);
        const id = loader.generation === 1 ? await rt.loadMainModule(url) : await rt.loadSideModule(url);
        const evaluated = rt.evaluateModule(id);
        await rt.runEventLoop();
        await evaluated;
        return { exports: rt.getModuleNamespace(id) };
      }),
    );
  },
  eval(code) {
    if (typeof code !== "string") return Promise.reject(new TypeError("eval: code must be a string"));
    return serialize(() =>
      call(false, async (rt) => {
        // A Promise completion value is awaited. Core's contract: a BridgeTypeError or
        // BridgeRangeError (host-made; a guest throw is always a GuestError, whatever its
        // message) means the script ran and only its value could not be copied out.
        const evaluated = rt.evaluateScript("eval.js", code).catch((error: unknown) => {
          if (error instanceof BridgeTypeError || error instanceof BridgeRangeError) return undefined;
          throw error;
        });
        await rt.runEventLoop();
        return { value: await evaluated };
      }),
    );
  },
  async resources() {
    return serialize(async () => (await ensureRuntime(false)).resources());
  },
  async memoryUsed() {
    return serialize(async () => (await ensureRuntime(false)).memoryUsed());
  },
  async reset() {
    await serialize(() => ensureRuntime(true));
  },
  inspect(handle) {
    return serialize(async (): Promise<InspectReply> => {
      const rt = runtime;
      if (rt === undefined || rt.disposed)
        return {
          ok: false,
          reason: "unavailable",
          message: "value no longer available (the runtime that logged it is gone)",
        };
      try {
        return { ok: true, value: inspectConsoleValue(rt, handle) };
      } catch (error) {
        const { name, message } = errorInfo(error);
        // The read hit a limit inside a built-in, or the engine faulted: the next call gets a new runtime.
        if (rt.disposed || rt.fault !== undefined) discardRuntime();
        // The page names its own call (`sandbox.inspect: …`), not web's.
        if (error instanceof ConsoleValueUnavailable)
          return { ok: false, reason: "unavailable", message: message.replace(/^inspectConsoleValue: /, "") };
        return { ok: false, reason: "error", message: `${name}: ${message}` };
      }
    });
  },
};

// Only the page that created this dedicated worker can post to it; its messages
// arrive with an empty origin. No wildcard: Comlink's default accepts any origin.
Comlink.expose(api, globalThis as unknown as Comlink.Endpoint, [""]);
