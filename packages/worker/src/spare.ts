/**
 * Spare workers. Once a sandbox of some kind (QuickJS module, worker script,
 * image: memory limit, host functions, location) has started and its image is
 * known, the page starts one more worker of that kind in the background and
 * has it restore the image and warm up (`prepare`). The next sandbox of that
 * kind takes it, so it does not wait for a new worker to start — in Chromium
 * the largest part of a sandbox's start once the module is compiled.
 *
 * Sandboxes created with `spare: false` (a pool's, `<islet-run>`'s: they keep
 * their own warm ones) neither take nor leave spares. A spare never ran guest code. It holds one idle worker (about 10 MiB); at
 * most {@link MAX_SPARES} are kept (one per kind, the oldest ended first), each
 * ended {@link SPARE_IDLE_MS} after it was started if no sandbox took it.
 * `setSpareWorker(false)` ends them and starts no more.
 */
import * as Comlink from "comlink";
import { startWorker } from "./locate.ts";
import type { PrepareConfig, WorkerApi } from "./protocol.ts";

/** What a spare must match to be taken: the same module, worker script and image settings. */
export interface SpareKind {
  wasm: WebAssembly.Module | string;
  workerUrl: string | undefined;
  image: string;
}

export interface Spare {
  worker: Worker;
  remote: Comlink.Remote<WorkerApi>;
  /** Resolves once the worker has warmed up; rejects if it could not be reached. */
  prepared: Promise<void>;
}

/** How long an untaken spare lives. */
export const SPARE_IDLE_MS = 30_000;
/**
 * How long after a sandbox of its kind is ready a spare starts: the new sandbox's first calls do not share the machine with
 * a worker warming up.
 */
export const SPARE_DELAY_MS = 500;
/** Spares kept at once, each of another kind. */
export const MAX_SPARES = 2;

interface Kept {
  kind: SpareKind;
  spare: Spare;
  timer: ReturnType<typeof setTimeout> | undefined;
}

const kept: Kept[] = [];
let enabled = true;

/**
 * Turns spare workers on (the default) or off for this page. Off ends the
 * spares kept now; sandboxes then each start their own worker.
 */
export function setSpareWorker(on: boolean): void {
  if (typeof on !== "boolean") throw new TypeError("setSpareWorker: expected true or false");
  enabled = on;
  if (!on) for (const k of kept.slice()) end(k);
}

/**
 * Hands over the spare of `kind`, if one is kept; the caller owns its worker
 * from then on (and, once ready, offers the next one like any sandbox).
 */
export function takeSpare(kind: SpareKind): Spare | undefined {
  const k = kept.find((k) => sameKind(k.kind, kind));
  if (k === undefined) return undefined;
  forget(k);
  return k.spare;
}

/**
 * Starts a spare of `kind` prepared with `config`, unless one is kept or
 * spares are off. Call it once the image of that kind is known.
 */
export function offerSpare(kind: SpareKind, workerUrl: string | URL | undefined, config: PrepareConfig): void {
  if (!enabled || kept.some((k) => sameKind(k.kind, kind))) return;
  const oldest = kept.length >= MAX_SPARES ? kept[0] : undefined;
  if (oldest !== undefined) end(oldest);
  let worker: Worker;
  try {
    worker = startWorker(workerUrl);
  } catch {
    // The sandbox that offered started its own worker the same way; a spare is only a shortcut.
    return;
  }
  const remote = Comlink.wrap<WorkerApi>(worker);
  const k: Kept = { kind, spare: { worker, remote, prepared: remote.prepare(config) }, timer: undefined };
  // A spare that fails before it is taken is ended; after, its sandbox sees the failure.
  k.spare.prepared.catch(() => end(k));
  worker.addEventListener("error", () => end(k));
  k.timer = setTimeout(() => end(k), SPARE_IDLE_MS);
  kept.push(k);
}

/** Spares kept now (tests and benches). */
export function spareCount(): number {
  return kept.length;
}

function sameKind(a: SpareKind, b: SpareKind): boolean {
  return a.wasm === b.wasm && a.workerUrl === b.workerUrl && a.image === b.image;
}

/** Stops keeping `k`; returns whether it was kept. */
function forget(k: Kept): boolean {
  const at = kept.indexOf(k);
  if (at < 0) return false;
  kept.splice(at, 1);
  clearTimeout(k.timer);
  return true;
}

/** Ends a kept spare; one already taken belongs to its sandbox and is left alone. */
function end(k: Kept): void {
  if (!forget(k)) return;
  k.spare.worker.terminate();
  k.spare.remote[Comlink.releaseProxy]();
}
