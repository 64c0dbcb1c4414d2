/**
 * `islet_fetch`: fetch, Headers, Request, Response over the host's `fetch`.
 *
 * Invariants:
 * - No request reaches a host:port that `net` does not allow. `op_fetch_send`
 *   hands every request to core's one redirect follower (`hostFetch`,
 *   core/src/host_fetch.ts): in Node each redirect hop is checked before it is
 *   contacted; in a browser, which hides a redirect's target, a redirect is
 *   refused with a `TypeError` unless `net` is `true`.
 * - `redirect: "manual"` gives the guest an opaque-redirect response (status 0,
 *   no headers, no body) and `"error"` a `TypeError`, as the Fetch standard says.
 * - One resource (rid) per request: closing it aborts the host request and its
 *   body. The body stays on the host and crosses in chunks through
 *   `op_fetch_read`; a body past `maxResponseBytes` fails and is closed.
 * - A request is host work of the call that made it (core's `CallScope`): when
 *   the call ends, a request still in flight is aborted and a body the program
 *   never read is closed, releasing its rid.
 */
import {
  CallScope,
  defineExtension,
  type Extension,
  hostFetch,
  type OpState,
  op,
  Permissions,
  type RedirectMode,
  type Resource,
  type ResourceTable,
} from "@islet/core";
import { FETCH_SOURCE } from "./js/13_fetch.ts";

export interface FetchOptions {
  /** Largest response body a guest may read, in bytes (default 64 MiB). */
  maxResponseBytes?: number;
  /** Most redirects followed (default 20, as in the Fetch standard). */
  maxRedirects?: number;
}

/**
 * One guest request: its abort controller, then its response body. Closing it
 * (the guest's `AbortSignal`, the body read to its end, the end of the call)
 * aborts the host request and cancels the body.
 */
class FetchResource implements Resource {
  readonly name = "fetchRequest";
  readonly controller = new AbortController();
  reader: ReadableStreamDefaultReader<Uint8Array> | undefined;
  bytes = 0;
  #release: (() => void) | undefined;

  /** Closes this resource when the call that opened it ends. */
  endWithCall(table: ResourceTable, rid: number, callSignal: AbortSignal): void {
    const release = () => closeIfOpen(table, rid);
    if (callSignal.aborted) {
      release();
      return;
    }
    callSignal.addEventListener("abort", release, { once: true });
    this.#release = () => callSignal.removeEventListener("abort", release);
  }

  close(): void {
    this.#release?.();
    this.controller.abort();
    this.reader?.cancel().catch(() => {});
  }
}

interface SendArgs {
  url: string;
  method: string;
  headers: [string, string][];
  body: Uint8Array<ArrayBuffer> | null;
  redirect: RedirectMode;
  rid: number;
}

function checkArgs(value: unknown): SendArgs {
  const a = value as SendArgs;
  if (a === null || typeof a !== "object" || typeof a.url !== "string" || typeof a.method !== "string") {
    throw new TypeError("op_fetch_send: bad request description");
  }
  if (!Array.isArray(a.headers)) throw new TypeError("op_fetch_send: headers must be a list of pairs");
  if (a.redirect !== "follow" && a.redirect !== "error" && a.redirect !== "manual") {
    throw new TypeError(`op_fetch_send: redirect must be follow, error or manual, got ${String(a.redirect)}`);
  }
  return a;
}

function closeIfOpen(table: ResourceTable, rid: number): void {
  if (table.has(rid)) table.close(rid);
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
      op_fetch_new: op.sync((state: OpState) => {
        const table = state.resourceTable;
        const resource = new FetchResource();
        const rid = table.add(resource);
        resource.endWithCall(table, rid, state.get(CallScope).signal);
        return rid;
      }),
      op_fetch_send: op.async(async (state: OpState, args: unknown) => {
        const req = checkArgs(args);
        const resource = state.resourceTable.get(req.rid, FetchResource);
        const fetched = await hostFetch(
          {
            url: req.url,
            method: req.method,
            headers: req.headers,
            body: req.body,
            redirect: req.redirect,
            signal: resource.controller.signal,
          },
          { permissions: state.get(Permissions), api: "fetch()", maxRedirects },
        );
        if (fetched.kind === "opaqueredirect") {
          // Fetch: an opaque-redirect filtered response (status 0, no headers, no body).
          return {
            status: 0,
            statusText: "",
            headers: [],
            url: fetched.url,
            redirected: false,
            type: "opaqueredirect",
            body: false,
            limit: 0,
          };
        }
        const { response } = fetched;
        if (response.body !== null) {
          if (state.resourceTable.has(req.rid)) resource.reader = response.body.getReader();
          else await response.body.cancel().catch(() => {});
        }
        return {
          status: response.status,
          statusText: response.statusText,
          headers: [...response.headers],
          url: fetched.url,
          redirected: fetched.redirected,
          type: "basic",
          body: resource.reader !== undefined,
          limit: maxResponseBytes,
        };
      }),
      op_fetch_read: op.async(async (state: OpState, rid: unknown) => {
        const table = state.resourceTable;
        const resource = table.get(rid as number, FetchResource);
        const reader = resource.reader;
        if (reader === undefined) throw new TypeError("op_fetch_read: this request has no response body");
        let result: Awaited<ReturnType<typeof reader.read>>;
        try {
          result = await reader.read();
        } catch (error) {
          // An aborted or failed stream is finished: release its rid.
          closeIfOpen(table, rid as number);
          throw error;
        }
        const { done, value } = result;
        if (done) {
          closeIfOpen(table, rid as number);
          return null;
        }
        resource.bytes += value.byteLength;
        if (resource.bytes > maxResponseBytes) {
          closeIfOpen(table, rid as number);
          throw new RangeError(`fetch: the response body is larger than the limit of ${maxResponseBytes} bytes`);
        }
        return value;
      }),
    },
    esm: { "ext:islet_fetch/13_fetch.js": FETCH_SOURCE },
    esmEntryPoints: ["ext:islet_fetch/13_fetch.js"],
  });
}
