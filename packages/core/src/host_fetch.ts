/**
 * The one place the host's `fetch` is called for a guest: web `fetch()`
 * (`@islet/web`) and remote module loading (`modules/graph.ts`) both go
 * through {@link hostFetch}.
 *
 * Invariant: no request reaches a host:port that `permissions.net` does not
 * allow, on any platform. Each URL is checked (and, when undecided, prompted
 * for) before it is contacted, and the URL contacted is the `href` of the very
 * `URL` object that was checked, so every spelling the WHATWG URL parser
 * accepts in a `Location` (scheme-relative, backslashes, tabs, decimal / hex /
 * short IPv4, a trailing dot, `[::1]`) is normalized before the check.
 *
 * How redirects are followed depends on what the host lets us see:
 * - Node (and other server runtimes) show a redirect to `redirect: "manual"`
 *   as the 3xx response itself, so redirects are followed here, hop by hop,
 *   each hop checked before it is contacted (Fetch §4.4 "HTTP-redirect fetch").
 * - Browsers hide it (an opaque-redirect response, no `Location`), so a
 *   redirect's target cannot be checked before it is followed. There a
 *   redirect is not followed at all — a `TypeError` names the allowlist and
 *   this policy — unless `net` is `true` (every host allowed, nothing to
 *   check), in which case the browser follows it. Asking with `"manual"` is
 *   what keeps the browser from sending anything to the redirect's target; a
 *   CORS preflight goes only to the URL that was checked.
 *
 * Every request omits credentials and the referrer: the sandbox never borrows
 * the page's cookies, HTTP auth or URL.
 *
 * The redirect follower itself (host_fetch_hops.ts) loads on the first call:
 * a sandbox that never fetches (a plain run) never loads it; in a bundle (the
 * worker's) it is a chunk of its own.
 */
import type { Permissions } from "./permissions.ts";

export type RedirectMode = "follow" | "error" | "manual";

export interface HostFetchRequest {
  url: string;
  method?: string;
  headers?: readonly (readonly [string, string])[];
  body?: Uint8Array<ArrayBuffer> | null;
  /** The guest's redirect mode (Fetch's `request.redirect`); default `"follow"`. */
  redirect?: RedirectMode;
  /** Aborts the request (and its body): the guest's `AbortSignal`, the end of the call. */
  signal?: AbortSignal;
}

export interface HostFetchPolicy {
  permissions: Permissions;
  /** The API that asked, for prompts and messages: `"fetch()"`, `import "https://…"`. */
  api: string;
  /** The host's fetch; default `globalThis.fetch`. */
  fetch?: typeof fetch;
  /** Most redirects followed (default 20, as in the Fetch standard). */
  maxRedirects?: number;
  /** URL schemes that may be contacted, on the first URL and every hop (default http: and https:). */
  schemes?: readonly string[];
}

export type HostFetchResult =
  /** The response to the last URL contacted (not a redirect, or a 3xx without `Location`). */
  | { kind: "response"; response: Response; url: string; redirected: boolean }
  /** A redirect under `redirect: "manual"`: the guest sees an opaque-redirect response. */
  | { kind: "opaqueredirect"; url: string; redirected: boolean };

type Hops = typeof import("./host_fetch_hops.ts");
let hops: Promise<Hops> | undefined;

/**
 * Fetches `request.url` for a guest under `policy`: permission-checked per
 * hop, redirects handled per the guest's mode (see the file header). Nothing
 * is checked or contacted before the follower has loaded (a failed load is
 * tried again by the next call).
 */
export function hostFetch(request: HostFetchRequest, policy: HostFetchPolicy): Promise<HostFetchResult> {
  hops ??= import("./host_fetch_hops.ts");
  hops.catch(() => {
    hops = undefined;
  });
  return hops.then((m) => m.followHops(request, policy));
}
