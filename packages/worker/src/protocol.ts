/**
 * The page ↔ worker contract, declared once (STYLE.md "One boundary").
 *
 * Trust boundaries: page (trusted) ↔ worker (trusted host code, Islet's own) ↔
 * wasm guest (hostile). Guest code never touches this protocol: it runs inside
 * QuickJS and reaches the worker only through ops. Still, everything that
 * crosses here is validated on arrival, because a bug in the worker's host
 * code must not turn into a page-side type confusion, and because the page API
 * is public (a caller can pass anything).
 *
 * Direction page → worker: {@link WorkerApi}, exposed by the worker with
 * Comlink. Direction worker → page: {@link PageCallbacks}, a Comlink proxy the
 * page hands over in `init`. Every value is copied (structured clone); no
 * function or page object crosses except that one proxy.
 */

/** Limits of one sandbox: core's limits plus `wallMs`, enforced page-side by killing the worker. */
export interface SandboxLimits {
  memoryBytes?: number;
  stackBytes?: number;
  /** CPU time per call inside the worker; an overrun ends with `Interrupted`. */
  cpuMs?: number;
  /** Wall-clock time per call; past it the page terminates the worker (`Terminated`). */
  wallMs?: number;
  maxPendingOps?: number;
  maxTimers?: number;
}

export type PermissionKind = "net" | "env" | "read" | "write" | "host" | "run" | "sys";
export type PermissionGrant = boolean | readonly string[];
/** Static grants as in core, without the prompt (the page's `onPermissionRequest` is the prompt). */
export type SandboxPermissions = Partial<Record<PermissionKind, PermissionGrant>>;

export interface PermissionRequest {
  kind: PermissionKind;
  target: string;
  api?: string;
}

/** What the guest's console produced (the same shape as `@islet/web`'s console sink). */
export interface ConsoleEntry {
  level: "log" | "info" | "warn" | "error" | "debug" | "trace" | "clear";
  text: string;
  args?: unknown[];
  groupDepth: number;
  timestamp: number;
}

export interface ErrorInfo {
  name: string;
  message: string;
  stack: string;
}

export type RunResult =
  | { ok: true; value?: unknown; exports?: Record<string, unknown>; durationMs: number }
  | { ok: false; error: ErrorInfo; durationMs?: number };

export interface RunRequest {
  files: Record<string, string>;
  entry: string;
  importMap?: { imports?: Record<string, string>; scopes?: Record<string, Record<string, string>> };
  /** Start from a clean runtime (drop every global an earlier call set). */
  fresh?: boolean;
}

/** What the worker answers besides a result: enough for the page's status. */
export interface WorkerReply {
  result: RunResult;
  memoryUsed: number;
  /** The runtime faulted and was discarded; the worker made a new one. */
  crashed: boolean;
}

export interface WorkerConfig {
  wasmModule: WebAssembly.Module;
  limits: Omit<SandboxLimits, "wallMs">;
  permissions: SandboxPermissions;
  /** Names of the page's host functions; only these exist in the guest. */
  hostFunctions: string[];
  /** Whether the page has an `onPermissionRequest`; without one undecided requests are denied. */
  prompt: boolean;
}

/** A host function's answer, so the guest error keeps the page error's name and message. */
export type HostCallResult = { ok: true; value: unknown } | { ok: false; name: string; message: string };

/** Worker → page. */
export interface PageCallbacks {
  console(entry: ConsoleEntry): void;
  hostCall(name: string, args: unknown[]): Promise<HostCallResult>;
  permission(request: PermissionRequest): Promise<boolean>;
}

/** Page → worker. */
export interface WorkerApi {
  init(config: WorkerConfig, callbacks: PageCallbacks): Promise<void>;
  run(request: RunRequest): Promise<WorkerReply>;
  eval(code: string): Promise<WorkerReply>;
  resources(): Promise<{ rid: number; name: string }[]>;
  memoryUsed(): Promise<number>;
}

// --- validation -------------------------------------------------------------------------

const PERMISSION_KINDS: readonly string[] = ["net", "env", "read", "write", "host", "run", "sys"];
const LIMIT_KEYS: readonly string[] = ["memoryBytes", "stackBytes", "cpuMs", "wallMs", "maxPendingOps", "maxTimers"];
const HOST_NAME = /^[A-Za-z_$][A-Za-z0-9_$]*$/;

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

export function validateHostName(where: string, name: unknown): string {
  if (typeof name !== "string" || !HOST_NAME.test(name))
    throw new TypeError(`${where}: host function name ${JSON.stringify(name)} is not an identifier`);
  return name;
}

export function validateConfig(config: unknown): WorkerConfig {
  if (!isRecord(config)) throw new TypeError("init: config must be an object");
  if (!(config.wasmModule instanceof WebAssembly.Module))
    throw new TypeError("init: config.wasmModule must be a compiled WebAssembly.Module");
  const { wallMs: _wall, ...limits } = validateLimits("init", config.limits);
  const hostFunctions = config.hostFunctions;
  if (!Array.isArray(hostFunctions)) throw new TypeError("init: config.hostFunctions must be a list of names");
  return {
    wasmModule: config.wasmModule,
    limits,
    permissions: validatePermissions("init", config.permissions),
    hostFunctions: hostFunctions.map((n) => validateHostName("init", n)),
    prompt: config.prompt === true,
  };
}

export function validateRunRequest(where: string, request: unknown): RunRequest {
  if (!isRecord(request)) throw new TypeError(`${where}: expected { files, entry }`);
  const { files, entry, importMap, fresh } = request;
  if (!isRecord(files) || !Object.values(files).every((s) => typeof s === "string"))
    throw new TypeError(`${where}: files must map file names to source strings`);
  if (typeof entry !== "string" || !(entry in files))
    throw new TypeError(`${where}: entry ${JSON.stringify(entry)} is not one of the files`);
  if (importMap !== undefined && !isRecord(importMap)) throw new TypeError(`${where}: importMap must be an object`);
  return {
    files: { ...(files as Record<string, string>) },
    entry,
    ...(importMap !== undefined ? { importMap: importMap as RunRequest["importMap"] & object } : {}),
    ...(fresh === true ? { fresh: true } : {}),
  };
}

/** Checks a reply from the worker before the page trusts its shape. */
export function validateReply(reply: unknown): WorkerReply {
  if (!isRecord(reply) || !isRecord(reply.result) || typeof reply.result.ok !== "boolean")
    throw new TypeError("worker: malformed reply");
  const r = reply.result;
  if (r.ok === false && (!isRecord(r.error) || typeof r.error.name !== "string"))
    throw new TypeError("worker: malformed error reply");
  return {
    result: r as RunResult,
    memoryUsed: typeof reply.memoryUsed === "number" ? reply.memoryUsed : 0,
    crashed: reply.crashed === true,
  };
}
