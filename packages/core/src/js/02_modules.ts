/**
 * The guest halves of the module graph (modules/graph.ts, modules/dynamic_import.ts), the
 * extension `islet_modules`: `MODULES_HELPER` (`ext:islet_modules/runtime.js`: JSON modules
 * and `import.meta`) and `IMPORT_HELPER` (`ext:islet_modules/import.js`: every `import()`).
 */

/** `ext:islet_modules/runtime.js`: `parseJson` for JSON modules, `importMeta` behind each user module's `import.meta`. */
export const MODULES_HELPER_SOURCE = String.raw`
import { op_module_is_main, op_module_resolve } from "ext:core/ops";
import { primordials } from "ext:core/mod.js";
const { JSONParse, ObjectDefineProperty, ObjectHasOwn, String } = primordials;

export function parseJson(text) {
  return JSONParse(text);
}

export function importMeta(meta, url) {
  if (!ObjectHasOwn(meta, "url")) {
    ObjectDefineProperty(meta, "url", { __proto__: null, value: url, writable: true, enumerable: true, configurable: true });
    ObjectDefineProperty(meta, "main", { __proto__: null, value: op_module_is_main(url), writable: true, enumerable: true, configurable: true });
    const resolve = { resolve(specifier) { return op_module_resolve(url, String(specifier)); } }.resolve;
    ObjectDefineProperty(meta, "resolve", { __proto__: null, value: resolve, writable: true, enumerable: true, configurable: true });
  }
  return meta;
}
`;

/** `ext:islet_modules/import.js`, the guest half of dynamic_import.ts: `hostImport(resolve, reject, referrer, specifier, attributes)`. */
export const IMPORT_HELPER_SOURCE = String.raw`
import { op_module_prepare } from "ext:core/ops";
import { primordials } from "ext:core/mod.js";
const { ObjectKeys, PromisePrototypeThen, String, SyntaxError, TypeError } = primordials;
const JSON_OPTIONS = { __proto__: null, with: { __proto__: null, type: "json" } };

// referrer is null where QuickJS finds no active script (an indirect eval):
// like HTML, the realm's base URL (file:///) is used instead.
// The engine already turned the specifier into a string and copied the
// attributes (own enumerable string keys, string values) into a fresh
// null-prototype object, so nothing here runs guest code.
export function hostImport(resolve, reject, referrer, specifier, attributes) {
  let type = "js";
  try {
    if (attributes !== undefined) {
      const keys = ObjectKeys(attributes);
      for (let i = 0; i < keys.length; i++) {
        const key = keys[i];
        if (key !== "type") throw new SyntaxError('import("' + specifier + '"): unsupported import attribute "' + key + '"');
        if (attributes.type !== "json") throw new TypeError('import("' + specifier + '"): unsupported module type "' + attributes.type + '"');
        type = "json";
      }
    }
    const prepared = op_module_prepare(referrer === null ? "" : referrer, specifier, type);
    PromisePrototypeThen(prepared, (url) => {
      PromisePrototypeThen(type === "json" ? import(url, JSON_OPTIONS) : import(url), resolve, reject);
    }, reject);
  } catch (error) {
    reject(error);
  }
}
`;
