/**
 * Page-wide settings of `@islet/embed` and the host APIs blocks may use. Part
 * of the element definition (the small eager chunk): nothing here loads the
 * sandbox.
 */
import type { HostFunction, WasmSource } from "@islet/worker";

export interface EmbedOptions {
  /** The QuickJS `.wasm` (URL or compiled module); default: the one beside the worker script. */
  wasm?: WasmSource;
  /** The sandbox worker script; default: the one shipped with `@islet/worker` (standalone: beside embed.js). */
  workerUrl?: string | URL;
  /** Sandboxes (Web Workers) alive at once for all blocks of the page, 1..16; default 4. */
  maxWorkers?: number;
  /**
   * Load the sandbox and start one worker when the page is idle and a block is
   * in view, so the first Run answers fast; default true. With false, nothing
   * loads before the first Run.
   */
  prewarm?: boolean;
}

export const settings: Required<Pick<EmbedOptions, "maxWorkers" | "prewarm">> & EmbedOptions = {
  maxWorkers: 4,
  prewarm: true,
};

/** Changes page-wide settings; takes effect for sandboxes started afterwards. */
export function configure(options: EmbedOptions): void {
  if (typeof options !== "object" || options === null) throw new TypeError("configure: expected an options object");
  const { maxWorkers, prewarm, wasm, workerUrl } = options;
  if (maxWorkers !== undefined) {
    if (!Number.isInteger(maxWorkers) || maxWorkers < 1 || maxWorkers > 16)
      throw new RangeError(`configure: maxWorkers must be an integer in 1..16, got ${String(maxWorkers)}`);
    settings.maxWorkers = maxWorkers;
  }
  if (prewarm !== undefined) settings.prewarm = prewarm === true;
  if (wasm !== undefined) settings.wasm = wasm;
  if (workerUrl !== undefined) settings.workerUrl = workerUrl;
}

const hosts = new Map<string, Readonly<Record<string, HostFunction>>>();
const HOST_NAME = /^[A-Za-z_$][\w$-]*$/;

/**
 * Registers host functions under `name`; a block with `host="name"` lets its
 * code call them (`import { getTodos } from "islet:host"` or `host.getTodos()`).
 * Arguments and results are copied (structured clone). Registering a name again
 * replaces it for later runs.
 */
export function registerHost(name: string, functions: Record<string, HostFunction>): void {
  if (typeof name !== "string" || !HOST_NAME.test(name))
    throw new TypeError(`registerHost: name must be an identifier-like string, got ${JSON.stringify(name)}`);
  if (typeof functions !== "object" || functions === null)
    throw new TypeError(`registerHost: functions for "${name}" must be an object of functions`);
  const copy: Record<string, HostFunction> = {};
  for (const [key, fn] of Object.entries(functions)) {
    if (typeof fn !== "function") throw new TypeError(`registerHost: ${name}.${key} must be a function`);
    copy[key] = fn;
  }
  hosts.set(name, Object.freeze(copy));
}

export function registeredHost(name: string): Readonly<Record<string, HostFunction>> | undefined {
  return hosts.get(name);
}
