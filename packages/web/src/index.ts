/**
 * `@islet/web`: the web platform inside an Islet sandbox, as extensions over
 * `@islet/core` ops. `web(options)` returns them in dependency order.
 */
import type { Extension } from "@islet/core";
import { type ConsoleOptions, consoleExtension } from "./console.ts";
import { cryptoExtension, type NavigatorOptions } from "./crypto.ts";
import { type FetchOptions, fetchExtension } from "./fetch.ts";
import { urlExtension } from "./url.ts";
import { webExtension } from "./web.ts";

export type { ConsoleEntry, ConsoleLevel, ConsoleOptions } from "./console.ts";
export type { NavigatorOptions } from "./crypto.ts";
export type { FetchOptions } from "./fetch.ts";
export { ISLET_GLOBALS_DTS } from "./islet_dts.ts";

export interface WebOptions {
  console?: ConsoleOptions;
  navigator?: NavigatorOptions;
  fetch?: FetchOptions;
}

export function web(options: WebOptions = {}): Extension[] {
  return [
    webExtension(),
    consoleExtension(options.console),
    urlExtension(),
    cryptoExtension(options.navigator),
    fetchExtension(options.fetch),
  ];
}
