/**
 * The page ↔ worker contract, declared once (STYLE.md "One boundary").
 *
 * Trust boundaries: page (trusted) ↔ worker (trusted host code, Islet's own) ↔
 * wasm guest (hostile). Guest code never touches this protocol: it runs inside
 * QuickJS and reaches the worker only through ops. Still, everything that
 * crosses here is validated on arrival, because a bug in the worker's host
 * code (or a worker script from elsewhere) must not turn into a page-side type
 * confusion, and because the page API is public (a caller can pass anything).
 *
 * Two channels:
 * - Page → worker: {@link WorkerApi}, exposed by the worker with Comlink. The
 *   first call, `init`, is the handshake: both sides state
 *   {@link PROTOCOL_VERSION} and refuse another.
 * - Worker → page: the {@link WorkerMessage} union, posted on a MessagePort the
 *   page hands over in `init` and answered on the same port with
 *   {@link PageMessage}s. Each side validates every message it receives and
 *   drops what is not in its union.
 *
 * Invariant: the worker holds no reference to a page object. It gets copies
 *   (structured clone) and one MessagePort whose page end understands only the
 *   messages below. A Comlink proxy of a page object would let the worker walk
 *   it (`console.constructor.constructor` is the page's `Function`).
 *
 * Invariant: a `run`/`eval` result reaches the caller only after every console
 *   entry of that call was delivered. The worker counts the entries it posted
 *   (`consoleSeq` in each {@link WorkerReply}); messages on one port arrive in
 *   order, so the page waits until it has delivered that many.
 */
/*
 * Core's limit and permission types, restated: this file is the page's side too, and
 * its .d.ts must not pull in @islet/core's declarations (and QuickJS's, which need
 * lib esnext) into every page that imports @islet/worker. worker/entry.ts, compiled
 * against core, checks that these are core's own: a limit or a permission kind core
 * adds and this file lacks is a compile error there, not a key the page cannot set.
 */

/** `@islet/core`'s `Limits`. */
export interface CoreLimits {
  memoryBytes: number;
  stackBytes: number;
  /** CPU time per call inside the worker; an overrun ends with `Interrupted`. */
  cpuMs: number;
  maxPendingOps: number;
  maxTimers: number;
  /** Open resources (rids) at once. */
  maxResources: number;
}

/** `@islet/core`'s `PermissionKind`. */
export type PermissionKind = "net" | "env" | "read" | "write" | "host" | "run" | "sys";
/** `@islet/core`'s `PermissionGrant`: `true` allows every target of a kind, a list allows those. */
export type PermissionGrant = boolean | readonly string[];
/** `@islet/core`'s `PermissionRequest`. */
export interface PermissionRequest {
  kind: PermissionKind;
  /** What is asked for: `"api.example.com:443"`, an env var name, a path, a host function name. */
  target: string;
  /** The API that asked (e.g. `"fetch()"`), for the prompt. */
  api?: string;
}

/** Bumped whenever a message, a call or a field below changes meaning. */
export const PROTOCOL_VERSION = 7;

/** Limits of one sandbox: core's limits, `wallMs` included. */
export type SandboxLimits = Partial<CoreLimits> & {
  /**
   * Wall-clock time per call, waiting included. Core's own limit ends the call
   * inside the worker (`Interrupted`, reason `"interrupted"`; a long native
   * built-in too, by core's loop meter); a worker that still cannot answer is
   * terminated by the page a grace period later (`Terminated`).
   */
  wallMs?: number;
};

/** Static grants as in core, without the prompt (the page's `onPermissionRequest` is the prompt). */
export type SandboxPermissions = Partial<Record<PermissionKind, PermissionGrant>>;

export type ConsoleLevel = "log" | "info" | "warn" | "error" | "debug" | "trace" | "clear";

/**
 * What the guest's console wrote: `@islet/web`'s console entry, as it crosses.
 * (Declared here, not imported: the page side does not compile `@islet/web`;
 * worker/entry.ts passes web's entries where this type is expected, so the
 * compiler keeps the two the same.)
 */
export interface ConsoleEntry {
  level: ConsoleLevel;
  /** The formatted line(s), not indented: indent by `groupDepth` when showing it. */
  text: string;
  /** console.group nesting, 0..32. */
  groupDepth: number;
  /** `Date.now()` in the worker when the entry was written. */
  timestamp: number;
  /**
   * The arguments as preview trees (`@islet/web`'s `ConsoleValue`; README
   * "Console"), when some argument was an object. Optional, so pages and
   * workers of protocol 3 without it still agree; a malformed tree is dropped
   * and the entry shows its text.
   */
  values?: ConsoleValue[];
  /**
   * `%c` styling (`@islet/web`'s `ConsoleSegment`): the text cut where the
   * format string's `%c` directives were, each piece with its CSS, unfiltered
   * (a page applies a safe subset; `@islet/embed/console` does). The texts
   * joined are `text`; anything else is dropped and the entry shows its text.
   */
  segments?: ConsoleSegment[];
  /**
   * `console.table`'s table (`@islet/web`'s `ConsoleTable`): column heads and
   * a cell per column (a preview tree, or null when empty); `text` is its
   * box-drawing form. A malformed table is dropped and the entry shows its text.
   */
  table?: ConsoleTable;
}

export interface ConsoleTable {
  columns: string[];
  rows: (ConsoleValue | null)[][];
  more?: number;
}

export interface ConsoleSegment {
  text: string;
  css: string;
}

/**
 * One logged value as a preview tree (`@islet/web`'s `ConsoleValue`). A
 * container cut off at the preview's depth is `unexpanded` and has a `handle`:
 * `sandbox.inspect(handle)` reads its entries from the worker (protocol 5).
 */
export interface ConsoleValue {
  type: string;
  text: string;
  entries?: { key?: string; value: ConsoleValue }[];
  more?: number;
  unexpanded?: boolean;
  /** Opaque, at most {@link MAX_HANDLE_LENGTH} characters. */
  handle?: string;
}
export const MAX_HANDLE_LENGTH = 48;

/**
 * The worker's answer to `inspect(handle)`: the container's preview tree, or
 * why not — `unavailable` when the value is no longer kept (the run that
 * logged it ended, a reset, later logs pushed it out), `error` when reading it
 * failed (a limit ended the read, a bad handle).
 */
export type InspectReply =
  | { ok: true; value: ConsoleValue }
  | { ok: false; reason: "unavailable" | "error"; message: string };

export interface ErrorInfo {
  name: string;
  message: string;
  stack: string;
}

/**
 * How a failed call ended. Decided by the host from the class of what ended
 * it, never from the guest's own data: a guest that throws
 * `{ name: "Interrupted" }` ended with an `"exception"`.
 * - `exception`: the guest threw (or a promise it awaited rejected); `error` is the guest's.
 * - `error`: the host refused something the call needed (a module that does not exist,
 *   a permission, a value that cannot be copied out).
 * - `interrupted`: a limit inside the worker ended it (`cpuMs`, `wallMs`), or it was stopped.
 * - `memory`: the guest heap limit (`memoryBytes`) ended it.
 * - `terminated`: the page killed the worker (`terminate()`, `restart()`, or a worker that did
 *   not answer within `wallMs` and its grace period).
 * - `crashed`: the runtime or the worker failed; the next call gets a new one.
 */
export type FailureReason = "exception" | "error" | "interrupted" | "memory" | "terminated" | "crashed";

export type RunResult =
  | { ok: true; value?: unknown; exports?: Record<string, unknown>; durationMs: number }
  | { ok: false; reason: FailureReason; error: ErrorInfo; durationMs?: number };

export interface RunRequest {
  files: Record<string, string>;
  entry: string;
  importMap?: { imports?: Record<string, string>; scopes?: Record<string, Record<string, string>> };
  /** Start from a clean runtime (drop every global an earlier call set). */
  fresh?: boolean;
}

/** What the worker answers besides a result: enough for the page's status and ordering. */
export interface WorkerReply {
  result: RunResult;
  memoryUsed: number;
  /** The runtime faulted and was discarded; the worker made a new one. */
  crashed: boolean;
  /** How many `console` messages the worker had posted when the call ended. */
  consoleSeq: number;
}

export interface WorkerConfig {
  /** The page's {@link PROTOCOL_VERSION}; the worker refuses another. */
  protocol: number;
  wasmModule: WebAssembly.Module;
  limits: SandboxLimits;
  permissions: SandboxPermissions;
  /** Names of the page's host functions; only these exist in the guest. */
  hostFunctions: string[];
  /**
   * The sandbox's base URL (`@islet/web`'s `web({ location })`), an absolute http(s) URL:
   * the guest's `location`, and the base of relative `fetch`/`Request` URLs. Bootstrap reads
   * it, so it is part of what a snapshot image was made for.
   */
  location?: string;
  /**
   * An image an earlier worker returned in its {@link InitReply} (same wasm module,
   * memory limit and host functions). The worker checks it against its own
   * extensions and bootstraps instead when it does not fit.
   */
  snapshot?: object;
  /**
   * Take an image of the bootstrapped runtime now and return it in the
   * {@link InitReply}: without `snapshot`, or when the `snapshot` given (one the
   * page kept from an earlier page load) does not fit or cannot be restored.
   * The page asks one worker per kind, so many sandboxes started at once do not
   * all pay for it.
   */
  makeSnapshot?: boolean;
  /**
   * This worker is a spare the page readied with `prepare` for the same image, memory
   * limit, host functions and location: it restores the image it was given there (not
   * sent again) into the engine it warmed up.
   */
  prepared?: boolean;
  /** Whether the page has an `onPermissionRequest`; without one undecided requests are denied. */
  prompt: boolean;
}

/**
 * What a spare worker readies before a sandbox takes it (`prepare`): an image,
 * restored and then put back, so that its engine, its pages and
 * the host code on its path are warm; `init` with `prepared` then costs a reset.
 * The settings are the image's kind, which `init` must repeat.
 */
export interface PrepareConfig {
  protocol: number;
  wasmModule: WebAssembly.Module;
  snapshot: object;
  memoryBytes?: number;
  hostFunctions: string[];
  location?: string;
}

/** The worker's side of the handshake. */
export interface InitReply {
  protocol: number;
  /**
   * The image of the worker's bootstrapped runtime (core's `RuntimeSnapshot`,
   * opaque here), taken before any user code ran, when `makeSnapshot` asked for
   * one and the worker bootstrapped. The page hands it to the next worker with
   * the same settings, which restores it instead of bootstrapping.
   */
  snapshot?: object;
}

/** A host function's answer, so the guest error keeps the page error's name and message. */
export type HostCallResult = { ok: true; value: unknown } | { ok: false; name: string; message: string };

/** Worker → page, on the port handed over in `init`. A closed set: the page drops anything else. */
export type WorkerMessage =
  | { type: "console"; entry: ConsoleEntry }
  | { type: "hostCall"; id: number; name: string; args: unknown[] }
  | { type: "permission"; id: number; request: PermissionRequest }
  /** The prompt `id` is no longer wanted (the call that asked ended): the page closes it. */
  | { type: "permissionCancel"; id: number };

/** Page → worker answers on the same port. */
export type PageMessage =
  | { type: "hostResult"; id: number; result: HostCallResult }
  | { type: "permissionResult"; id: number; granted: boolean };

/** The one MessagePort the page hands over, as both sides use it (DOM and worker typings differ). */
export interface EventsPort {
  postMessage(message: unknown): void;
  addEventListener(type: "message", listener: (event: { data: unknown }) => void): void;
  start(): void;
  close(): void;
}

/** Page → worker (Comlink). */
export interface WorkerApi {
  /** Readies a spare worker before any sandbox has it; never rejects for a guest or image problem. */
  prepare(config: PrepareConfig): Promise<void>;
  init(config: WorkerConfig, events: EventsPort): Promise<InitReply>;
  run(request: RunRequest): Promise<WorkerReply>;
  eval(code: string): Promise<WorkerReply>;
  resources(): Promise<{ rid: number; name: string }[]>;
  memoryUsed(): Promise<number>;
  /** Returns the runtime to its snapshot in place: nothing of the earlier runs remains. */
  reset(): Promise<void>;
  /**
   * The entries of a cut-off console value (`ConsoleValue.handle`, as the
   * worker gave it), read without running guest code; queued after calls in
   * flight. Handles live until the next call, a reset, or the worker's end.
   */
  inspect(handle: string): Promise<InspectReply>;
}

// --- validation -------------------------------------------------------------------------

// Written as records checked against the types above (and so, through entry.ts, core's).
const PERMISSION_KINDS = Object.keys({
  net: true,
  env: true,
  read: true,
  write: true,
  host: true,
  run: true,
  sys: true,
} satisfies Record<PermissionKind, true>);
const LIMIT_KEYS = Object.keys({
  memoryBytes: true,
  stackBytes: true,
  cpuMs: true,
  maxPendingOps: true,
  maxTimers: true,
  maxResources: true,
  wallMs: true,
} satisfies Record<keyof SandboxLimits, true>);
const CONSOLE_LEVELS = Object.keys({
  log: true,
  info: true,
  warn: true,
  error: true,
  debug: true,
  trace: true,
  clear: true,
} satisfies Record<ConsoleLevel, true>);
const FAILURE_REASONS = Object.keys({
  exception: true,
  error: true,
  interrupted: true,
  memory: true,
  terminated: true,
  crashed: true,
} satisfies Record<FailureReason, true>);

const HOST_NAME = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
/**
 * Names `islet:host` cannot export as functions: `default` is its default
 * export (the `host` object), and a `then` export would make its namespace
 * thenable, so `await import("islet:host")` would call the page.
 */
const RESERVED_HOST_NAMES: ReadonlyMap<string, string> = new Map([
  ["default", "islet:host's default export is the host object itself"],
  ["then", 'a "then" export would make the islet:host module namespace thenable'],
]);
/** Deepest console group a page is asked to indent (the same bound as @islet/web's sink). */
const MAX_GROUP_DEPTH = 32;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

export function validateLimits(where: string, limits: unknown): SandboxLimits {
  if (limits === undefined) return {};
  if (!isRecord(limits)) throw new TypeError(`${where}: limits must be an object`);
  const out: SandboxLimits = {};
  for (const [key, value] of Object.entries(limits)) {
    if (!LIMIT_KEYS.includes(key))
      throw new TypeError(`${where}: limits.${key} is not a limit (expected ${LIMIT_KEYS.join(", ")})`);
    if (value === undefined) continue;
    if (typeof value !== "number" || !Number.isFinite(value) || value < 0)
      throw new RangeError(`${where}: limits.${key} must be a non-negative finite number, got ${String(value)}`);
    out[key as keyof SandboxLimits] = value;
  }
  return out;
}

export function validatePermissions(where: string, permissions: unknown): SandboxPermissions {
  if (permissions === undefined) return {};
  if (!isRecord(permissions)) throw new TypeError(`${where}: permissions must be an object`);
  const out: Record<string, PermissionGrant> = {};
  for (const [kind, grant] of Object.entries(permissions)) {
    if (!PERMISSION_KINDS.includes(kind))
      throw new TypeError(
        `${where}: permissions.${kind} is not a permission (expected ${PERMISSION_KINDS.join(", ")})`,
      );
    if (grant === undefined) continue;
    if (typeof grant !== "boolean" && !(Array.isArray(grant) && grant.every((g) => typeof g === "string")))
      throw new TypeError(`${where}: permissions.${kind} must be true, false or a list of strings`);
    out[kind] = typeof grant === "boolean" ? grant : [...grant];
  }
  return out as SandboxPermissions;
}

/** A host function name: an IdentifierName (reserved words included: `delete`, `new`), not `default`/`then`. */
export function validateHostName(where: string, name: unknown): string {
  if (typeof name !== "string" || !HOST_NAME.test(name))
    throw new TypeError(`${where}: host function name ${JSON.stringify(name)} is not an identifier name`);
  const reserved = RESERVED_HOST_NAMES.get(name);
  if (reserved !== undefined)
    throw new TypeError(`${where}: host function name ${JSON.stringify(name)} is reserved: ${reserved}`);
  return name;
}

/**
 * A sandbox's base URL: an absolute http: or https: URL (a string or a `URL`), returned
 * serialized; undefined when none is given. Anything else is a TypeError naming it.
 */
export function validateLocation(where: string, location: unknown): string | undefined {
  if (location === undefined) return undefined;
  if (typeof location !== "string" && !(location instanceof URL))
    throw new TypeError(`${where}: location must be a URL string or a URL, got ${typeof location}`);
  let url: URL;
  try {
    url = new URL(String(location));
  } catch {
    throw new TypeError(`${where}: location ${JSON.stringify(String(location))} is not an absolute URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new TypeError(`${where}: location must be an http: or https: URL, got ${url.protocol}`);
  return url.href;
}

/** The fields `init` and `prepare` share, checked: the protocol, the module, the host functions, the location. */
function validateHandshake(where: string, config: unknown) {
  if (!isRecord(config)) throw new TypeError(`${where}: config must be an object`);
  if (config.protocol !== PROTOCOL_VERSION)
    throw new TypeError(
      `${where}: the page speaks protocol version ${String(config.protocol)}, this worker version ${PROTOCOL_VERSION}; ` +
        "load the worker script of the same @islet/worker release as the page",
    );
  if (!(config.wasmModule instanceof WebAssembly.Module))
    throw new TypeError(`${where}: config.wasmModule must be a compiled WebAssembly.Module`);
  const hostFunctions = config.hostFunctions;
  if (!Array.isArray(hostFunctions)) throw new TypeError(`${where}: config.hostFunctions must be a list of names`);
  return {
    config,
    wasmModule: config.wasmModule,
    hostFunctions: hostFunctions.map((n) => validateHostName(where, n)),
    ...(config.location !== undefined ? { location: validateLocation(where, config.location) } : {}),
  };
}

export function validateConfig(raw: unknown): WorkerConfig {
  const { config, ...shared } = validateHandshake("init", raw);
  return {
    protocol: PROTOCOL_VERSION,
    ...shared,
    limits: validateLimits("init", config.limits),
    permissions: validatePermissions("init", config.permissions),
    prompt: config.prompt === true,
    ...(isRecord(config.snapshot) ? { snapshot: config.snapshot } : {}),
    ...(config.makeSnapshot === true ? { makeSnapshot: true } : {}),
    ...(config.prepared === true ? { prepared: true } : {}),
  };
}

export function validatePrepareConfig(raw: unknown): PrepareConfig {
  const { config, ...shared } = validateHandshake("prepare", raw);
  if (!isRecord(config.snapshot)) throw new TypeError("prepare: config.snapshot must be an image");
  const { memoryBytes } = validateLimits("prepare", { memoryBytes: config.memoryBytes });
  return {
    protocol: PROTOCOL_VERSION,
    ...shared,
    snapshot: config.snapshot,
    ...(memoryBytes !== undefined ? { memoryBytes } : {}),
  };
}

/** Checks the worker's side of the handshake. */
export function validateInitReply(reply: unknown): InitReply {
  const protocol = isRecord(reply) ? reply.protocol : undefined;
  if (protocol !== PROTOCOL_VERSION)
    throw new TypeError(
      `createSandbox: the worker speaks protocol version ${String(protocol)}, this page version ${PROTOCOL_VERSION}; ` +
        "load the worker script of the same @islet/worker release as the page",
    );
  const snapshot = isRecord(reply) && isRecord(reply.snapshot) ? reply.snapshot : undefined;
  return snapshot === undefined ? { protocol } : { protocol, snapshot };
}

export function validateRunRequest(where: string, request: unknown): RunRequest {
  if (!isRecord(request)) throw new TypeError(`${where}: expected { files, entry }`);
  const { files, entry, importMap, fresh } = request;
  if (!isRecord(files) || !Object.values(files).every((s) => typeof s === "string"))
    throw new TypeError(`${where}: files must map file names to source strings`);
  if (typeof entry !== "string" || !Object.hasOwn(files, entry))
    throw new TypeError(`${where}: entry ${JSON.stringify(entry)} is not one of the files`);
  if (importMap !== undefined && !isRecord(importMap)) throw new TypeError(`${where}: importMap must be an object`);
  return {
    files: { ...(files as Record<string, string>) },
    entry,
    ...(importMap !== undefined ? { importMap: importMap as RunRequest["importMap"] & object } : {}),
    ...(fresh === true ? { fresh: true } : {}),
  };
}

function validateErrorInfo(error: unknown): ErrorInfo | undefined {
  if (!isRecord(error) || typeof error.name !== "string" || typeof error.message !== "string") return undefined;
  return { name: error.name, message: error.message, stack: typeof error.stack === "string" ? error.stack : "" };
}

/** Checks a reply from the worker before the page trusts its shape. */
export function validateReply(reply: unknown): WorkerReply {
  if (!isRecord(reply) || !isRecord(reply.result) || typeof reply.result.ok !== "boolean")
    throw new TypeError("worker: malformed reply");
  const r = reply.result;
  const durationMs = typeof r.durationMs === "number" ? r.durationMs : 0;
  let result: RunResult;
  if (r.ok) {
    result = { ok: true, durationMs };
    if (r.value !== undefined) result.value = r.value;
    if (isRecord(r.exports)) result.exports = r.exports;
  } else {
    const error = validateErrorInfo(r.error);
    if (error === undefined || typeof r.reason !== "string" || !FAILURE_REASONS.includes(r.reason))
      throw new TypeError("worker: malformed error reply");
    result = { ok: false, reason: r.reason as FailureReason, error, durationMs };
  }
  return {
    result,
    memoryUsed: typeof reply.memoryUsed === "number" ? reply.memoryUsed : 0,
    crashed: reply.crashed === true,
    consoleSeq: typeof reply.consoleSeq === "number" ? reply.consoleSeq : 0,
  };
}

function isId(value: unknown): value is number {
  return typeof value === "number" && Number.isSafeInteger(value) && value > 0;
}

function validateConsoleEntry(entry: unknown): ConsoleEntry | undefined {
  if (!isRecord(entry)) return undefined;
  const { level, text, groupDepth, timestamp } = entry;
  if (typeof level !== "string" || !CONSOLE_LEVELS.includes(level) || typeof text !== "string") return undefined;
  if (typeof groupDepth !== "number" || !Number.isInteger(groupDepth) || groupDepth < 0 || groupDepth > MAX_GROUP_DEPTH)
    return undefined;
  if (typeof timestamp !== "number" || !Number.isFinite(timestamp)) return undefined;
  const values =
    Array.isArray(entry.values) && isValueList(entry.values, 0, { nodes: 0 })
      ? (entry.values as ConsoleValue[])
      : undefined;
  const checked: ConsoleEntry = { level: level as ConsoleLevel, text, groupDepth, timestamp };
  if (values !== undefined) checked.values = values;
  const segments = validateSegments(entry.segments, text);
  if (segments !== undefined) checked.segments = segments;
  const table = validateTable(entry.table);
  if (table !== undefined) checked.table = table;
  return checked;
}

/** Page-side check of a table, with the worker's bounds (256 columns, 1000 rows, 4096 nodes). */
function validateTable(table: unknown): ConsoleTable | undefined {
  if (!isRecord(table)) return undefined;
  const { columns, rows, more } = table;
  if (!Array.isArray(columns) || columns.length === 0 || columns.length > 256) return undefined;
  if (!columns.every((c) => typeof c === "string") || !Array.isArray(rows) || rows.length > 1000) return undefined;
  if (more !== undefined && typeof more !== "number") return undefined;
  const seen = { nodes: 0 };
  for (const row of rows) {
    if (!Array.isArray(row) || row.length !== columns.length) return undefined;
    const cells = row.filter((cell) => cell !== null);
    if (!isValueList(cells, 0, seen)) return undefined;
  }
  const out: ConsoleTable = { columns: columns as string[], rows: rows as (ConsoleValue | null)[][] };
  if (typeof more === "number") out.more = more;
  return out;
}

/** Page-side check of `%c` segments, with the worker's bounds (64 segments, 512 characters of CSS each). */
function validateSegments(segments: unknown, text: string): ConsoleSegment[] | undefined {
  if (!Array.isArray(segments) || segments.length > 64) return undefined;
  const out: ConsoleSegment[] = [];
  for (const seg of segments) {
    if (!isRecord(seg) || typeof seg.text !== "string" || typeof seg.css !== "string" || seg.css.length > 512)
      return undefined;
    out.push({ text: seg.text, css: seg.css });
  }
  return out.map((seg) => seg.text).join("") === text ? out : undefined;
}

/** Page-side shape check of a values tree, with the worker's bounds (nesting 8, 4096 nodes). */
function isValueList(list: unknown[], depth: number, seen: { nodes: number }): boolean {
  if (depth > 8) return false;
  for (const item of list) {
    const v =
      depth === 0
        ? item
        : isRecord(item) && (item.key === undefined || typeof item.key === "string")
          ? item.value
          : undefined;
    if (!isRecord(v) || typeof v.type !== "string" || typeof v.text !== "string" || ++seen.nodes > 4096) return false;
    if (v.more !== undefined && typeof v.more !== "number") return false;
    if (v.unexpanded !== undefined && typeof v.unexpanded !== "boolean") return false;
    if (v.handle !== undefined && !(typeof v.handle === "string" && v.handle.length <= MAX_HANDLE_LENGTH)) return false;
    if (v.entries !== undefined && !(Array.isArray(v.entries) && isValueList(v.entries, depth + 1, seen))) return false;
  }
  return true;
}

/** Checks the worker's answer to `inspect` before the page trusts its shape. */
export function validateInspectReply(reply: unknown): InspectReply {
  if (isRecord(reply) && reply.ok === true && isRecord(reply.value) && isValueList([reply.value], 0, { nodes: 0 }))
    return { ok: true, value: reply.value as unknown as ConsoleValue };
  if (
    isRecord(reply) &&
    reply.ok === false &&
    (reply.reason === "unavailable" || reply.reason === "error") &&
    typeof reply.message === "string"
  )
    return { ok: false, reason: reply.reason, message: reply.message };
  throw new TypeError("worker: malformed inspect reply");
}

/**
 * A message from the worker as the page may act on it, or `undefined` for
 * anything outside {@link WorkerMessage} (dropped). Returns fresh objects, so
 * nothing the page keeps is shared with what arrived.
 */
export function validateWorkerMessage(data: unknown): WorkerMessage | undefined {
  if (!isRecord(data)) return undefined;
  switch (data.type) {
    case "console": {
      const entry = validateConsoleEntry(data.entry);
      return entry === undefined ? undefined : { type: "console", entry };
    }
    case "hostCall":
      if (!isId(data.id) || typeof data.name !== "string" || !Array.isArray(data.args)) return undefined;
      return { type: "hostCall", id: data.id, name: data.name, args: data.args };
    case "permission": {
      const request = data.request;
      if (!isId(data.id) || !isRecord(request)) return undefined;
      const { kind, target, api } = request;
      if (typeof kind !== "string" || !PERMISSION_KINDS.includes(kind) || typeof target !== "string") return undefined;
      if (api !== undefined && typeof api !== "string") return undefined;
      const checked: PermissionRequest = { kind: kind as PermissionKind, target };
      if (api !== undefined) checked.api = api;
      return { type: "permission", id: data.id, request: checked };
    }
    case "permissionCancel":
      return isId(data.id) ? { type: "permissionCancel", id: data.id } : undefined;
    default:
      return undefined;
  }
}

/** A message from the page as the worker may act on it, or `undefined` (dropped). */
export function validatePageMessage(data: unknown): PageMessage | undefined {
  if (!isRecord(data) || !isId(data.id)) return undefined;
  if (data.type === "permissionResult")
    return { type: "permissionResult", id: data.id, granted: data.granted === true };
  if (data.type !== "hostResult" || !isRecord(data.result)) return undefined;
  const r = data.result;
  if (r.ok === true) return { type: "hostResult", id: data.id, result: { ok: true, value: r.value } };
  if (r.ok === false && typeof r.name === "string" && typeof r.message === "string")
    return { type: "hostResult", id: data.id, result: { ok: false, name: r.name, message: r.message } };
  return undefined;
}
