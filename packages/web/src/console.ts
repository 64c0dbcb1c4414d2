/**
 * `islet_console`: the guest console (js/10_console.ts) and the host sink with
 * its output budget. Past the budget the sink gets one "output truncated"
 * entry, `op_console_write` returns false, and the guest stops formatting.
 *
 * The budget is per call: whoever starts a run (the worker, for each `run` /
 * `eval`) calls `runtime.opState.get(Console).resetBudget()` first, so one
 * chatty call does not silence every later one. Without a reset the budget
 * lasts for the runtime's life.
 */
import { defineExtension, type Extension, type OpState, op, StateKey } from "@islet/core";
import { CONSOLE_SOURCE } from "./js/10_console.ts";

export type ConsoleLevel = "log" | "info" | "debug" | "warn" | "error" | "trace" | "clear";
export interface ConsoleEntry {
  level: ConsoleLevel;
  /** The formatted line(s), not indented: indent by `groupDepth` when showing it. */
  text: string;
  groupDepth: number;
  /** Host `Date.now()` when the entry was written. */
  timestamp: number;
}
export interface ConsoleOptions {
  /** Receives every entry. Default: the host's own console. */
  sink?: (entry: ConsoleEntry) => void;
  /** Output budget in UTF-16 code units of text (default 1 MiB). */
  maxBytes?: number;
  /** Output budget in lines (default 10 000). */
  maxLines?: number;
}

const LEVELS: ReadonlySet<string> = new Set(["log", "info", "debug", "warn", "error", "trace", "clear"]);

export class ConsoleState {
  bytes = 0;
  lines = 0;
  truncated = false;
  constructor(
    readonly sink: (entry: ConsoleEntry) => void,
    readonly maxBytes: number,
    readonly maxLines: number,
  ) {}

  /** Starts a new budget: the next call may write `maxLines` lines and `maxBytes` again. */
  resetBudget(): void {
    this.bytes = 0;
    this.lines = 0;
    this.truncated = false;
  }

  /** Returns false once the budget is spent (and from then on, until {@link resetBudget}). */
  write(level: ConsoleLevel, text: string, groupDepth: number): boolean {
    if (this.truncated) return false;
    let lines = 1;
    for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) lines++;
    if (this.bytes + text.length > this.maxBytes || this.lines + lines > this.maxLines) {
      this.truncated = true;
      this.sink({
        level: "warn",
        text: `output truncated: the console output budget (${this.maxBytes} bytes, ${this.maxLines} lines) is spent; later output is dropped`,
        groupDepth: 0,
        timestamp: Date.now(),
      });
      return false;
    }
    this.bytes += text.length;
    this.lines += lines;
    this.sink({ level, text, groupDepth, timestamp: Date.now() });
    return true;
  }
}
export const Console = new StateKey<ConsoleState>("web.console");

function hostConsole(entry: ConsoleEntry): void {
  const pad = "  ".repeat(entry.groupDepth);
  const text = pad + entry.text.replaceAll("\n", `\n${pad}`);
  if (entry.level === "clear") return;
  if (entry.level === "trace") console.error(text);
  else console[entry.level](text);
}

function positive(value: unknown, name: string, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !(value >= 0)) {
    throw new TypeError(`web({ console: { ${name} } }): must be a non-negative number, got ${String(value)}`);
  }
  return value;
}

/** Deepest console.group nesting a sink is asked to indent. */
export const MAX_GROUP_DEPTH = 32;

export function consoleExtension(options: ConsoleOptions = {}): Extension {
  if (options.sink !== undefined && typeof options.sink !== "function") {
    throw new TypeError("web({ console: { sink } }): sink must be a function");
  }
  const sink = options.sink ?? hostConsole;
  const maxBytes = positive(options.maxBytes, "maxBytes", 1 << 20);
  const maxLines = positive(options.maxLines, "maxLines", 10_000);
  return defineExtension({
    name: "islet_console",
    deps: ["islet_web"],
    ops: {
      op_console_write: op.sync((state: OpState, level: unknown, text: unknown, groupDepth: unknown) => {
        if (typeof level !== "string" || !LEVELS.has(level)) {
          throw new TypeError(`op_console_write: unknown level ${String(level)}`);
        }
        if (typeof text !== "string") throw new TypeError("op_console_write: text must be a string");
        // Indentation is the sink's to render: bound it so a guest cannot make it huge.
        const depth =
          typeof groupDepth === "number" && groupDepth > 0 ? Math.min(Math.floor(groupDepth), MAX_GROUP_DEPTH) : 0;
        return state.get(Console).write(level as ConsoleLevel, text, depth);
      }),
      op_console_spent: op.sync((state: OpState) => state.get(Console).truncated),
    },
    esm: { "ext:islet_console/10_console.js": CONSOLE_SOURCE },
    esmEntryPoints: ["ext:islet_console/10_console.js"],
    state: (state) => state.put(Console, new ConsoleState(sink, maxBytes, maxLines)),
  });
}
