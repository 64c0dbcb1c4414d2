// @islet/worker, page side. The worker entry is ./worker/entry.ts; locate.ts finds it and the wasm.
export { type AcquireOptions, createSandboxPool, SandboxPool, type SandboxPoolOptions } from "./pool.ts";
export type {
  ConsoleEntry,
  ErrorInfo,
  PermissionRequest,
  RunRequest,
  RunResult,
  SandboxLimits,
  SandboxPermissions,
} from "./protocol.ts";
export {
  createSandbox,
  DEFAULT_CPU_MS,
  DEFAULT_WALL_MS,
  type HostFunction,
  Sandbox,
  type SandboxOptions,
  type SandboxState,
  type SandboxStatus,
} from "./sandbox.ts";
export { loadQuickJSModule, setDefaultWasm, type WasmSource } from "./wasm.ts";
