/**
 * Module specifiers: URL resolution against a referrer and import maps
 * (WICG import maps: `imports` and `scopes`, longest prefix wins, a mapping
 * that ends in `/` maps a whole folder).
 *
 * Nothing here guesses: an extension-less path stays extension-less, and a
 * bare specifier the import map does not map is an error (Deno's behaviour).
 */

export interface ImportMap {
  imports?: Record<string, string>;
  scopes?: Record<string, Record<string, string>>;
}

/** An import map with every key and target resolved to an absolute URL (or kept bare). */
export interface ParsedImportMap {
  imports: [string, string][];
  scopes: [string, [string, string][]][];
}

/** True for `./x`, `../x`, `/x` — specifiers resolved relative to their referrer. */
export function isRelative(specifier: string): boolean {
  return specifier.startsWith("./") || specifier.startsWith("../") || specifier.startsWith("/");
}

/** The absolute URL of `specifier`, or undefined when it is a bare specifier. */
export function urlLike(specifier: string, base: string): string | undefined {
  if (isRelative(specifier)) {
    try {
      return new URL(specifier, base).href;
    } catch {
      return undefined;
    }
  }
  if (/^[a-zA-Z][a-zA-Z0-9+.-]*:/.test(specifier)) {
    try {
      return new URL(specifier).href;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function sortedEntries(map: Record<string, string>, base: string, where: string): [string, string][] {
  if (map === null || typeof map !== "object" || Array.isArray(map)) {
    throw new TypeError(`importMap${where}: expected an object of specifier → URL`);
  }
  const out: [string, string][] = [];
  for (const [key, target] of Object.entries(map)) {
    if (typeof target !== "string") {
      throw new TypeError(`importMap${where}["${key}"]: expected a URL string, got ${typeof target}`);
    }
    const resolvedTarget = urlLike(target, base);
    if (resolvedTarget === undefined) {
      throw new TypeError(`importMap${where}["${key}"]: "${target}" is not a URL or a ./, ../ or / path`);
    }
    if (key.endsWith("/") !== resolvedTarget.endsWith("/")) {
      throw new TypeError(
        `importMap${where}["${key}"]: a key ending in "/" needs a target ending in "/" (got "${target}")`,
      );
    }
    out.push([urlLike(key, base) ?? key, resolvedTarget]);
  }
  // Longest key first, so the most specific prefix wins.
  return out.sort((a, b) => b[0].length - a[0].length);
}

export function parseImportMap(map: ImportMap | undefined, base = "file:///"): ParsedImportMap {
  if (map === undefined) return { imports: [], scopes: [] };
  if (map === null || typeof map !== "object") throw new TypeError("importMap: expected { imports, scopes }");
  const imports = map.imports === undefined ? [] : sortedEntries(map.imports, base, ".imports");
  const scopes: [string, [string, string][]][] = [];
  if (map.scopes !== undefined) {
    if (map.scopes === null || typeof map.scopes !== "object")
      throw new TypeError("importMap.scopes: expected an object");
    for (const [scope, entries] of Object.entries(map.scopes)) {
      const scopeUrl = urlLike(scope, base);
      if (scopeUrl === undefined) throw new TypeError(`importMap.scopes["${scope}"]: not a URL or path`);
      scopes.push([scopeUrl, sortedEntries(entries, base, `.scopes["${scope}"]`)]);
    }
    scopes.sort((a, b) => b[0].length - a[0].length);
  }
  return { imports, scopes };
}

function lookup(entries: [string, string][], key: string): string | undefined {
  for (const [from, to] of entries) {
    if (from === key) return to;
    if (from.endsWith("/") && key.startsWith(from)) return to + key.slice(from.length);
  }
  return undefined;
}

/**
 * Resolves `specifier` imported from `referrer`: import map scopes (most
 * specific first), then `imports`, then plain URL resolution. Throws a
 * `TypeError` naming both for an unmapped bare specifier.
 */
export function resolveSpecifier(specifier: string, referrer: string, map?: ParsedImportMap): string {
  const asUrl = urlLike(specifier, referrer);
  const key = asUrl ?? specifier;
  if (map !== undefined) {
    for (const [scope, entries] of map.scopes) {
      if (scope === referrer || (scope.endsWith("/") && referrer.startsWith(scope))) {
        const hit = lookup(entries, key);
        if (hit !== undefined) return hit;
      }
    }
    const hit = lookup(map.imports, key);
    if (hit !== undefined) return hit;
  }
  if (asUrl !== undefined) return asUrl;
  throw new TypeError(
    `Relative import path "${specifier}" not prefixed with / or ./ or ../ and not in import map from "${referrer}"`,
  );
}
