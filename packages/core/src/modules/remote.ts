/**
 * Remote modules (`import "https://…"`), fetched for modules/graph.ts through
 * the one redirect follower (host_fetch.ts): every hop is https: and checked
 * against `net` before it is contacted; in a browser a redirect is followed
 * only when `net` is `true`. The body is read up to
 * {@link MAX_REMOTE_MODULE_BYTES}. Loaded on the first remote import (in the
 * worker's bundle, with the redirect follower's chunk): a program that
 * imports nothing remote never loads it.
 */
import { NotFound } from "../errors.ts";
import { hostFetch } from "../host_fetch.ts";
import type { Permissions } from "../permissions.ts";

const MAX_REDIRECTS = 10;
/** The largest remote module source the host will read. */
export const MAX_REMOTE_MODULE_BYTES = 8 << 20;

export interface RemoteModule {
  /** The URL after redirects. */
  url: string;
  source: string;
  contentType: string | null;
}

/** Fetches the module at `url` (https: only), refusing a missing, failed or oversized one. */
export async function fetchRemoteModule(
  url: string,
  permissions: Permissions,
  hostFetchImpl: typeof fetch | undefined,
): Promise<RemoteModule> {
  const api = `import "${url}"`;
  const fetched = await hostFetch(
    { url },
    // https only: a plain-http module could be rewritten by anyone on the path.
    {
      permissions,
      api,
      maxRedirects: MAX_REDIRECTS,
      schemes: ["https:"],
      ...(hostFetchImpl ? { fetch: hostFetchImpl } : {}),
    },
  );
  if (fetched.kind !== "response") throw new TypeError(`${api}: ${fetched.url} redirected`);
  const { response, url: finalUrl } = fetched;
  if (response.status === 404) {
    await response.body?.cancel().catch(() => {});
    throw new NotFound(`Module not found "${finalUrl}"`);
  }
  if (!response.ok) {
    await response.body?.cancel().catch(() => {});
    throw new TypeError(`Import "${finalUrl}" failed: HTTP ${response.status}`);
  }
  const source = await readCapped(response, finalUrl);
  return { url: finalUrl, source, contentType: response.headers.get("content-type") };
}

/** Reads a response body as UTF-8 text, refusing more than MAX_REMOTE_MODULE_BYTES. */
async function readCapped(response: Response, url: string): Promise<string> {
  const tooBig = () => new RangeError(`Import "${url}": the module is larger than ${MAX_REMOTE_MODULE_BYTES} bytes`);
  const declared = Number(response.headers.get("content-length"));
  if (declared > MAX_REMOTE_MODULE_BYTES) {
    await response.body?.cancel();
    throw tooBig();
  }
  if (response.body === null) return "";
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_REMOTE_MODULE_BYTES) {
      await reader.cancel();
      throw tooBig();
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }
  return new TextDecoder().decode(bytes);
}
