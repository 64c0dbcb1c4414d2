export { CallEnded, CallScope } from "./call_scope.ts";
export { BridgeRangeError } from "./engine.ts";
export {
  BadResource,
  GuestError,
  Interrupted,
  IsletError,
  MemoryLimitExceeded,
  NotFound,
  PermissionDenied,
  RuntimeFault,
} from "./errors.ts";
export { defineExtension, type Extension, type ExtensionDefinition } from "./extension.ts";
export {
  type HostFetchPolicy,
  type HostFetchRequest,
  type HostFetchResult,
  hostFetch,
  type RedirectMode,
} from "./host_fetch.ts";
export { netTarget, REDIRECT_STATUSES } from "./host_fetch_hops.ts";
export { DEFAULT_LIMITS, type Limits } from "./limits.ts";
export { BridgeTypeError, HostObject, hostObject } from "./marshal.ts";
export { type JsxOptions, MODULES_HELPER } from "./modules/graph.ts";
export {
  type LoadedModule,
  MemoryModuleLoader,
  type MemoryModuleLoaderOptions,
  type ModuleLoader,
  type ModuleType,
  moduleTypeOf,
} from "./modules/loader.ts";
export { type ImportMap, resolveSpecifier } from "./modules/specifier.ts";
export { type Key, OpState, StateKey } from "./op_state.ts";
export { type AsyncOp, type OpDef, op, type SyncOp } from "./ops.ts";
export {
  type PermissionGrant,
  type PermissionKind,
  type PermissionRequest,
  type PermissionState,
  Permissions,
  type PermissionsOptions,
  type PromptContext,
  parseNetEntry,
} from "./permissions.ts";
export {
  compileQuickJS,
  type QuickJSBuild,
  setCompiledQuickJS,
} from "./quickjs.ts";
export { type Resource, ResourceTable } from "./resources.ts";
export { JsRuntime, type RuntimeOptions } from "./runtime.ts";
export { type RuntimeSnapshot, SnapshotMismatch } from "./snapshot.ts";
export { prepareQuickJSWasm } from "./wasm_patch.ts";
