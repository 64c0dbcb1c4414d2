/**
 * JsRuntime: the lifecycle of one QuickJS instance (deno_core's `JsRuntime`):
 * create and bootstrap, the public entry points (scripts, modules, the event
 * loop), the conversion of guest exceptions to host errors, dispose. The event
 * loop's phases are in event_loop.ts, in-flight async ops in op_driver.ts,
 * unhandled-rejection tracking in rejections.ts.
 *
 * Boot order (fixed, and free of randomness, so a bootstrapped image is reproducible):
 *   1. resolve limits and permissions; order the extensions by their deps;
 *   2. instantiate QuickJS with a fixed-size memory; set heap/stack limits,
 *      the interrupt handler and the module loader hooks; install the
 *      rejection tracker; route C → host calls for ops to the OpTable;
 *   3. run each extension's `state` initialiser, in dependency order;
 *   4. evaluate the primordials and the guest core (js/), passing raw ops;
 *   5. publish `ext:core/ops` and `ext:core/mod.js` under a fixed bootstrap
 *      key on `globalThis`, evaluate each extension's ESM entry points in
 *      order, then delete the key — from here on user code runs.
 *
 * Trust boundary: everything inside the wasm instance is hostile. A host error
 * escaping a call into the engine (a wasm trap, a host stack overflow) is a
 * fatal fault: the instance is discarded, never freed or reused.
 */
import type { QuickJSHandle } from "quickjs-emscripten-core";
import { CallScope } from "./call_scope.ts";
import { coreExtension, Timers } from "./core_extension.ts";
import { BridgeRangeError, Engine, type Ptr, Tag } from "./engine.ts";
import { GuestError, Interrupted, MemoryLimitExceeded, messageOf, RuntimeFault } from "./errors.ts";
import { EventLoop } from "./event_loop.ts";
import { assertExtension, type Extension, orderExtensions } from "./extension.ts";
import { PRIMORDIALS_SOURCE } from "./js/00_primordials.ts";
import { CORE_SOURCE, objectMakerNames } from "./js/01_core.ts";
import { type Limits, RunBudget, resolveLimits } from "./limits.ts";
import { BridgeTypeError, type GuestHelpers, GuestThrow, Marshal } from "./marshal.ts";
import { type AllocationWatch, watchAllocations } from "./memory_guard.ts";
import { dynamicImportHook, type ImportHook } from "./modules/dynamic_import.ts";
import { type JsxOptions, ModuleGraph, modulesExtension } from "./modules/graph.ts";
import { MemoryModuleLoader, type ModuleLoader } from "./modules/loader.ts";
import { ModuleMap } from "./modules/module_map.ts";
import { OpDriver } from "./op_driver.ts";
import { OpState } from "./op_state.ts";
import { OpTable } from "./ops.ts";
import { Permissions, type PermissionsOptions } from "./permissions.ts";
import {
  compileQuickJS,
  defaultBuild,
  instantiateQuickJS,
  type QuickJSBuild,
  type QuickJSInstance,
} from "./quickjs.ts";
import { RejectionTracker } from "./rejections.ts";
import { ResourceTable } from "./resources.ts";
import {
  checkSnapshot,
  engineIdOf,
  extensionDigest,
  type FreshWrites,
  findMallocState,
  findRandomState,
  heapHighWater,
  heapStart,
  packSegments,
  type RuntimeSnapshot,
  reseedRandom,
  SNAPSHOT_FORMAT,
  SNAPSHOT_VERSION,
  type SnapshotLayout,
  SnapshotMismatch,
  unpackSegments,
} from "./snapshot.ts";
import { BuiltinStopped, installFuel, wasmHostFunction } from "./wasm_hooks.ts";
import { firstNonZero, type NonZeroScan, nonZeroEnd, nonZeroScanner, usedGapScanner } from "./wasm_scan.ts";

export interface RuntimeOptions {
  extensions?: readonly Extension[];
  permissions?: PermissionsOptions;
  limits?: Partial<Limits>;
  /** QuickJS build; defaults to release (or `ISLET_QUICKJS_BUILD=debug`). */
  build?: QuickJSBuild;
  /** A compiled QuickJS module of the same build (skips compiling it again). */
  wasmModule?: WebAssembly.Module;
  /** Resolves and loads user modules; defaults to an empty {@link MemoryModuleLoader}. */
  moduleLoader?: ModuleLoader;
  /** The host's fetch, used for `https:` modules (after the `net` check). Defaults to `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** Enables `.jsx`/`.tsx` modules (classic JSX factory). */
  jsx?: JsxOptions;
  /**
   * An image from `runtime.snapshot()`: the runtime starts from it instead of
   * bootstrapping its extensions. `extensions`, `build` and
   * `limits.memoryBytes` must be the ones the image was made with (a
   * mismatch is a {@link SnapshotMismatch}); the other options may differ.
   */
  snapshot?: RuntimeSnapshot;
}

/** The compiled module's identity, computed once per module. */
const engineIds = new WeakMap<WebAssembly.Module, string>();
function engineIdFor(module: WebAssembly.Module): string {
  let id = engineIds.get(module);
  if (id === undefined) {
    id = engineIdOf(module);
    engineIds.set(module, id);
  }
  return id;
}

/**
 * The part of a runtime that belongs to its wasm instance: the engine, the
 * hooks installed in its function table, and which runtime they call now.
 * A disposed runtime that can be returned to its image leaves this behind,
 * reset, for the next `create({ snapshot })` of that image (see dispose()).
 */
interface EngineSlot {
  engine: Engine;
  instance: QuickJSInstance;
  /** The runtime the engine's callbacks (ops, loop meter, rejections, import jobs) reach. */
  owner: JsRuntime;
  wasmModule: WebAssembly.Module;
  tableBase: number;
  memoryWatch: AllocationWatch | undefined;
  tracksRejections: boolean;
  importHook: ImportHook | undefined;
  /**
   * The largest `limits.stackBytes` any runtime set on this engine: below the
   * C stack's top, guests of the engine can have written down to about there.
   */
  stackReach: number;
}

/**
 * Per image: reset engines of disposed runtimes, waiting to be reused. A
 * WeakMap, so they go when the image goes; at most {@link WARM_PER_IMAGE}.
 */
const warmEngines = new WeakMap<RuntimeSnapshot, EngineSlot[]>();
const WARM_PER_IMAGE = 2;
/**
 * Room below a runtime's stack limit for the C frames under QuickJS's last
 * depth check (a built-in's locals, the bridge's calls out): a reset reads the
 * C stack exactly down to `stackBytes` and this much below it.
 */
const STACK_SLACK = 256 << 10;
/**
 * An engine whose heap grew more than this past the image is freed, not kept:
 * a kept engine holds the pages its run committed (and returning it to the
 * image zeroes them all).
 */
const WARM_HEAP_SLACK = 8 << 20;

/** Empties quickjs-emscripten's host-reference map, as a new QuickJS runtime has it (ids restart at -2^31). */
function clearHostRefs(hostRefs: HostRefMapInternals): void {
  hostRefs.groups.clear();
  hostRefs.freelist.length = 0;
  hostRefs.nextId = -2147483648;
}

/** A new wasm instance and its engine (QuickJS runtime and context), its hooks not yet installed. */
async function newEngineSlot(
  build: QuickJSBuild,
  memoryBytes: number,
  wasmModule: WebAssembly.Module,
): Promise<EngineSlot> {
  const instance = await instantiateQuickJS(build, memoryBytes, wasmModule);
  const engine = new Engine(instance);
  return {
    engine,
    instance,
    owner: undefined as unknown as JsRuntime, // set by the runtime that takes the slot
    wasmModule,
    tableBase: engine.table?.length ?? 0,
    memoryWatch: undefined,
    tracksRejections: false,
    importHook: undefined,
    stackReach: 0,
  };
}

/** A reset engine of a disposed runtime of `image`, made from `wasmModule`, if one waits. */
function takeWarmEngine(image: RuntimeSnapshot, wasmModule: WebAssembly.Module): EngineSlot | undefined {
  const waiting = warmEngines.get(image);
  const at = waiting?.findIndex((slot) => slot.wasmModule === wasmModule) ?? -1;
  return at < 0 ? undefined : waiting?.splice(at, 1)[0];
}

/** Per image: where a new instance's creation calls wrote inside the image's gaps (snapshot.ts: FreshWrites). */
const freshWrites = new WeakMap<RuntimeSnapshot, FreshWrites>();

/** Where dlmalloc's state sits, per compiled module (static data: the same in every instance). */
const mallocStates = new Map<string, number>();

/** quickjs-emscripten's HostRefMap, whose fields are private upstream. */
interface HostRefMapInternals {
  nextId: number;
  freelist: number[];
  groups: Map<number, Map<number, object>>;
  put(value: object): number;
  get(id: number): object;
}
/** The lazily cached handles of quickjs-emscripten's QuickJSContext (private upstream). */
interface ContextInternals {
  _global: QuickJSHandle | undefined;
  _BigInt: QuickJSHandle | undefined;
  _Symbol: QuickJSHandle | undefined;
  _SymbolIterator: QuickJSHandle | undefined;
  _SymbolAsyncIterator: QuickJSHandle | undefined;
  uint32Out: { value: { ptr: number } };
  memory: { staticHeapValueHandle(p: number): QuickJSHandle };
}
const UNCAPTURED_CONTEXT_CACHES = ["_BigInt", "_Symbol", "_SymbolIterator", "_SymbolAsyncIterator"] as const;

/** Extension modules reach the guest core through this key until bootstrap deletes it (fixed: boot is deterministic). */
const BOOTSTRAP_KEY = "__islet_bootstrap";
const OBJECT_MAKER_NAMES = objectMakerNames() as `objectOf${number}`[];
/** Guest helpers the marshaler calls (see marshal.ts). */
/** After out-of-memory, a runtime that cannot allocate this much more is discarded. */
const HEADROOM_PROBE = "x".repeat(256 << 10);
/** Microtasks a failed call may leave behind before the runtime is discarded instead. */
const MAX_DISCARDED_JOBS = 10_000;
/** How long past its limit a call may stay inside a built-in before the loop meter stops it there. */
const LOOP_GRACE_MS = 100;
/** …and for at least this many refills of the meter's fuel (2^16 loop iterations each). */
const LOOP_GRACE_REFILLS = 16;

const MARSHAL_HELPERS = [
  "classify",
  "viewBytes",
  "describeValue",
  "newObject",
  ...OBJECT_MAKER_NAMES,
  "newArray",
  "addProperties",
  "flatten",
  "utf16ToString",
  "stringToUtf16",
  "bigintToString",
  "makeBigInt",
  "wrapBytes",
  "messageKey",
] as const satisfies readonly (keyof GuestHelpers)[];
/** `ext:core/ops`' source for these op names (every runtime of the same extensions has the same). */
function opsModuleSource(key: string, names: readonly string[]): string {
  const id = `${key}|${names.join(",")}`;
  let source = opsModuleSources.get(id);
  if (source === undefined) {
    source = `const ops = globalThis[${key}].ops;\n` + names.map((n) => `export const ${n} = ops.${n};`).join("\n");
    if (opsModuleSources.size < 256) opsModuleSources.set(id, source);
  }
  return source;
}
const opsModuleSources = new Map<string, string>();

/** An extension's `ext:` modules as [specifier, source] pairs, listed once per `esm` object. */
function esmEntries(esm: Readonly<Record<string, string>>): readonly [string, string][] {
  let entries = esmEntryLists.get(esm);
  if (entries === undefined) {
    entries = Object.entries(esm);
    esmEntryLists.set(esm, entries);
  }
  return entries;
}
const esmEntryLists = new WeakMap<object, readonly [string, string][]>();

/**
 * The marshal's guest helpers, read through getters when used (a restore or a reset
 * changes the handles): defined once on the prototype, not per runtime.
 */
class LazyHelpers {
  constructor(readonly handles: Map<Helper, QuickJSHandle>) {}
}
for (const name of MARSHAL_HELPERS) {
  Object.defineProperty(LazyHelpers.prototype, name, {
    get(this: LazyHelpers) {
      return (this.handles.get(name) as QuickJSHandle).value as unknown as number;
    },
  });
}

/** Every guest helper from js/01_core.ts the runtime holds a handle to. */
const HELPERS = [
  ...MARSHAL_HELPERS,
  "settle",
  "fireTimer",
  "handleUncaught",
  "handleUnhandledRejection",
  "makeError",
  "describeError",
  "discardPending",
  "callExposed",
] as const;
type Helper = (typeof HELPERS)[number];

export class JsRuntime {
  readonly limits: Limits;
  readonly opState: OpState;
  readonly permissions: Permissions;
  readonly modules = new ModuleMap();
  #graph!: ModuleGraph;
  readonly #moduleUrls = new Map<number, string>();
  /** Owned (in #owned): the promise of each evaluated module's import(), holding its namespace. */
  readonly #namespaces = new Map<number, QuickJSHandle>();
  #namespaceCopier: QuickJSHandle | undefined;
  readonly #engine: Engine;
  readonly #slot: EngineSlot;
  /** create() finished: only such a runtime's engine may be reused after dispose(). */
  #created = false;
  /** Whether the last call, and the one before it, ended with MemoryLimitExceeded. */
  readonly #outOfMemory = { last: false, previous: false };
  readonly #budget = new RunBudget(() => this.#slot?.memoryWatch?.failed() === true);
  #ops!: OpTable;
  #marshal!: Marshal;
  readonly #opDriver: OpDriver;
  readonly #loop: EventLoop;
  readonly #rejections: RejectionTracker;
  readonly #helpers = new Map<Helper, QuickJSHandle>();
  readonly #owned: QuickJSHandle[] = [];
  #disposed = false;
  /** {@link setWallDeadline}'s deadline; +Infinity when none. */
  #wallDeadline = Number.POSITIVE_INFINITY;
  #fault: unknown;
  /** A host error escaped a call into the engine (a trap): the instance's own state is unknown. */
  #trapped = false;
  /** Refills of the loop meter since the call became overdue (see #onFuelEmpty). */
  #overdueRefills = 0;
  /** Whether any entry point that runs or loads user code was called (since create or reset). */
  #used = false;
  /** The image this runtime was made from or took, for reset(). */
  #image: RuntimeSnapshot | undefined;
  #extensions: Extension[] = [];
  /** The ext: modules bootstrap published, in order (re-published on reset). */
  readonly #extModules: [string, string][] = [];
  /** Resolution failures waiting for QuickJS to ask for their module (see the module loader hooks). */
  readonly #unresolved = new Map<string, unknown>();
  #hostRefs: HostRefMapInternals | undefined;
  #build: QuickJSBuild = "release";
  #engineId = "";
  /** The function table's length before the runtime grew it. */
  readonly #tableBase: number;
  #importHelperIndex = -1;

  static async create(options: RuntimeOptions = {}): Promise<JsRuntime> {
    if (options === null || typeof options !== "object") {
      throw new TypeError("JsRuntime.create(options): options must be an object");
    }
    const userExtensions = options.extensions ?? [];
    if (!Array.isArray(userExtensions)) {
      throw new TypeError(
        "JsRuntime.create: options.extensions must be an array of extensions made with defineExtension()",
      );
    }
    userExtensions.forEach(assertExtension);
    const limits = resolveLimits(options.limits);
    const permissions = new Permissions(options.permissions);
    let graph: ModuleGraph | undefined;
    const extensions = orderExtensions([
      coreExtension(limits.maxTimers),
      modulesExtension(() => graph as ModuleGraph),
      ...userExtensions,
    ]);
    const build = options.build ?? defaultBuild();
    const snapshot = options.snapshot;
    const wasmModule = options.wasmModule ?? (await compileQuickJS(build));
    if (snapshot !== undefined) {
      checkSnapshot(snapshot, {
        build,
        engineId: engineIdFor(wasmModule),
        memoryBytes: limits.memoryBytes,
        extensions,
      });
    }
    const warm = snapshot === undefined ? undefined : takeWarmEngine(snapshot, wasmModule);
    const slot = warm ?? (await newEngineSlot(build, limits.memoryBytes, wasmModule));
    const runtime = new JsRuntime(slot, limits, permissions, warm !== undefined);
    slot.owner = runtime;
    runtime.#extensions = extensions;
    runtime.#build = build;
    runtime.#engineId = engineIdFor(wasmModule);
    const hostFetch = options.fetch;
    const callScope = runtime.opState.get(CallScope);
    graph = runtime.#graph = new ModuleGraph(runtime.modules, {
      checkSyntax: (url) => runtime.#checkModuleSyntax(url),
      loader: options.moduleLoader ?? new MemoryModuleLoader(),
      permissions,
      // A remote module's fetch is host work of the call that imports it.
      fetch: (input, init) => {
        const fetchFn = hostFetch ?? globalThis.fetch;
        if (typeof fetchFn !== "function") throw new TypeError("import: this host has no fetch");
        return fetchFn(input, { ...init, signal: callScope.signal });
      },
      ...(options.jsx ? { jsx: options.jsx } : {}),
    });
    try {
      if (warm !== undefined) {
        runtime.#adoptWarm(snapshot as RuntimeSnapshot);
      } else {
        await runtime.#installHooks(slot);
        if (snapshot !== undefined) {
          runtime.#restore(snapshot);
        } else {
          runtime.#bootstrap(extensions);
          const importHelper = runtime.#guest(() => slot.importHook?.install());
          if (importHelper !== undefined) {
            runtime.#importHelperIndex = runtime.#owned.length;
            runtime.#own(importHelper);
          }
        }
      }
    } catch (error) {
      runtime.dispose();
      throw error;
    }
    runtime.#created = true;
    return runtime;
  }

  private constructor(slot: EngineSlot, limits: Limits, permissions: Permissions, warm: boolean) {
    const engine = slot.engine;
    this.#slot = slot;
    this.#engine = engine;
    this.#tableBase = slot.tableBase;
    this.limits = limits;
    this.permissions = permissions;
    this.opState = new OpState(new ResourceTable(limits.maxResources));
    this.modules.maxSourceBytes = limits.memoryBytes;
    this.opState.put(Permissions, permissions);
    this.#rejections = new RejectionTracker(engine);
    this.#opDriver = new OpDriver(limits.maxPendingOps, () => this.#loop.wake());
    this.#loop = new EventLoop({
      engine,
      toGuest: (value, where) => this.#marshal.toGuest(value, where),
      budget: this.#budget,
      ops: this.#opDriver,
      rejections: this.#rejections,
      timers: () => this.opState.get(Timers),
      guest: (fn) => this.#guest(fn),
      callHelper: (name, args) => this.#callHelper(name, args),
      hostErrorFromPtr: (exception, where) => this.#hostErrorFromPtr(exception, where),
      hostErrorFrom: (handle, where) => this.#hostErrorFrom(handle, where),
      makeGuestError: (error) => this.#makeGuestError(error),
      toHost: (p, where) => this.#toHost(p, where),
      stopError: () => this.#stopError(),
      assertUsable: (api) => this.#assertUsable(api),
    });
    this.opState.put(CallScope, new CallScope());
    if (!warm) engine.calibrateStrings();
    engine.runtime.setMemoryLimit(limits.memoryBytes);
    engine.runtime.setMaxStackSize(limits.stackBytes);
    slot.stackReach = Math.max(slot.stackReach, limits.stackBytes);
    engine.runtime.setInterruptHandler(() => this.#budget.shouldInterrupt());
    // A normalize error thrown straight to quickjs-emscripten is lost (the engine
    // then asks to load ""), so a failed resolution returns a unique token whose
    // load rethrows the original error.
    const unresolved = this.#unresolved;
    let failures = 0;
    engine.runtime.setModuleLoader(
      (name) => {
        if (unresolved.has(name)) {
          const error = unresolved.get(name);
          unresolved.delete(name);
          throw error;
        }
        return this.modules.load(name);
      },
      (referrer, specifier) => {
        try {
          return this.modules.normalize(referrer, specifier);
        } catch (error) {
          const token = `islet-unresolved:${++failures}:${specifier}`;
          unresolved.set(token, error);
          return token;
        }
      },
    );
  }

  // --- bootstrap -------------------------------------------------------------------
  #bootstrap(extensions: Extension[]): void {
    const engine = this.#engine;
    const ctx = engine.context;
    for (const ext of extensions) ext.state?.(this.opState);
    const primordials = this.#own(
      this.#evalOrThrow(`(${PRIMORDIALS_SOURCE})(globalThis)`, "ext:core/00_primordials.js"),
    );
    const makeCore = this.#own(this.#evalOrThrow(`(${CORE_SOURCE})`, "ext:core/01_core.js"));

    // Raw op functions go in a plain object the guest core wraps; host ids come
    // from quickjs-emscripten's HostRefMap so a collected function frees its id.
    const rawOps = this.#own(ctx.newObject());
    const asyncNames = this.#own(ctx.newObject());
    const hostRefs = this.#makeOpTable();
    for (const ext of extensions) {
      for (const [name, def] of Object.entries(ext.ops)) {
        const id = hostRefs.put({ op: name });
        const fn = this.#ops.register(name, def, id);
        const handle = this.#handle(fn);
        ctx.setProp(rawOps, name, handle);
        handle.dispose();
        if (def.kind === "async") ctx.setProp(asyncNames, name, ctx.true);
      }
    }
    const internals = this.#own(this.#callOrThrow(makeCore, primordials, rawOps, asyncNames));
    for (const name of HELPERS) this.#helpers.set(name, this.#own(ctx.getProp(internals, name)));

    // Extension modules reach the core through a bootstrap key that is deleted below,
    // before any user code runs (so it need not be secret, and boot stays deterministic).
    ctx.setProp(ctx.global, BOOTSTRAP_KEY, internals);
    this.#publishExtModules();
    try {
      for (const ext of extensions) {
        for (const entry of ext.esmEntryPoints) this.#evaluateBootstrapModule(entry);
      }
    } finally {
      const deleted = ctx.evalCode(`delete globalThis[${JSON.stringify(BOOTSTRAP_KEY)}]`);
      deleted.dispose();
    }
  }

  /** The marshal and the op table (empty), with op calls routed to it. Returns the host-reference map op ids come from. */
  #makeOpTable(): HostRefMapInternals {
    const engine = this.#engine;
    const hostRefs = (engine.runtime as unknown as { hostRefs: HostRefMapInternals }).hostRefs;
    this.#hostRefs = hostRefs;
    this.#marshal = new Marshal(engine, this.#lazyHelpers(), hostRefs, () => this.#budget.tripped);
    this.#ops = new OpTable(engine, this.#marshal, this.opState, this.#opDriver, {
      makeGuestError: (error) => this.#makeGuestError(error),
    });
    return hostRefs;
  }

  /**
   * Publishes the `ext:` modules: `ext:core/ops` and `ext:core/mod.js` (which
   * reach the guest core through the bootstrap key), then each extension's.
   */
  #publishExtModules(): void {
    if (this.#extModules.length === 0) {
      const key = JSON.stringify(BOOTSTRAP_KEY);
      this.#extModules.push(
        ["ext:core/ops", opsModuleSource(key, this.#ops.names)],
        [
          "ext:core/mod.js",
          `const core = globalThis[${key}].core;\nexport { core };\nexport const primordials = core.primordials;\nexport default core;`,
        ],
      );
      for (const ext of this.#extensions) this.#extModules.push(...esmEntries(ext.esm));
    }
    for (const [spec, source] of this.#extModules) this.modules.add(spec, source);
  }

  // --- snapshots -------------------------------------------------------------------------
  /**
   * An image of this bootstrapped runtime (snapshot.ts): restore it with
   * `JsRuntime.create({ snapshot, extensions })`, or return this runtime to it
   * with {@link reset}. Only before user code: once a script, a module or the
   * event loop ran (or a module was loaded), this throws — an image must not
   * carry one program's state into the next.
   *
   * What is captured is the guest side: everything QuickJS holds. Host state
   * is rebuilt by each extension's `state` initialiser on restore, so what an
   * embedder put into `opState` after create is not part of the image.
   */
  snapshot(): RuntimeSnapshot {
    this.#assertUsable("snapshot");
    if (this.#used) {
      throw new Error(
        "snapshot: user code already ran in this runtime; take the snapshot right after JsRuntime.create() (or reset()), before any script, module or event loop",
      );
    }
    if (this.#image !== undefined) return this.#image;
    const engine = this.#engine;
    const refuse = (what: string) => {
      throw new Error(`snapshot: ${what} after bootstrap; an image cannot hold host-side work`);
    };
    if (this.opState.resourceTable.list().length > 0) refuse("extensions left resources open");
    if (this.opState.get(Timers).size > 0) refuse("extensions left timers");
    if (this.#opDriver.pendingCount > 0) refuse("extensions left async ops in flight");
    if (engine.jobsPending) refuse("extensions left microtasks queued");
    const contextCaches = engine.context as unknown as ContextInternals;
    for (const name of UNCAPTURED_CONTEXT_CACHES) {
      if (contextCaches[name] !== undefined) refuse(`the context cached ${name}`);
    }
    if (engine.runtime.context !== undefined) refuse("quickjs-emscripten made a system context");
    const hostRefs = this.#hostRefs as HostRefMapInternals;
    const opHostIds = this.#ops.hostIds;
    let refCount = 0;
    for (const group of hostRefs.groups.values()) refCount += group.size;
    if (refCount !== opHostIds.length || hostRefs.freelist.length > 0) {
      refuse("extensions handed host objects (HostRefs) to the guest");
    }
    // Calibration: both probe the live engine (a Math.random() call, a malloc) before the copy.
    const randomState = this.#guest(() =>
      findRandomState(engine.memory, engine.ctx, () => {
        const r = engine.context.evalCode("Math.random()", "ext:core/snapshot.js");
        (r.error ?? r.value).dispose();
      }),
    );
    const mallocState = engine.em._QTS_BuildIsSanitizeLeak()
      ? -1
      : (mallocStates.get(this.#engineId) ??
        findMallocState(
          (n) => engine.em._malloc(n),
          (p) => engine.freeRaw(p),
          engine.i32,
          engine.rt,
          firstNonZero(engine.memory),
        ));
    mallocStates.set(this.#engineId, mallocState);
    const end = nonZeroEnd(engine.memory, 0, heapHighWater(engine.i32, mallocState) & ~3);
    const packed = packSegments(engine.u8, end, firstNonZero(engine.memory));
    const owned = this.#owned.map((h) => h.value as unknown as number);
    const layout: SnapshotLayout = {
      rt: engine.rt,
      ctx: engine.ctx,
      engine: engine.layout(),
      contextOut: contextCaches.uint32Out.value.ptr,
      contextGlobal: (contextCaches._global?.value as unknown as number | undefined) ?? 0,
      tableBase: this.#tableBase,
      tableLength: engine.table?.length ?? 0,
      importJobSlot: this.#slot.importHook?.slot ?? -1,
      owned,
      helpers: [...this.#helpers].map(([name, h]) => [name, this.#owned.indexOf(h)]),
      importHelper: this.#importHelperIndex,
      keys: this.#marshal.keyEntries(),
      opHostIds: [...opHostIds],
      tracksRejections: this.#slot.tracksRejections,
      mallocState,
      randomState,
      segments: packed.segments,
      end,
    };
    this.#image = {
      format: SNAPSHOT_FORMAT,
      version: SNAPSHOT_VERSION,
      build: this.#build,
      engineId: this.#engineId,
      memoryBytes: this.limits.memoryBytes,
      wasmBytes: engine.memory.buffer.byteLength,
      extensions: this.#extensions.map((ext) => ({ name: ext.name, digest: extensionDigest(ext) })),
      ops: [...this.#ops.names],
      memory: packed.bytes,
      layout,
    };
    // The probe above advanced Math.random; this runtime gets its own sequence too.
    reseedRandom(engine.memory, engine.ctx, randomState);
    return this.#image;
  }

  /**
   * Instead of bootstrapping: checks that the creation calls landed where they
   * did when `image` was made, copies it over the memory and rebuilds the host
   * side (see snapshot.ts).
   */
  #restore(image: RuntimeSnapshot): void {
    const engine = this.#engine;
    const { layout } = image;
    const mismatch = (what: string) =>
      new SnapshotMismatch(
        `JsRuntime.create({ snapshot }): ${what} differs from the runtime the snapshot was made in; the image cannot be restored here`,
      );
    if (engine.memory.buffer.byteLength !== image.wasmBytes) throw mismatch("the wasm memory size");
    if (layout.end > image.wasmBytes) throw mismatch("the image size");
    if (engine.rt !== layout.rt || engine.ctx !== layout.ctx) throw mismatch("the QuickJS runtime or context address");
    const context = engine.context as unknown as ContextInternals;
    if (context.uint32Out.value.ptr !== layout.contextOut) throw mismatch("the context's scratch word");
    if (context._global !== undefined) throw mismatch("the context's global handle");
    if ((engine.table?.length ?? 0) !== layout.tableLength || this.#tableBase !== layout.tableBase) {
      throw mismatch("the function table");
    }
    if (this.#slot.tracksRejections !== layout.tracksRejections) throw mismatch("rejection tracking");
    const differs = engine.adoptLayout(layout.engine);
    if (differs !== undefined) throw mismatch(`the engine's ${differs}`);

    this.#copyImage(image, true);
    this.#adoptImage(image, mismatch);
  }

  /**
   * Instead of bootstrapping or restoring: takes an engine a disposed runtime
   * of the same image left behind (dispose()), already reset to the image.
   */
  #adoptWarm(image: RuntimeSnapshot): void {
    this.#adoptImage(image, (what) => new Error(`JsRuntime.create({ snapshot }): a reused engine's ${what} moved`));
    this.#slot.memoryWatch?.clear();
  }

  /** The host side of a runtime whose memory holds `image`: state, ops, the guest handles it owns. */
  #adoptImage(image: RuntimeSnapshot, mismatch: (what: string) => Error): void {
    const engine = this.#engine;
    const { layout } = image;
    const context = engine.context as unknown as ContextInternals;
    this.#image = image;
    if (layout.contextGlobal !== 0) context._global = context.memory.staticHeapValueHandle(layout.contextGlobal);
    for (const ext of this.#extensions) ext.state?.(this.opState);
    const hostRefs = this.#makeOpTable();
    clearHostRefs(hostRefs);
    let i = 0;
    for (const ext of this.#extensions) {
      for (const [name, def] of Object.entries(ext.ops)) {
        const id = hostRefs.put({ op: name });
        if (id !== layout.opHostIds[i++]) throw mismatch(`the host id of ${name}`);
        this.#ops.bind(name, def, id);
      }
    }
    this.#marshal.adoptKeys(layout.keys);
    for (const p of layout.owned) this.#owned.push(this.#handle(p));
    for (const [name, index] of layout.helpers) this.#helpers.set(name as Helper, this.#owned[index] as QuickJSHandle);
    this.#importHelperIndex = layout.importHelper;
    const importHelper = this.#owned[layout.importHelper];
    if (importHelper !== undefined) this.#slot.importHook?.adopt(layout.importJobSlot, importHelper);
    this.#publishExtModules();
    engine.runtime.setMaxStackSize(this.limits.stackBytes);
  }

  /**
   * Copies `image` over the memory: everything up to the image's end, and
   * zeros from there up to the highest address the allocator ever used (above
   * it the memory was never written). Then the engine's lazily allocated
   * buffers and the context's Math.random state follow the image.
   */
  #copyImage(image: RuntimeSnapshot, fresh: boolean): void {
    const engine = this.#engine;
    const { layout } = image;
    const zeroEnd = heapHighWater(engine.i32, layout.mallocState);
    let scan: { writes: FreshWrites; scan: NonZeroScan } | { used: NonZeroScan };
    if (fresh) {
      const writes = freshWrites.get(image) ?? {};
      freshWrites.set(image, writes);
      // Only the image's first restore reads its gaps; later ones zero the ranges it found.
      scan = { writes, scan: writes.ranges === undefined ? nonZeroScanner(engine.memory) : () => undefined };
    } else {
      // The C stack's top is the heap's start (dlmalloc's least address): data, then stack, then heap.
      const stackTop = layout.mallocState < 0 ? 0 : heapStart(engine.i32, layout.mallocState);
      scan = { used: usedGapScanner(engine.memory, stackTop - this.#slot.stackReach - STACK_SLACK) };
    }
    unpackSegments(engine.u8, layout.segments, image.memory, layout.end, zeroEnd, scan);
    engine.adoptLayout(image.layout.engine);
    reseedRandom(engine.memory, engine.ctx, image.layout.randomState);
  }

  /**
   * Returns this runtime to its snapshot in place — the image it was created
   * from, or the one {@link snapshot} took — in about the time of a memory
   * copy. Everything of the previous run is gone: guest globals, modules,
   * microtasks; and on the host its resources (closed), timers, async ops in
   * flight (results ignored), pending prompts and earlier prompt answers, the
   * module map, evaluations still awaited (rejected), and each extension's
   * state (its `state` initialiser runs again). Not while the event loop
   * runs, not from inside the guest's own call (an op calling it), and not
   * after the engine itself faulted (a trap leaves the wasm instance's own
   * state unknown: create a new runtime from the snapshot).
   */
  reset(): void {
    const refusal = this.#resetRefusal();
    if (refusal !== undefined) throw refusal;
    const image = this.#image as RuntimeSnapshot;
    const errors = this.#returnToImage(image, "the runtime was reset");
    this.#marshal.adoptKeys(image.layout.keys);
    this.#publishExtModules();
    for (const ext of this.#extensions) ext.state?.(this.opState);
    this.#engine.runtime.setMaxStackSize(this.limits.stackBytes);
    this.#slot.memoryWatch?.clear();
    this.#budget.reset(0);
    this.#outOfMemory.last = this.#outOfMemory.previous = false;
    this.#fault = undefined;
    this.#used = false;
    if (errors.length > 0) throw new AggregateError(errors, "reset: some resources failed to close");
  }

  /** Why {@link reset} cannot return this runtime to its image now, or undefined when it can. */
  #resetRefusal(): Error | undefined {
    if (this.#disposed) return new Error("reset: this runtime was disposed");
    if (this.#trapped) {
      return new RuntimeFault(
        `reset: this runtime's engine faulted (${messageOf(this.#fault)}); create a new one (JsRuntime.create({ snapshot }) is as fast)`,
      );
    }
    if (this.#image === undefined) {
      return new Error(
        "reset: this runtime has no snapshot; call runtime.snapshot() right after create, or create it with { snapshot }",
      );
    }
    if (this.#loop.running)
      return new Error("reset: the event loop is running; interrupt it and wait for it to end first");
    // Called from inside the guest (an op, a console sink): the engine's stack is live, and
    // copying the image under it would corrupt the call it returns to (or the next owner's heap).
    if (this.#budget.inGuest) return new Error("reset: guest code is running (called from inside an op or callback)");
    const engine = this.#engine;
    const context = engine.context as unknown as ContextInternals;
    for (const name of UNCAPTURED_CONTEXT_CACHES) {
      if (context[name] !== undefined)
        return new Error(`reset: the context cached ${name}, which the image does not hold`);
    }
    if (engine.runtime.context !== undefined) {
      return new Error("reset: quickjs-emscripten made a system context, which the image does not hold");
    }
    return undefined;
  }

  /**
   * Releases the host side of the run (while the memory is still whole, so
   * handles free normally), then copies the image over the memory. Returns
   * the errors of resources that failed to close.
   */
  #returnToImage(image: RuntimeSnapshot, why: string, parking = false): unknown[] {
    this.#endCall(why);
    this.permissions.forgetAnswers();
    this.#opDriver.cancelAll();
    this.opState.tryGet(Timers)?.clear();
    const errors = this.opState.resourceTable.closeAll();
    this.#rejections.clear();
    // Made only when an evaluation still waits (an Error's stack costs more than a reset's copy).
    this.#loop.discard(() => new Error(why));
    for (const h of this.#namespaces.values()) if (h.alive) h.dispose();
    this.#namespaces.clear();
    this.#namespaceCopier = undefined;
    for (const h of this.#owned.splice(image.layout.owned.length)) if (h.alive) h.dispose();
    this.#moduleUrls.clear();
    this.#unresolved.clear();
    this.#graph.clear();
    this.#graph.mainUrl = undefined;
    this.modules.clear();
    const hostRefs = this.#hostRefs as HostRefMapInternals;
    clearHostRefs(hostRefs);
    // A parked engine's next owner registers its own ops (#adoptImage); a reset runtime keeps its own.
    if (!parking) {
      for (const [i, name] of this.#ops.names.entries()) {
        if (hostRefs.put({ op: name }) !== image.layout.opHostIds[i])
          throw new Error(`reset: host id of ${name} moved`);
      }
    }
    this.#copyImage(image, false);
    return errors;
  }

  /**
   * Installs what the engine calls back into, once per wasm instance: the
   * loop meter, the allocation watch, the rejection tracker, the dynamic-import
   * job and the op dispatch. Each reaches the slot's current owner, so a
   * reused engine (see dispose()) serves its next runtime.
   */
  async #installHooks(slot: EngineSlot): Promise<void> {
    const { engine } = slot;
    const { table, fuel } = slot.instance;
    if (fuel !== undefined && table !== undefined) {
      installFuel(
        fuel,
        table,
        (refill) => wasmHostFunction([], [], refill),
        () => slot.owner.#onFuelEmpty(),
      );
    }
    slot.memoryWatch = watchAllocations(table, engine.i32, engine.rt, this.limits.memoryBytes);
    slot.tracksRejections = await engine.installRejectionTracker((p, r, handled) =>
      slot.owner.#rejections.onRejection(p, r, handled),
    );
    slot.importHook = await dynamicImportHook(engine, table, (job) => slot.owner.#rejections.moduleJob(job));
    // C → host calls for op functions go to the owner's OpTable; everything else to quickjs-emscripten.
    const callbacks = engine.em.callbacks as {
      callFunction: (a: unknown, ctx: number, thisPtr: number, argc: number, argv: number, id: number) => number;
    };
    const fallback = callbacks.callFunction;
    callbacks.callFunction = (asyncify, ctx, thisPtr, argc, argv, id) => {
      const runtime = slot.owner;
      const ops = runtime.#ops as OpTable | undefined;
      if (ops === undefined || !ops.has(id)) return fallback(asyncify, ctx, thisPtr, argc, argv, id);
      // Once a call was ended by a limit, guest code can no longer reach the host.
      if (runtime.#budget.checkMemory()) {
        runtime.#budget.refusedOp();
        return ops.throwHostError(runtime.#stopError());
      }
      return ops.dispatch(id, argc, argv);
    };
  }

  #evaluateBootstrapModule(name: string): void {
    const result = this.#guest(() => this.#engine.context.evalCode(this.modules.load(name), name, { type: "module" }));
    if (result.error) throw this.#hostErrorFrom(result.error, `bootstrap of ${name}`);
    const promise = result.value;
    try {
      this.#loop.runMicrotasks(`bootstrap of ${name}`);
      const state = this.#engine.context.getPromiseState(promise);
      if (state.type === "rejected") throw this.#hostErrorFrom(state.error, `bootstrap of ${name}`);
      if (state.type === "pending")
        throw new Error(`bootstrap of ${name}: top-level await is not allowed in extension modules`);
      if (state.value !== promise) state.value.dispose();
    } finally {
      promise.dispose();
    }
  }

  // --- public API -----------------------------------------------------------------------
  /**
   * Runs a classic script in the global scope and returns its completion value,
   * copied to the host. Guest exceptions become a {@link GuestError}; a call
   * the host ends becomes {@link Interrupted} or {@link MemoryLimitExceeded}
   * (and its pending work is discarded: see {@link runEventLoop}).
   */
  executeScript(name: string, source: string): unknown {
    this.#assertUsable("executeScript");
    this.#used = true;
    if (typeof name !== "string" || typeof source !== "string") {
      throw new TypeError("executeScript(name, source): both arguments must be strings");
    }
    this.#beginCall();
    const result = this.#guest(() => this.#engine.context.evalCode(source, name, { type: "global" }));
    if (result.error) throw this.#afterFailure(this.#hostErrorFrom(result.error, "executeScript"));
    if (this.#budget.shouldInterrupt()) {
      result.value.dispose();
      throw this.#afterFailure(this.#stopError());
    }
    try {
      return this.#toHost(result.value.value as unknown as number, "executeScript: completion value");
    } finally {
      result.value.dispose();
    }
  }

  /**
   * Like {@link executeScript}, but a Promise completion value is awaited: the
   * returned promise settles, while the event loop runs, with the resolved value
   * copied to the host (or the rejection as a host error). Values that cannot be
   * copied reject with the guest's TypeError.
   */
  evaluateScript(name: string, source: string): Promise<unknown> {
    this.#assertUsable("evaluateScript");
    this.#used = true;
    if (typeof name !== "string" || typeof source !== "string") {
      return Promise.reject(new TypeError("evaluateScript(name, source): both arguments must be strings"));
    }
    this.#beginCall();
    const result = this.#guest(() => this.#engine.context.evalCode(source, name, { type: "global" }));
    if (result.error) return Promise.reject(this.#afterFailure(this.#hostErrorFrom(result.error, "evaluateScript")));
    if (this.#budget.shouldInterrupt()) {
      result.value.dispose();
      return Promise.reject(this.#afterFailure(this.#stopError()));
    }
    const state = this.#engine.context.getPromiseState(result.value);
    if ("notAPromise" in state && state.notAPromise) {
      try {
        return Promise.resolve(
          this.#toHost(result.value.value as unknown as number, "evaluateScript: completion value"),
        );
      } catch (error) {
        return Promise.reject(error);
      } finally {
        result.value.dispose();
      }
    }
    if (state.type === "fulfilled") state.value.dispose();
    else if (state.type === "rejected") state.error.dispose();
    const settled = new Promise<unknown>((resolve, reject) => {
      this.#loop.track({
        name,
        promise: result.value,
        resolve,
        reject,
        copyValueAs: "evaluateScript: resolved value",
      });
    });
    settled.catch(() => {});
    return settled;
  }

  /**
   * Calls the guest function an extension module exposed with
   * `core.exposeToHost(name, fn)` — the way an extension's host half asks its
   * guest half something (the console's `inspect`): `args` are copied in and
   * the return value copied out (marshal.ts). It is a call of its own, with a
   * fresh CPU and wall-clock budget, so it is refused while the event loop runs;
   * a guest exception becomes a {@link GuestError}, a limit {@link Interrupted}.
   */
  callExposed(name: string, ...args: unknown[]): unknown {
    this.#assertUsable("callExposed");
    if (typeof name !== "string") throw new TypeError("callExposed(name, ...args): name must be a string");
    if (this.#loop.running)
      throw new Error(`callExposed(${JSON.stringify(name)}): the event loop is running; call it between calls`);
    this.#used = true;
    // A budget of its own, but not a call for the out-of-memory bookkeeping (#beginCall's "two
    // calls in a row ran out"): the worker calls the console's release between any two calls.
    this.#budget.reset(this.limits.cpuMs, this.limits.wallMs, this.#wallDeadline);
    const where = `callExposed(${JSON.stringify(name)})`;
    const namePtr = this.#marshal.toGuest(name, () => where);
    let r: Ptr;
    try {
      const argsPtr = this.#marshal.toGuest(args, () => `${where}: arguments`);
      try {
        r = this.#callHelper("callExposed", [namePtr, argsPtr]);
      } finally {
        this.#engine.free(argsPtr);
      }
    } finally {
      this.#engine.free(namePtr);
    }
    if (this.#engine.tag(r) === Tag.Exception)
      throw this.#afterFailure(this.#hostErrorFromPtr(this.#engine.takeException(r), where));
    try {
      if (this.#budget.shouldInterrupt()) throw this.#afterFailure(this.#stopError());
      return this.#toHost(r, `${where}: return value`);
    } finally {
      this.#engine.free(r);
    }
  }

  /**
   * Runs the event loop until nothing ref'd is pending: microtasks, completed
   * async ops, due timers, microtasks again, repeat (event_loop.ts). Rejects on
   * an uncaught exception, an unhandled rejection, a limit
   * ({@link Interrupted}, {@link MemoryLimitExceeded}), or a module evaluation
   * that can never finish.
   *
   * What survives a failed call: when a call is ended by a limit, or the event
   * loop fails for any reason, the work it left pending is discarded — queued
   * microtasks (drained with the guest unable to reach the host), timers and
   * intervals, in-flight async ops (their results are ignored), unhandled
   * rejections, and the evaluations the host waits on (rejected with the same
   * error). Guest globals and evaluated modules survive, and the next call
   * starts clean. A script that merely throws (executeScript/evaluateScript/
   * evaluateModule without a limit) discards nothing, as in a browser: the
   * timers it set still run in the next loop. If the leftover microtasks cannot
   * be drained, the runtime is discarded and the error says so.
   */
  async runEventLoop(): Promise<void> {
    this.#assertUsable("runEventLoop");
    if (this.#loop.running) throw new Error("runEventLoop: the event loop is already running");
    this.#used = true;
    this.#beginCall();
    try {
      await this.#loop.run();
    } catch (error) {
      throw this.#fault === undefined ? this.#afterFailure(error, true) : error;
    } finally {
      this.#endCall("the call ended");
    }
  }

  /** The call is over: its pending prompts are cancelled and its host work stopped (call_scope.ts). */
  #endCall(reason: string): void {
    this.permissions.cancelPrompts(reason);
    this.opState.get(CallScope).end(reason);
  }

  /**
   * Asks the running call to stop: running guest code is interrupted, a
   * waiting event loop wakes, and the call ends with {@link Interrupted}.
   */
  interrupt(): void {
    this.#budget.requestStop();
    this.#loop.wake();
  }

  /**
   * A wall-clock deadline (a `performance.now()` time) for a host whose own call
   * spans several runtime calls (a worker's `run`: load the graph, evaluate, run
   * the loop): every call that runs past it ends as `limits.wallMs` ends one,
   * with the same error. `limits.wallMs` still bounds each call on its own;
   * `undefined` clears the deadline.
   */
  setWallDeadline(deadline: number | undefined): void {
    if (deadline !== undefined && (typeof deadline !== "number" || Number.isNaN(deadline)))
      throw new TypeError(`setWallDeadline: expected a performance.now() time or undefined, got ${String(deadline)}`);
    this.#wallDeadline = deadline ?? Number.POSITIVE_INFINITY;
  }

  resources(): { rid: number; name: string }[] {
    return this.opState.resourceTable.list();
  }

  /** Bytes the guest heap uses now (QuickJS's own accounting). */
  memoryUsed(): number {
    this.#assertUsable("memoryUsed");
    // QuickJS's usage report allocates; on a full heap it can trap, so it runs as a guarded call.
    // Made in the runtime's own context: quickjs-emscripten's computeMemoryUsage() would
    // create a second, "system" context on first use, which a snapshot image does not hold.
    const engine = this.#engine;
    const usage = this.#handle(this.#guest(() => engine.em._QTS_RuntimeComputeMemoryUsage(engine.rt, engine.ctx)));
    try {
      const dumped = this.#engine.context.dump(usage) as { memory_used_size?: number };
      return dumped.memory_used_size ?? 0;
    } finally {
      usage.dispose();
    }
  }

  /**
   * Diagnostic: bytes the wasm allocator can still hand out. Unlike
   * {@link memoryUsed} (QuickJS's accounting) it sees the bridge's own copies.
   * Probes with mallocs, so it is slow; release build only.
   */
  wasmHeapFreeBytes(): number {
    this.#assertUsable("wasmHeapFreeBytes");
    return this.#engine.heapFreeBytes();
  }

  get disposed(): boolean {
    return this.#disposed;
  }
  /** The fault that made this runtime unusable, if any. */
  get fault(): unknown {
    return this.#fault;
  }

  /**
   * Instead of freeing the engine: returns it to the image (as {@link reset}
   * does) and leaves it for the next `JsRuntime.create({ snapshot })` of that
   * image, which then costs about a reset instead of a new wasm instance.
   * Only a sound engine (not faulted, not trapped, not under a running call,
   * the release build: the debug build frees, so its leak check runs) and at
   * most a few per image.
   * Returns the resources' close errors when it parked the engine.
   */
  #park(): unknown[] | undefined {
    const image = this.#image;
    if (!this.#created || image === undefined || this.#build !== "release" || this.#fault !== undefined) {
      return undefined;
    }
    if (this.#resetRefusal() !== undefined) return undefined;
    const waiting = warmEngines.get(image) ?? [];
    if (waiting.length >= WARM_PER_IMAGE) return undefined;
    const grown = heapHighWater(this.#engine.i32, image.layout.mallocState) - image.layout.end;
    if (image.layout.mallocState < 0 || grown > WARM_HEAP_SLACK) return undefined;
    let errors: unknown[];
    try {
      errors = this.#returnToImage(image, "the runtime was disposed", true);
    } catch {
      return undefined; // left as it is, freed below
    }
    waiting.push(this.#slot);
    warmEngines.set(image, waiting);
    return errors;
  }

  /** Frees everything: resources, timers, guest handles, the QuickJS instance (or parks it, see #park). Safe to call twice. */
  dispose(): void {
    if (this.#disposed) return;
    const parked = this.#park();
    this.#disposed = true;
    this.#opDriver.close();
    this.#loop.wake();
    this.#endCall("the runtime was disposed");
    const errors = [...(parked ?? []), ...this.opState.resourceTable.closeAll()];
    this.modules.clear();
    this.#graph?.clear();
    this.opState.tryGet(Timers)?.clear();
    const disposed = new Error("the runtime was disposed");
    if (this.#fault !== undefined) this.#loop.dispose(disposed, false);
    else if (parked === undefined) {
      try {
        this.#rejections.clear();
        this.#loop.dispose(disposed, true);
        this.#marshal?.dispose();
        for (const h of this.#helpers.values()) h.dispose();
        for (const h of this.#owned.reverse()) if (h.alive) h.dispose();
        this.#engine.dispose();
      } catch (error) {
        // A fault while freeing (on the debug build: a leaked handle). The instance is
        // dropped as it is, and the error surfaces so tests catch the leak.
        this.#fault = error;
        errors.push(new RuntimeFault(`dispose: QuickJS failed while freeing (${messageOf(error)})`, { cause: error }));
      }
    }
    if (errors.length > 0) throw new AggregateError(errors, "dispose: some resources failed to close or free");
  }

  // --- modules -------------------------------------------------------------------------
  /**
   * Prepares the main module and its whole static graph (resolve, load,
   * transpile; modules/graph.ts) and returns its id. `source` replaces the
   * loader's copy of it. A runtime has one main module (`import.meta.main`).
   */
  async loadMainModule(url: string, source?: string): Promise<number> {
    this.#assertUsable("loadMainModule");
    const target = moduleUrlOf(url, "loadMainModule");
    const main = this.#graph.mainUrl;
    if (main !== undefined && main !== target) {
      throw new Error(`loadMainModule: this runtime already has a main module ("${main}"); use loadSideModule`);
    }
    this.#graph.mainUrl = target;
    return this.#loadModule(target, source, "loadMainModule");
  }

  /** Like {@link loadMainModule}, for any number of other modules. */
  async loadSideModule(url: string, source?: string): Promise<number> {
    this.#assertUsable("loadSideModule");
    return this.#loadModule(moduleUrlOf(url, "loadSideModule"), source, "loadSideModule");
  }

  async #loadModule(url: string, source: string | undefined, api: string): Promise<number> {
    this.#used = true;
    if (source !== undefined && typeof source !== "string") throw new TypeError(`${api}: source must be a string`);
    const final = await this.#graph.prepare(url, source);
    this.#assertUsable(api);
    const id = this.#moduleUrls.size + 1;
    this.#moduleUrls.set(id, final);
    return id;
  }

  /**
   * Compiles a prepared module without running it, as QuickJS does when it
   * links (which also loads what the module imports; their failures are not
   * this check's to report): the SyntaxError that compiling finds, if any.
   */
  #checkModuleSyntax(url: string): Error | undefined {
    if (this.#disposed || this.#fault !== undefined || !this.modules.has(url)) return undefined;
    const source = this.modules.load(url);
    const result = this.#guest(() => this.#engine.context.evalCode(source, url, { type: "module", compileOnly: true }));
    if (result.error) {
      const error = this.#hostErrorFrom(result.error, "loading modules");
      return error instanceof GuestError && error.guestName === "SyntaxError"
        ? (withSyntaxLocation(error) as Error)
        : undefined;
    }
    result.value.dispose();
    return undefined;
  }

  /**
   * Evaluates a loaded module (and its imports). The promise settles while
   * the event loop runs: fulfilled when evaluation (top-level await included)
   * finishes, rejected with the module's error (a SyntaxError's message ends
   * with its file:line:column).
   */
  evaluateModule(id: number): Promise<undefined> {
    this.#assertUsable("evaluateModule");
    this.#used = true;
    const url = this.#moduleUrls.get(id);
    if (url === undefined) {
      throw new TypeError(`evaluateModule: ${String(id)} is not a module id from loadMainModule/loadSideModule`);
    }
    this.#beginCall();
    // The engine's own import() of a prepared URL: QuickJS links and evaluates
    // from the ModuleMap and caches the module, so later importers share it.
    const result = this.#guest(() =>
      this.#engine.context.evalCode(`import(${JSON.stringify(url)})`, "ext:islet_modules/evaluate.js", {
        type: "global",
      }),
    );
    if (result.error) throw this.#afterFailure(this.#hostErrorFrom(result.error, "evaluateModule"));
    if (this.#budget.shouldInterrupt()) {
      result.value.dispose();
      throw this.#afterFailure(this.#stopError());
    }
    if (!this.#namespaces.has(id)) this.#namespaces.set(id, this.#own(result.value.dup()));
    const evaluated = this.trackEvaluation(url, result.value).then(undefined, (error: unknown) => {
      throw withSyntaxLocation(error);
    });
    evaluated.catch(() => {});
    return evaluated;
  }

  /**
   * The exports of an evaluated module, copied to the host (plain data only:
   * functions are left out, since they cannot cross the bridge).
   */
  getModuleNamespace(id: number): Record<string, unknown> {
    this.#assertUsable("getModuleNamespace");
    const url = this.#moduleUrls.get(id);
    const promise = this.#namespaces.get(id);
    if (url === undefined || promise === undefined) {
      throw new TypeError(`getModuleNamespace: ${String(id)} is not the id of an evaluated module`);
    }
    const ctx = this.#engine.context;
    const state = ctx.getPromiseState(promise);
    if (state.type === "pending") {
      throw new Error(`getModuleNamespace: "${url}" is still evaluating; run the event loop first`);
    }
    if (state.type === "rejected") {
      state.error.dispose();
      throw new Error(`getModuleNamespace: "${url}" failed to evaluate`);
    }
    const namespace = state.value;
    try {
      // Guest code may have replaced Object.keys; that only spoils its own copy,
      // which the marshal still checks like any guest value.
      this.#namespaceCopier ??= this.#own(
        this.#evalOrThrow(
          `(function (ns) { "use strict"; const out = {}; for (const k of Object.keys(ns)) { let v; try { v = ns[k]; } catch { continue; } if (typeof v !== "function") out[k] = v; } return out; })`,
          "ext:islet_modules/namespace.js",
        ),
      );
      const copier = this.#namespaceCopier;
      const copy = this.#guest(() => ctx.callFunction(copier, ctx.undefined, namespace));
      if (copy.error) throw this.#hostErrorFrom(copy.error, "getModuleNamespace");
      try {
        return this.#toHost(copy.value.value as unknown as number, `getModuleNamespace("${url}")`) as Record<
          string,
          unknown
        >;
      } finally {
        copy.value.dispose();
      }
    } finally {
      namespace.dispose();
    }
  }

  // --- module evaluation (used by the module loader) -------------------------------------
  /**
   * Tracks a guest promise of a module evaluation; the returned host promise
   * settles when the event loop sees the guest promise settle.
   */
  trackEvaluation(name: string, promise: QuickJSHandle): Promise<undefined> {
    return new Promise<undefined>((resolve, reject) => {
      this.#loop.track({ name, promise, resolve: () => resolve(undefined), reject });
    });
  }

  /** Whether unhandled rejections are tracked (QuickJS compiled from prepareQuickJSWasm() bytes). */
  get tracksUnhandledRejections(): boolean {
    return this.#slot.tracksRejections;
  }

  /**
   * The loop meter's question (wasm_fuel.ts), every ~10^6 loop iterations in
   * the engine: a call past its limit for longer than QuickJS's own interrupt
   * check takes is inside a built-in that does not check; it is stopped where
   * it is, and the runtime discarded (see {@link #guest}).
   */
  #onFuelEmpty(): void {
    // Overdue in wall-clock time and in work: a descheduled process (a loaded machine) passes
    // the grace without running, so the engine must also have looped LOOP_GRACE_REFILLS × 2^16
    // times since, without reaching QuickJS's own check.
    if (!this.#budget.overdue(LOOP_GRACE_MS)) {
      this.#overdueRefills = 0;
      return;
    }
    if (++this.#overdueRefills < LOOP_GRACE_REFILLS) return;
    // Faulted from here on, whoever catches the throw: the C code it unwinds is left half-done.
    if (!(this.#fault instanceof BuiltinStopped)) this.#fault = new BuiltinStopped();
    this.#trapped = true;
    throw this.#fault;
  }

  // --- crossing into the guest ------------------------------------------------------------
  /** Every call into the engine goes through here: CPU budget, and fatal-fault detection. */
  #guest<T>(fn: () => T): T {
    this.#budget.enter();
    try {
      return fn();
    } catch (error) {
      if (this.#fault instanceof BuiltinStopped) {
        const stop = this.#stopError();
        stop.message += `; ${this.#fault.message}`;
        throw stop;
      }
      if (error instanceof GuestThrow || error instanceof BridgeTypeError || error instanceof BridgeRangeError)
        throw error;
      this.#fault = error;
      this.#trapped = true;
      throw new RuntimeFault(
        `The sandbox's engine faulted (${messageOf(error)}) and was discarded; create a new runtime`,
        { cause: error },
      );
    } finally {
      this.#budget.exit();
    }
  }

  #callHelper(name: Helper, args: Ptr[]): Ptr {
    const fn = this.#helpers.get(name) as QuickJSHandle;
    return this.#guest(() => this.#engine.call(fn.value as unknown as number, this.#engine.undefinedPtr, args));
  }

  #toHost(p: Ptr, where: string): unknown {
    try {
      return this.#guest(() => this.#marshal.toHost(p, () => where));
    } catch (error) {
      if (error instanceof GuestThrow) throw this.#hostErrorFromPtr(this.#engine.takeException(error.exception), where);
      throw error;
    }
  }

  /** Starts a public call: a fresh budget (limits.ts: RunBudget). */
  #beginCall(): void {
    this.#outOfMemory.previous = this.#outOfMemory.last;
    this.#outOfMemory.last = false;
    this.#budget.reset(this.limits.cpuMs, this.limits.wallMs, this.#wallDeadline);
    this.#slot.memoryWatch?.clear();
  }

  /** The host-made error for a call the budget ended; named after the limit. */
  #stopError(): Error {
    // A limit ends the call at once: host work it started (a fetch whose
    // request is not sent yet) must not go on while the host runs again.
    this.#endCall("the call was interrupted");
    const { limits } = this;
    switch (this.#budget.reason) {
      case "memory":
        return new MemoryLimitExceeded(
          `The sandbox ran out of memory: its heap is limited to ${limits.memoryBytes} bytes (limits.memoryBytes)`,
        );
      case "wall":
        return new Interrupted(
          limits.wallMs > 0
            ? `Execution interrupted: it ran longer than its wall-clock limit of ${limits.wallMs} ms (limits.wallMs)`
            : "Execution interrupted: it ran past its wall-clock deadline (setWallDeadline)",
        );
      case "cpu":
        return new Interrupted(
          `Execution interrupted: it used more than its CPU limit of ${limits.cpuMs} ms (limits.cpuMs)`,
        );
      default:
        return new Interrupted("Execution interrupted: the host stopped it");
    }
  }

  /**
   * After a failed call: when a limit ended it (or `always`, for a failed event
   * loop), discards the work it left pending (see {@link runEventLoop}).
   * Returns the error to throw.
   */
  #afterFailure(error: unknown, always = false): unknown {
    if (this.#fault !== undefined || !(always || this.#budget.tripped)) return error;
    const engine = this.#engine;
    // 1. Microtasks the call left queued run with the call still stopped: guest code
    //    is interrupted at its first check and cannot reach the host (op dispatch).
    this.#budget.forceStop();
    let jobs = 0;
    try {
      while (engine.jobsPending && jobs < MAX_DISCARDED_JOBS) {
        jobs++;
        const exception = this.#guest(() => engine.runJobs(1));
        if (exception !== 0) engine.free(exception);
      }
    } catch (fault) {
      return fault;
    }
    if (engine.jobsPending) {
      this.#fault = error;
      const message = `${messageOf(error)}; the sandbox kept queueing work after the call ended, so the runtime was discarded (create a new one)`;
      return error instanceof Error ? Object.assign(error, { message }) : new RuntimeFault(message);
    }
    // 2. Host-side pending work, then the guest's resolvers and timer callbacks.
    this.opState.get(Timers).clear();
    this.#opDriver.cancelAll();
    this.#rejections.clear();
    this.#loop.discard(() => (error instanceof Error ? error : new Error(messageOf(error))));
    this.#budget.reset(0);
    const r = this.#callHelper("discardPending", []);
    if (engine.tag(r) === Tag.Exception) engine.free(engine.takeException(r));
    else engine.free(r);
    // Out of memory with the heap still full of what the guest keeps alive: every
    // later call would fail the same way, so the runtime is discarded, and says so.
    // Seen by a probe allocation now, or by two calls in a row running out.
    const watch = this.#slot.memoryWatch;
    if (error instanceof MemoryLimitExceeded && watch !== undefined) {
      const again = this.#outOfMemory.previous;
      this.#outOfMemory.last = true;
      watch.clear();
      try {
        engine.free(this.#marshal.toGuest(HEADROOM_PROBE, () => "memory headroom probe"));
        this.#guest(() =>
          engine.context.evalCode("[0].map((x) => x + 1)", "ext:core/memory_probe.js", { type: "global" }),
        ).dispose();
      } catch {
        // The probe failing is what the flag reports.
      }
      if (again || watch.failed()) {
        this.#fault = error;
        error.message += "; the guest still holds it, so the runtime was discarded (create a new one)";
      }
      watch.clear();
    }
    return error;
  }

  /** Converts an owned guest exception handle to a host error, disposing the handle. */
  #hostErrorFrom(handle: QuickJSHandle, where: string): Error {
    const p = this.#engine.dup(handle.value as unknown as number);
    handle.dispose();
    return this.#hostErrorFromPtr(p, where);
  }

  /**
   * Converts an owned guest exception pointer to a host error, freeing it.
   * Whether the call was ended by a limit is host-side state (the budget),
   * never read from the thrown value: a guest cannot forge Interrupted or
   * MemoryLimitExceeded, and whatever it throws stays a GuestError.
   */
  #hostErrorFromPtr(exception: Ptr, _where: string): Error {
    try {
      if (this.#budget.shouldInterrupt()) return this.#stopError();
      if (!this.#helpers.has("describeError")) {
        // Before the guest core exists (a bootstrap failure): QuickJS's own dump.
        const handle = this.#handle(this.#engine.dup(exception));
        const dumped = this.#engine.context.dump(handle) as { name?: string; message?: string; stack?: string };
        handle.dispose();
        return new GuestError(
          String(dumped?.name ?? "Error"),
          String(dumped?.message ?? dumped),
          String(dumped?.stack ?? ""),
        );
      }
      const r = this.#callHelper("describeError", [exception]);
      if (this.#engine.tag(r) !== Tag.String) {
        if (this.#engine.tag(r) === Tag.Exception) this.#engine.clearPendingException();
        this.#engine.free(r);
        // Reading the thrown value ran its getters, which may have used up the budget.
        if (this.#budget.shouldInterrupt()) return this.#stopError();
        return new GuestError("Error", "(the thrown value could not be read)", "");
      }
      const text = this.#engine.readFlatString(r) ?? "[]";
      this.#engine.free(r);
      const [name, message, stack, isError] = JSON.parse(text) as [string, string, string, boolean];
      const thrown = isError ? undefined : this.#copyThrown(exception);
      if (this.#budget.shouldInterrupt()) return this.#stopError();
      return new GuestError(name, message, stack, thrown);
    } finally {
      this.#engine.free(exception);
    }
  }

  /** A thrown value that is not an Error, copied to the host (undefined if it cannot be). */
  #copyThrown(exception: Ptr): unknown {
    try {
      return this.#guest(() => this.#marshal.toHost(exception, () => "thrown value"));
    } catch (error) {
      if (error instanceof GuestThrow) this.#engine.free(this.#engine.takeException(error.exception));
      else if (!(error instanceof BridgeTypeError) && !(error instanceof TypeError)) throw error;
      return undefined;
    }
  }

  /** A guest error object (owned) for a host error, keeping its class name. */
  #makeGuestError(error: unknown): Ptr {
    const name = error instanceof Error ? error.name : "Error";
    const message = messageOf(error);
    const namePtr = this.#marshal.toGuest(name, () => "error name");
    const messagePtr = this.#marshal.toGuest(message, () => "error message");
    try {
      const r = this.#engine.call(
        (this.#helpers.get("makeError") as QuickJSHandle).value as unknown as number,
        this.#engine.undefinedPtr,
        [namePtr, messagePtr],
      );
      if (this.#engine.tag(r) === Tag.Exception) throw new GuestThrow(r);
      return r;
    } finally {
      this.#engine.free(namePtr);
      this.#engine.free(messagePtr);
    }
  }

  #lazyHelpers(): GuestHelpers {
    return new LazyHelpers(this.#helpers) as unknown as GuestHelpers;
  }

  #evalOrThrow(source: string, name: string): QuickJSHandle {
    const result = this.#guest(() => this.#engine.context.evalCode(source, name, { type: "global" }));
    if (result.error) throw this.#hostErrorFrom(result.error, `bootstrap of ${name}`);
    return result.value;
  }

  #callOrThrow(fn: QuickJSHandle, ...args: QuickJSHandle[]): QuickJSHandle {
    const ctx = this.#engine.context;
    const result = this.#guest(() => ctx.callFunction(fn, ctx.undefined, ...args));
    if (result.error) throw this.#hostErrorFrom(result.error, "bootstrap");
    return result.value;
  }

  #handle(p: Ptr): QuickJSHandle {
    // biome-ignore lint/suspicious/noExplicitAny: quickjs-emscripten's handle factory is internal
    return (this.#engine.context as any).memory.heapValueHandle(p) as QuickJSHandle;
  }

  #own(handle: QuickJSHandle): QuickJSHandle {
    this.#owned.push(handle);
    return handle;
  }

  #assertUsable(api: string): void {
    if (this.#fault !== undefined) {
      throw new RuntimeFault(
        `${api}: this runtime faulted (${messageOf(this.#fault)}) and cannot be used; create a new one`,
      );
    }
    if (this.#disposed) throw new Error(`${api}: this runtime was disposed`);
  }
}

/** A module URL from the public API: absolute URLs as they are, project paths under file:///. */
function moduleUrlOf(url: unknown, api: string): string {
  if (typeof url !== "string" || url === "") throw new TypeError(`${api}: url must be a non-empty string`);
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(url)) {
    if (url.startsWith("ext:")) throw new TypeError(`${api}: "${url}" is reserved for extensions`);
    try {
      return new URL(url).href;
    } catch {
      throw new TypeError(`${api}: "${url}" is not a valid URL`);
    }
  }
  return MemoryModuleLoader.urlOf(url);
}

/** QuickJS puts a SyntaxError's location in its stack only; make the message name file:line:column too. */
function withSyntaxLocation(error: unknown): unknown {
  if (error instanceof GuestError && error.guestName === "SyntaxError") {
    const at = /at (\S+:\d+:\d+)/.exec(error.guestStack);
    if (at?.[1] && !error.message.includes(at[1])) {
      error.message = `${error.message} at ${at[1]}`;
      error.stack = `${error.name}: ${error.message}\n${error.guestStack}`;
    }
  }
  return error;
}
