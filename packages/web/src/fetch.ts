/**
 * `islet_fetch`: fetch, Headers, Request, Response over the host's `fetch`.
 *
 * Invariants:
 * - The `net` permission is checked host-side, in `op_fetch_send`, on every URL
 *   the request reaches: redirects are followed here (`redirect: "manual"` on
 *   the host) so each hop is checked before it is contacted.
 * - Response bodies stay on the host as resources (rids) and cross in chunks
 *   through `op_fetch_read`; a body past `maxResponseBytes` fails and is closed.
 * - Closing a request's cancel resource aborts the host request and its body.
 */
import { defineExtension, type Extension, type OpState, op, Permissions, type Resource } from "@islet/core";
import { FETCH_SOURCE } from "./js/13_fetch.ts";

export interface FetchOptions {
  /** Largest response body a guest may read, in bytes (default 64 MiB). */
  maxResponseBytes?: number;
  /** Most redirects followed (default 20, as in the Fetch standard). */
  maxRedirects?: number;
}

class CancelResource implements Resource {
  readonly name = "fetchCancel";
  readonly controller = new AbortController();
  close(): void {
    this.controller.abort();
  }
}

class BodyResource implements Resource {
  readonly name = "fetchBody";
  bytes = 0;
  constructor(
    readonly reader: ReadableStreamDefaultReader<Uint8Array>,
    readonly limit: number,
  ) {}
  close(): void {
    this.reader.cancel().catch(() => {});
  }
}

interface SendArgs {
  url: string;
  method: string;
  headers: [string, string][];
  body: Uint8Array | null;
  redirect: "follow" | "error" | "manual";
  cancelRid: number | null;
}

/**
 * Node's fetch shows redirect responses to `redirect: "manual"`, so each hop is
 * permission-checked before it is contacted. A browser's does not (an opaque
 * redirect); there redirects are followed by the host and the final URL checked.
 */
const HOP_BY_HOP =
  typeof (globalThis as { process?: { versions?: { node?: string } } }).process?.versions?.node === "string";
const REDIRECTS = new Set([301, 302, 303, 307, 308]);

function netTarget(url: URL): string {
  const port = url.port || (url.protocol === "https:" ? "443" : "80");
  return `${url.hostname}:${port}`;
}

function checkArgs(value: unknown): SendArgs {
  const a = value as SendArgs;
  if (a === null || typeof a !== "object" || typeof a.url !== "string" || typeof a.method !== "string") {
    throw new TypeError("op_fetch_send: bad request description");
  }
  if (!Array.isArray(a.headers)) throw new TypeError("op_fetch_send: headers must be a list of pairs");
  return a;
}

export function fetchExtension(options: FetchOptions = {}): Extension {
  const maxResponseBytes = options.maxResponseBytes ?? 64 << 20;
  const maxRedirects = options.maxRedirects ?? 20;
  if (!(maxResponseBytes >= 0))
    throw new TypeError("web({ fetch: { maxResponseBytes } }): must be a non-negative number");
  if (!Number.isInteger(maxRedirects) || maxRedirects < 0) {
    throw new TypeError("web({ fetch: { maxRedirects } }): must be a non-negative integer");
  }
  return defineExtension({
    name: "islet_fetch",
    deps: ["islet_web", "islet_url"],
    ops: {
      op_fetch_cancel_new: op.sync((state: OpState) => state.resourceTable.add(new CancelResource())),
      op_fetch_send: op.async(async (state: OpState, args: unknown) => {
        const req = checkArgs(args);
        const signal =
          req.cancelRid === null ? undefined : state.resourceTable.get(req.cancelRid, CancelResource).controller.signal;
        const perms = state.get(Permissions);
        let url = new URL(req.url);
        let method = req.method;
        let body: Uint8Array | null = req.body;
        let headers = req.headers;
        for (let hop = 0; ; hop++) {
          if (url.protocol !== "http:" && url.protocol !== "https:") {
            throw new TypeError(`fetch: the URL scheme "${url.protocol}" is not supported (${url.href})`);
          }
          // Checked on the URL about to be contacted, including every redirect hop.
          await perms.request("net", netTarget(url), "fetch()");
          const res = await fetch(url, {
            method,
            headers,
            ...(body !== null ? { body } : {}),
            // A browser hides redirects from `manual` (an opaque response), so there the
            // host's fetch follows them and the final URL is checked below instead.
            redirect: HOP_BY_HOP ? "manual" : req.redirect,
            // The sandbox never borrows the page's cookies, HTTP auth or referrer.
            credentials: "omit",
            referrerPolicy: "no-referrer",
            ...(signal ? { signal } : {}),
          });
          if (!HOP_BY_HOP && res.url !== "" && res.url !== url.href) {
            const final = new URL(res.url);
            try {
              await perms.request("net", netTarget(final), "fetch()");
            } catch (error) {
              await res.body?.cancel();
              throw error;
            }
            url = final;
            hop = 1;
          }
          const location = res.headers.get("location");
          if (HOP_BY_HOP && REDIRECTS.has(res.status) && location !== null && req.redirect !== "manual") {
            await res.body?.cancel();
            if (req.redirect === "error") throw new TypeError(`fetch: ${url.href} redirected and redirect is "error"`);
            if (hop >= maxRedirects) throw new TypeError(`fetch: too many redirects (more than ${maxRedirects})`);
            const next = new URL(location, url);
            // Fetch §4.4 HTTP-redirect fetch, step 12: 303 (or 301/302 after POST) becomes a body-less GET.
            if (
              res.status === 303 ? method !== "HEAD" : (res.status === 301 || res.status === 302) && method === "POST"
            ) {
              method = "GET";
              body = null;
              headers = headers.filter(
                ([k]) => !/^(content-type|content-length|content-encoding|content-language|content-location)$/i.test(k),
              );
            }
            if (next.origin !== url.origin) headers = headers.filter(([k]) => !/^(authorization|cookie)$/i.test(k));
            url = next;
            continue;
          }
          const rid =
            res.body === null
              ? null
              : state.resourceTable.add(new BodyResource(res.body.getReader(), maxResponseBytes));
          return {
            status: res.status,
            statusText: res.statusText,
            headers: [...res.headers],
            url: url.href,
            redirected: hop > 0,
            rid,
            limit: maxResponseBytes,
          };
        }
      }),
      op_fetch_read: op.async(async (state: OpState, rid: unknown) => {
        const body = state.resourceTable.get(rid as number, BodyResource);
        let result: Awaited<ReturnType<typeof body.reader.read>>;
        try {
          result = await body.reader.read();
        } catch (error) {
          // An aborted or failed stream is finished: release its rid.
          if (state.resourceTable.has(rid as number)) state.resourceTable.close(rid as number);
          throw error;
        }
        const { done, value } = result;
        if (done) {
          if (state.resourceTable.has(rid as number)) state.resourceTable.close(rid as number);
          return null;
        }
        body.bytes += value.byteLength;
        if (body.bytes > body.limit) {
          if (state.resourceTable.has(rid as number)) state.resourceTable.close(rid as number);
          throw new RangeError(`fetch: the response body is larger than the limit of ${body.limit} bytes`);
        }
        return value;
      }),
    },
    esm: { "ext:islet_fetch/13_fetch.js": FETCH_SOURCE },
    esmEntryPoints: ["ext:islet_fetch/13_fetch.js"],
  });
}
