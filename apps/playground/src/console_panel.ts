/**
 * The console panel: one row per entry, coloured by level, indented by group
 * depth, objects expandable (`@islet/embed/console`, the renderer shared with
 * `<islet-run>`; what the preview cut off is fetched on opening from the
 * sandbox that logged it, through the entry's `inspect`), `file:line` in stacks
 * clickable (jumps to the editor). While empty it shows a welcome hint. A run keeps at most MAX_ENTRIES rows; beyond that a visible
 * "output truncated" marker replaces the rest.
 */
import { type Inspect, isStructured, locationLinks, renderEntry, renderText } from "@islet/embed/console";
import type { ConsoleEntry } from "./sandbox_client.ts";

/** The worker's entry, widened: `@islet/web` may add levels (group, truncated) before the worker's type does. */
// `args` (values to show as trees) is the panel's own: the worker's protocol sends text only.
// `inspect` reads what the entry's preview cut off: the logging sandbox's `inspect`.
export type PanelEntry = Omit<ConsoleEntry, "level"> & { level: string; args?: unknown[]; inspect?: Inspect };

const MAX_ENTRIES = 2000;
const LEVELS = ["log", "info", "warn", "error", "debug"] as const;
type Filter = (typeof LEVELS)[number];

export class ConsolePanel {
  readonly element: HTMLElement;
  readonly #list: HTMLElement;
  readonly #hidden = new Set<Filter>();
  readonly #welcome: HTMLElement;
  #count = 0;
  #truncated = false;
  #pending = document.createDocumentFragment();
  #flushScheduled = false;

  /** Text with `file:line[:col]` turned into buttons that jump to the editor. */
  readonly #text: (text: string) => DocumentFragment;

  constructor(jump: (file: string, line: number, column: number) => void) {
    this.#text = locationLinks((loc) => jump(loc.file, loc.line, loc.column));
    this.element = document.createElement("section");
    this.element.className = "console";
    this.element.setAttribute("aria-label", "Console");
    const bar = document.createElement("div");
    bar.className = "console-bar";
    const title = document.createElement("h2");
    title.textContent = "Console";
    bar.append(title);
    const filters = document.createElement("div");
    filters.className = "filters";
    filters.setAttribute("role", "group");
    filters.setAttribute("aria-label", "Show levels");
    for (const level of LEVELS) {
      const label = document.createElement("label");
      label.className = `filter level-${level}`;
      const box = document.createElement("input");
      box.type = "checkbox";
      box.checked = true;
      box.dataset.level = level;
      box.addEventListener("change", () => {
        if (box.checked) this.#hidden.delete(level);
        else this.#hidden.add(level);
        this.element.classList.toggle(`hide-${level}`, !box.checked);
      });
      label.append(box, ` ${level}`);
      filters.append(label);
    }
    const clear = document.createElement("button");
    clear.type = "button";
    clear.className = "clear";
    clear.textContent = "Clear";
    clear.title = "Clear the console";
    clear.addEventListener("click", () => this.clear());
    bar.append(filters, clear);
    this.#list = document.createElement("div");
    this.#list.className = "console-list";
    this.#list.setAttribute("role", "log");
    this.#list.setAttribute("aria-live", "polite");
    this.#list.tabIndex = 0;
    this.#welcome = document.createElement("p");
    this.#welcome.className = "console-welcome";
    this.#welcome.textContent =
      "Output appears here. Press ▶ Run (Ctrl/Cmd+Enter) to run main.ts; pick a program from Examples to see more.";
    this.element.append(bar, this.#welcome, this.#list);
  }

  /** A line from the playground with a button that acts on it (e.g. "Map lodash to a CDN"). */
  hint(text: string, action: { label: string; run: () => void }): void {
    const row = document.createElement("div");
    row.className = "row level-info hint-row";
    const button = document.createElement("button");
    button.type = "button";
    button.className = "hint-action";
    button.textContent = action.label;
    button.addEventListener("click", () => {
      button.disabled = true;
      action.run();
    });
    row.append(`${text} `, button);
    this.#welcome.hidden = true;
    this.#pending.append(row);
    this.#scheduleFlush();
  }

  clear(): void {
    this.#list.replaceChildren();
    this.#pending = document.createDocumentFragment();
    this.#count = 0;
    this.#truncated = false;
  }

  add(entry: PanelEntry): void {
    // @islet/web reports its spent output budget as one "output truncated: …" warning.
    if (entry.level === "truncated" || this.#count >= MAX_ENTRIES || /^output truncated\b/.test(entry.text)) {
      this.truncated(/^output truncated\b/.test(entry.text) ? entry.text : undefined);
      return;
    }
    this.#count++;
    this.#welcome.hidden = true;
    if (entry.level === "groupEnd") return;
    if (entry.level === "clear") {
      this.clear();
      return;
    }
    // Groups are flat rows indented by the entry's own depth (a guide line per
    // level), so a missing groupEnd can never misplace later output.
    const row = this.#row(entry);
    if (entry.level === "group") row.classList.add("group");
    const depth = Math.max(0, Math.min(20, Number(entry.groupDepth) || 0));
    if (depth > 0) {
      row.style.setProperty("--depth", String(depth));
      row.classList.add("nested");
    }
    this.#pending.append(row);
    this.#scheduleFlush();
  }

  /**
   * Rows are appended once per frame: a guest printing thousands of lines must
   * cost one layout per frame, not one per line.
   */
  #scheduleFlush(): void {
    if (this.#flushScheduled) return;
    this.#flushScheduled = true;
    const flush = () => {
      if (!this.#flushScheduled) return;
      this.#flushScheduled = false;
      const atBottom = this.#list.scrollTop + this.#list.clientHeight >= this.#list.scrollHeight - 24;
      this.#list.append(this.#pending);
      if (atBottom) this.#list.scrollTop = this.#list.scrollHeight;
    };
    requestAnimationFrame(flush);
    setTimeout(flush, 100); // background tabs get no animation frames
  }

  /** A line the playground writes itself (run result, errors, notes). */
  note(level: string, text: string): void {
    this.add({ level, text, groupDepth: 0, timestamp: Date.now() });
  }

  truncated(detail?: string): void {
    if (this.#truncated) return;
    this.#truncated = true;
    const row = document.createElement("div");
    row.className = "row truncated";
    row.setAttribute("role", "status");
    row.textContent = detail ? `… ${detail}` : "… output truncated";
    this.#pending.append(row);
    this.#scheduleFlush();
  }

  #row(entry: PanelEntry): HTMLElement {
    const row = document.createElement("div");
    const level = LEVELS.includes(entry.level as Filter) ? entry.level : entry.level === "trace" ? "debug" : "log";
    row.className = `row level-${level}`;
    row.dataset.level = level;
    const objects = (entry.args ?? []).filter((a) => typeof a === "object" && a !== null);
    if (objects.length > 0) {
      const parts = entry.args!.map((a) =>
        typeof a === "object" && a !== null ? this.#tree(a, 0) : this.#text(String(a)),
      );
      for (const [i, p] of parts.entries()) {
        if (i > 0) row.append(" ");
        row.append(p);
      }
    } else if (isStructured(entry)) {
      // %c segments (safe CSS only), or structured values: nested objects expand as deep as the guest previewed them.
      row.append(renderEntry(entry, (t) => this.#text(t), entry.inspect));
    } else if (level !== "error" && level !== "debug") {
      // Inspected objects and arrays (multi-line text) become expandable blocks.
      row.append(renderText(entry.text, (t) => this.#text(t)));
    } else {
      row.append(this.#text(entry.text));
    }
    return row;
  }

  #tree(value: object, depth: number): HTMLElement {
    const details = document.createElement("details");
    details.className = "obj";
    const summary = document.createElement("summary");
    const isArray = Array.isArray(value);
    const keys = Object.keys(value);
    summary.textContent = isArray
      ? `Array(${keys.length})`
      : `{ ${keys.slice(0, 4).join(", ")}${keys.length > 4 ? ", …" : ""} }`;
    details.append(summary);
    details.addEventListener(
      "toggle",
      () => {
        for (const k of keys) {
          const line = document.createElement("div");
          line.className = "prop";
          const v = (value as Record<string, unknown>)[k];
          const key = document.createElement("span");
          key.className = "key";
          key.textContent = `${k}: `;
          line.append(key);
          if (typeof v === "object" && v !== null && depth < 8) line.append(this.#tree(v, depth + 1));
          else {
            const s = document.createElement("span");
            s.className = `val t-${typeof v}`;
            s.textContent = typeof v === "string" ? JSON.stringify(v) : String(v);
            line.append(s);
          }
          details.append(line);
        }
      },
      { once: true },
    );
    return details;
  }
}
