/**
 * The modules QuickJS may instantiate, by normalized name. QuickJS asks for
 * modules synchronously, so everything it can import is put here first
 * (extension modules at bootstrap; user modules after an asynchronous prepare
 * step, as deno_core's `prepare_load` does).
 *
 * Invariant: `ext:` modules can be imported only by `ext:` modules. The check
 * is in `normalize`, which QuickJS calls for every import, cached or not.
 *
 * Host memory: user module sources are held in bytes (UTF-16, 2 per
 * character) against {@link ModuleMap.maxSourceBytes} (the runtime sets its
 * `limits.memoryBytes`: the guest could not hold more source than that
 * anyway). A source QuickJS has taken (`load`) is released first, oldest
 * first, when room is needed — QuickJS keeps every module it instantiated for
 * the context's life and asks again only after that module failed to compile
 * or link, which then fails with an error saying so. Sources waiting to be
 * taken that exceed the budget are refused with a `RangeError`. `clear()`
 * (on dispose) drops everything.
 */
import { NotFound, PermissionDenied } from "../errors.ts";

export interface ModuleSource {
  source: string;
}

export type UserResolver = (specifier: string, referrer: string) => string;

export class ModuleMap {
  readonly #sources = new Map<string, ModuleSource>();
  /** User modules QuickJS has taken, least recently taken first: released first. */
  readonly #taken = new Set<string>();
  /** User modules whose source was released after QuickJS took it. */
  readonly #released = new Set<string>();
  #sourceBytes = 0;
  /** The most bytes of user module source held at once. */
  maxSourceBytes = Number.POSITIVE_INFINITY;
  /** Resolves user (non-`ext:`) specifiers; set by the module loader. */
  userResolver: UserResolver | undefined;
  /**
   * `ext:` modules user modules may import: only the helper that the
   * module graph's rewrite of `import()` / `import.meta` imports. It exposes
   * nothing those two syntaxes don't already give.
   */
  readonly userImportable = new Set<string>();

  add(name: string, source: string): void {
    const user = !name.startsWith("ext:");
    this.#drop(name);
    if (user) {
      const bytes = source.length * 2;
      for (const taken of this.#taken) {
        if (this.#sourceBytes + bytes <= this.maxSourceBytes) break;
        this.#drop(taken);
        this.#released.add(taken);
      }
      if (this.#sourceBytes + bytes > this.maxSourceBytes) {
        throw new RangeError(
          `Module "${name}": the module sources waiting to be instantiated would take ${this.#sourceBytes + bytes} bytes, more than this runtime holds (${this.maxSourceBytes} bytes, its limits.memoryBytes)`,
        );
      }
      this.#sourceBytes += bytes;
      this.#released.delete(name);
    }
    this.#sources.set(name, { source });
  }
  has(name: string): boolean {
    return this.#sources.has(name);
  }
  /** Bytes of user module source held now (UTF-16). */
  get sourceBytes(): number {
    return this.#sourceBytes;
  }
  /** Drops every source (the runtime was disposed). */
  clear(): void {
    this.#sources.clear();
    this.#taken.clear();
    this.#released.clear();
    this.#sourceBytes = 0;
  }

  #drop(name: string): void {
    const old = this.#sources.get(name);
    if (old === undefined) return;
    this.#sources.delete(name);
    this.#taken.delete(name);
    if (!name.startsWith("ext:")) this.#sourceBytes -= old.source.length * 2;
  }

  normalize(referrer: string, specifier: string): string {
    const fromExt = referrer.startsWith("ext:");
    if (specifier.startsWith("ext:")) {
      if (!fromExt && !this.userImportable.has(specifier)) {
        throw new PermissionDenied(
          `Importing "${specifier}" from "${referrer}" is not allowed: ext: modules are reserved for Islet's extensions`,
        );
      }
      if (!this.#sources.has(specifier))
        throw new NotFound(`Module not found "${specifier}" imported from "${referrer}"`);
      return specifier;
    }
    if (fromExt && (specifier.startsWith("./") || specifier.startsWith("../"))) {
      const dir = referrer.slice(0, referrer.lastIndexOf("/") + 1);
      const resolved = new URL(specifier, `ext-resolve://x/${dir.slice(4)}`).pathname.slice(1);
      return `ext:${resolved}`;
    }
    if (this.userResolver === undefined) {
      throw new NotFound(
        `Module not found "${specifier}" imported from "${referrer}": this runtime has no module loader`,
      );
    }
    return this.userResolver(specifier, referrer);
  }

  /** The source QuickJS asks for while it links. */
  load(name: string): string {
    const m = this.#sources.get(name);
    if (m === undefined) {
      if (this.#released.has(name)) {
        throw new Error(
          `Module "${name}" failed to compile or link earlier and its source was since released to keep host memory bounded; start a fresh runtime to load it again`,
        );
      }
      throw new NotFound(`Module not found "${name}"`);
    }
    if (!name.startsWith("ext:")) {
      this.#taken.delete(name);
      this.#taken.add(name);
    }
    return m.source;
  }
}
