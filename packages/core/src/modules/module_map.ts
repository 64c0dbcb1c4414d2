/**
 * The modules QuickJS may instantiate, by normalized name. QuickJS asks for
 * modules synchronously, so everything it can import is put here first
 * (extension modules at bootstrap; user modules after an asynchronous prepare
 * step, as deno_core's `prepare_load` does).
 *
 * Invariant: `ext:` modules can be imported only by `ext:` modules. The check
 * is in `normalize`, which QuickJS calls for every import, cached or not.
 */
import { NotFound, PermissionDenied } from "../errors.ts";

export interface ModuleSource {
  source: string;
}

export type UserResolver = (specifier: string, referrer: string) => string;

export class ModuleMap {
  readonly #sources = new Map<string, ModuleSource>();
  /** Resolves user (non-`ext:`) specifiers; set by the module loader. */
  userResolver: UserResolver | undefined;
  /**
   * `ext:` modules user modules may import: only the helper that the
   * module graph's rewrite of `import()` / `import.meta` imports. It exposes
   * nothing those two syntaxes don't already give.
   */
  readonly userImportable = new Set<string>();

  add(name: string, source: string): void {
    this.#sources.set(name, { source });
  }
  has(name: string): boolean {
    return this.#sources.has(name);
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

  load(name: string): string {
    const m = this.#sources.get(name);
    if (m === undefined) throw new NotFound(`Module not found "${name}"`);
    return m.source;
  }
}
