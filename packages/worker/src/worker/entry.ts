/**
 * The worker entry: one dedicated module worker hosts one `JsRuntime` and
 * exposes {@link WorkerApi} to the page with Comlink.
 *
 * Guest code runs synchronously on this thread, so while it runs the worker
 * answers nothing; that is why interrupts come from core's CPU budget (inside)
 * and the hard kill from the page (`Worker.terminate()` after `wallMs`).
 */
import { JsRuntime, type PermissionsOptions, RuntimeFault } from "@islet/core";
import { web } from "@islet/web";
import * as Comlink from "comlink";
import {
  type ConsoleEntry,
  type PageCallbacks,
  type RunResult,
  validateConfig,
  validateRunRequest,
  type WorkerApi,
  type WorkerConfig,
  type WorkerReply,
} from "../protocol.ts";
import { errorInfo, hostExtension } from "./extensions.ts";
import { RunLoader } from "./loader.ts";

let config: WorkerConfig | undefined;
let callbacks: PageCallbacks | undefined;
let runtime: JsRuntime | undefined;
let loader: RunLoader | undefined;
/** Calls run one after another: a run and an eval never interleave on one runtime. */
let queue: Promise<unknown> = Promise.resolve();

function page(): PageCallbacks {
  if (callbacks === undefined) throw new Error("worker: not initialised");
  return callbacks;
}

function sendConsole(entry: ConsoleEntry): void {
  // Fire and forget: the page sees entries while the guest still runs.
  void Promise.resolve(page().console(entry)).catch(() => {});
}

async function createRuntime(): Promise<JsRuntime> {
  if (config === undefined) throw new Error("worker: not initialised");
  const permissions: PermissionsOptions = { ...config.permissions };
  // The functions the page listed are granted unless the page decided `host` itself.
  if (permissions.host === undefined) permissions.host = config.hostFunctions;
  if (config.prompt) permissions.prompt = (request) => page().permission({ ...request });
  loader = new RunLoader(config.hostFunctions);
  return JsRuntime.create({
    moduleLoader: loader,
    extensions: [...web({ console: { sink: sendConsole } }), hostExtension(config.hostFunctions, page)],
    permissions,
    limits: config.limits,
    build: "release",
    wasmModule: config.wasmModule,
  });
}

async function ensureRuntime(fresh: boolean): Promise<JsRuntime> {
  if (runtime !== undefined && (fresh || runtime.disposed)) {
    discardRuntime();
  }
  runtime ??= await createRuntime();
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
  try {
    const rt = await ensureRuntime(fresh);
    const outcome = await body(rt);
    result = { ok: true, durationMs: performance.now() - start };
    if (outcome.value !== undefined) result.value = cloneable(outcome.value);
    if (outcome.exports !== undefined) result.exports = cloneable(outcome.exports) as Record<string, unknown>;
  } catch (error) {
    result = { ok: false, error: errorInfo(error), durationMs: performance.now() - start };
    if (error instanceof RuntimeFault || runtime?.disposed || runtime?.fault !== undefined) {
      crashed = true;
      discardRuntime();
    }
  }
  let memoryUsed = 0;
  try {
    if (runtime !== undefined && !runtime.disposed) memoryUsed = runtime.memoryUsed();
  } catch {
    // memory accounting is best effort
  }
  return { result, memoryUsed, crashed };
}

/**
 * Evaluates a script; a Promise completion value is awaited (core's
 * evaluateScript). A value that cannot be copied out (a function, a class
 * instance) is not a failure of the script, which did run: it yields `undefined`.
 */
function evaluateScript(rt: JsRuntime, name: string, source: string): Promise<unknown> {
  return rt.evaluateScript(name, source).catch((error: unknown) => {
    if (error instanceof Error && /^evaluateScript: (completion|resolved) value/.test(error.message)) return undefined;
    throw error;
  });
}

const api: WorkerApi = {
  async init(rawConfig, pageCallbacks) {
    if (config !== undefined) throw new Error("init: this worker is already initialised");
    config = validateConfig(rawConfig);
    callbacks = pageCallbacks;
    runtime = await createRuntime();
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
        const evaluated = evaluateScript(rt, "eval.js", code);
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
};

// Only the page that created this dedicated worker can post to it; its messages
// arrive with an empty origin. No wildcard: Comlink's default accepts any origin.
Comlink.expose(api, globalThis as unknown as Comlink.Endpoint, [""]);
