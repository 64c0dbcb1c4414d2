/**
 * The worker's module loader: the files of the current `run`, plus `islet:host`.
 *
 * Each run is a new module graph in the same runtime (globals persist, modules
 * do not): QuickJS caches modules by URL, so from the second run on every
 * `file:` URL carries `?islet_run=N`. The first run's URLs are the plain ones.
 */
import { type LoadedModule, MemoryModuleLoader, type ModuleLoader } from "@islet/core";
import type { RunRequest } from "../protocol.ts";

const RUN_PARAM = /[?&]islet_run=\d+$/;
export const HOST_MODULE = "islet:host";

export class RunLoader implements ModuleLoader {
  #files = new MemoryModuleLoader();
  #generation = 0;
  readonly #hostSource: string;

  constructor(hostFunctions: readonly string[]) {
    // `globalThis.host` is non-writable and non-configurable (extensions.ts), so
    // this module always re-exports the page's functions, never a guest's stand-in.
    // Exports use string names (ES2022), so reserved words (`delete`, `new`) work;
    // protocol.ts refuses `default` and `then`. A name not listed is not exported,
    // so importing it is a SyntaxError at link time.
    const locals = hostFunctions.map((n, i) => `const f${i} = host[${JSON.stringify(n)}];`);
    const exported = hostFunctions.map((n, i) => `f${i} as ${JSON.stringify(n)}`);
    this.#hostSource = [
      "const host = globalThis.host;",
      "export default host;",
      ...locals,
      `export { ${exported.join(", ")} };`,
    ].join("\n");
  }

  get generation(): number {
    return this.#generation;
  }

  /** Back to before the first run (the runtime was reset to its snapshot: no module is cached). */
  reset(): void {
    this.#files = new MemoryModuleLoader();
    this.#generation = 0;
  }

  /** Starts a new graph with these files; returns the entry's URL. */
  startRun(request: RunRequest): string {
    this.#files = new MemoryModuleLoader({ files: request.files, importMap: request.importMap });
    this.#generation++;
    return this.#tag(MemoryModuleLoader.urlOf(request.entry));
  }

  resolve(specifier: string, referrer: string): string {
    if (specifier === HOST_MODULE) return HOST_MODULE;
    return this.#tag(this.#files.resolve(specifier, referrer.replace(RUN_PARAM, "")));
  }

  async load(url: string): Promise<LoadedModule> {
    if (url === HOST_MODULE) return { source: this.#hostSource, type: "js" };
    return this.#files.load(url.replace(RUN_PARAM, ""));
  }

  #tag(url: string): string {
    if (this.#generation <= 1 || !url.startsWith("file:")) return url;
    return `${url}${url.includes("?") ? "&" : "?"}islet_run=${this.#generation}`;
  }
}
