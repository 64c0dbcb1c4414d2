/**
 * `islet_console`: the guest console (js/10_console.ts) and the host sink with
 * its output budget. Past the budget the sink gets one "output truncated"
 * entry, `op_console_write` returns false, and the guest stops formatting.
 *
 * The budget is per call: whoever starts a run (the worker, for each `run` /
 * `eval`) calls `runtime.opState.get(Console).resetBudget()` first, so one
 * chatty call does not silence every later one. Without a reset the budget
 * lasts for the runtime's life.
 *
 * Structured values: when a call logs an object, the guest also sends a
 * JSON preview tree of its arguments (`ConsoleEntry.values`). The host parses
 * and validates it ({@link parseConsoleValues}: shape, nesting, node count) and
 * counts its JSON length against the same byte budget as the text. The same
 * holds for a `%c` entry's styled segments ({@link parseConsoleSegments}) and a
 * `console.table` entry's table ({@link parseConsoleTable}).
 *
 * Handles: a container the preview cut off at its depth carries a `handle`
 * (so does one the call's node budget cut short after other values used part
 * of it), and {@link inspectConsoleValue} returns its preview tree, as deep again. The
 * guest keeps the objects behind handles (at most {@link MAX_CONSOLE_HANDLES},
 * the oldest forgotten first) until {@link releaseConsoleValues} — which whoever
 * starts a call calls with the budget reset —, a `reset()` or the runtime's
 * disposal; a handle from before then is stale ({@link ConsoleValueUnavailable}).
 * A handle names its run (`"<run>.<n>"`), so a stale one never reaches an
 * object logged later.
 */
import { defineExtension, type Extension, type JsRuntime, type OpState, op, StateKey } from "@islet/core";
import { CONSOLE_SOURCE, MAX_CONSOLE_HANDLES } from "./js/10_console.ts";

export type ConsoleLevel = "log" | "info" | "debug" | "warn" | "error" | "trace" | "clear";
export interface ConsoleEntry {
  level: ConsoleLevel;
  /** The formatted line(s), not indented: indent by `groupDepth` when showing it. */
  text: string;
  groupDepth: number;
  /** Host `Date.now()` when the entry was written. */
  timestamp: number;
  /**
   * The arguments as preview trees, one per argument, when some argument was an
   * object and no `%` directive consumed arguments; absent otherwise (show `text`).
   */
  values?: ConsoleValue[];
  /**
   * The text cut where the format string's `%c` directives were, each piece
   * with the CSS its `%c` argument gave (`""` before the first). Present only
   * when the format string had a `%c`; the texts joined are `text`. The CSS is
   * the guest's, unfiltered: a page applies only a safe subset
   * (`@islet/embed/console` does).
   */
  segments?: ConsoleSegment[];
  /**
   * `console.table`'s table (`text` is Node's box-drawing form of it): the
   * column heads — the index column first (`(index)`, or `(iteration index)`
   * for a Map or Set), then the properties, `Key` (Map) and `Values` — and one
   * row per item, a cell per column: a preview tree, or null when empty.
   * `more` counts rows left out by the caps (1000 rows, the tree budget).
   */
  table?: ConsoleTable;
}
export interface ConsoleTable {
  columns: string[];
  rows: (ConsoleValue | null)[][];
  more?: number;
}
/** Bounds the host enforces on a table. */
export const MAX_TABLE_COLUMNS = 256;
export const MAX_TABLE_ROWS = 1000;

/** Parses and validates the guest's table JSON; throws a TypeError naming the problem. */
export function parseConsoleTable(json: string, run = 0): ConsoleTable {
  const bad = (what: string): never => {
    throw new TypeError(`op_console_write: table: ${what}`);
  };
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch {
    return bad("must be JSON");
  }
  if (typeof data !== "object" || data === null) return bad("must be an object");
  const { columns, rows, more } = data as Record<string, unknown>;
  if (!Array.isArray(columns) || !columns.every((c) => typeof c === "string")) return bad("columns must be strings");
  if (columns.length === 0 || columns.length > MAX_TABLE_COLUMNS) bad(`1 to ${MAX_TABLE_COLUMNS} columns`);
  if (!Array.isArray(rows) || rows.length > MAX_TABLE_ROWS)
    return bad(`rows must be an array of at most ${MAX_TABLE_ROWS}`);
  const budget = { nodes: 0, run };
  const out: ConsoleTable = {
    columns: columns as string[],
    rows: rows.map((row: unknown) => {
      if (!Array.isArray(row) || row.length !== columns.length) return bad("each row has one cell per column");
      return row.map((cell: unknown) => (cell === null ? null : checkValue(cell, 1, budget, "table")));
    }),
  };
  if (more !== undefined) {
    if (typeof more !== "number" || !Number.isSafeInteger(more) || more < 0) bad("more must be a count");
    out.more = more as number;
  }
  return out;
}
export interface ConsoleSegment {
  text: string;
  css: string;
}
/** Bounds the host enforces on segments (the guest's own are the same). */
export const MAX_SEGMENTS = 64;
export const MAX_SEGMENT_CSS = 512;

/**
 * Parses and validates the guest's segments JSON against the entry's text;
 * throws a TypeError naming the problem.
 */
export function parseConsoleSegments(json: string, text: string): ConsoleSegment[] {
  const bad = (what: string): never => {
    throw new TypeError(`op_console_write: segments: ${what}`);
  };
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch {
    return bad("must be JSON");
  }
  if (!Array.isArray(data)) return bad("must be an array");
  if (data.length > MAX_SEGMENTS) bad(`more than ${MAX_SEGMENTS}`);
  const out = data.map((seg: unknown): ConsoleSegment => {
    if (typeof seg !== "object" || seg === null) return bad("a segment must be an object");
    const { text, css } = seg as Record<string, unknown>;
    if (typeof text !== "string" || typeof css !== "string") return bad("text and css must be strings");
    if (css.length > MAX_SEGMENT_CSS) bad(`css longer than ${MAX_SEGMENT_CSS} characters`);
    return { text, css };
  });
  if (out.map((seg) => seg.text).join("") !== text) bad("their texts must make up the entry's text");
  return out;
}

/**
 * One logged value, JSON-safe. `text` is a leaf's inspect form (`'a'`, `42`,
 * `[Function: f]`, a date …) or a container's head (`Object`, `Foo`, `Array(3)`,
 * `Map(2)`, `TypeError: boom`). Containers have `entries` (keys absent for set
 * items and array holes); `more` counts entries left out by the caps;
 * `unexpanded` marks a container deeper than the preview depth (its entries
 * were not read). An error's entries hold `stack`, its own properties, `cause`
 * and (AggregateError) `errors`. A promise's state is not readable (QuickJS
 * exposes it to the host only), so a promise is the leaf `Promise {}`.
 * An `unexpanded` container has a `handle` for {@link inspectConsoleValue}.
 */
export interface ConsoleValue {
  type: ConsoleValueType;
  text: string;
  entries?: { key?: string; value: ConsoleValue }[];
  more?: number;
  unexpanded?: boolean;
  /** Opaque: what {@link inspectConsoleValue} takes to read this container's entries. */
  handle?: string;
}
export type ConsoleValueType =
  | "undefined"
  | "null"
  | "boolean"
  | "number"
  | "bigint"
  | "string"
  | "symbol"
  | "function"
  | "object"
  | "array"
  | "map"
  | "set"
  | "error"
  | "promise"
  | "circular"
  | "accessor"
  | "hole"
  | "other";
const VALUE_TYPES: ReadonlySet<string> = new Set<ConsoleValueType>([
  "undefined",
  "null",
  "boolean",
  "number",
  "bigint",
  "string",
  "symbol",
  "function",
  "object",
  "array",
  "map",
  "set",
  "error",
  "promise",
  "circular",
  "accessor",
  "hole",
  "other",
]);
/** Bounds the host enforces on a values tree (the guest's own caps are lower). */
export const MAX_VALUE_DEPTH = 8;
export const MAX_VALUE_NODES = 4096;

/**
 * Parses and validates the guest's values JSON; throws a TypeError naming the
 * problem. Keeps only the documented fields.
 */
export function parseConsoleValues(json: string, run = 0): ConsoleValue[] {
  let data: unknown;
  try {
    data = JSON.parse(json);
  } catch {
    throw new TypeError("op_console_write: values must be JSON");
  }
  if (!Array.isArray(data)) throw new TypeError("op_console_write: values must be an array");
  const budget = { nodes: 0, run };
  return data.map((v) => checkValue(v, 0, budget));
}

/** `budget.run` is the run whose handles the tree carries: a guest handle `n` becomes `"<run>.<n>"`. */
function checkValue(v: unknown, depth: number, budget: { nodes: number; run: number }, field = "values"): ConsoleValue {
  const bad = (what: string): never => {
    throw new TypeError(`op_console_write: ${field}: ${what}`);
  };
  if (++budget.nodes > MAX_VALUE_NODES) bad(`more than ${MAX_VALUE_NODES} nodes`);
  if (depth > MAX_VALUE_DEPTH) bad(`nested deeper than ${MAX_VALUE_DEPTH}`);
  if (typeof v !== "object" || v === null || Array.isArray(v)) return bad("a value must be an object");
  const { type, text, entries, more, unexpanded, handle } = v as Record<string, unknown>;
  if (typeof type !== "string" || !VALUE_TYPES.has(type)) bad(`unknown type ${String(type)}`);
  if (typeof text !== "string") bad("text must be a string");
  const out: ConsoleValue = { type: type as ConsoleValueType, text: text as string };
  if (entries !== undefined) {
    if (!Array.isArray(entries)) bad("entries must be an array");
    out.entries = (entries as unknown[]).map((e) => {
      if (typeof e !== "object" || e === null) return bad("an entry must be an object");
      const { key, value } = e as Record<string, unknown>;
      if (key !== undefined && typeof key !== "string") bad("an entry key must be a string");
      const checked = checkValue(value, depth + 1, budget, field);
      return key === undefined ? { value: checked } : { key: key as string, value: checked };
    });
  }
  if (more !== undefined) {
    if (typeof more !== "number" || !Number.isSafeInteger(more) || more < 0) bad("more must be a count");
    out.more = more as number;
  }
  if (unexpanded === true) out.unexpanded = true;
  if (handle !== undefined) {
    if (typeof handle !== "number" || !Number.isSafeInteger(handle) || handle <= 0) bad("handle must be a number");
    out.handle = `${budget.run}.${handle as number}`;
  }
  return out;
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

/** Runs are numbered per host realm, never reused: a reset runtime's new state gets a new one. */
let nextRun = 1;

export class ConsoleState {
  bytes = 0;
  lines = 0;
  truncated = false;
  /** The run whose handles are live ({@link releaseConsoleValues} starts the next). */
  run = nextRun++;
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
  write(
    level: ConsoleLevel,
    text: string,
    groupDepth: number,
    values?: ConsoleValue[],
    valuesSize = 0,
    segments?: ConsoleSegment[],
    table?: ConsoleTable,
  ): boolean {
    if (this.truncated) return false;
    let lines = 1;
    for (let i = text.indexOf("\n"); i !== -1; i = text.indexOf("\n", i + 1)) lines++;
    const size = text.length + valuesSize;
    if (this.bytes + size > this.maxBytes || this.lines + lines > this.maxLines) {
      this.truncated = true;
      this.sink({
        level: "warn",
        text: `output truncated: the console output budget (${this.maxBytes} bytes, ${this.maxLines} lines) is spent; later output is dropped`,
        groupDepth: 0,
        timestamp: Date.now(),
      });
      return false;
    }
    this.bytes += size;
    this.lines += lines;
    const entry: ConsoleEntry = { level, text, groupDepth, timestamp: Date.now() };
    if (values !== undefined) entry.values = values;
    if (segments !== undefined) entry.segments = segments;
    if (table !== undefined) entry.table = table;
    this.sink(entry);
    return true;
  }
}
export const Console = new StateKey<ConsoleState>("web.console");

export { MAX_CONSOLE_HANDLES };

/** A handle whose value the console no longer keeps: its run ended, or later logs pushed it out. */
export class ConsoleValueUnavailable extends Error {
  override name = "ConsoleValueUnavailable";
}

const HANDLE = /^([1-9][0-9]{0,15})\.([1-9][0-9]{0,15})$/;

/**
 * The preview tree of the container behind `handle` (a {@link ConsoleValue}'s,
 * from this runtime's current run): its entries, as deep as a logged value's
 * preview goes, with handles where it is cut off again. Read the way the
 * console reads a logged value — own properties through their descriptors,
 * never a getter, a `toString` or a `Symbol.toPrimitive` — under a call budget
 * of its own; call it between calls (`runtime.callExposed`). A handle of an
 * earlier run, one the console forgot, or one after a reset throws
 * {@link ConsoleValueUnavailable}; anything but a handle string, a TypeError.
 */
export function inspectConsoleValue(runtime: JsRuntime, handle: unknown): ConsoleValue {
  const m = typeof handle === "string" ? HANDLE.exec(handle) : null;
  if (m === null)
    throw new TypeError(
      `inspectConsoleValue: handle must be a console value's handle ("<run>.<n>"), got ${typeof handle === "string" ? JSON.stringify(handle.slice(0, 40)) : typeof handle}`,
    );
  const state = runtime.opState.get(Console);
  const run = Number(m[1]);
  if (run !== state.run)
    throw new ConsoleValueUnavailable(
      "inspectConsoleValue: value no longer available (the run that logged it has ended: a later call, a reset or a new runtime released it)",
    );
  const json = runtime.callExposed("islet_console.inspect", Number(m[2]));
  if (json === null)
    throw new ConsoleValueUnavailable(
      `inspectConsoleValue: value no longer available (the console keeps the last ${MAX_CONSOLE_HANDLES} logged objects of a run)`,
    );
  if (typeof json !== "string") throw new TypeError("inspectConsoleValue: the guest console answered no tree");
  return checkValue(JSON.parse(json), 0, { nodes: 0, run }, "inspect");
}

/**
 * Ends the current run's handles: the guest forgets the objects it kept for
 * them, and every handle given out so far is stale. Whoever starts a call
 * calls it (the worker does, with the budget reset), between calls.
 */
export function releaseConsoleValues(runtime: JsRuntime): void {
  runtime.opState.get(Console).run = nextRun++;
  runtime.callExposed("islet_console.release");
}

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
      op_console_write: op.sync(
        (
          state: OpState,
          level: unknown,
          text: unknown,
          groupDepth: unknown,
          values: unknown,
          segments: unknown,
          table: unknown,
        ) => {
          if (typeof level !== "string" || !LEVELS.has(level)) {
            throw new TypeError(`op_console_write: unknown level ${String(level)}`);
          }
          if (typeof text !== "string") throw new TypeError("op_console_write: text must be a string");
          // Indentation is the sink's to render: bound it so a guest cannot make it huge.
          const depth =
            typeof groupDepth === "number" && groupDepth > 0 ? Math.min(Math.floor(groupDepth), MAX_GROUP_DEPTH) : 0;
          if (values !== undefined && typeof values !== "string") {
            throw new TypeError("op_console_write: values must be a JSON string");
          }
          if (segments !== undefined && typeof segments !== "string") {
            throw new TypeError("op_console_write: segments must be a JSON string");
          }
          if (table !== undefined && typeof table !== "string") {
            throw new TypeError("op_console_write: table must be a JSON string");
          }
          const console = state.get(Console);
          if ((values === undefined && segments === undefined && table === undefined) || console.truncated) {
            return console.write(level as ConsoleLevel, text, depth);
          }
          const size = (values?.length ?? 0) + (segments?.length ?? 0) + (table?.length ?? 0);
          // Too big for the budget: write() reports the truncation without parsing.
          if (console.bytes + text.length + size > console.maxBytes) {
            return console.write(level as ConsoleLevel, text, depth, undefined, size);
          }
          return console.write(
            level as ConsoleLevel,
            text,
            depth,
            values === undefined ? undefined : parseConsoleValues(values, console.run),
            size,
            segments === undefined ? undefined : parseConsoleSegments(segments, text),
            table === undefined ? undefined : parseConsoleTable(table, console.run),
          );
        },
      ),
      op_console_spent: op.sync((state: OpState) => state.get(Console).truncated),
    },
    esm: { "ext:islet_console/10_console.js": CONSOLE_SOURCE },
    esmEntryPoints: ["ext:islet_console/10_console.js"],
    state: (state) => state.put(Console, new ConsoleState(sink, maxBytes, maxLines)),
  });
}
