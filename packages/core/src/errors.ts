/**
 * Error classes and their translation across the bridge.
 *
 * Every error an op throws carries the name of the JS class it becomes in the
 * guest (deno_core's `#[class(...)]`). Host code throws the classes below (or
 * any Error whose `name` is registered); the guest sees an instance of the
 * guest class with the same name and message. Errors coming the other way
 * (an uncaught guest exception) become a {@link GuestError} on the host that
 * keeps the guest's name, message and stack.
 */

/**
 * Base class of Islet's own host-side errors. `name` is the guest class name,
 * written as a string literal in each class: a minifier renames classes, and
 * the name is what crosses the bridge.
 */
export class IsletError extends Error {
  override name = "IsletError";
}

/** A permission check refused the request. */
export class PermissionDenied extends IsletError {
  override name = "PermissionDenied";
}
/** A module, file or named thing does not exist. */
export class NotFound extends IsletError {
  override name = "NotFound";
}
/** A resource id is closed, forged, or of the wrong type. */
export class BadResource extends IsletError {
  override name = "BadResource";
}
/**
 * The call was ended by the host: its CPU limit (`limits.cpuMs`), its wall-clock
 * limit (`limits.wallMs`), or `runtime.interrupt()`. Made by the host only, from
 * host-side state; guest code can neither catch nor forge it.
 */
export class Interrupted extends IsletError {
  override name = "Interrupted";
}
/**
 * The guest ran out of memory (`limits.memoryBytes`), seen by the host at the
 * allocator (memory_guard.ts). Made by the host only; guest code can neither
 * catch nor forge it.
 */
export class MemoryLimitExceeded extends IsletError {
  override name = "MemoryLimitExceeded";
}
/** The QuickJS instance faulted (host stack overflow, wasm trap) and was discarded. */
export class RuntimeFault extends IsletError {
  override name = "RuntimeFault";
}

/** Guest-side classes every runtime knows; extensions can register more. */
export const BUILTIN_ERROR_CLASSES: readonly string[] = [
  "Error",
  "TypeError",
  "RangeError",
  "SyntaxError",
  "ReferenceError",
  "EvalError",
  "URIError",
  "PermissionDenied",
  "NotFound",
  "BadResource",
  "Interrupted",
];

/** Native ECMAScript classes that exist in the guest already (not defined by Islet). */
export const NATIVE_ERROR_CLASSES: ReadonlySet<string> = new Set([
  "Error",
  "TypeError",
  "RangeError",
  "SyntaxError",
  "ReferenceError",
  "EvalError",
  "URIError",
  "AggregateError",
  "InternalError",
]);

/** An exception thrown by guest code, seen from the host. */
export class GuestError extends Error {
  /** The guest value's class name (`TypeError`, `PermissionDenied`, a user class…). */
  readonly guestName: string;
  /** The guest stack, as QuickJS printed it. */
  readonly guestStack: string;
  /**
   * The thrown value when it was not an Error instance (`throw 42`, `throw { code: 1 }`),
   * copied to the host; undefined when it was an Error or could not be copied.
   */
  readonly thrown: unknown;
  constructor(name: string, message: string, stack: string, thrown?: unknown) {
    super(message);
    this.name = name;
    this.guestName = name;
    this.guestStack = stack;
    this.thrown = thrown;
    this.stack = `${name}: ${message}\n${stack}`;
  }
}

/** The guest class name an arbitrary host error becomes. Unknown names fall back to `Error`. */
export function guestClassOf(error: unknown, registered: ReadonlySet<string>): string {
  if (error instanceof Error && registered.has(error.name)) return error.name;
  return "Error";
}

/** The message of an arbitrary host throwable. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  try {
    return String(error);
  } catch {
    return "unknown error";
  }
}
