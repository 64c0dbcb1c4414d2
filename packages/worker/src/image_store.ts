/**
 * Images kept across page loads. The first sandbox of each kind on a page
 * bootstraps its runtime and returns its snapshot image (sandbox.ts keeps it
 * for the page's later sandboxes). This module also keeps that image in the
 * page's IndexedDB, so the first sandbox of a later page load — a reload, the
 * next page of a docs site — restores it instead of bootstrapping.
 *
 * An image is stored under what it was made with: the protocol version, the
 * SHA-256 of the compiled `.wasm` bytes, the worker script and the kind's
 * settings (memory limit, host functions, location), with a digest of its
 * memory: a record whose bytes changed since is not used. The worker checks every
 * image against its own extensions and QuickJS build and bootstraps instead
 * when it does not fit (a newer release of the worker, a damaged record), and
 * the page then stores the new image in its place. An image is taken before
 * any guest code runs, so it holds nothing of any program.
 *
 * Nothing is stored without IndexedDB or `crypto.subtle` (pages that are not
 * a secure context), for a `wasm` given as a compiled module, or after
 * `setImageCache(false)`. Any storage error only means a bootstrap. At most
 * {@link KEEP_IMAGES} images (about 1.4 MiB each) are kept, the latest saved.
 */
import { PROTOCOL_VERSION } from "./protocol.ts";
import { sha256Hex, type WasmSource, wasmContentDigest } from "./wasm.ts";

const DB_NAME = "islet-images";
const STORE = "images";
/** Images kept; saving another deletes the oldest. */
export const KEEP_IMAGES = 4;
/** How long a sandbox whose module is ready waits for the store before it bootstraps instead. */
export const LOOKUP_MS = 250;

interface StoredImage {
  key: string;
  image: object;
  /** SHA-256 of the image's memory bytes when saved: a record damaged since is not used. */
  memoryDigest: string;
  savedAt: number;
}

/** The image's memory (core's `RuntimeSnapshot.memory`), the bytes a restore copies. */
function memoryOf(image: object): Uint8Array<ArrayBuffer> | undefined {
  const memory = (image as { memory?: unknown }).memory;
  return memory instanceof Uint8Array ? (memory as Uint8Array<ArrayBuffer>) : undefined;
}

let enabled = true;
let opened: Promise<IDBDatabase | undefined> | undefined;
/** Lookups by key, once per page: later sandboxes of a kind use sandbox.ts's in-memory image. */
const lookups = new Map<string, Promise<object | undefined>>();

/**
 * Turns keeping images across page loads on (the default) or off for this
 * page. Off deletes the images kept, and sandboxes then read and write none.
 */
export function setImageCache(on: boolean): void {
  if (typeof on !== "boolean") throw new TypeError("setImageCache: expected true or false");
  if (enabled === on) return;
  enabled = on;
  lookups.clear();
  if (!on) {
    const closing = opened;
    opened = undefined;
    void closing?.then((db) => db?.close());
    try {
      globalThis.indexedDB?.deleteDatabase(DB_NAME);
    } catch {
      // nothing was kept
    }
  }
}

/** Where an image of this kind is kept: `undefined` when none can be (see above). */
async function storeKey(wasm: WasmSource | undefined, workerUrl: string | URL | undefined, kind: string) {
  if (!enabled || globalThis.indexedDB === undefined) return undefined;
  const digest = await wasmContentDigest(wasm);
  if (digest === undefined) return undefined;
  return JSON.stringify([PROTOCOL_VERSION, digest, workerUrl === undefined ? null : String(workerUrl), kind]);
}

/** The image kept for this kind by an earlier page load, if any. Never rejects. */
export async function storedImage(
  wasm: WasmSource | undefined,
  workerUrl: string | URL | undefined,
  kind: string,
): Promise<object | undefined> {
  try {
    const key = await storeKey(wasm, workerUrl, kind);
    if (key === undefined) return undefined;
    let found = lookups.get(key);
    if (found === undefined) {
      found = read(key).catch(() => undefined);
      lookups.set(key, found);
    }
    return await found;
  } catch {
    return undefined;
  }
}

/** Keeps `image`, made by a worker of this kind, for later page loads. Never rejects. */
export async function storeImage(
  wasm: WasmSource | undefined,
  workerUrl: string | URL | undefined,
  kind: string,
  image: object,
): Promise<void> {
  try {
    const key = await storeKey(wasm, workerUrl, kind);
    if (key === undefined) return;
    lookups.set(key, Promise.resolve(image));
    const memory = memoryOf(image);
    const memoryDigest = memory === undefined ? undefined : await sha256Hex(memory);
    if (memoryDigest === undefined) return;
    // Writing copies the image on the page's thread: not in the task that received it, nor
    // beside the sandbox's first calls.
    await idle();
    const db = await database();
    if (db === undefined) return;
    const tx = db.transaction(STORE, "readwrite");
    const store = tx.objectStore(STORE);
    store.put({ key, image, memoryDigest, savedAt: Date.now() } satisfies StoredImage);
    // The oldest beyond the limit go (keys by save time, without reading the images).
    const byAge = store.index("savedAt").getAllKeys();
    byAge.onsuccess = () => {
      const keys = byAge.result.filter((k) => k !== key);
      for (const old of keys.slice(0, Math.max(0, keys.length - (KEEP_IMAGES - 1)))) store.delete(old);
    };
    await done(tx);
  } catch {
    // Not kept: the next page load bootstraps.
  }
}

/** Forgets the image kept under this kind (it could not be restored). Never rejects. */
export async function dropStoredImage(
  wasm: WasmSource | undefined,
  workerUrl: string | URL | undefined,
  kind: string,
): Promise<void> {
  try {
    const key = await storeKey(wasm, workerUrl, kind);
    if (key === undefined) return;
    lookups.delete(key);
    const db = await database();
    if (db === undefined) return;
    const tx = db.transaction(STORE, "readwrite");
    tx.objectStore(STORE).delete(key);
    await done(tx);
  } catch {
    // nothing to forget
  }
}

async function read(key: string): Promise<object | undefined> {
  const db = await database();
  if (db === undefined) return undefined;
  const request = db.transaction(STORE, "readonly").objectStore(STORE).get(key);
  const record = await new Promise<unknown>((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const { image, memoryDigest } = (record ?? {}) as Partial<StoredImage>;
  if (typeof image !== "object" || image === null) return undefined;
  const memory = memoryOf(image);
  if (memory === undefined || memoryDigest === undefined || (await sha256Hex(memory)) !== memoryDigest) {
    return undefined;
  }
  return image;
}

function database(): Promise<IDBDatabase | undefined> {
  // Off since the caller began (a write waits for an idle moment): the deleted database stays deleted.
  if (!enabled) return Promise.resolve(undefined);
  opened ??= new Promise<IDBDatabase | undefined>((resolve) => {
    const request = globalThis.indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => {
      const store = request.result.createObjectStore(STORE, { keyPath: "key" });
      store.createIndex("savedAt", "savedAt");
    };
    request.onsuccess = () => {
      const db = request.result;
      // Another tab deleting or upgrading the database: let it, and open again next time.
      db.onversionchange = () => {
        db.close();
        if (opened === current) opened = undefined;
      };
      resolve(db);
    };
    request.onerror = () => resolve(undefined);
    request.onblocked = () => resolve(undefined);
  }).catch(() => undefined);
  const current = opened;
  return current;
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error);
    tx.onabort = () => reject(tx.error);
  });
}

/** Resolves when the page's thread is idle (at most 2 s on): `requestIdleCallback` where there is one. */
function idle(): Promise<void> {
  return new Promise((resolve) => {
    const onIdle = (globalThis as { requestIdleCallback?: (f: () => void, o: { timeout: number }) => void })
      .requestIdleCallback;
    if (typeof onIdle === "function") onIdle(() => resolve(), { timeout: 2000 });
    else setTimeout(resolve, 200);
  });
}
