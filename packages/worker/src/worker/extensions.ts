/**
 * The worker's own extension: the host capability API (`islet_host`).
 *
 * Invariant: guest code never holds a page function. The guest gets plain
 * guest functions that call one async op with a name; the op checks the name
 * against the page's list (and the `host` permission) host-side, then asks the
 * page with a `hostCall` message (protocol.ts). A name the page did not list
 * does not exist in the guest and is refused by the op if forged.
 */
import {
  BadResource,
  defineExtension,
  type Extension,
  GuestError,
  Interrupted,
  IsletError,
  NotFound,
  op,
  PermissionDenied,
  Permissions,
  RuntimeFault,
} from "@islet/core";
import type { ErrorInfo, FailureReason, HostCallResult } from "../protocol.ts";

/**
 * The class name of a host-side error. Matched by identity as well as by
 * `name`, so a minified build cannot rename what the page sees.
 */
export function errorName(error: unknown): string {
  if (error instanceof GuestError) return error.guestName;
  if (error instanceof Interrupted) return "Interrupted";
  if (error instanceof PermissionDenied) return "PermissionDenied";
  if (error instanceof NotFound) return "NotFound";
  if (error instanceof BadResource) return "BadResource";
  if (error instanceof RuntimeFault) return "RuntimeFault";
  if (error instanceof Error) return error.name;
  return "Error";
}

/**
 * How a call that threw `error` ended, by the error's class. A guest's thrown
 * value is a `GuestError` whatever its name or message, so guest code cannot
 * make its exception look like a limit.
 */
export function failureReason(error: unknown): FailureReason {
  if (error instanceof GuestError) return "exception";
  // Core's memory-limit error (MemoryLimitExceeded, issue 9 B.1). An IsletError is made
  // by the host only, so its name is the host's word, not the guest's.
  if (error instanceof IsletError && error.name === "MemoryLimitExceeded") return "memory";
  if (error instanceof Interrupted) return "interrupted";
  if (error instanceof RuntimeFault) return "crashed";
  return "error";
}

export function errorInfo(error: unknown): ErrorInfo {
  if (error instanceof GuestError) return { name: error.guestName, message: error.message, stack: error.guestStack };
  if (error instanceof Error) return { name: errorName(error), message: error.message, stack: error.stack ?? "" };
  return { name: "Error", message: String(error), stack: "" };
}

export function hostExtension(
  names: readonly string[],
  hostCall: (name: string, args: unknown[]) => Promise<HostCallResult>,
): Extension {
  const listed = new Set(names);
  return defineExtension({
    name: "islet_host",
    ops: {
      op_host_call: op.async(async (state, name: string, args: unknown[]): Promise<HostCallResult> => {
        if (typeof name !== "string" || !listed.has(name))
          return { ok: false, name: "NotFound", message: `host.${String(name)}: the page provides no such function` };
        if (!Array.isArray(args)) return { ok: false, name: "TypeError", message: `host.${name}: bad arguments` };
        try {
          await state.get(Permissions).request("host", name, `host.${name}()`);
        } catch (error) {
          return { ok: false, name: errorName(error), message: (error as Error).message };
        }
        return hostCall(name, args);
      }),
    },
    esm: {
      "ext:islet_host/mod.js": `
        import { op_host_call } from "ext:core/ops";
        const names = ${JSON.stringify([...listed])};
        const ErrorCtor = Error, defineProperty = Object.defineProperty, freeze = Object.freeze, create = Object.create;
        const host = create(null);
        for (let i = 0; i < names.length; i++) {
          const name = names[i];
          const fn = async (...args) => {
            const r = await op_host_call(name, args);
            if (r.ok) return r.value;
            const e = new ErrorCtor(r.message);
            defineProperty(e, "name", { value: r.name, writable: true, configurable: true, enumerable: false });
            throw e;
          };
          defineProperty(fn, "name", { value: name });
          host[name] = fn;
        }
        freeze(host);
        defineProperty(globalThis, "host", { value: host, writable: false, configurable: false, enumerable: false });
      `,
    },
    esmEntryPoints: ["ext:islet_host/mod.js"],
  });
}
