// @islet/worker, page side. The worker entry is ./worker/entry.ts; locate.ts finds it and the wasm.

export { setImageCache } from "./image_store.ts";
export { type AcquireOptions, createSandboxPool, SandboxPool, type SandboxPoolOptions } from "./pool.ts";
export {
  type ConsoleEntry,
  type ConsoleLevel,
  type ConsoleSegment,
  type ConsoleTable,
  type ConsoleValue,
  type ErrorInfo,
  type FailureReason,
  type InspectReply,
  type PermissionRequest,
  PROTOCOL_VERSION,
  type RunRequest,
  type RunResult,
  type SandboxLimits,
  type SandboxPermissions,
} from "./protocol.ts";
export {
  ConsoleValueUnavailable,
  createSandbox,
  DEFAULT_CPU_MS,
  DEFAULT_WALL_MS,
  type HostFunction,
  KILL_GRACE_MS,
  Sandbox,
  type SandboxOptions,
  type SandboxState,
  type SandboxStatus,
} from "./sandbox.ts";
export { setSpareWorker } from "./spare.ts";
export { loadQuickJSModule, setDefaultWasm, type WasmSource } from "./wasm.ts";
