/**
 * The module graph: prepare, then evaluate (deno_core's `prepare_load`).
 *
 * QuickJS asks for a module's source synchronously, in the middle of
 * instantiation, so nothing it can ask for may need a fetch. Before a module
 * is evaluated, `prepare` walks its whole static graph asynchronously —
 * resolve each specifier, load (the loader, or `fetch` for `https:` after the
 * `net` check), transpile TypeScript, check import attributes — and puts each
 * module's final source in the {@link ModuleMap}. QuickJS then instantiates
 * from that cache.
 *
 * Dynamic `import()` cannot be prepared ahead (its specifier may be computed):
 * every `import()` — from a module, a classic script, a nested function or
 * `eval` — reaches the host through dynamic_import.ts, which awaits
 * {@link ModuleGraph.prepareDynamic} (the async op `op_module_prepare`) before
 * the engine imports the prepared URL. While that op is pending the event loop
 * stays alive; its errors are rejections the caller can catch. QuickJS leaves
 * `import.meta` empty, so each `import.meta` in a user module becomes a call
 * that fills in `url`, `main` and `resolve()`: `import.meta` (11 characters)
 * becomes `__imeta$_()`, keeping line and column numbers, and the helper it
 * calls is a hoisted function declaration appended after the last line.
 *
 * What a plain JavaScript program does not need loads on first use (in a
 * bundle, separate chunks: the worker's entry stays small): transpile.ts with
 * sucrase, the TypeScript/JSX stripper, for the first `.ts`/`.tsx`/`.jsx`
 * module; es-module-lexer for the first module whose text could hold an
 * import (see {@link mayImport}); remote.ts for the first `https:` module.
 */
import { NotFound, PermissionDenied } from "../errors.ts";
import { defineExtension, type Extension } from "../extension.ts";
import { IMPORT_HELPER_SOURCE, MODULES_HELPER_SOURCE } from "../js/02_modules.ts";
import { StateKey } from "../op_state.ts";
import { op } from "../ops.ts";
import type { Permissions } from "../permissions.ts";
import { IMPORT_HELPER } from "./dynamic_import.ts";
import { type LoadedModule, MemoryModuleLoader, type ModuleLoader, type ModuleType, moduleTypeOf } from "./loader.ts";
import type { ModuleMap } from "./module_map.ts";

/** Classic JSX (`React.createElement`-style); without it `.jsx`/`.tsx` modules are refused. */
export interface JsxOptions {
  factory?: string;
  fragment?: string;
}

export interface ModuleGraphOptions {
  loader: ModuleLoader;
  permissions: Permissions;
  /** The host's fetch, for `https:` modules. Defaults to `globalThis.fetch`. */
  fetch?: typeof fetch;
  jsx?: JsxOptions;
  /**
   * Compiles a prepared module without running it and returns its syntax
   * error, if any. Called when one of its imports fails to load: as the engine
   * parses a module before it loads what the module imports, the importer's
   * own SyntaxError is the one reported.
   */
  checkSyntax?: (url: string) => Error | undefined;
}

/** How an importer expects a module: `json` only with `with { type: "json" }`. */
type ImportType = "js" | "json";

interface Dependency {
  specifier: string;
  url: string;
  type: ImportType;
}

interface ModuleRecord {
  url: string;
  type: ImportType;
  deps: Dependency[];
}

interface Importer {
  specifier: string;
  referrer: string;
  type: ImportType;
}

/** The guest helper module user modules import (the only `ext:` module they may import). */
export const MODULES_HELPER = "ext:islet_modules/runtime.js";
const META = "__imeta$_()";
type Lexer = typeof import("es-module-lexer");

/** `load()` once, shared; a failed load is tried again by the next call. */
function loadOnce<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    if (loading === undefined) {
      const pending = load();
      pending.catch(() => {
        if (loading === pending) loading = undefined;
      });
      loading = pending;
    }
    return loading;
  };
}

/** es-module-lexer, initialised. */
const loadLexer = loadOnce(() =>
  import("es-module-lexer").then(async (m) => {
    await m.init;
    return m;
  }),
);
/** modules/transpile.ts, with sucrase. */
const loadTranspiler = loadOnce(() => import("./transpile.ts"));
/** modules/remote.ts. */
const loadRemote = loadOnce(() => import("./remote.ts"));

/**
 * Whether module text may hold a static import, a re-export, `import.meta`
 * or `import()`: each needs the word `import` or `from`. Text with neither
 * (comments and strings included) has no dependency and nothing to rewrite,
 * so it needs no lexer.
 */
function mayImport(code: string): boolean {
  return code.includes("import") || code.includes("from");
}

/**
 * Transpiled TypeScript/JSX by input, shared by every runtime in this process:
 * at most TRANSPILE_CACHE_BYTES of keys and outputs (UTF-16, 2 bytes per
 * character), least recently used evicted first; an input larger than a
 * quarter of that is transpiled every time instead of cached.
 */
const transpileCache = new Map<string, string>();
export const TRANSPILE_CACHE_BYTES = 32 << 20;
let transpileCacheBytes = 0;
const entryBytes = (key: string, code: string) => (key.length + code.length) * 2;

/** Bytes the shared transpile cache holds now. */
export function transpileCacheSize(): number {
  return transpileCacheBytes;
}

/**
 * The most modules one runtime prepares in its life. QuickJS keeps every
 * module it instantiated until the runtime is disposed (there is no way to
 * unload one), so a runtime that keeps loading new graphs — non-fresh runs,
 * each with new URLs — would otherwise grow without bound; past this it gets a
 * RangeError saying to start a fresh runtime.
 */
export const MAX_MODULES_PER_RUNTIME = 10_000;

export class ModuleGraph {
  readonly #modules: ModuleMap;
  readonly #loader: ModuleLoader;
  readonly #permissions: Permissions;
  readonly #fetch: typeof fetch | undefined;
  readonly #jsx: JsxOptions | undefined;
  readonly #checkSyntax: ((url: string) => Error | undefined) | undefined;
  readonly #records = new Map<string, Promise<ModuleRecord>>();
  /** `referrer \0 specifier` → URL, filled while preparing; QuickJS's normalize reads it. */
  readonly #resolved = new Map<string, string>();
  /** Requested URL → final URL of a redirected remote module. */
  readonly #redirects = new Map<string, string>();
  /** The main module's URL (`import.meta.main`). */
  mainUrl: string | undefined;

  constructor(modules: ModuleMap, options: ModuleGraphOptions) {
    this.#modules = modules;
    this.#loader = options.loader;
    this.#permissions = options.permissions;
    this.#fetch = options.fetch;
    this.#jsx = options.jsx;
    this.#checkSyntax = options.checkSyntax;
    modules.userImportable.add(MODULES_HELPER);
    modules.userResolver = (specifier, referrer) => this.normalize(specifier, referrer);
  }

  /**
   * Resolves a user specifier. Invariant: `ext:` modules are reserved for
   * extensions; a user module naming one is refused here, before any loader
   * sees it (and again by ModuleMap.normalize when QuickJS links).
   */
  resolve(specifier: string, referrer: string): string {
    if (specifier.startsWith("ext:")) {
      throw new PermissionDenied(
        `Importing "${specifier}" from "${referrer}" is not allowed: ext: modules are reserved for Islet's extensions`,
      );
    }
    const url = this.#loader.resolve(specifier, referrer);
    if (typeof url !== "string") {
      throw new TypeError(
        `ModuleLoader.resolve("${specifier}", "${referrer}") returned ${typeof url}, not a URL string`,
      );
    }
    if (url.startsWith("ext:")) {
      throw new PermissionDenied(`"${specifier}" imported from "${referrer}" resolves to "${url}", which is reserved`);
    }
    return this.#redirects.get(url) ?? url;
  }

  /** QuickJS's normalize for user modules (and for the helper's `import(url)` of an already-prepared URL). */
  normalize(specifier: string, referrer: string): string {
    if (referrer.startsWith("ext:")) return this.#redirects.get(specifier) ?? specifier;
    const hit = this.#resolved.get(`${referrer}\0${specifier}`);
    if (hit !== undefined) return this.#redirects.get(hit) ?? hit;
    return this.resolve(specifier, referrer);
  }

  /** Forgets every module (the runtime was disposed). */
  clear(): void {
    this.#records.clear();
    this.#resolved.clear();
    this.#redirects.clear();
  }

  isMain(url: string): boolean {
    return url === this.mainUrl;
  }

  /**
   * Loads, transpiles and caches `url` and everything it imports statically.
   * `source` replaces the loader's copy of the root. Returns the final URL.
   */
  async prepare(url: string, source?: string, importer?: Importer): Promise<string> {
    if (source !== undefined) {
      if (typeof source !== "string") throw new TypeError(`loading "${url}": source must be a string`);
      this.#admit(url);
      const record = this.#compile(url, { source, type: moduleTypeOf(url) });
      this.#track(url, record);
    }
    const seen = new Set<string>();
    const pending: Promise<void>[] = [];
    const visit = (target: string, from: Importer | undefined) => {
      const p = this.#record(target, from)
        .then((record) => {
          if (from !== undefined && record.type !== from.type) throw attributeMismatch(record, from);
          if (seen.has(record.url)) return;
          seen.add(record.url);
          for (const dep of record.deps) {
            visit(dep.url, { specifier: dep.specifier, referrer: record.url, type: dep.type });
          }
        })
        .catch((error: unknown) => {
          throw (from !== undefined && this.#checkSyntax?.(from.referrer)) || error;
        });
      p.catch(() => {});
      pending.push(p);
    };
    visit(url, importer);
    for (let i = 0; i < pending.length; i++) await pending[i];
    return this.#redirects.get(url) ?? url;
  }

  /**
   * `import(specifier)` from `referrer`: resolve, then prepare the graph;
   * returns the URL to import. A referrer that is not a URL is a classic
   * script's name (`executeScript("main.js", …)`), taken as a project path
   * under `file:///`, as `loadMainModule` takes module paths; "" (no active
   * script, e.g. an indirect `eval`) is the realm's base URL, `file:///`.
   */
  prepareDynamic(referrer: string, specifier: string, type: ImportType): Promise<string> {
    const base = /^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(referrer) ? referrer : MemoryModuleLoader.urlOf(referrer);
    const url = this.resolve(specifier, base);
    return this.prepare(url, undefined, { specifier, referrer: base, type });
  }

  #record(url: string, from: Importer | undefined): Promise<ModuleRecord> {
    let record = this.#records.get(url);
    if (record === undefined) {
      this.#admit(url);
      record = this.#loadAndCompile(url);
      this.#track(url, record);
    }
    if (from === undefined) return record;
    return record.catch((error: unknown) => {
      if (error instanceof NotFound) {
        throw new NotFound(`Module not found "${url}" (imported as "${from.specifier}" from "${from.referrer}")`, {
          cause: error,
        });
      }
      throw error;
    });
  }

  /** Caches a record; a failed one is forgotten so a later import can try again. */
  /** Refuses a new module past MAX_MODULES_PER_RUNTIME, before anything is loaded. */
  #admit(url: string): void {
    if (!this.#records.has(url) && this.#records.size >= MAX_MODULES_PER_RUNTIME) {
      throw new RangeError(
        `Cannot load "${url}": this runtime already holds ${MAX_MODULES_PER_RUNTIME} modules, its limit (QuickJS keeps every module until the runtime is disposed); start a fresh runtime`,
      );
    }
  }

  #track(url: string, record: Promise<ModuleRecord>): void {
    this.#records.set(url, record);
    record.catch(() => {
      if (this.#records.get(url) === record) this.#records.delete(url);
    });
  }

  async #loadAndCompile(url: string): Promise<ModuleRecord> {
    if (url.startsWith("https:") || url.startsWith("http:")) {
      const { finalUrl, loaded } = await this.#fetchRemote(url);
      if (finalUrl !== url) {
        this.#redirects.set(url, finalUrl);
        const existing = this.#records.get(finalUrl);
        if (existing !== undefined) return existing;
        // A new module under its final URL: the same cap as any other (its bytes are
        // checked when it is added to the module map, in #compile).
        this.#admit(finalUrl);
        const record = this.#compile(finalUrl, loaded);
        this.#track(finalUrl, record);
        return record;
      }
      return this.#compile(url, loaded);
    }
    const loaded = await this.#loader.load(url);
    if (loaded === null || typeof loaded !== "object" || typeof loaded.source !== "string") {
      throw new TypeError(`ModuleLoader.load("${url}") must return { source: string, type }`);
    }
    return this.#compile(url, loaded);
  }

  /** A remote module, fetched by modules/remote.ts (the permission check and redirect policy are there). */
  async #fetchRemote(url: string): Promise<{ finalUrl: string; loaded: LoadedModule }> {
    const { fetchRemoteModule } = await loadRemote();
    const fetched = await fetchRemoteModule(url, this.#permissions, this.#fetch);
    return {
      finalUrl: fetched.url,
      loaded: { source: fetched.source, type: remoteType(fetched.url, fetched.contentType) },
    };
  }

  async #compile(url: string, loaded: LoadedModule): Promise<ModuleRecord> {
    const { type } = loaded;
    let code = loaded.source;
    if (type === "json") {
      try {
        JSON.parse(code);
      } catch (error) {
        throw new SyntaxError(`${url}: invalid JSON module: ${(error as Error).message}`);
      }
      // QuickJS has no JSON modules for custom loaders: serve one as a JS
      // module keyed by its URL; the attribute check in prepare() keeps
      // `with { type: "json" }` required for it and refused for others.
      // The helper's JSON.parse was captured at bootstrap, so user code that
      // replaces globalThis.JSON cannot change what a JSON module holds.
      this.#modules.add(
        url,
        `import { parseJson } from ${JSON.stringify(MODULES_HELPER)};\nexport default parseJson(${JSON.stringify(code)});`,
      );
      return { url, type: "json", deps: [] };
    }
    if (type === "ts" || type === "tsx" || type === "jsx") code = await this.#transpile(url, code, type);
    else if (type !== "js") throw new TypeError(`Module "${url}" has unknown type "${String(type)}"`);

    if (!mayImport(code)) {
      this.#modules.add(url, code);
      return { url, type: "js", deps: [] };
    }
    const { parse } = await loadLexer();
    let imports: ReturnType<Lexer["parse"]>[0];
    try {
      [imports] = parse(code, url);
    } catch {
      // A syntax error: let QuickJS compile it and report file:line:column.
      this.#modules.add(url, code);
      return { url, type: "js", deps: [] };
    }
    const deps: Dependency[] = [];
    let out = "";
    let last = 0;
    let rewritten = false;
    for (const imp of imports) {
      if (imp.type === "dynamic") {
      } else if (imp.type === "import-meta") {
        out += code.slice(last, imp.importStart) + META;
        last = imp.importEnd;
        rewritten = true;
      } else if (typeof imp.specifier === "string") {
        const attrType = importType(imp.attributes, imp.specifier, url);
        const depUrl = this.resolve(imp.specifier, url);
        this.#resolved.set(`${url}\0${imp.specifier}`, depUrl);
        deps.push({ specifier: imp.specifier, url: depUrl, type: attrType });
      }
    }
    if (rewritten) {
      const u = JSON.stringify(url);
      out +=
        code.slice(last) +
        `\n;import { importMeta as __islet_meta } from ${JSON.stringify(MODULES_HELPER)};` +
        `function ${META.slice(0, -2)}() { return __islet_meta(import.meta, ${u}); }\n`;
      code = out;
    }
    this.#modules.add(url, code);
    return { url, type: "js", deps };
  }

  async #transpile(url: string, source: string, type: "ts" | "tsx" | "jsx"): Promise<string> {
    if (type !== "ts" && this.#jsx === undefined) {
      throw new TypeError(`Cannot load "${url}": JSX is not configured (pass jsx to JsRuntime.create)`);
    }
    // The output depends only on these inputs (sucrase's filePath is used for
    // error messages only), so a playground re-running the same files skips sucrase.
    const key = `${type}\0${this.#jsx?.factory ?? ""}\0${this.#jsx?.fragment ?? ""}\0${source}`;
    const cached = transpileCache.get(key);
    if (cached !== undefined) {
      transpileCache.delete(key);
      transpileCache.set(key, cached);
      return cached;
    }
    const code = (await loadTranspiler()).transpile(url, source, type, this.#jsx);
    const bytes = entryBytes(key, code);
    if (bytes > TRANSPILE_CACHE_BYTES / 4) return code;
    for (const [oldKey, oldCode] of transpileCache) {
      if (transpileCacheBytes + bytes <= TRANSPILE_CACHE_BYTES) break;
      transpileCache.delete(oldKey);
      transpileCacheBytes -= entryBytes(oldKey, oldCode);
    }
    transpileCache.set(key, code);
    transpileCacheBytes += bytes;
    return code;
  }
}

function importType(
  attributes: readonly (readonly [string, string])[] | null | undefined,
  specifier: string,
  referrer: string,
): ImportType {
  if (!attributes) return "js";
  const where = `Import "${specifier}" in "${referrer}"`;
  const keys = new Set<string>();
  for (const [key] of attributes) {
    if (keys.has(key)) throw new SyntaxError(`${where}: the import attribute "${key}" is given twice`);
    keys.add(key);
  }
  let type: ImportType = "js";
  for (const [key, value] of attributes) {
    if (key !== "type") throw new SyntaxError(`${where}: unsupported import attribute "${key}"`);
    if (value !== "json") throw new TypeError(`${where}: unsupported module type "${value}"`);
    type = "json";
  }
  return type;
}

function attributeMismatch(record: ModuleRecord, from: Importer): TypeError {
  if (record.type === "json") {
    return new TypeError(
      `Expected a JavaScript module, but "${record.url}" (imported from "${from.referrer}") is a JSON module: import it with { type: "json" }`,
    );
  }
  return new TypeError(
    `Expected a JSON module, but "${record.url}" (imported from "${from.referrer}") is a JavaScript module`,
  );
}

function remoteType(url: string, contentType: string | null): ModuleType {
  const ct = (contentType ?? "").toLowerCase();
  if (ct.includes("typescript")) return moduleTypeOf(url) === "tsx" ? "tsx" : "ts";
  if (ct.includes("json")) return "json";
  if (ct.includes("javascript") || ct.includes("ecmascript")) return moduleTypeOf(url) === "jsx" ? "jsx" : "js";
  return moduleTypeOf(url);
}

// --- the guest half: ops and the helper module -------------------------------------------

export const ModuleGraphKey = new StateKey<ModuleGraph>("core.modules");

function str(value: unknown, opName: string, what: string): string {
  if (typeof value !== "string") throw new TypeError(`${opName}: ${what} must be a string, got ${typeof value}`);
  return value;
}

/** The ops and guest helper behind `import()` and `import.meta` in user modules. */
export function modulesExtension(graph: () => ModuleGraph): Extension {
  return defineExtension({
    name: "islet_modules",
    ops: {
      op_module_prepare: op.async((state, referrer: unknown, specifier: unknown, type: unknown) =>
        state
          .get(ModuleGraphKey)
          .prepareDynamic(
            str(referrer, "op_module_prepare", "referrer"),
            str(specifier, "op_module_prepare", "specifier"),
            type === "json" ? "json" : "js",
          ),
      ),
      op_module_resolve: op.sync((state, referrer: unknown, specifier: unknown) =>
        state
          .get(ModuleGraphKey)
          .resolve(
            str(specifier, "import.meta.resolve", "specifier"),
            str(referrer, "import.meta.resolve", "referrer"),
          ),
      ),
      op_module_is_main: op.sync((state, url: unknown) => state.get(ModuleGraphKey).isMain(String(url))),
    },
    esm: { [MODULES_HELPER]: MODULES_HELPER_SOURCE, [IMPORT_HELPER]: IMPORT_HELPER_SOURCE },
    esmEntryPoints: [MODULES_HELPER, IMPORT_HELPER],
    state: (state) => state.put(ModuleGraphKey, graph()),
  });
}
