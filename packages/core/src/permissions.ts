import { messageOf, PermissionDenied } from "./errors.ts";

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

/** What the prompt is told besides the request: `signal` aborts when the prompt is cancelled. */
export interface PromptContext {
  signal: AbortSignal;
}

export type PermissionsOptions = Partial<Record<PermissionKind, PermissionGrant>> & {
  /**
   * Asked only for requests neither allowed nor denied. No prompt: denied.
   * Asked at most once per kind and target, however many requests wait on the
   * answer; `context.signal` aborts if the prompt is cancelled (the call that
   * asked ended, the runtime was disposed) and its answer is then ignored.
   */
  prompt?: (request: PermissionRequest, context: PromptContext) => boolean | Promise<boolean>;
  /** Most prompts that may wait for an answer at once (default 16); requests beyond are denied. */
  maxPendingPrompts?: number;
};

export type PermissionState = "granted" | "denied" | "prompt";

const KINDS: readonly PermissionKind[] = ["net", "env", "read", "write", "host", "run", "sys"];
const DEFAULT_MAX_PENDING_PROMPTS = 16;

/** A prompt waiting for its answer; every request for the same kind and target shares it. */
interface PendingPrompt {
  readonly answer: Promise<boolean>;
  readonly controller: AbortController;
}

export class Permissions {
  readonly #grants = new Map<PermissionKind, PermissionGrant>();
  readonly #decided = new Map<string, boolean>();
  readonly #prompt: PermissionsOptions["prompt"];
  readonly #maxPendingPrompts: number;
  /**
   * Invariant: at most one prompt per kind and target is ever waiting, and at
   * most `#maxPendingPrompts` in all; a guest that fires 25 fetches at one host
   * asks the page once, and one that fires at 10 000 hosts cannot flood it.
   */
  readonly #pending = new Map<string, PendingPrompt>();

  constructor(options: PermissionsOptions = {}) {
    for (const [kind, grant] of Object.entries(options)) {
      if (kind === "prompt" || kind === "maxPendingPrompts") continue;
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
    const max = options.maxPendingPrompts ?? DEFAULT_MAX_PENDING_PROMPTS;
    if (!Number.isInteger(max) || max < 1) {
      throw new TypeError(`permissions.maxPendingPrompts: expected a positive integer, got ${String(max)}`);
    }
    this.#maxPendingPrompts = max;
  }

  /** The static grant for `kind` (what `permissions.<kind>` was given; `false` when absent). */
  grant(kind: PermissionKind): PermissionGrant {
    const grant = this.#grants.get(kind) ?? false;
    return Array.isArray(grant) ? [...grant] : grant;
  }

  /** Whether `kind` is granted for every target (`true`), with no prompt or list involved. */
  allowsAll(kind: PermissionKind): boolean {
    return this.#grants.get(kind) === true;
  }

  /** Prompts asked and not yet answered. */
  get pendingPrompts(): number {
    return this.#pending.size;
  }

  /**
   * Cancels every prompt still waiting: their requests are denied with `reason`
   * in the message, the prompts' signals abort, and their late answers are not
   * remembered. Called when the call that asked ends and on dispose.
   */
  cancelPrompts(reason = "the prompt was cancelled"): void {
    const pending = [...this.#pending.values()];
    this.#pending.clear();
    for (const prompt of pending) prompt.controller.abort(new Error(reason));
  }

  /** Forgets the prompt's earlier answers (the runtime was reset to its snapshot: a fresh sandbox asks again). */
  forgetAnswers(): void {
    this.cancelPrompts("the runtime was reset");
    this.#decided.clear();
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

  /**
   * Like {@link check}, but asks the prompt when undecided: once per kind and
   * target, concurrent requests sharing the one answer.
   */
  async request(kind: PermissionKind, target: string, api?: string): Promise<PermissionRequest> {
    const request: PermissionRequest = { kind, target, ...(api ? { api } : {}) };
    const state = this.query(kind, target);
    if (state === "granted") return request;
    const prompt = this.#prompt;
    if (state === "denied" || prompt === undefined) throw denied(request);
    const k = key(kind, target);
    let pending = this.#pending.get(k);
    if (pending === undefined) {
      if (this.#pending.size >= this.#maxPendingPrompts) {
        throw denied(
          request,
          `not asked: ${this.#maxPendingPrompts} permission prompts are already waiting for an answer (permissions.maxPendingPrompts)`,
        );
      }
      pending = this.#ask(k, prompt, request);
    }
    let allowed: boolean;
    try {
      allowed = await pending.answer;
    } catch (cancelled) {
      throw denied(request, `the prompt was not answered: ${messageOf(cancelled)}`);
    }
    if (!allowed) throw denied(request);
    return request;
  }

  #ask(k: string, prompt: NonNullable<PermissionsOptions["prompt"]>, request: PermissionRequest): PendingPrompt {
    const controller = new AbortController();
    const { signal } = controller;
    const cancelled = new Promise<never>((_, reject) => {
      signal.addEventListener("abort", () => reject(signal.reason), { once: true });
    });
    cancelled.catch(() => {});
    const asked = (async () => {
      try {
        // The prompt gets a copy: what it does to the object cannot change what was checked.
        return (await prompt({ ...request }, { signal })) === true;
      } catch {
        return false;
      }
    })();
    const answer = Promise.race([asked, cancelled]).then((allowed) => {
      // A cancelled prompt's late answer is dropped (the race settled with the cancellation).
      this.#decided.set(k, allowed);
      return allowed;
    });
    const pending: PendingPrompt = { answer, controller };
    this.#pending.set(k, pending);
    answer.then(
      () => {
        if (this.#pending.get(k) === pending) this.#pending.delete(k);
      },
      () => {},
    );
    return pending;
  }
}

function key(kind: PermissionKind, target: string): string {
  return `${kind}\u0000${kind === "net" ? target.toLowerCase() : target}`;
}

function denied(request: PermissionRequest, why = "it is not in the sandbox's permissions"): PermissionDenied {
  const via = request.api ? ` (${request.api})` : "";
  return new PermissionDenied(`Requires ${request.kind} access to "${request.target}"${via}; ${why}`);
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
