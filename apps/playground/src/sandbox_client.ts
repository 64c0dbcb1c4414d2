/**
 * The playground's one door to `@islet/worker`: the QuickJS `.wasm` is emitted
 * by Vite as an asset (so the built site works from any static server) and
 * compiled once per page; every sandbox the playground opens reuses it.
 */

import { createSandbox, type Sandbox, type SandboxOptions, setDefaultWasm } from "@islet/worker";
import wasmUrl from "@jitl/quickjs-wasmfile-release-sync/wasm?url";

export type {
  ConsoleEntry,
  PermissionRequest,
  RunResult,
  Sandbox,
  SandboxState,
  SandboxStatus,
} from "@islet/worker";

setDefaultWasm(wasmUrl);

export function openSandbox(options: SandboxOptions): Promise<Sandbox> {
  return createSandbox(options);
}
