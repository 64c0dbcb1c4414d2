/**
 * `islet_url`: URL and URLSearchParams, and `location` when the sandbox has a base URL.
 * The host's WHATWG `URL` and `URLSearchParams` do the parsing and serializing; ops
 * return plain parts.
 */
import { defineExtension, type Extension, op } from "@islet/core";
import { URL_SOURCE } from "./js/11_url.ts";

const FIELDS = [
  "href",
  "protocol",
  "username",
  "password",
  "host",
  "hostname",
  "port",
  "pathname",
  "search",
  "hash",
  "origin",
] as const;
/** Every part but `href` (setting it re-parses through op_url_parse) and `origin` (read-only). */
const SETTABLE = new Set<string>(FIELDS.filter((f) => f !== "href" && f !== "origin"));

/**
 * The parts joined by "\n": one string crosses the bridge on the fast string path
 * instead of an array through JSON. A serialized URL component never contains a
 * newline (the parser strips them and percent-encodes the rest).
 */
function partsOf(url: URL): string {
  return FIELDS.map((f) => url[f]).join("\n");
}
function str(value: unknown, where: string): string {
  if (typeof value !== "string") throw new TypeError(`${where}: expected a string, got ${typeof value}`);
  return value;
}

/**
 * The sandbox's base URL (`web({ location })`), checked once: an absolute http(s) URL, kept
 * serialized. Like Deno's `--location`, it is what `location` shows and what `Request`,
 * `fetch` and `Response.redirect` resolve a relative URL against; it grants no permission
 * (a fetch to it is checked like any other).
 */
export function checkLocation(location: unknown): string | null {
  if (location === undefined) return null;
  if (typeof location !== "string")
    throw new TypeError(`web({ location }): expected a URL string, got ${typeof location}`);
  let url: URL;
  try {
    url = new URL(location);
  } catch {
    throw new TypeError(`web({ location }): ${JSON.stringify(location)} is not an absolute URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new TypeError(`web({ location }): the location must be an http: or https: URL, got ${url.protocol}`);
  }
  return url.href;
}

export function urlExtension(location: string | null = null): Extension {
  return defineExtension({
    name: "islet_url",
    deps: ["islet_web"],
    ops: {
      /** The base URL of the sandbox, or null when it has none. */
      op_url_location: op.sync(() => location),
      /** Returns the parts, or null when the input is not a valid URL. */
      op_url_parse: op.sync((_s, href: unknown, base: unknown) => {
        const h = str(href, "op_url_parse");
        const b = base === undefined ? undefined : str(base, "op_url_parse");
        let url: URL;
        try {
          url = new URL(h, b);
        } catch {
          return null;
        }
        return partsOf(url);
      }),
      op_url_set: op.sync((_s, href: unknown, field: unknown, value: unknown) => {
        const f = str(field, "op_url_set");
        if (!SETTABLE.has(f)) throw new TypeError(`op_url_set: "${f}" is not a settable URL field`);
        const url = new URL(str(href, "op_url_set"));
        (url as unknown as Record<string, string>)[f] = str(value, "op_url_set");
        return partsOf(url);
      }),
      op_url_parse_search: op.sync((_s, query: unknown) => [...new URLSearchParams(str(query, "op_url_parse_search"))]),
      op_url_stringify_search: op.sync((_s, list: unknown) => {
        if (!Array.isArray(list)) throw new TypeError("op_url_stringify_search: expected a list of pairs");
        return new URLSearchParams(list as [string, string][]).toString();
      }),
    },
    esm: { "ext:islet_url/11_url.js": URL_SOURCE },
    esmEntryPoints: ["ext:islet_url/11_url.js"],
  });
}
