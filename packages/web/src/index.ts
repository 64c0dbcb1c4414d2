/**
 * `@islet/web`: the web platform inside an Islet sandbox, as extensions over
 * `@islet/core` ops. `web(options)` returns them in dependency order.
 */
import type { Extension } from "@islet/core";
import { type ConsoleOptions, consoleExtension } from "./console.ts";
import { cryptoExtension, type NavigatorOptions } from "./crypto.ts";
import { type FetchOptions, fetchExtension } from "./fetch.ts";
import { checkLocation, urlExtension } from "./url.ts";
import { webExtension } from "./web.ts";

export {
  Console,
  type ConsoleEntry,
  type ConsoleLevel,
  type ConsoleOptions,
  type ConsoleSegment,
  ConsoleState,
  type ConsoleTable,
  type ConsoleValue,
  type ConsoleValueType,
  ConsoleValueUnavailable,
  inspectConsoleValue,
  MAX_CONSOLE_HANDLES,
  parseConsoleSegments,
  parseConsoleTable,
  parseConsoleValues,
  releaseConsoleValues,
} from "./console.ts";
export type { NavigatorOptions } from "./crypto.ts";
export type { FetchOptions } from "./fetch.ts";
export { ISLET_GLOBALS_DTS } from "./islet_dts.ts";

export interface WebOptions {
  /**
   * The sandbox's base URL (an absolute http: or https: URL): `location` shows it, and
   * `Request`, `fetch` and `Response.redirect` resolve relative URLs against it. Without
   * it there is no `location` and a relative URL is a TypeError.
   */
  location?: string;
  console?: ConsoleOptions;
  navigator?: NavigatorOptions;
  fetch?: FetchOptions;
}

const OPTION_KEYS = ["location", "console", "navigator", "fetch"] as const;

export function web(options: WebOptions = {}): Extension[] {
  if (options === null || typeof options !== "object") throw new TypeError("web(options): options must be an object");
  for (const [key, value] of Object.entries(options)) {
    if (!(OPTION_KEYS as readonly string[]).includes(key)) {
      throw new TypeError(`web(options): unknown option "${key}" (expected ${OPTION_KEYS.join(", ")})`);
    }
    if (key !== "location" && value !== undefined && (value === null || typeof value !== "object")) {
      throw new TypeError(`web({ ${key} }): expected an object`);
    }
  }
  return [
    webExtension(),
    consoleExtension(options.console),
    urlExtension(checkLocation(options.location)),
    cryptoExtension(options.navigator),
    fetchExtension(options.fetch),
  ];
}
