/**
 * The console renderer: turns one console entry's text into DOM. DOM-only and
 * dependency-free, the one renderer every page that shows Islet console output
 * uses (the playground imports it as `@islet/embed/console`; `<islet-run>`
 * bundles it into its lazy run chunk), so both render it the same way.
 *
 * `@islet/web`'s console prints objects the way Node's `util.inspect` does:
 * a value too long for one line opens with `{` or `[` at the end of a line,
 * puts one entry per line indented two spaces deeper, and closes with `}` or
 * `]` as the first thing on a line. The renderer reads that shape back
 * into a tree: each block is a <details> whose summary is its first line
 * (shown once: while closed, a one-line preview of the entries follows it;
 * while open, the entries do). Long arrays of short items are laid out in
 * columns instead of one item per line.
 *
 * An entry that carries structured values (`ConsoleEntry.values`, a preview
 * tree per argument) is rendered from them instead ({@link renderEntry}):
 * nested values expand past the text form's `[Object]`, down to the depth the
 * guest previewed, and — given an {@link Inspect} (`sandbox.inspect`) —
 * further: a container the preview cut off is a closed disclosure that asks
 * the sandbox for its entries when first opened ("…" while they come; "value
 * no longer available" once the sandbox let the value go), and the "… N more"
 * of one the log's size budget cut short is a button that reads the rest. A `%c`-styled entry is drawn from its segments, with a
 * safe subset of their CSS (`css.ts`); a `console.table` entry as a <table>.
 * Nothing is ever inserted as HTML: every string becomes a text node.
 */

import { safeDeclarations } from "./css.ts";

/** Turns plain text into nodes (e.g. `file:line` into links); default: a text node. */
export type Linkify = (text: string) => Node;

/**
 * A `file:line[:column]` of the user's program in a stack or message (`main.ts:3`,
 * `file:///lib.ts:2:5`); not inside a longer name such as `ext:islet_fetch/13_fetch.js`
 * (Islet's own modules).
 */
const LOCATION = /(?<![\w:/.-])(?:file:\/\/\/)?([\w./-]+\.(?:ts|js|mjs|mts|tsx|jsx)):(\d+)(?::(\d+))?/g;

/** Where a location points: the file (project path, no leading `./`), 1-based line and column. */
export interface SourceLocation {
  file: string;
  line: number;
  column: number;
}

/** The user-program locations in `text`, in order. */
export function findLocations(text: string): (SourceLocation & { index: number; text: string })[] {
  return [...text.matchAll(LOCATION)].map((m) => ({
    file: m[1]!.replace(/^\.?\//, ""),
    line: Number(m[2]),
    column: Number(m[3] ?? 1),
    index: m.index,
    text: m[0],
  }));
}

/**
 * A {@link Linkify} that turns each location `accept` takes (default: all) into a
 * button calling `jump`; the rest stays text.
 */
export function locationLinks(
  jump: (location: SourceLocation) => void,
  accept: (location: SourceLocation) => boolean = () => true,
): (text: string) => DocumentFragment {
  return (text) => {
    const frag = document.createDocumentFragment();
    let last = 0;
    for (const loc of findLocations(text)) {
      if (!accept(loc)) continue;
      frag.append(text.slice(last, loc.index));
      const link = document.createElement("button");
      link.type = "button";
      link.className = "loc";
      link.textContent = loc.text;
      link.title = `Go to ${loc.file} line ${loc.line}`;
      link.addEventListener("click", () => jump(loc));
      frag.append(link);
      last = loc.index + loc.text.length;
    }
    frag.append(text.slice(last));
    return frag;
  };
}

interface Block {
  head: string;
  children: (string | Block)[];
  /** The closing line (`}`, `],` …); empty when the text ended first. */
  tail: string;
}

const OPENS = /[[{]$/;
const CLOSER: Record<string, string> = { "{": "}", "[": "]" };
const PREVIEW_CHARS = 90;
const MORE = /^\s*\.\.\. \d+ more/;
/** Arrays of at least this many short leaf items are laid out in columns. */
const COMPACT_MIN = 7;
const COMPACT_ITEM_CHARS = 24;
/** A value of at most this many lines starts expanded. */
const OPEN_LINES = 12;

/** Parses the lines into leaf lines and blocks; an unbalanced text degrades to leaf lines. */
function parse(lines: string[]): (string | Block)[] {
  const root: (string | Block)[] = [];
  // Matched by bracket, not by column: a closer is the first thing on its line
  // (keys and strings never start with one), whatever its indentation.
  const stack: { block: Block; closer: string }[] = [];
  for (const line of lines) {
    const top = stack.at(-1);
    if (top && line.trimStart().startsWith(top.closer)) {
      top.block.tail = line.trim();
      stack.pop();
      continue;
    }
    const target = top ? top.block.children : root;
    if (OPENS.test(line.trimEnd())) {
      const block: Block = { head: line, children: [], tail: "" };
      target.push(block);
      stack.push({ block, closer: CLOSER[line.trimEnd().at(-1)!]! });
    } else {
      target.push(line);
    }
  }
  return root;
}

const lineCount = (node: string | Block): number =>
  typeof node === "string" ? 1 : 2 + node.children.reduce((n, c) => n + lineCount(c), 0);

/** A one-line summary of a block's entries, for the closed state. */
function preview(block: Block): string {
  let out = "";
  for (const child of block.children) {
    const text = typeof child === "string" ? child.trim() : `${child.head.trim()} … ${child.tail.replace(/,$/, "")}`;
    out += (out ? " " : "") + text;
    if (out.length > PREVIEW_CHARS) return `${out.slice(0, PREVIEW_CHARS)}…`;
  }
  return out;
}

function isCompact(block: Block): boolean {
  return (
    block.head.trimEnd().endsWith("[") &&
    block.children.length >= COMPACT_MIN &&
    block.children.every((c) => typeof c === "string" && c.trim().length <= COMPACT_ITEM_CHARS)
  );
}

function renderBlock(block: Block, linkify: Linkify, open: boolean): HTMLElement {
  const details = document.createElement("details");
  details.className = "obj";
  details.open = open;
  const summary = document.createElement("summary");
  const head = document.createElement("span");
  head.className = "obj-head";
  head.append(linkify(block.head.trim()));
  const closed = document.createElement("span");
  closed.className = "obj-preview";
  closed.textContent = ` ${preview(block)} ${block.tail.replace(/,$/, "")}`;
  summary.append(head, closed);
  const body = document.createElement("div");
  body.className = "obj-body";
  if (isCompact(block)) {
    // Columns as wide as the widest item; "... N more items" spans a whole row.
    body.classList.add("compact");
    const widest = Math.max(...block.children.map((c) => (MORE.test(c as string) ? 0 : (c as string).trim().length)));
    body.style.setProperty("--item-width", `${widest + 1}ch`);
  }
  for (const child of block.children) {
    if (typeof child === "string") {
      const line = document.createElement("div");
      line.className = MORE.test(child) ? "obj-line more" : "obj-line";
      line.append(linkify(child.trim()));
      body.append(line);
    } else {
      body.append(renderBlock(child, linkify, open && lineCount(child) <= OPEN_LINES));
    }
  }
  details.append(summary, body);
  if (block.tail) {
    const tail = document.createElement("div");
    tail.className = "obj-tail";
    tail.textContent = block.tail;
    details.append(tail);
  }
  return details;
}

/**
 * The DOM for one entry's text: plain lines as text, inspected objects and
 * arrays as expandable blocks.
 */
export function renderText(text: string, linkify: Linkify = (t) => document.createTextNode(t)): DocumentFragment {
  const frag = document.createDocumentFragment();
  const nodes = parse(text.split("\n"));
  for (const [i, node] of nodes.entries()) {
    if (i > 0 && typeof node === "string") frag.append("\n");
    if (typeof node === "string") frag.append(linkify(node));
    else frag.append(renderBlock(node, linkify, lineCount(node) <= OPEN_LINES));
  }
  return frag;
}

/**
 * One logged value as a preview tree: `@islet/web`'s `ConsoleValue`, as
 * `@islet/worker` passes it in `ConsoleEntry.values`. Leaves carry their
 * inspect text; containers a head (`Object`, `Array(3)`, `TypeError: x`),
 * entries, a count of entries left out (`more`), or `unexpanded` when they lie
 * deeper than the preview went — then with a `handle` to read them by.
 */
export interface ConsoleValue {
  type: string;
  text: string;
  entries?: { key?: string; value: ConsoleValue }[];
  more?: number;
  unexpanded?: boolean;
  handle?: string;
}

/**
 * Reads the entries of an `unexpanded` value by its handle: `@islet/worker`'s
 * `sandbox.inspect`, bound to the sandbox that logged the entry. Rejecting
 * with an error named `ConsoleValueUnavailable` shows "value no longer available".
 */
export type Inspect = (handle: string) => Promise<ConsoleValue>;

/** What rendering a value needs besides the value. */
interface Draw {
  linkify: Linkify;
  inspect: Inspect | undefined;
}
const plainText: Linkify = (t) => document.createTextNode(t);

const BRACKETS: Record<string, [string, string]> = { array: ["[", "]"] };
const brackets = (v: ConsoleValue): [string, string] => BRACKETS[v.type] ?? ["{", "}"];
const isContainer = (v: ConsoleValue): boolean => v.entries !== undefined;
const separator = (v: ConsoleValue): string => (v.type === "map" ? " => " : ": ");

/** A child's one-word stand-in inside a preview: its text, or `{…}` / `[…]` for a container. */
function shortText(v: ConsoleValue): string {
  if (!isContainer(v) || v.type === "error" || v.type === "function") return v.text.split("\n")[0]!;
  const [open, close] = brackets(v);
  return `${open}…${close}`;
}

/**
 * A promise's preview, as Node prints it: `{ <pending> }`, `{ 42 }`,
 * `{ <rejected> Error: boom }`, then its own properties.
 */
function promisePreview(v: ConsoleValue): string {
  const parts: string[] = [];
  let state = "";
  for (const { key, value } of v.entries ?? []) {
    if (key === "[[PromiseState]]") {
      state = value.text;
      if (state === "pending") parts.push("<pending>");
    } else if (key === "[[PromiseResult]]")
      parts.push(`${state === "rejected" ? "<rejected> " : ""}${shortText(value)}`);
    else parts.push(`${key}: ${shortText(value)}`);
  }
  if (v.more) parts.push(`… ${v.more} more`);
  const text = parts.length === 0 ? "{}" : `{ ${parts.join(", ")} }`;
  return text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS)}… }` : text;
}

/** The closed state's one-line preview of a container's entries. */
function valuePreview(v: ConsoleValue): string {
  if (v.type === "promise") return promisePreview(v);
  const [open, close] = brackets(v);
  const parts: string[] = [];
  let length = 0;
  for (const { key, value } of v.entries ?? []) {
    if (v.type === "error" && key === "stack") continue;
    const part =
      key === undefined || v.type === "array" ? shortText(value) : `${key}${separator(v)}${shortText(value)}`;
    parts.push(part);
    length += part.length + 2;
    if (length > PREVIEW_CHARS) return `${open} ${parts.join(", ")}, … ${close}`;
  }
  if (v.more) parts.push(`… ${v.more} more`);
  // An error with nothing but its stack reads as its head alone (`Error: boom`, not `Error: boom {}`).
  if (parts.length === 0 && v.type === "error") return "";
  return parts.length === 0 ? `${open}${close}` : `${open} ${parts.join(", ")} ${close}`;
}

function leaf(v: ConsoleValue, linkify: Linkify): HTMLElement {
  const span = document.createElement("span");
  span.className = `val t-${v.type}`;
  span.append(linkify(v.text));
  return span;
}

/** Short leaf arrays are laid out in columns, without their indices. */
function isCompactValue(v: ConsoleValue): boolean {
  const entries = v.entries ?? [];
  return (
    v.type === "array" &&
    entries.length >= COMPACT_MIN &&
    entries.every((e) => !isContainer(e.value) && e.value.text.length <= COMPACT_ITEM_CHARS)
  );
}

function keySpan(key: string): HTMLElement {
  const k = document.createElement("span");
  k.className = "key";
  k.textContent = key;
  return k;
}

/**
 * A value as DOM. `key` (with its separator) leads a leaf's line, or a
 * container's summary, so the key stays on the line it expands from.
 */
/**
 * A value Node's inspect would print on one line: a container of leaves whose
 * preview is not cut short. It starts closed, and reads as that one line.
 */
function isOneLine(v: ConsoleValue): boolean {
  return (
    isContainer(v) &&
    v.type !== "error" &&
    !v.unexpanded &&
    !v.more &&
    v.entries!.every((e) => !isContainer(e.value)) &&
    !valuePreview(v).includes(", … ")
  );
}

/** A head that only repeats what the brackets say (`Object`, `Array(2)`); a one-line value goes without it while closed. */
const isPlainHead = (v: ConsoleValue): boolean =>
  (v.type === "object" && v.text === "Object") || (v.type === "array" && /^Array\(\d+\)$/.test(v.text));

function renderValue(v: ConsoleValue, draw: Draw, open: boolean, key?: string): HTMLElement {
  const { linkify } = draw;
  const line = (): HTMLElement => {
    const div = document.createElement("div");
    div.className = "obj-line";
    if (key !== undefined) div.append(keySpan(key));
    return div;
  };
  if (v.unexpanded && v.handle !== undefined && draw.inspect !== undefined) return renderLazy(v, draw, key);
  if (!isContainer(v) || v.unexpanded || (v.entries!.length === 0 && !v.more)) {
    const span = !isContainer(v)
      ? leaf(v, linkify)
      : leaf({ type: v.type, text: `${v.text} ${v.unexpanded ? shortText(v) : valuePreview(v)}` }, linkify);
    if (v.unexpanded) span.title = "Not expanded: nested deeper than the console's preview depth";
    if (key === undefined) return span;
    const div = line();
    div.append(span);
    return div;
  }
  const details = document.createElement("details");
  details.className = "obj";
  details.open = open;
  const summary = document.createElement("summary");
  if (key !== undefined) summary.append(keySpan(key));
  const head = document.createElement("span");
  head.className = "obj-head";
  head.append(linkify(v.text));
  const closed = document.createElement("span");
  closed.className = "obj-preview";
  const preview = valuePreview(v);
  closed.textContent = preview === "" ? "" : ` ${preview}`;
  if (isOneLine(v) && isPlainHead(v)) {
    // Closed, `[ 'A', 'B' ]` as Node prints it; open, the head leads the entries.
    closed.textContent = valuePreview(v);
    const showHead = (): void => {
      head.hidden = !details.open;
    };
    showHead();
    details.addEventListener("toggle", showHead);
  }
  summary.append(head, closed);
  const body = document.createElement("div");
  body.className = "obj-body";
  fillBody(body, v, draw);
  details.append(summary, body);
  return details;
}

/** A container's entries, one per line (short leaf arrays in columns), then `… N more`. */
function fillBody(body: HTMLElement, v: ConsoleValue, draw: Draw): void {
  const compact = isCompactValue(v);
  if (compact) {
    body.classList.add("compact");
    body.style.setProperty("--item-width", `${Math.max(...v.entries!.map((e) => e.value.text.length)) + 1}ch`);
  }
  for (const { key: k, value } of v.entries!) {
    // Compact items go without their indices; an error's stack reads as lines, not as a property.
    const shown = k === undefined || compact || (v.type === "error" && k === "stack") ? undefined : k + separator(v);
    const child = renderValue(value, draw, false, shown);
    if (child.tagName === "SPAN") {
      const div = document.createElement("div");
      div.className = "obj-line";
      div.append(child);
      body.append(div);
    } else body.append(child);
  }
  if (v.more) {
    const more = document.createElement("div");
    more.className = "obj-line more";
    more.textContent = `… ${v.more} more`;
    body.append(more);
    // Cut short by the log's budget (a handle without `unexpanded`): the rest is read on a click.
    if (v.handle !== undefined && !v.unexpanded && draw.inspect !== undefined) {
      const button = document.createElement("button");
      button.type = "button";
      button.className = "obj-more";
      button.textContent = more.textContent;
      more.replaceChildren(button);
      button.addEventListener("click", () => {
        button.disabled = true;
        button.textContent = "…";
        (draw.inspect as Inspect)(v.handle as string).then(
          (full) => {
            body.replaceChildren();
            fillBody(body, full, draw);
          },
          (error: unknown) => {
            more.className = "obj-line unavailable";
            more.textContent = unavailableText(error);
          },
        );
      });
    }
  }
}

/** What a failed read shows: "value no longer available" when the sandbox let it go, else why. */
function unavailableText(error: unknown): string {
  return error instanceof Error && error.name === "ConsoleValueUnavailable"
    ? "value no longer available"
    : `could not read this value: ${error instanceof Error ? error.message : String(error)}`;
}

/**
 * A container the preview cut off, with a way to read it: a closed
 * disclosure (`▸ key: Object {…}`) that asks `draw.inspect` for its entries
 * the first time it opens, shows "…" meanwhile, then the entries (whose own
 * cut-off containers work the same way), or why they cannot be shown.
 */
function renderLazy(v: ConsoleValue, draw: Draw, key: string | undefined): HTMLElement {
  const details = document.createElement("details");
  details.className = "obj lazy";
  const summary = document.createElement("summary");
  if (key !== undefined) summary.append(keySpan(key));
  const head = document.createElement("span");
  head.className = "obj-head";
  head.append(draw.linkify(v.text));
  const closed = document.createElement("span");
  closed.className = "obj-preview";
  closed.textContent = ` ${shortText(v)}`;
  summary.append(head, closed);
  const body = document.createElement("div");
  body.className = "obj-body";
  details.append(summary, body);
  let asked = false;
  details.addEventListener("toggle", () => {
    if (!details.open || asked) return;
    asked = true;
    const loading = document.createElement("div");
    loading.className = "obj-line loading";
    loading.textContent = "…";
    loading.setAttribute("aria-label", "Loading");
    body.replaceChildren(loading);
    details.setAttribute("aria-busy", "true");
    (draw.inspect as Inspect)(v.handle as string).then(
      (full) => {
        details.removeAttribute("aria-busy");
        body.replaceChildren();
        fillBody(body, full, draw);
        const preview = isContainer(full) ? valuePreview(full) : "";
        closed.textContent = preview === "" ? "" : ` ${preview}`;
        details.classList.replace("lazy", "fetched");
      },
      (error: unknown) => {
        details.removeAttribute("aria-busy");
        const why = document.createElement("div");
        why.className = "obj-line unavailable";
        why.textContent = unavailableText(error);
        body.replaceChildren(why);
        // Opening it again asks again (a read that failed for a passing reason may succeed).
        asked = error instanceof Error && error.name === "ConsoleValueUnavailable";
      },
    );
  });
  return details;
}

/**
 * The DOM for an entry's structured values: leaves as text, containers as
 * <details> (head once; the closed state adds a one-line preview). At the top
 * level a value Node prints on one line starts closed and reads as that line;
 * other short values (an error always) start open; nested ones closed.
 */
export function renderValues(
  values: readonly ConsoleValue[],
  linkify: Linkify = plainText,
  inspect?: Inspect,
): DocumentFragment {
  const draw: Draw = { linkify, inspect };
  const frag = document.createDocumentFragment();
  for (const [i, v] of values.entries()) {
    if (i > 0) frag.append(" ");
    // As with text: a value of at most OPEN_LINES lines (entries plus head and tail) starts open.
    // A one-line value stays one line (closed), as Node prints it.
    const open = v.type === "error" || (!isOneLine(v) && (v.entries?.length ?? 0) + 2 <= OPEN_LINES);
    frag.append(renderValue(v, draw, open));
  }
  return frag;
}

/** A piece of an entry's text and the CSS its `%c` gave (`@islet/web`'s `ConsoleSegment`). */
export interface ConsoleSegment {
  text: string;
  css: string;
}

/**
 * The DOM for `%c`-styled text: one span per segment, styled with the safe
 * subset of its CSS only ({@link safeDeclarations}: colours, weight, style,
 * decoration, small padding, margin and radius; never a resource, a position
 * or a size).
 */
export function renderSegments(
  segments: readonly ConsoleSegment[],
  linkify: Linkify = (t) => document.createTextNode(t),
): DocumentFragment {
  const frag = document.createDocumentFragment();
  for (const { text, css } of segments) {
    const declarations = safeDeclarations(css);
    if (declarations.length === 0) {
      frag.append(linkify(text));
      continue;
    }
    const span = document.createElement("span");
    span.className = "styled";
    for (const [property, value] of declarations) span.style.setProperty(property, value);
    span.append(linkify(text));
    frag.append(span);
  }
  return frag;
}

/** `console.table`'s table (`@islet/web`'s `ConsoleTable`): column heads, a cell per column (null: empty). */
export interface ConsoleTable {
  columns: readonly string[];
  rows: readonly (readonly (ConsoleValue | null)[])[];
  more?: number;
}

/**
 * The DOM for `console.table`: a <table> with the column heads, the index
 * column as row headers, and each cell drawn as a value (a nested object is
 * a closed, expandable preview).
 */
export function renderTable(table: ConsoleTable, linkify: Linkify = plainText, inspect?: Inspect): HTMLElement {
  const draw: Draw = { linkify, inspect };
  const wrap = document.createElement("div");
  wrap.className = "console-table";
  const el = document.createElement("table");
  const head = el.createTHead().insertRow();
  for (const column of table.columns) {
    const th = document.createElement("th");
    th.scope = "col";
    th.textContent = column;
    head.append(th);
  }
  const body = el.createTBody();
  for (const row of table.rows) {
    const tr = body.insertRow();
    for (const [i, cell] of row.entries()) {
      const td = document.createElement(i === 0 ? "th" : "td");
      if (i === 0) td.scope = "row";
      if (cell !== null) td.append(i === 0 ? document.createTextNode(cell.text) : renderValue(cell, draw, false));
      tr.append(td);
    }
  }
  if (table.more) {
    const td = body.insertRow().insertCell();
    td.colSpan = table.columns.length;
    td.className = "more-rows";
    td.textContent = `… ${table.more} more rows`;
  }
  wrap.append(el);
  return wrap;
}

/** An entry the renderer draws from its structure (a table, `%c` segments, values) rather than from its text. */
export interface StructuredEntry {
  text: string;
  values?: readonly ConsoleValue[];
  segments?: readonly ConsoleSegment[];
  table?: ConsoleTable;
}
export const isStructured = (entry: StructuredEntry): boolean =>
  (entry.values !== undefined && entry.values.length > 0) || entry.segments !== undefined || entry.table !== undefined;

/**
 * An entry as DOM: its table, its `%c` segments, or its structured values
 * when it has them, else its text ({@link renderText}). With `inspect`, values
 * the preview cut off open on demand.
 */
export function renderEntry(entry: StructuredEntry, linkify: Linkify = plainText, inspect?: Inspect): DocumentFragment {
  if (entry.table !== undefined) {
    const frag = document.createDocumentFragment();
    frag.append(renderTable(entry.table, linkify, inspect));
    return frag;
  }
  if (entry.segments !== undefined) return renderSegments(entry.segments, linkify);
  return entry.values !== undefined && entry.values.length > 0
    ? renderValues(entry.values, linkify, inspect)
    : renderText(entry.text, linkify);
}
