/**
 * `@islet/web`: the web platform inside an Islet sandbox, as extensions over
 * `@islet/core` ops. `web(options)` returns them in dependency order.
 */
import type { Extension } from "@islet/core";
import { webExtension } from "./web.ts";

export type WebOptions = {};

export function web(_options: WebOptions = {}): Extension[] {
  return [webExtension()];
}
