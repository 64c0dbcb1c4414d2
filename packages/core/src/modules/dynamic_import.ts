/**
 * `import()` from anywhere — classic scripts, modules, nested functions,
 * `eval` — prepared like a static graph (deno_core's
 * `host_import_module_dynamically` callback, which V8 calls for every
 * `import()`).
 *
 * QuickJS has no such callback: `import()` queues the job
 * `js_dynamic_import_job(resolve, reject, referrer, specifier, attributes)`,
 * which loads its target synchronously when it runs, so a module not prepared
 * yet would fail. The job's function is reached through the wasm function
 * table, so its table slot is replaced by a host function:
 *   - for a user referrer (anything not `ext:`; null, QuickJS's answer for
 *     an indirect `eval`, stands for the realm's base URL `file:///`), the five arguments go to the
 *     guest helper `hostImport` in {@link IMPORT_HELPER}, which awaits the async
 *     op `op_module_prepare` (resolve, load, transpile, check attributes; the
 *     graph walk in graph.ts) and then performs the engine's own `import()` of
 *     the prepared URL, settling the original promise with its outcome;
 *   - for an `ext:` referrer (that helper's own `import()`, the runtime's
 *     module evaluation), QuickJS's original job runs unchanged.
 * While the op is pending the event loop stays alive; every failure is a
 * rejection of the promise `import()` returned, keeping its class
 * (`NotFound`, `PermissionDenied`, `TypeError`, `SyntaxError`).
 *
 * The slot is found, not assumed: the first `import()` (the helper's own, at
 * install) leaves exactly one entry in `rt->job_list`, recognised by its links
 * back to the list head inside the JSRuntime, its context and its 5 arguments;
 * the entry's `job_func` is the slot. Needs the function table exported
 * (`prepareQuickJSWasm`); without it, `import()` reaches only modules that
 * were already prepared.
 */
import type { QuickJSHandle } from "quickjs-emscripten-core";
import { type Engine, type Ptr, Tag } from "../engine.ts";
import { I32, I64, wasmHostFunction } from "../wasm_hooks.ts";

/** The ext module holding the guest half, js/02_modules.ts (not importable by user code). */
export const IMPORT_HELPER = "ext:islet_modules/import.js";

const UNDEFINED = BigInt(Tag.Undefined) << 32n;
const EXCEPTION = BigInt(Tag.Exception) << 32n;
/** How many 32-bit words of the JSRuntime to search for `job_list`. */
const RUNTIME_WORDS = 1024;
/** js_dynamic_import_job's argument count. */
const JOB_ARGS = 5;

type JobFunction = (ctx: number, argc: number, argv: number) => bigint;

/**
 * Builds the replacement job function (async: it compiles a tiny wasm
 * module). Call the returned `install` once, after bootstrap, inside the
 * runtime's guard for engine calls; it returns the owned handle of the guest
 * helper, or undefined where the hook cannot be installed.
 */
export interface ImportHook {
  /** Installs the hook after bootstrap; returns the owned guest helper, or undefined where it cannot be. */
  install(): QuickJSHandle | undefined;
  /** The table slot install() filled, or -1. */
  readonly slot: number;
  /**
   * For a runtime restored from a snapshot: the helper (`helper`, a handle
   * into the copied image) and the slot come from the image; the slot is
   * filled here, as install() did when the image was made.
   */
  adopt(slot: number, helper: QuickJSHandle): void;
}

export async function dynamicImportHook(
  engine: Engine,
  table: WebAssembly.Table | undefined,
  moduleJob: (job: () => bigint) => bigint = (job) => job(),
): Promise<ImportHook> {
  let original: JobFunction | undefined;
  let helper: QuickJSHandle | undefined;
  const onJob: JobFunction = (ctx, argc, argv) => {
    // QuickJS's own job loads and evaluates the module; `moduleJob` brackets it
    // (the rejection tracker's window for moved rejections, rejections.ts).
    const forward: JobFunction = (c, n, v) => moduleJob(() => (original as JobFunction)(c, n, v));
    const referrer: Ptr = argv + 16;
    if (helper === undefined || argc !== JOB_ARGS) return forward(ctx, argc, argv);
    const tag = engine.tag(referrer);
    if (tag === Tag.String) {
      const name = engine.readFlatString(referrer);
      if (name === undefined || name.startsWith("ext:")) return forward(ctx, argc, argv);
    } else if (tag !== Tag.Null) {
      return forward(ctx, argc, argv);
    }
    const args = [argv, argv + 8, referrer, argv + 24, argv + 32];
    const result = engine.call(helper.value as unknown as number, engine.undefinedPtr, args);
    const failed = engine.tag(result) === Tag.Exception;
    engine.free(result);
    // An exception here (out of memory, an interrupt) stays pending: the job fails as QuickJS's own would.
    return failed ? EXCEPTION : UNDEFINED;
  };
  const replacement = table === undefined ? undefined : wasmHostFunction([I32, I32, I32], [I64], onJob);

  let filled = -1;
  const fill = (slot: number, handle: QuickJSHandle): boolean => {
    const current = slot < 0 ? undefined : (table as unknown as { get(index: number): unknown }).get(slot);
    if (table === undefined || replacement === undefined || typeof current !== "function") return false;
    // A reused engine (runtime.ts: dispose) has the replacement there already.
    if (current !== replacement) original = current as JobFunction;
    helper = handle;
    table.set(slot, replacement);
    filled = slot;
    return true;
  };
  const install = (): QuickJSHandle | undefined => {
    if (table === undefined || replacement === undefined) return undefined;
    const ctx = engine.context;
    const loaded = ctx.evalCode(`import(${JSON.stringify(IMPORT_HELPER)})`, "ext:islet_modules/bind.js");
    if (loaded.error) {
      const error = ctx.dump(loaded.error);
      loaded.error.dispose();
      throw new Error(`bootstrap: cannot import ${IMPORT_HELPER}: ${JSON.stringify(error)}`);
    }
    const promise = loaded.value;
    try {
      const slot = findImportJob(engine);
      const exception = engine.runJobs();
      if (exception !== 0) {
        engine.free(exception);
        throw new Error(`bootstrap: importing ${IMPORT_HELPER} failed`);
      }
      const state = ctx.getPromiseState(promise);
      if (state.type !== "fulfilled") {
        if (state.type === "rejected") state.error.dispose();
        throw new Error(`bootstrap: ${IMPORT_HELPER} did not load`);
      }
      const handle = ctx.getProp(state.value, "hostImport");
      if (state.value !== promise) state.value.dispose();
      if (ctx.typeof(handle) !== "function" || !fill(slot, handle)) {
        handle.dispose();
        return undefined;
      }
      return handle;
    } finally {
      promise.dispose();
    }
  };
  return {
    install,
    get slot() {
      return filled;
    },
    adopt(slot, handle) {
      if (slot >= 0 && !fill(slot, handle)) throw new Error(`the dynamic-import job is not at table slot ${slot}`);
    },
  };
}

/**
 * The table slot of the only queued job, `js_dynamic_import_job`, or -1.
 * `struct list_head { prev, next }` heads the job list inside the JSRuntime;
 * a JSJobEntry is `{ link, realm, job_func, argc, argv[] }`.
 */
function findImportJob(engine: Engine): number {
  const i32 = engine.i32;
  const limit = i32.length;
  let found = -1;
  for (let i = 0; i + 1 < RUNTIME_WORDS; i++) {
    const head = engine.rt + i * 4;
    const entry = i32[(head >> 2) as number] as number;
    if (entry <= 0 || entry === head || (entry & 3) !== 0 || (entry >> 2) + 5 >= limit) continue;
    if (i32[(head >> 2) + 1] !== entry) continue;
    const e = entry >> 2;
    if (i32[e] !== head || i32[e + 1] !== head || i32[e + 2] !== engine.ctx || i32[e + 4] !== JOB_ARGS) continue;
    if (found !== -1) return -1;
    found = i32[e + 3] as number;
  }
  return found;
}
