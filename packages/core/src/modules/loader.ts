/**
 * Module loaders (deno_core's `ModuleLoader`): `resolve` turns a specifier and
 * its referrer into a URL, `load` fetches that URL's source. Transpiling and
 * the graph walk are the runtime's job (graph.ts), so a loader stays small.
 *
 * `https:` URLs never reach a loader: the runtime fetches them itself, after
 * the `net` permission check (graph.ts).
 */
import { NotFound } from "../errors.ts";
import { type ImportMap, type ParsedImportMap, parseImportMap, resolveSpecifier } from "./specifier.ts";

/** What a module's source is written in. `tsx`/`jsx` need `JsRuntime.create({ jsx })`. */
export type ModuleType = "js" | "ts" | "json" | "jsx" | "tsx";

export interface LoadedModule {
  source: string;
  type: ModuleType;
}

export interface ModuleLoader {
  /** The absolute URL of `specifier` imported from `referrer` (itself a URL). Sync: QuickJS asks synchronously. */
  resolve(specifier: string, referrer: string): string;
  /** The module at `url`; throw `NotFound` when there is none. */
  load(url: string): Promise<LoadedModule>;
}

/** The module type a URL's file extension implies (`.ts`, `.mts`, `.json`, …); `js` otherwise. */
export function moduleTypeOf(url: string): ModuleType {
  const path = url.replace(/[?#].*$/, "");
  if (/\.(ts|mts|cts)$/.test(path)) return "ts";
  if (path.endsWith(".tsx")) return "tsx";
  if (path.endsWith(".jsx")) return "jsx";
  if (path.endsWith(".json")) return "json";
  return "js";
}

export interface MemoryModuleLoaderOptions {
  /** Files by path under `file:///`: `{ "main.ts": "…", "lib/util.ts": "…" }`. */
  files?: Record<string, string>;
  importMap?: ImportMap;
}

/** A virtual project held in memory, under `file:///`. */
export class MemoryModuleLoader implements ModuleLoader {
  readonly #files = new Map<string, string>();
  readonly #importMap: ParsedImportMap;

  constructor(options: MemoryModuleLoaderOptions = {}) {
    const files = options.files ?? {};
    if (files === null || typeof files !== "object") throw new TypeError("MemoryModuleLoader: files must be an object");
    for (const [path, source] of Object.entries(files)) this.set(path, source);
    this.#importMap = parseImportMap(options.importMap);
  }

  /** Adds or replaces a file (`"lib/util.ts"`, `"/lib/util.ts"` or `"file:///lib/util.ts"`). */
  set(path: string, source: string): void {
    if (typeof source !== "string") {
      throw new TypeError(`MemoryModuleLoader: file "${path}" must be a string, got ${typeof source}`);
    }
    this.#files.set(MemoryModuleLoader.urlOf(path), source);
  }

  /** The `file:///` URL of a project path. */
  static urlOf(path: string): string {
    if (path.startsWith("file:")) return new URL(path).href;
    return new URL(path.replace(/^\.?\//, ""), "file:///").href;
  }

  resolve(specifier: string, referrer: string): string {
    return resolveSpecifier(specifier, referrer, this.#importMap);
  }

  async load(url: string): Promise<LoadedModule> {
    const source = this.#files.get(url);
    if (source === undefined) throw new NotFound(`Module not found "${url}"`);
    return { source, type: moduleTypeOf(url) };
  }
}
