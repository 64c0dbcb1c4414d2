/**
 * Extensions bundle ops, guest ES modules and state (deno_core's `extension!`).
 *
 * Modules are named `ext:<extension>/<file>`; only modules whose own name is an
 * `ext:` specifier can import other `ext:` modules.
 */

import type { OpState } from "./op_state.ts";
import type { OpDef, RawOp } from "./ops.ts";
import { isRawOp, OP_NAME } from "./ops.ts";

export interface ExtensionDefinition {
  /** `islet_<area>` by convention; unique per runtime. */
  name: string;
  /** Extensions that must be initialised first. */
  deps?: readonly string[];
  /** Made with `op.sync()` / `op.async()` (core's own extension also has raw ops, see ops.ts). */
  ops?: Readonly<Record<string, OpDef | RawOp>>;
  /** Guest ES modules by specifier (`ext:<name>/<file>.js`) → source. */
  esm?: Readonly<Record<string, string>>;
  /** Modules evaluated at bootstrap, in this order, after every op exists. */
  esmEntryPoints?: readonly string[];
  /** Fills the op state; runs in dependency order before any guest code. */
  state?: (state: OpState) => void;
  /** Guest error classes this extension's ops throw, by name (the guest must register them too). */
  errorClasses?: readonly string[];
}

export interface Extension extends Required<Omit<ExtensionDefinition, "state">> {
  state?: (state: OpState) => void;
}

const EXT_NAME = /^[a-z][a-z0-9_]*$/;

export function defineExtension(definition: ExtensionDefinition): Extension {
  const { name } = definition;
  if (typeof name !== "string" || !EXT_NAME.test(name)) {
    throw new TypeError(`defineExtension: name must match ${EXT_NAME} (got ${JSON.stringify(name)})`);
  }
  const ops = definition.ops ?? {};
  for (const [opName, def] of Object.entries(ops)) {
    if (!OP_NAME.test(opName))
      throw new TypeError(`defineExtension(${name}): op name "${opName}" must match ${OP_NAME}`);
    if (def?.kind !== "sync" && def?.kind !== "async" && !isRawOp(def)) {
      throw new TypeError(`defineExtension(${name}): op "${opName}" must be made with op.sync() or op.async()`);
    }
  }
  const esm = definition.esm ?? {};
  for (const specifier of Object.keys(esm)) {
    if (!specifier.startsWith(`ext:${name}/`)) {
      throw new TypeError(`defineExtension(${name}): module "${specifier}" must be named ext:${name}/<file>`);
    }
  }
  const entryPoints = definition.esmEntryPoints ?? [];
  for (const entry of entryPoints) {
    if (!(entry in esm)) throw new TypeError(`defineExtension(${name}): entry point "${entry}" is not in esm`);
  }
  return {
    name,
    deps: [...(definition.deps ?? [])],
    ops,
    esm,
    esmEntryPoints: [...entryPoints],
    errorClasses: [...(definition.errorClasses ?? [])],
    ...(definition.state ? { state: definition.state } : {}),
  };
}

/** Throws a TypeError naming the position of anything that is not an extension. */
export function assertExtension(value: unknown, index: number): asserts value is Extension {
  const e = value as Partial<Extension> | null;
  const ok =
    e !== null &&
    typeof e === "object" &&
    typeof e.name === "string" &&
    Array.isArray(e.deps) &&
    typeof e.ops === "object" &&
    e.ops !== null &&
    typeof e.esm === "object" &&
    e.esm !== null &&
    Array.isArray(e.esmEntryPoints);
  if (!ok) {
    throw new TypeError(
      `JsRuntime.create: options.extensions[${index}] is not an extension; make it with defineExtension()`,
    );
  }
}

/**
 * Orders extensions so each comes after its dependencies; rejects duplicates,
 * missing dependencies, cycles and duplicate op names with errors that name them.
 */
export function orderExtensions(extensions: readonly Extension[]): Extension[] {
  const byName = new Map<string, Extension>();
  for (const ext of extensions) {
    if (byName.has(ext.name)) throw new TypeError(`JsRuntime.create: extension "${ext.name}" is listed twice`);
    byName.set(ext.name, ext);
  }
  const ordered: Extension[] = [];
  const state = new Map<string, "visiting" | "done">();
  const visit = (ext: Extension, path: string[]): void => {
    const s = state.get(ext.name);
    if (s === "done") return;
    if (s === "visiting") {
      throw new TypeError(`JsRuntime.create: extension dependency cycle: ${[...path, ext.name].join(" -> ")}`);
    }
    state.set(ext.name, "visiting");
    for (const dep of ext.deps) {
      const d = byName.get(dep);
      if (d === undefined)
        throw new TypeError(`JsRuntime.create: extension "${ext.name}" depends on "${dep}", which is missing`);
      visit(d, [...path, ext.name]);
    }
    state.set(ext.name, "done");
    ordered.push(ext);
  };
  for (const ext of extensions) visit(ext, []);
  const opOwner = new Map<string, string>();
  for (const ext of ordered) {
    for (const opName of Object.keys(ext.ops)) {
      const owner = opOwner.get(opName);
      if (owner !== undefined) {
        throw new TypeError(`JsRuntime.create: op "${opName}" is defined by both "${owner}" and "${ext.name}"`);
      }
      opOwner.set(opName, ext.name);
    }
  }
  return ordered;
}
