import { PermissionDenied } from "./errors.ts";

/**
 * Permissions, deny by default (Deno's `--allow-*` flags).
 *
 * Invariant: a permission is checked host-side, inside the op, on the value
 * the op is about to use (the final URL after redirects, not the one the guest
 * first passed). A check that is skipped or made on another value is a hole.
 */
export type PermissionKind = "net" | "env" | "read" | "write" | "host" | "run" | "sys";

export interface PermissionRequest {
  kind: PermissionKind;
  /** What is asked for: `"api.example.com:443"`, an env var name, a path, a host function name. */
  target: string;
  /** The API that asked (e.g. `"fetch()"`), for the prompt. */
  api?: string;
}

/** `true` allows everything of a kind, a list allows those entries, `false`/absent denies. */
export type PermissionGrant = boolean | readonly string[];

export type PermissionsOptions = Partial<Record<PermissionKind, PermissionGrant>> & {
  /** Asked only for requests neither allowed nor denied. No prompt: denied. */
  prompt?: (request: PermissionRequest) => boolean | Promise<boolean>;
};

export type PermissionState = "granted" | "denied" | "prompt";

const KINDS: readonly PermissionKind[] = ["net", "env", "read", "write", "host", "run", "sys"];

export class Permissions {
  readonly #grants = new Map<PermissionKind, PermissionGrant>();
  readonly #decided = new Map<string, boolean>();
  readonly #prompt: PermissionsOptions["prompt"];

  constructor(options: PermissionsOptions = {}) {
    for (const [kind, grant] of Object.entries(options)) {
      if (kind === "prompt") continue;
      if (!KINDS.includes(kind as PermissionKind)) {
        throw new TypeError(`permissions: unknown kind "${kind}" (expected one of ${KINDS.join(", ")})`);
      }
      if (typeof grant !== "boolean" && !(Array.isArray(grant) && grant.every((g) => typeof g === "string"))) {
        throw new TypeError(`permissions.${kind}: expected true, false or a list of strings`);
      }
      if (kind === "net" && Array.isArray(grant)) grant.forEach(parseNetEntry);
      this.#grants.set(kind as PermissionKind, grant as PermissionGrant);
    }
    if (options.prompt !== undefined && typeof options.prompt !== "function") {
      throw new TypeError("permissions.prompt: expected a function");
    }
    this.#prompt = options.prompt;
  }

  /** `granted` or `denied` from the static grants and earlier answers; `prompt` if undecided. */
  query(kind: PermissionKind, target: string): PermissionState {
    const grant = this.#grants.get(kind);
    if (grant === true) return "granted";
    if (Array.isArray(grant) && grant.some((entry) => matches(kind, entry, target))) return "granted";
    const earlier = this.#decided.get(key(kind, target));
    if (earlier !== undefined) return earlier ? "granted" : "denied";
    if (grant === false || this.#prompt === undefined) return "denied";
    return "prompt";
  }

  /**
   * Synchronous check for sync ops: allowed statically or by an earlier answer, else `PermissionDenied`.
   * Returns what was checked.
   */
  check(kind: PermissionKind, target: string, api?: string): PermissionRequest {
    const request = { kind, target, ...(api ? { api } : {}) };
    if (this.query(kind, target) !== "granted") throw denied(request);
    return request;
  }

  /** Like {@link check}, but asks the prompt (once per kind and target) when undecided. */
  async request(kind: PermissionKind, target: string, api?: string): Promise<PermissionRequest> {
    const request: PermissionRequest = { kind, target, ...(api ? { api } : {}) };
    const state = this.query(kind, target);
    if (state === "granted") return request;
    if (state === "denied" || this.#prompt === undefined) throw denied(request);
    let allowed = false;
    try {
      allowed = (await this.#prompt(request)) === true;
    } catch {
      allowed = false;
    }
    this.#decided.set(key(kind, target), allowed);
    if (!allowed) throw denied(request);
    return request;
  }
}

function key(kind: PermissionKind, target: string): string {
  return `${kind}\u0000${kind === "net" ? target.toLowerCase() : target}`;
}

function denied(request: PermissionRequest): PermissionDenied {
  const via = request.api ? ` (${request.api})` : "";
  const flag =
    request.kind === "net" ? `net access to "${request.target}"` : `${request.kind} access to "${request.target}"`;
  return new PermissionDenied(`Requires ${flag}${via}; it is not in the sandbox's permissions`);
}

/** A `host[:port]` entry: `api.example.com`, `127.0.0.1:8080`, `[::1]:80`. */
export interface NetAddress {
  hostname: string;
  port?: number;
}

export function parseNetEntry(entry: string): NetAddress {
  const m = /^(\[[0-9a-fA-F:.]+\]|[^:/\s[\]]+)(?::(\d{1,5}))?$/.exec(entry.trim());
  if (!m?.[1]) throw new TypeError(`permissions.net: "${entry}" is not host or host:port`);
  const port = m[2] === undefined ? undefined : Number(m[2]);
  if (port !== undefined && port > 65535) throw new TypeError(`permissions.net: port out of range in "${entry}"`);
  return { hostname: m[1].toLowerCase(), ...(port !== undefined ? { port } : {}) };
}

function matches(kind: PermissionKind, entry: string, target: string): boolean {
  switch (kind) {
    case "net": {
      // Deno's --allow-net: an entry without a port allows every port of that host.
      const allowed = parseNetEntry(entry);
      let wanted: NetAddress;
      try {
        wanted = parseNetEntry(target);
      } catch {
        return false;
      }
      if (allowed.hostname !== wanted.hostname) return false;
      return allowed.port === undefined || allowed.port === wanted.port;
    }
    case "read":
    case "write": {
      // A path allows itself and everything below it, compared after resolving
      // "." and ".." so "/data/../etc" is not under "/data".
      const allowed = normalizePath(entry);
      const wanted = normalizePath(target);
      return wanted === allowed || wanted.startsWith(allowed === "/" ? "/" : `${allowed}/`);
    }
    default:
      return entry === target;
  }
}

/** Resolves "." and ".." and repeated slashes in a "/"-separated path (no filesystem access). */
export function normalizePath(path: string): string {
  const absolute = path.startsWith("/");
  const parts: string[] = [];
  for (const part of path.split("/")) {
    if (part === "" || part === ".") continue;
    if (part === "..") {
      if (parts.length > 0 && parts[parts.length - 1] !== "..") parts.pop();
      else if (!absolute) parts.push("..");
      continue;
    }
    parts.push(part);
  }
  const joined = parts.join("/");
  return absolute ? `/${joined}` : joined || ".";
}
