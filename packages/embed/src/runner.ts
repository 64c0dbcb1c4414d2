/**
 * The run chunk of `<islet-run>`, loaded on the first Run (or at idle with a
 * block in view): the page-wide sandbox pool and the output view.
 *
 * Pool: blocks share a few warm sandboxes (Web Workers, at most
 * `settings.maxWorkers` alive). A sandbox is created for one configuration
 * (limits, `net`, host function names) and serves one run at a time; every run
 * after its first is `fresh`, so it starts from a clean runtime and no block
 * sees another's globals. Two blocks running at once get two sandboxes. Stop
 * terminates the block's worker; the page thread never runs guest code, so a
 * looping block blocks neither the page nor other blocks.
 */
import type { ConsoleEntry, HostFunction, RunRequest, RunResult } from "@islet/worker";
import { Sandbox } from "@islet/worker";
import { settings } from "./config.ts";
import { findLocations, type Inspect, isStructured, locationLinks, renderEntry, renderText } from "./console/render.ts";

export interface BlockConfig {
  timeoutMs: number;
  memoryBytes: number | undefined;
  /** Hosts (`host` or `host:port`) the code may fetch; empty: none. */
  net: string[];
}

/** Guest heap per sandbox unless a block sets `memory`. */
const DEFAULT_MEMORY_BYTES = 32 << 20;
/** Idle sandboxes kept warm for later runs. */
const MAX_IDLE = 2;

interface Slot {
  key: string;
  sandbox: Sandbox;
  /** Whether a run happened in it: the next run asks for a fresh runtime. */
  used: boolean;
  /** The current run's host functions and console sink. */
  host: Record<string, HostFunction>;
  onEntry: ((entry: ConsoleEntry, inspect: Inspect) => void) | undefined;
}

const alive = new Set<Slot>();
const idle: Slot[] = [];
const waiting: (() => void)[] = [];

function keyOf(config: BlockConfig, hostNames: string[]): string {
  return JSON.stringify([config.timeoutMs, config.memoryBytes ?? 0, [...config.net].sort(), [...hostNames].sort()]);
}

function create(config: BlockConfig, hostNames: string[], key: string): Slot {
  const slot: Slot = { key, used: false, host: {}, onEntry: undefined, sandbox: undefined as unknown as Sandbox };
  // The worker knows the names; each call goes to the function of the run in progress.
  const host: Record<string, HostFunction> = {};
  for (const name of hostNames) {
    host[name] = (...args: unknown[]) => {
      const fn = slot.host[name];
      if (fn === undefined) throw new TypeError(`host.${name} is not available to this block`);
      return fn(...args);
    };
  }
  slot.sandbox = new Sandbox({
    ...(settings.wasm === undefined ? {} : { wasm: settings.wasm }),
    ...(settings.workerUrl === undefined ? {} : { workerUrl: settings.workerUrl }),
    limits: {
      memoryBytes: config.memoryBytes ?? DEFAULT_MEMORY_BYTES,
      cpuMs: config.timeoutMs,
      wallMs: config.timeoutMs,
    },
    permissions: { net: config.net },
    host,
    // A value the preview cut off is read from this sandbox, until its next run lets it go.
    onConsole: (entry) => slot.onEntry?.(entry, (handle) => slot.sandbox.inspect(handle)),
    // The blocks keep their own warm sandboxes (prewarm, one per configuration): no spare worker besides.
    spare: false,
  });
  // A worker that fails to start fails the run that uses it, with the reason.
  slot.sandbox.start().catch(() => {});
  alive.add(slot);
  return slot;
}

function discard(slot: Slot): void {
  alive.delete(slot);
  const i = idle.indexOf(slot);
  if (i >= 0) idle.splice(i, 1);
  if (!slot.sandbox.terminated) slot.sandbox.terminate();
  waiting.shift()?.();
}

async function acquire(config: BlockConfig, hostNames: string[]): Promise<Slot> {
  const key = keyOf(config, hostNames);
  for (;;) {
    const i = idle.findIndex((s) => s.key === key);
    if (i >= 0) return idle.splice(i, 1)[0]!;
    if (alive.size < settings.maxWorkers) return create(config, hostNames, key);
    const other = idle[0];
    if (other !== undefined) {
      discard(other);
      continue;
    }
    await new Promise<void>((resolve) => waiting.push(resolve));
  }
}

function release(slot: Slot): void {
  slot.host = {};
  slot.onEntry = undefined;
  if (slot.sandbox.terminated || idle.length >= MAX_IDLE) discard(slot);
  else {
    idle.push(slot);
    waiting.shift()?.();
  }
}

/** Starts one sandbox for `config` (default: a block without attributes), so the first Run finds it warm. */
export function prewarm(
  config: BlockConfig = { timeoutMs: 5000, memoryBytes: undefined, net: [] },
  hostNames: string[] = [],
): void {
  if (alive.size === 0) idle.push(create(config, hostNames, keyOf(config, hostNames)));
}

/** Sandboxes alive and idle now (for tests and the curious). */
export function poolStats(): { alive: number; idle: number; waiting: number } {
  return { alive: alive.size, idle: idle.length, waiting: waiting.length };
}

export interface RunHandle {
  result: Promise<RunResult>;
  /** Ends the run now: its worker is terminated (and not reused). */
  stop(): void;
}

/** Runs `request` in a pooled sandbox from a clean state. */
export function runBlock(
  config: BlockConfig,
  request: Pick<RunRequest, "files" | "entry">,
  host: Record<string, HostFunction>,
  onEntry: (entry: ConsoleEntry, inspect: Inspect) => void,
): RunHandle {
  let slot: Slot | undefined;
  let stopped = false;
  const result = (async (): Promise<RunResult> => {
    const acquired = await acquire(config, Object.keys(host));
    slot = acquired;
    if (stopped) {
      release(acquired);
      return { ok: false, reason: "terminated", error: { name: "Terminated", message: "stopped", stack: "" } };
    }
    acquired.host = host;
    acquired.onEntry = onEntry;
    const fresh = acquired.used;
    acquired.used = true;
    try {
      return await acquired.sandbox.run({ ...request, ...(fresh ? { fresh: true } : {}) });
    } finally {
      release(acquired);
    }
  })();
  return {
    result,
    stop() {
      stopped = true;
      slot?.sandbox.terminate();
    },
  };
}

// --- output -------------------------------------------------------------------------------

/** Rows kept per run; the rest is one "output truncated" line. */
const MAX_ROWS = 1000;
const LEVELS = new Set(["log", "info", "warn", "error", "debug"]);

export interface RunSummary {
  text: string;
  /** The line of the block an error points at. */
  line?: number;
  /** What a screen reader hears once the run ends. */
  announce?: string;
}

/**
 * A block's output: console rows rendered by the shared console renderer
 * (`console/render.ts`, the playground's too), then one line for the result.
 * Rows are appended once per frame, so a chatty block costs one layout per frame.
 */
export class OutputView {
  readonly #list: HTMLElement;
  readonly #entry: string;
  readonly #linkify: (text: string) => DocumentFragment;
  #rows = 0;
  #errors = 0;
  #truncated = false;
  #pending = document.createDocumentFragment();
  #scheduled = false;
  #status: HTMLElement | undefined;

  constructor(list: HTMLElement, entry: string, jump: (line: number, column: number) => void) {
    this.#list = list;
    this.#entry = entry;
    // Only locations in the block's own file link back to it.
    this.#linkify = locationLinks(
      (loc) => jump(loc.line, loc.column),
      (loc) => loc.file === entry,
    );
  }

  running(): void {
    this.#status = note("Running…");
    this.#list.append(this.#status);
  }

  /** `inspect` reads the values the entry's preview cut off (see `console/render.ts`). */
  add(entry: ConsoleEntry, inspect?: Inspect): void {
    if (this.#truncated) return;
    if (this.#rows >= MAX_ROWS || /^output truncated\b/.test(entry.text) || String(entry.level) === "truncated") {
      this.#truncated = true;
      this.#pending.append(note(`… ${/^output truncated\b/.test(entry.text) ? entry.text : "output truncated"}`));
      this.#schedule();
      return;
    }
    const level = String(entry.level);
    if (level === "groupEnd" || level === "clear") return;
    this.#rows++;
    const shown = LEVELS.has(level) ? level : level === "trace" ? "debug" : "log";
    if (shown === "error") this.#errors++;
    const row = document.createElement("div");
    row.className = `row level-${shown}`;
    const depth = Math.max(0, Math.min(20, Number(entry.groupDepth) || 0));
    if (depth > 0) {
      row.classList.add("nested");
      row.style.setProperty("--depth", String(depth));
    }
    if (isStructured(entry)) row.append(renderEntry(entry, this.#linkify, inspect));
    else if (shown === "error" || shown === "debug") row.append(this.#linkify(entry.text));
    else row.append(renderText(entry.text, this.#linkify));
    this.#pending.append(row);
    this.#schedule();
  }

  #schedule(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    const flush = () => this.#flush();
    requestAnimationFrame(flush);
    setTimeout(flush, 100); // background tabs get no animation frames
  }

  #flush(): void {
    if (!this.#scheduled) return;
    this.#scheduled = false;
    this.#status?.before(this.#pending);
  }

  /** Shows how the run ended; returns the summary and the line an error points at. */
  finish(result: RunResult, how: { stopped: boolean; timeoutMs: number }): RunSummary {
    this.#flush();
    this.#status?.remove();
    const lines = `${this.#rows} line${this.#rows === 1 ? "" : "s"} of output`;
    if (result.ok) {
      if (this.#rows === 0) this.#list.append(note("(no output)", "empty"));
      const time = `${Math.round(result.durationMs)} ms`;
      this.#list.append(note(`Done in ${time}`));
      return {
        text: `Done in ${time}`,
        announce: `Run finished: ${lines}${this.#errors ? `, ${this.#errors} errors` : ""}.`,
      };
    }
    const { error, reason } = result;
    if (how.stopped) {
      this.#list.append(note("■ Stopped", "failed"));
      return { text: "Stopped", announce: `Run stopped: ${lines}.` };
    }
    if (reason === "terminated" || reason === "interrupted") {
      // The block's own limits (cpuMs = wallMs = timeout) say "still running"; anything else (a
      // worker that failed to start, a host-side stop) says what it was.
      const limit = /\b(wall|cpu|time)/i.test(error.message);
      const text = limit ? `Stopped: still running after ${how.timeoutMs} ms (timeout)` : `Stopped: ${error.message}`;
      this.#list.append(note(text, "failed"));
      return { text, announce: `${text}; ${lines}.` };
    }
    // An error: its message and stack, with the block's lines as links.
    const row = document.createElement("div");
    row.className = "row level-error";
    const stack = error.stack.trim();
    const head = `${reason === "memory" ? "Out of memory: " : "Uncaught "}${error.name}: ${error.message}`;
    row.append(this.#linkify(stack.startsWith(`${error.name}:`) ? stack : `${head}${stack ? `\n${stack}` : ""}`));
    this.#list.append(row);
    const at = [...findLocations(`${error.message}\n${stack}`)].find((loc) => loc.file === this.#entry);
    const where = at === undefined ? "" : ` on line ${at.line}`;
    return {
      text: head,
      ...(at === undefined ? {} : { line: at.line }),
      announce: `Error${where}: ${error.name}: ${error.message}`,
    };
  }
}

function note(text: string, extra = ""): HTMLElement {
  const row = document.createElement("div");
  row.className = `note ${extra}`.trim();
  row.textContent = text;
  return row;
}
