/**
 * Snapshots: a bootstrapped runtime as a whole-memory image (Deno's startup
 * snapshot, done the way a fixed-size wasm memory allows).
 *
 * An image is the used part of the instance's linear memory (from address 0 to
 * the last non-zero byte of the allocator's heap) plus what the host needs to
 * rebuild its side: where its pointers are (the runtime, the context, the
 * engine's scratch buffers, the guest helpers it holds handles to, the cached
 * keys of the marshal), which function-table slots it filled, the op names in
 * registration order and a digest of each extension. It is plain data (a
 * `Uint8Array` and numbers), so it can be posted to a worker or stored.
 *
 * Restoring (runtime.ts: `JsRuntime.create({ snapshot })`) makes a new instance
 * from the shared compiled module and repeats the same creation calls as a
 * normal boot up to the extensions' bootstrap — so quickjs-emscripten's
 * wrappers, the engine's own allocations and the table slots land where they
 * were — checks that they did, then copies the image over the memory and
 * rebuilds host state with the extensions' `state` initialisers. `reset()`
 * copies the image over the memory of the runtime that made it, in place.
 *
 * Invariant: an image is restored only into what made it — the same QuickJS
 * build (the module's exports and imports), the same memory size, the same
 * extensions in the same order (name and content digest) and so the same ops
 * in the same order. Anything else is refused with a {@link SnapshotMismatch}
 * naming the difference, before the memory is touched: a mismatched image
 * would be a corrupt runtime.
 */
import type { Extension } from "./extension.ts";
import type { QuickJSBuild } from "./quickjs.ts";
import type { NonZeroScan } from "./wasm_scan.ts";

export const SNAPSHOT_FORMAT = "islet-snapshot";
/** 2: digests over UTF-8 words. */
export const SNAPSHOT_VERSION = 2;

/** An image that does not fit the runtime it is restored into (or is not an image at all). */
export class SnapshotMismatch extends Error {
  override name = "SnapshotMismatch";
}

/** Where the host's pointers and table slots are in an image (all numbers; internal). */
export interface SnapshotLayout {
  rt: number;
  ctx: number;
  /** Engine allocations made before bootstrap (checked) and during it (restored). */
  engine: EngineLayout;
  /** quickjs-emscripten's context wrapper: its `uint32Out` block and cached global handle. */
  contextOut: number;
  contextGlobal: number;
  /** Function-table length before the runtime grew it, and the slots it filled. */
  tableBase: number;
  tableLength: number;
  importJobSlot: number;
  /** Every guest handle the runtime owns, in order; helpers and the import hook index into it. */
  owned: number[];
  helpers: [name: string, ownedIndex: number][];
  importHelper: number;
  /** The marshal's cached key strings. */
  keys: [key: string, ptr: number][];
  /** Host reference ids the op functions were registered with, in op order. */
  opHostIds: number[];
  tracksRejections: boolean;
  /** Address of dlmalloc's `malloc_state` (for the heap's high-water mark), or -1. */
  mallocState: number;
  /** Offset of the context's Math.random state, or -1 when it was not found. */
  randomState: number;
  /** The non-zero runs of memory below `end`, as [address, length] pairs; `memory` holds their bytes back to back. */
  segments: [address: number, length: number][];
  /** One past the last non-zero byte of the heap: everything from here up is zero in the image. */
  end: number;
}

export interface EngineLayout {
  exceptionSlot: number;
  trackerSlot: number;
  trackerField: number;
  stringDataOffset: number;
  scratch: number;
  scratchSize: number;
  argv: number;
  argvSize: number;
  jobContextOut: number;
  words: number;
}

/**
 * A bootstrapped runtime's image, from `runtime.snapshot()`. Plain data:
 * structured-cloneable (post it to a worker) and JSON-able apart from `memory`.
 */
export interface RuntimeSnapshot {
  readonly format: typeof SNAPSHOT_FORMAT;
  readonly version: typeof SNAPSHOT_VERSION;
  readonly build: QuickJSBuild;
  /** Identifies the compiled QuickJS module (its exports and imports). */
  readonly engineId: string;
  /** `limits.memoryBytes` of the runtime it came from; a restore must use the same. */
  readonly memoryBytes: number;
  /** Bytes of the wasm memory. */
  readonly wasmBytes: number;
  readonly extensions: readonly { readonly name: string; readonly digest: string }[];
  /** Op names in registration order. */
  readonly ops: readonly string[];
  /** The memory's non-zero runs, back to back (`layout.segments` says where each goes); all else is zero. */
  readonly memory: Uint8Array;
  readonly layout: SnapshotLayout;
}

const utf8 = new TextEncoder();

/**
 * Two 32-bit FNV-1a-style hashes (different seeds and primes) over the parts'
 * UTF-8 bytes, four at a time (the sources of an extension set are ~300 KB,
 * hashed in every new worker before its first restore), as 16 hex digits.
 */
export function digest(parts: readonly string[]): string {
  let a = 0x811c9dc5;
  let b = 0x9e3779b9;
  for (const part of parts) {
    const bytes = utf8.encode(part);
    const whole = bytes.length >> 2;
    const words = new Int32Array(bytes.buffer, bytes.byteOffset, whole);
    // The trailing bytes, and a separator holding the length (so ["ab", "c"] and ["a", "bc"] differ).
    const tail = [...bytes.subarray(whole << 2), 0x1ffff ^ bytes.length];
    for (let i = 0; i < whole + tail.length; i++) {
      const c = i < whole ? (words[i] as number) : (tail[i - whole] as number);
      a = Math.imul(a ^ c, 0x01000193);
      b = Math.imul(b ^ c, 0x5bd1e995);
      b ^= b >>> 15;
    }
  }
  return (a >>> 0).toString(16).padStart(8, "0") + (b >>> 0).toString(16).padStart(8, "0");
}

const digests = new WeakMap<Extension, string>();

/** A digest of everything an extension contributes to a bootstrapped image (computed once per extension object). */
export function extensionDigest(ext: Extension): string {
  let d = digests.get(ext);
  if (d !== undefined) return d;
  const parts = [ext.name, ...ext.deps, "|ops"];
  for (const [name, def] of Object.entries(ext.ops)) parts.push(name, def.kind);
  parts.push("|esm");
  for (const [spec, source] of Object.entries(ext.esm)) parts.push(spec, sourceDigest(source));
  parts.push("|entry", ...ext.esmEntryPoints, "|errors", ...ext.errorClasses, "|state", ext.state ? "1" : "0");
  // Core's own extensions are new objects in every runtime, with the same contents.
  const key = parts.join("\u0000");
  d = digestsByContents.get(key);
  if (d === undefined) {
    d = digest(parts);
    if (digestsByContents.size < 1024) digestsByContents.set(key, d);
  }
  digests.set(ext, d);
  return d;
}

const digestsByContents = new Map<string, string>();

/** Module sources are long and shared by every extension object made from them: hashed once each. */
const sourceDigests = new Map<string, string>();
function sourceDigest(source: string): string {
  let d = sourceDigests.get(source);
  if (d === undefined) {
    d = digest([source]);
    if (sourceDigests.size < 4096) sourceDigests.set(source, d);
  }
  return d;
}

/** Identifies a compiled QuickJS module by its interface. */
export function engineIdOf(module: WebAssembly.Module): string {
  const wasm = WebAssembly as unknown as {
    Module: {
      exports(m: WebAssembly.Module): { name: string; kind: string }[];
      imports(m: WebAssembly.Module): { module: string; name: string; kind: string }[];
    };
  };
  const parts = wasm.Module.exports(module).map((e) => `${e.name}:${e.kind}`);
  parts.push("|", ...wasm.Module.imports(module).map((i) => `${i.module}.${i.name}:${i.kind}`));
  return digest(parts);
}

/**
 * Checks that `image` is a well-formed snapshot made for this runtime: the
 * build, the compiled module, the memory size, the extension list and the op
 * list. Throws a {@link SnapshotMismatch} naming the first difference.
 */
export function checkSnapshot(
  image: unknown,
  expected: {
    build: QuickJSBuild;
    engineId: string;
    memoryBytes: number;
    extensions: readonly Extension[];
  },
): asserts image is RuntimeSnapshot {
  const where = "JsRuntime.create({ snapshot })";
  const s = image as Partial<RuntimeSnapshot> | null;
  if (s === null || typeof s !== "object" || s.format !== SNAPSHOT_FORMAT) {
    throw new SnapshotMismatch(`${where}: the snapshot is not an image made by runtime.snapshot()`);
  }
  if (s.version !== SNAPSHOT_VERSION) {
    throw new SnapshotMismatch(
      `${where}: the snapshot has format version ${String(s.version)}; this @islet/core reads version ${SNAPSHOT_VERSION}`,
    );
  }
  if (!(s.memory instanceof Uint8Array) || typeof s.layout !== "object" || s.layout === null) {
    throw new SnapshotMismatch(`${where}: the snapshot is damaged (no memory or layout)`);
  }
  if (!Array.isArray(s.extensions) || !Array.isArray(s.ops)) {
    throw new SnapshotMismatch(`${where}: the snapshot is damaged (no extension or op list)`);
  }
  if (s.build !== expected.build) {
    throw new SnapshotMismatch(
      `${where}: the snapshot was made with the QuickJS ${String(s.build)} build; this runtime uses the ${expected.build} build`,
    );
  }
  if (s.engineId !== expected.engineId) {
    throw new SnapshotMismatch(
      `${where}: the snapshot was made with another compiled QuickJS module (engine ${String(s.engineId)}, this one is ${expected.engineId})`,
    );
  }
  if (s.memoryBytes !== expected.memoryBytes) {
    throw new SnapshotMismatch(
      `${where}: the snapshot was made with limits.memoryBytes = ${String(s.memoryBytes)}; this runtime has ${expected.memoryBytes} (use the same)`,
    );
  }
  const names = expected.extensions.map((e) => e.name);
  const imageNames = s.extensions.map((e) => e?.name);
  if (names.join(",") !== imageNames.join(",")) {
    throw new SnapshotMismatch(
      `${where}: the snapshot was made with the extensions [${imageNames.join(", ")}]; this runtime has [${names.join(", ")}]`,
    );
  }
  for (const [i, ext] of expected.extensions.entries()) {
    if (s.extensions[i]?.digest !== extensionDigest(ext)) {
      throw new SnapshotMismatch(
        `${where}: extension "${ext.name}" differs from the one the snapshot was made with (its ops, modules or state changed)`,
      );
    }
  }
  const ops = expected.extensions.flatMap((e) => Object.keys(e.ops));
  if (ops.join(",") !== s.ops.join(",")) {
    const at = ops.findIndex((op, i) => s.ops?.[i] !== op);
    throw new SnapshotMismatch(
      `${where}: the snapshot registered its ops in another order (at position ${at}: "${String(s.ops[at])}" in the image, "${String(ops[at])}" here)`,
    );
  }
}

// --- reading the engine's memory ---------------------------------------------------------

/** dlmalloc's `malloc_state`, 32-bit: offsets of the fields read here. */
const MSTATE = { topsize: 12, leastAddr: 16, top: 24, footprint: 432, maxFootprint: 436 } as const;

/**
 * Finds dlmalloc's `malloc_state` (`_gm_`) in static data: the word that is
 * the top chunk's address moves by exactly a fresh block's chunk size when a
 * block too large for any free chunk is taken from the top. The layout is
 * checked (top + topsize lies at the end of the footprint); -1 when it does
 * not match (another allocator: the debug build's LeakSanitizer).
 */
export function findMallocState(
  malloc: (bytes: number) => number,
  free: (p: number) => void,
  i32: Int32Array,
  staticEnd: number,
  firstNonZero: (from: number, to: number) => number,
): number {
  // Small probes first: one the top chunk can give does not grow the heap (or the image).
  for (const request of [64 << 10, 512 << 10, 4 << 20]) {
    const found = probeMallocState(malloc, free, i32, staticEnd, request, firstNonZero);
    if (found !== -1) return found;
  }
  return -1;
}

function probeMallocState(
  malloc: (bytes: number) => number,
  free: (p: number) => void,
  i32: Int32Array,
  staticEnd: number,
  request: number,
  firstNonZero: (from: number, to: number) => number,
): number {
  // dlmalloc's `top` is non-zero before the probe: only the non-zero runs below staticEnd are compared.
  const before = packSegments(new Uint8Array(i32.buffer), staticEnd & ~3, firstNonZero);
  const beforeWords = new Int32Array(before.bytes.buffer, 0, before.bytes.byteLength >> 2);
  const p = malloc(request);
  if (p === 0) return -1;
  const chunk = (request + 4 + 7) & ~7;
  const candidates: number[] = [];
  let at = 0;
  for (const [address, length] of before.segments) {
    for (let w = address >> 2, end = (address + length) >> 2; w < end; w++, at++) {
      const old = beforeWords[at] as number;
      if (old === p - 8 && (i32[w] as number) - old === chunk) candidates.push(w * 4 - MSTATE.top);
    }
  }
  free(p);
  let found = -1;
  for (const gm of candidates) {
    if (gm < 0 || !mallocStateLooksRight(i32, gm)) continue;
    if (found !== -1) return -1;
    found = gm;
  }
  return found;
}

function mallocStateLooksRight(i32: Int32Array, gm: number): boolean {
  const top = i32[(gm + MSTATE.top) >> 2] as number;
  const topsize = i32[(gm + MSTATE.topsize) >> 2] as number;
  const least = i32[(gm + MSTATE.leastAddr) >> 2] as number;
  const footprint = i32[(gm + MSTATE.footprint) >> 2] as number;
  const max = i32[(gm + MSTATE.maxFootprint) >> 2] as number;
  const end = least + footprint;
  return least > 0 && top > least && footprint > 0 && max >= footprint && Math.abs(end - (top + topsize)) < 256;
}

/**
 * The end of the heap memory the allocator has ever used (the high-water
 * mark: nothing above it was ever written), or the end of memory when the
 * allocator is unknown.
 */
export function heapHighWater(i32: Int32Array, mallocState: number): number {
  const memoryEnd = i32.length * 4;
  if (mallocState < 0 || !mallocStateLooksRight(i32, mallocState)) return memoryEnd;
  const least = i32[(mallocState + MSTATE.leastAddr) >> 2] as number;
  const max = i32[(mallocState + MSTATE.maxFootprint) >> 2] as number;
  return Math.min(memoryEnd, least + max + 64);
}

/** Where the heap starts (dlmalloc's least address), which is the C stack's top; 0 if the state looks wrong. */
export function heapStart(i32: Int32Array, mallocState: number): number {
  if (mallocState < 0 || !mallocStateLooksRight(i32, mallocState)) return 0;
  return i32[(mallocState + MSTATE.leastAddr) >> 2] as number;
}

/** Gaps of zeros shorter than this stay inside a segment. */
const SEGMENT_GAP = 16 << 10;
const BLOCK = 4096;

/**
 * The non-zero runs of `u8` below `end` (4 KiB blocks; short gaps merged), and their bytes back to back.
 * `firstNonZero` (wasm_scan.ts) finds the next non-zero word natively: most of the range is the
 * C stack's untouched bottom, where a JavaScript loop in a new worker takes tens of milliseconds.
 */
export function packSegments(
  u8: Uint8Array,
  end: number,
  firstNonZero: (from: number, to: number) => number,
): { segments: [number, number][]; bytes: Uint8Array } {
  const segments: [number, number][] = [];
  let total = 0;
  let runStart = -1;
  let lastNonZero = -1;
  // From one non-zero 4 KiB block to the next: the block holding the next non-zero word.
  for (let from = 0; from < end; ) {
    const hit = firstNonZero(from, end);
    if (hit >= end) break;
    const start = hit - (hit % BLOCK);
    if (runStart >= 0 && start - lastNonZero > SEGMENT_GAP) {
      segments.push([runStart, lastNonZero - runStart]);
      total += lastNonZero - runStart;
      runStart = -1;
    }
    if (runStart < 0) runStart = start;
    lastNonZero = Math.min(end, start + BLOCK);
    from = start + BLOCK;
  }
  if (runStart >= 0) {
    segments.push([runStart, lastNonZero - runStart]);
    total += lastNonZero - runStart;
  }
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const [address, length] of segments) {
    bytes.set(u8.subarray(address, address + length), at);
    at += length;
  }
  return { segments, bytes };
}

/**
 * Where a new instance's creation calls left non-zero bytes in the image's
 * gaps: found by scanning on the first restore of an image, then reused.
 * The creation calls are deterministic (the restore checks that every pointer
 * they made lands where the image says), so every new instance writes the
 * same places; reading the gaps again would touch (and commit) every page of
 * a new memory's C stack on each restore.
 */
export interface FreshWrites {
  ranges?: [from: number, to: number][];
}

/**
 * Writes a packed image over `u8`: each segment's bytes, and zeros in the
 * gaps and from the image's end up to `zeroEnd`. A gap is only written where
 * it is not zero already, so pages no run touched stay uncommitted: in a new
 * instance (`writes`), whose memory is zero except where its creation calls
 * wrote, that part is what `scan` finds on the image's first restore (see
 * {@link FreshWrites}); in a used one (`used`, a reset), it is found exactly,
 * from the first to the last non-zero byte of each gap.
 */
export function unpackSegments(
  u8: Uint8Array,
  segments: readonly [number, number][],
  bytes: Uint8Array,
  end: number,
  zeroEnd: number,
  fresh: { writes: FreshWrites; scan: NonZeroScan } | { used: NonZeroScan },
): void {
  let at = 0;
  let previous = 0;
  const known = "writes" in fresh ? fresh.writes.ranges : undefined;
  const found: [number, number][] = [];
  const clear = (from: number, to: number) => {
    if (to <= from) return;
    if ("used" in fresh) {
      const span = fresh.used(from, to);
      if (span !== undefined) u8.fill(0, span[0], span[1]);
      return;
    }
    if (known !== undefined) return;
    const written = fresh.scan(from, to);
    if (written === undefined) return;
    u8.fill(0, written[0], written[1]);
    found.push(written);
  };
  for (const [address, length] of segments) {
    clear(previous, address);
    u8.set(bytes.subarray(at, at + length), address);
    at += length;
    previous = address + length;
  }
  if (known !== undefined) {
    for (const [from, to] of known) u8.fill(0, from, to);
    // Above the image's end only the new instance's own heap was written: small, and read as it is.
    const tail = new Int32Array(u8.buffer, previous, (Math.max(previous, zeroEnd) - previous) >> 2);
    tail.fill(0);
  } else {
    clear(previous, Math.max(end, zeroEnd));
    if ("writes" in fresh) fresh.writes.ranges = found;
  }
}

/** QuickJS's Math.random step (xorshift64*'s state update). */
function xorshift(x: bigint): bigint {
  const mask = 0xffffffffffffffffn;
  x ^= x >> 12n;
  x ^= (x << 25n) & mask;
  x ^= x >> 27n;
  return x;
}

/**
 * Finds the context's Math.random state: the 64-bit word of the JSContext
 * that advances by one xorshift64* step when `step()` calls Math.random()
 * once. Returns its offset from `ctx`, or -1.
 */
export function findRandomState(memory: WebAssembly.Memory, ctx: number, step: () => void): number {
  const words = 512;
  const view = new BigUint64Array(memory.buffer, ctx & ~7, words);
  const before = view.slice();
  step();
  let found = -1;
  for (let i = 0; i < words; i++) {
    const b = before[i] as bigint;
    if (b !== 0n && view[i] === xorshift(b)) {
      if (found !== -1) return -1;
      found = (ctx & ~7) + i * 8 - ctx;
    }
  }
  return found;
}

/** Gives a restored context its own Math.random sequence (a copied state would repeat the image's). */
export function reseedRandom(memory: WebAssembly.Memory, ctx: number, offset: number): void {
  if (offset < 0) return;
  new BigUint64Array(memory.buffer, ctx + offset, 1)[0] = nextSeed();
}

/** Seeds drawn ahead, a batch per `getRandomValues` call (one call per seed cost more than a reset). */
const seeds = new BigUint64Array(256);
let seedsUsed = seeds.length;

function nextSeed(): bigint {
  if (seedsUsed === seeds.length) {
    const crypto = (globalThis as { crypto?: { getRandomValues(a: BigUint64Array): BigUint64Array } }).crypto;
    if (crypto) crypto.getRandomValues(seeds);
    else
      for (let i = 0; i < seeds.length; i++)
        seeds[i] = BigInt(Math.floor(Math.random() * 2 ** 52)) ^ BigInt(Date.now());
    seedsUsed = 0;
  }
  const seed = seeds[seedsUsed] as bigint;
  // Each seed is used once.
  seeds[seedsUsed++] = 0n;
  return seed === 0n ? 1n : seed;
}
