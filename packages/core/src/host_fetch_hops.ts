/**
 * The redirect follower behind {@link hostFetch} (host_fetch.ts, whose header
 * states the invariant and the redirect policy): each hop's scheme and
 * `permissions.net` checked before it is contacted, Fetch's HTTP-redirect
 * steps in Node, the browser's own following only when `net` is `true`.
 * Loaded on the first fetch.
 */
import { messageOf } from "./errors.ts";
import type { HostFetchPolicy, HostFetchRequest, HostFetchResult, hostFetch } from "./host_fetch.ts";
import type { Permissions } from "./permissions.ts";

/** Fetch's redirect statuses. */
export const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);
/** Fetch's "request-body-header names", dropped when a redirect turns the request into a GET. */
const BODY_HEADERS = /^(content-type|content-length|content-encoding|content-language|content-location)$/i;
/** Headers that carry credentials, dropped when a redirect leaves the origin (Fetch: Authorization). */
const CREDENTIAL_HEADERS = /^(authorization|proxy-authorization|cookie)$/i;

/**
 * Whether the host's fetch hides redirects from `redirect: "manual"` (browsers:
 * a window or a worker). Only used to let the browser follow when every host is
 * allowed; an opaque redirect is refused whatever this says.
 */
const HOST_HIDES_REDIRECTS = "document" in globalThis || "WorkerGlobalScope" in globalThis;

/** The `net` permission target for a URL: `hostname:port`, the default port filled in. */
export function netTarget(url: URL): string {
  const port = url.port || (url.protocol === "https:" ? "443" : url.protocol === "http:" ? "80" : "");
  return `${url.hostname}:${port}`;
}

/** {@link hostFetch}, once loaded. */
export async function followHops(request: HostFetchRequest, policy: HostFetchPolicy): Promise<HostFetchResult> {
  const { permissions, api } = policy;
  const fetchFn = policy.fetch ?? globalThis.fetch;
  if (typeof fetchFn !== "function") throw new TypeError(`${api}: this host has no fetch`);
  const maxRedirects = policy.maxRedirects ?? 20;
  const schemes = policy.schemes ?? ["http:", "https:"];
  const mode = request.redirect ?? "follow";
  const signal = request.signal;
  let url = parseUrl(request.url, api);
  let method = request.method ?? "GET";
  let headers = (request.headers ?? []).map(([k, v]) => [k, v] as [string, string]);
  let body = request.body ?? null;
  // With every host allowed there is nothing to check, so a browser may follow by itself.
  const hostFollows = mode === "follow" && HOST_HIDES_REDIRECTS && permissions.allowsAll("net");

  for (let hop = 0; ; hop++) {
    checkScheme(url, schemes, api);
    await untilAborted(permissions.request("net", netTarget(url), api), signal);
    signal?.throwIfAborted();
    let response: Response;
    try {
      response = await fetchFn(url.href, {
        method,
        headers,
        ...(body !== null ? { body } : {}),
        redirect: hostFollows ? "follow" : "manual",
        credentials: "omit",
        referrerPolicy: "no-referrer",
        ...(signal ? { signal } : {}),
      });
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      throw networkError(api, url, error);
    }
    if (hostFollows) {
      const final = response.url === "" ? url : parseUrl(response.url, api);
      if (!schemes.includes(final.protocol)) {
        await discard(response);
        checkScheme(final, schemes, api);
      }
      return { kind: "response", response, url: final.href, redirected: response.redirected };
    }
    if (response.type === "opaqueredirect") {
      // A browser: the redirect's target is hidden and was not contacted.
      if (mode === "manual") return { kind: "opaqueredirect", url: url.href, redirected: hop > 0 };
      if (mode === "error") throw redirectIsError(api, url);
      throw new TypeError(
        `${api}: ${url.href} redirects, and redirects are not followed in a browser unless permissions.net is true: ` +
          `a browser hides a redirect's target until it has sent the request there, so the target cannot be checked ` +
          `against permissions.net (${describeGrant(permissions)}) first. Request the final URL directly.`,
      );
    }
    const location = REDIRECT_STATUSES.has(response.status) ? response.headers.get("location") : null;
    if (location === null) return { kind: "response", response, url: url.href, redirected: hop > 0 };
    await discard(response);
    if (mode === "manual") return { kind: "opaqueredirect", url: url.href, redirected: hop > 0 };
    if (mode === "error") throw redirectIsError(api, url);
    // Fetch §4.4 HTTP-redirect fetch.
    if (hop >= maxRedirects)
      throw new TypeError(`${api}: too many redirects (more than ${maxRedirects}) from ${url.href}`);
    let next: URL;
    try {
      next = new URL(location, url);
    } catch {
      throw new TypeError(`${api}: ${url.href} redirected to an invalid URL ${JSON.stringify(location)}`);
    }
    // Step 3: the redirect inherits the current URL's fragment when it has none.
    if (next.hash === "" && url.hash !== "") next.hash = url.hash;
    // Step 12: 301/302 after POST, and 303 after anything but GET/HEAD, become a body-less GET.
    if (
      ((response.status === 301 || response.status === 302) && method === "POST") ||
      (response.status === 303 && method !== "GET" && method !== "HEAD")
    ) {
      method = "GET";
      body = null;
      headers = headers.filter(([k]) => !BODY_HEADERS.test(k));
    }
    // Step 13: credentials never follow a redirect to another origin.
    if (next.origin !== url.origin) headers = headers.filter(([k]) => !CREDENTIAL_HEADERS.test(k));
    url = next;
  }
}

function parseUrl(href: string, api: string): URL {
  try {
    return new URL(href);
  } catch {
    throw new TypeError(`${api}: invalid URL ${JSON.stringify(href)}`);
  }
}

function checkScheme(url: URL, schemes: readonly string[], api: string): void {
  if (!schemes.includes(url.protocol)) {
    throw new TypeError(
      `${api}: the URL scheme "${url.protocol}" is not allowed here (${url.href}); expected ${schemes.join(" or ")}`,
    );
  }
}

/** The host's fetch failed (DNS, connection, CORS): a TypeError naming the URL and the host's reason. */
function networkError(api: string, url: URL, error: unknown): TypeError {
  const cause = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : "";
  return new TypeError(`${api}: network error for ${url.href}: ${messageOf(error)}${cause}`, { cause: error });
}

function redirectIsError(api: string, url: URL): TypeError {
  return new TypeError(`${api}: ${url.href} redirected and the request's redirect mode is "error"`);
}

function describeGrant(permissions: Permissions): string {
  const grant = permissions.grant("net");
  return Array.isArray(grant) ? JSON.stringify(grant) : String(grant);
}

/** A response whose body will not be used: release the connection. */
async function discard(response: Response): Promise<void> {
  try {
    await response.body?.cancel();
  } catch {
    // already closed or errored: nothing to release
  }
}

/** `promise`, or the signal's reason as soon as it aborts (a prompt never answered holds nothing up). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return promise;
  if (signal.aborted) return Promise.reject(signal.reason);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener("abort", onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener("abort", onAbort);
        resolve(value);
      },
      (error) => {
        signal.removeEventListener("abort", onAbort);
        reject(error);
      },
    );
  });
}
