/**
 * `<islet-run>`: a code block that runs in an Islet sandbox. This file is the
 * element definition, the only code a page loads before a block is used: the
 * code as static highlighted HTML, the toolbar, the attributes and the JS API.
 * Two chunks load lazily and once per page: `runner.ts` (the sandboxes and the
 * output view) on the first Run, or when the page is idle with a block in
 * view; `editor.ts` (CodeMirror) when a block is first edited.
 *
 * Attributes: `lang` (js | ts), `net` (hosts the code may fetch, "self" = this
 * page's host), `timeout` (ms of wall-clock time, default 5000), `memory`
 * (MiB), `host` (a name given to `registerHost`), `autorun`, `readonly`,
 * `theme` (light | dark; default: the page's `prefers-color-scheme`). `autorun`
 * runs the block once when it first comes into view.
 * Children: the code (text, or a `<script type="text/islet-code">`), extra
 * files (`<script type="text/islet-file" name="lib.ts">`), setup code run before
 * the block (`<script type="text/islet-setup">`).
 */
import type { ConsoleEntry, HostFunction, RunResult } from "@islet/worker";
import { registeredHost, settings } from "./config.ts";
import type { EmbedEditor } from "./editor.ts";
import { dedent, highlight } from "./highlight.ts";
import type { BlockConfig, OutputView, RunHandle } from "./runner.ts";
import { STYLES } from "./styles.ts";

type Runner = typeof import("./runner.ts");
type Editor = typeof import("./editor.ts");

let runner: Promise<Runner> | undefined;
let editor: Promise<Editor> | undefined;

/** The run chunk, imported once per page. */
export function loadRunner(): Promise<Runner> {
  runner ??= import("./runner.ts");
  return runner;
}

function loadEditor(): Promise<Editor> {
  editor ??= import("./editor.ts");
  return editor;
}

export const DEFAULT_TIMEOUT_MS = 5000;
const MAX_TIMEOUT_MS = 300_000;

/** What `islet-result` carries (`event.detail`). */
export interface IsletResultDetail {
  result: RunResult;
  /** The console entries of the run, in order. */
  output: ConsoleEntry[];
  /** True when Stop (or `stop()`) ended the run. */
  stopped: boolean;
}

/** What `islet-run` carries; cancel the event to keep the block from running. */
export interface IsletRunDetail {
  files: Record<string, string>;
  entry: string;
}

let blockCount = 0;
let sheet: CSSStyleSheet | undefined;

function sharedSheet(): CSSStyleSheet {
  if (sheet === undefined) {
    sheet = new CSSStyleSheet();
    sheet.replaceSync(STYLES);
  }
  return sheet;
}

export class IsletRun extends HTMLElement {
  static observedAttributes = ["readonly", "lang"];

  /** Host functions for this block's code (overrides the `host` attribute's registered set). */
  host: Record<string, HostFunction> | undefined;
  /** The last run's result (undefined before the first run). */
  lastResult: RunResult | undefined;

  readonly #shadow: ShadowRoot;
  readonly #id = ++blockCount;
  #built = false;
  #original = "";
  #code = "";
  #files: Record<string, string> = {};
  #setup = "";
  #static!: HTMLElement;
  #codeBox!: HTMLElement;
  #runButton!: HTMLButtonElement;
  #stopButton!: HTMLButtonElement;
  #resetButton!: HTMLButtonElement;
  #output!: HTMLElement;
  #announce!: HTMLElement;
  #editor: EmbedEditor | undefined;
  #editorLoading: Promise<EmbedEditor | undefined> | undefined;
  #running: Promise<RunResult | undefined> | undefined;
  #handle: RunHandle | undefined;
  #stopped = false;
  #errorLine: number | undefined;

  constructor() {
    super();
    this.#shadow = this.attachShadow({ mode: "open" });
  }

  connectedCallback(): void {
    if (this.#built) return;
    // Parsed children may still be arriving while the document loads.
    if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", () => this.connectedCallback(), { once: true });
      return;
    }
    this.#built = true;
    this.#readChildren();
    this.#build();
    observeForPrewarm(this);
    if (this.hasAttribute("autorun")) this.#autorun();
  }

  /** `autorun`: one run when the block first comes into view (so a long page does not start them all). */
  #autorun(): void {
    if (typeof IntersectionObserver === "undefined") {
      void this.run();
      return;
    }
    const observer = new IntersectionObserver((entries) => {
      if (!entries.some((e) => e.isIntersecting)) return;
      observer.disconnect();
      void this.run();
    });
    observer.observe(this);
  }

  attributeChangedCallback(name: string): void {
    if (!this.#built) return;
    if (name === "readonly" && this.readOnly) {
      this.#editor?.destroy();
      this.#editor = undefined;
      this.#showStatic();
    }
    if (name === "lang") this.#editor?.setLanguage(this.#isTs());
    this.#updateLabels();
  }

  // --- the JS API ------------------------------------------------------------------------

  /** The block's current code (edits included). Setting it replaces the code, not the original. */
  get code(): string {
    return this.#editor?.code() ?? this.#code;
  }

  set code(value: string) {
    this.#code = String(value);
    this.#editor?.setCode(this.#code);
    if (this.#built && this.#editor === undefined) this.#renderStatic();
    this.#updateReset();
  }

  /** Extra files beside the block's main file, by name (`lib.ts`). */
  get files(): Record<string, string> {
    return { ...this.#files };
  }

  set files(value: Record<string, string>) {
    this.#files = checkFiles(value);
  }

  /** Code run before the block's own (a module of its own, `setup.js`). */
  get setup(): string {
    return this.#setup;
  }

  set setup(value: string) {
    this.#setup = String(value);
  }

  get readOnly(): boolean {
    return this.hasAttribute("readonly");
  }

  /** The file name the block's code runs as: `main.ts` or `main.js`. */
  get entryName(): string {
    return this.#isTs() ? "main.ts" : "main.js";
  }

  /**
   * Runs the block from a clean sandbox. Resolves with the result (undefined if
   * an `islet-run` listener cancelled it); while a run is going, returns that run.
   */
  run(): Promise<RunResult | undefined> {
    if (this.#running) return this.#running;
    this.#running = this.#run().finally(() => {
      this.#running = undefined;
    });
    return this.#running;
  }

  /** Stops the running code (its worker is terminated); the page and other blocks go on. */
  stop(): void {
    if (this.#handle === undefined) return;
    this.#stopped = true;
    this.#handle.stop();
  }

  /** Back to the original code; clears the output. */
  reset(): void {
    this.stop();
    this.code = this.#original;
    this.#markLine(undefined);
    this.#output.hidden = true;
    this.#output.replaceChildren();
    this.#updateReset();
  }

  get running(): boolean {
    return this.#running !== undefined;
  }

  // --- building --------------------------------------------------------------------------

  #isTs(): boolean {
    return /^(ts|typescript)$/i.test(this.getAttribute("lang") ?? "");
  }

  #readChildren(): void {
    let code = "";
    let explicit: string | undefined;
    for (const node of this.childNodes) {
      if (node instanceof HTMLScriptElement) {
        const type = node.type.toLowerCase();
        if (type === "text/islet-code") explicit = node.textContent ?? "";
        else if (type === "text/islet-setup") this.#setup = dedent(node.textContent ?? "");
        else if (type === "text/islet-file") {
          const name = node.getAttribute("name") ?? "";
          this.#files = checkFiles({ ...this.#files, [name]: dedent(node.textContent ?? "") });
        }
      } else if (node.nodeType === Node.TEXT_NODE || node.nodeType === Node.ELEMENT_NODE) {
        code += node.textContent ?? "";
      }
    }
    this.#original = dedent(explicit ?? code);
    this.#code = this.#original;
  }

  #build(): void {
    // One constructed stylesheet shared by every block's shadow root: parsed once, matched cheaply.
    this.#shadow.adoptedStyleSheets = [...this.#shadow.adoptedStyleSheets, sharedSheet()];
    const block = el("div", "block");
    block.setAttribute("part", "block");
    this.#codeBox = el("div", "code");
    this.#codeBox.setAttribute("part", "code");
    this.#static = el("pre", "static");
    this.#static.id = "code";
    this.#static.addEventListener("mousedown", (e) => {
      if (this.readOnly || e.button !== 0) return;
      // The editor takes focus itself; the default action would focus the static code it hides.
      e.preventDefault();
      void this.#activate(e);
    });
    this.#static.addEventListener("keydown", (e) => this.#staticKey(e));
    this.#codeBox.append(this.#static);

    const bar = el("div", "bar");
    bar.setAttribute("part", "toolbar");
    bar.setAttribute("role", "toolbar");
    this.#runButton = button("run", "▶ Run", () => void this.run());
    this.#stopButton = button("stop", "■ Stop", () => this.stop());
    this.#stopButton.disabled = true;
    this.#resetButton = button("reset", "↺ Reset", () => this.reset());
    this.#resetButton.disabled = true;
    const label = el("span", "label");
    label.setAttribute("aria-hidden", "true");
    bar.append(this.#runButton, this.#stopButton, this.#resetButton, label);

    this.#output = el("div", "output");
    this.#output.setAttribute("part", "output");
    this.#output.setAttribute("role", "region");
    this.#output.tabIndex = -1;
    this.#output.hidden = true;
    // Announced once per run (a summary), not per line.
    this.#announce = el("div", "sr");
    this.#announce.setAttribute("role", "status");
    this.#announce.setAttribute("aria-live", "polite");

    block.append(this.#codeBox, bar, this.#output, this.#announce);
    this.#shadow.replaceChildren(block);
    this.#renderStatic();
    this.#updateLabels();
  }

  #updateLabels(): void {
    const lang = this.#isTs() ? "TypeScript" : "JavaScript";
    const name = this.getAttribute("aria-label") ?? this.getAttribute("title") ?? `${lang} example ${this.#id}`;
    this.#static.setAttribute(
      "aria-label",
      this.readOnly ? `${name}, read-only code` : `${name}, code; press Enter to edit, Ctrl+Enter to run`,
    );
    this.#runButton.setAttribute("aria-label", `Run ${name}`);
    this.#runButton.title = "Run (Ctrl/Cmd+Enter)";
    this.#stopButton.setAttribute("aria-label", `Stop ${name}`);
    this.#resetButton.setAttribute("aria-label", `Reset ${name} to its original code`);
    this.#output.setAttribute("aria-label", `Output of ${name}`);
    this.#shadow.querySelector(".label")!.textContent = lang;
    this.#static.tabIndex = 0;
  }

  #renderStatic(): void {
    this.#static.innerHTML = highlight(this.#code);
    if (this.#errorLine !== undefined) this.#markLine(this.#errorLine);
  }

  #showStatic(): void {
    this.#static.hidden = false;
    this.#renderStatic();
  }

  #updateReset(): void {
    if (this.#built) this.#resetButton.disabled = this.code === this.#original && this.#output.hidden;
  }

  // --- editing ---------------------------------------------------------------------------

  #staticKey(e: KeyboardEvent): void {
    if ((e.ctrlKey || e.metaKey) && e.key === "Enter") {
      e.preventDefault();
      void this.run();
      return;
    }
    if (this.readOnly) return;
    if (e.key === "Enter" || (e.key.length === 1 && !e.ctrlKey && !e.metaKey && !e.altKey)) {
      e.preventDefault();
      void this.#activate(undefined, e.key.length === 1 ? e.key : undefined);
    }
  }

  /** Swaps the static code for CodeMirror (first edit), keeping the place clicked. */
  async #activate(event?: MouseEvent, typed?: string): Promise<EmbedEditor | undefined> {
    if (this.readOnly) return undefined;
    if (this.#editor) return this.#editor;
    const at = event === undefined ? undefined : { x: event.clientX, y: event.clientY };
    this.#editorLoading ??= loadEditor().then((mod) => {
      if (this.readOnly) return undefined;
      const editorInstance = mod.createEditor({
        parent: this.#codeBox,
        root: this.#shadow,
        doc: this.#code,
        typescript: this.#isTs(),
        label: this.#static.getAttribute("aria-label")!.replace(/; press Enter to edit/, ""),
        onRun: () => void this.run(),
        onChange: () => this.#updateReset(),
      });
      this.#static.hidden = true;
      this.#editor = editorInstance;
      editorInstance.markLine(this.#errorLine);
      return editorInstance;
    });
    const instance = await this.#editorLoading;
    this.#editorLoading = undefined;
    instance?.focus(at, typed);
    return instance;
  }

  // --- running ---------------------------------------------------------------------------

  #config(): BlockConfig {
    const timeout = Number(this.getAttribute("timeout") ?? DEFAULT_TIMEOUT_MS);
    if (!Number.isFinite(timeout) || timeout <= 0 || timeout > MAX_TIMEOUT_MS)
      throw new RangeError(`<islet-run> timeout must be milliseconds in 1..${MAX_TIMEOUT_MS}`);
    const memory = this.getAttribute("memory");
    const memoryMiB = memory === null ? undefined : Number(memory);
    if (memoryMiB !== undefined && (!Number.isInteger(memoryMiB) || memoryMiB < 4 || memoryMiB > 1024))
      throw new RangeError("<islet-run> memory must be whole MiB in 4..1024");
    const net = (this.getAttribute("net") ?? "")
      .split(/[\s,]+/)
      .filter(Boolean)
      .map((h) => (h === "self" ? location.host : h));
    return { timeoutMs: Math.round(timeout), memoryBytes: memoryMiB === undefined ? undefined : memoryMiB << 20, net };
  }

  /** The sandbox configuration a run of this block needs (the default one if its attributes are bad). */
  sandboxConfig(): [BlockConfig, string[]] | [undefined, undefined] {
    try {
      return [this.#config(), Object.keys(this.#hostFunctions())];
    } catch {
      return [undefined, undefined];
    }
  }

  #hostFunctions(): Record<string, HostFunction> {
    if (this.host !== undefined) return this.host;
    const name = this.getAttribute("host");
    if (name === null) return {};
    const found = registeredHost(name);
    if (found === undefined) throw new Error(`<islet-run> host="${name}": no host API registered under that name`);
    return found;
  }

  /** The files a run gets and its entry: the block as main.ts/js, extra files, setup first. */
  #request(): { files: Record<string, string>; entry: string } {
    const main = this.entryName;
    const files: Record<string, string> = { ...this.#files, [main]: this.code };
    if (this.#setup.trim() === "") return { files, entry: main };
    files["setup.js"] = this.#setup;
    // (Specifiers quoted by JSON.stringify: the build checks every literal relative import it sees.)
    files["__islet_entry.js"] = ["./setup.js", `./${main}`].map((f) => `import ${JSON.stringify(f)};\n`).join("");
    return { files, entry: "__islet_entry.js" };
  }

  async #run(): Promise<RunResult | undefined> {
    const request = this.#request();
    const detail: IsletRunDetail = { files: { ...request.files }, entry: request.entry };
    if (!this.dispatchEvent(new CustomEvent("islet-run", { detail, bubbles: true, composed: true, cancelable: true })))
      return undefined;
    this.#stopped = false;
    this.#setBusy(true);
    this.#markLine(undefined);
    this.#output.hidden = false;
    this.#output.replaceChildren();
    this.#announce.textContent = "";
    const output: ConsoleEntry[] = [];
    let view: OutputView | undefined;
    let result: RunResult;
    try {
      const config = this.#config();
      const host = this.#hostFunctions();
      const mod = await loadRunner();
      view = new mod.OutputView(this.#output, this.entryName, (line, column) => this.#jump(line, column));
      const startedView = view;
      startedView.running();
      this.#handle = mod.runBlock(config, request, host, (entry, inspect) => {
        output.push(entry);
        startedView.add(entry, inspect);
      });
      result = await this.#handle.result;
    } catch (error) {
      // A bad attribute or host name, or the run chunk failed to load: reported like a run error.
      const e = error instanceof Error ? error : new Error(String(error));
      result = { ok: false, reason: "error", error: { name: e.name, message: e.message, stack: "" } };
    }
    this.#handle = undefined;
    this.lastResult = result;
    const summary = view
      ? view.finish(result, { stopped: this.#stopped, timeoutMs: this.#safeTimeout() })
      : failText(result);
    if (!view) this.#output.textContent = summary.text;
    this.#markLine(summary.line);
    this.#announce.textContent = summary.announce ?? summary.text;
    this.#setBusy(false);
    this.#updateReset();
    const resultDetail: IsletResultDetail = { result, output, stopped: this.#stopped };
    this.dispatchEvent(new CustomEvent("islet-result", { detail: resultDetail, bubbles: true, composed: true }));
    return result;
  }

  #safeTimeout(): number {
    const t = Number(this.getAttribute("timeout") ?? DEFAULT_TIMEOUT_MS);
    return Number.isFinite(t) ? t : DEFAULT_TIMEOUT_MS;
  }

  #setBusy(busy: boolean): void {
    // Run keeps focus while busy (a disabled button would drop it), so it is aria-disabled instead.
    this.#runButton.setAttribute("aria-disabled", String(busy));
    const stopHadFocus = this.#shadow.activeElement === this.#stopButton;
    this.#stopButton.disabled = !busy;
    if (!busy && stopHadFocus) this.#runButton.focus();
    this.toggleAttribute("running", busy);
  }

  #markLine(line: number | undefined): void {
    this.#errorLine = line;
    this.#editor?.markLine(line);
    const lines = this.#static.querySelectorAll(".line");
    for (const [i, node] of lines.entries()) node.classList.toggle("error-line", line === i + 1);
  }

  async #jump(line: number, column: number): Promise<void> {
    const instance = await this.#activate();
    if (instance) instance.jump(line, column);
    else this.#static.querySelectorAll(".line")[line - 1]?.scrollIntoView({ block: "nearest" });
  }
}

function failText(result: RunResult): { text: string; line?: number; announce?: string } {
  return { text: result.ok ? "Done" : `${result.error.name}: ${result.error.message}` };
}

function checkFiles(value: Record<string, string>): Record<string, string> {
  if (typeof value !== "object" || value === null) throw new TypeError("<islet-run> files must be an object");
  const out: Record<string, string> = {};
  for (const [name, text] of Object.entries(value)) {
    if (!/^[\w-]+(\/[\w-]+)*(\.[\w-]+)*\.(ts|js|mts|mjs|json)$/.test(name) || /^main\.(ts|js)$/.test(name))
      throw new TypeError(`<islet-run> extra file name ${JSON.stringify(name)} is not a usable module name`);
    if (typeof text !== "string") throw new TypeError(`<islet-run> file ${name} must be a string`);
    out[name] = text;
  }
  return out;
}

function el(tag: string, className: string): HTMLElement {
  const node = document.createElement(tag);
  node.className = className;
  return node;
}

function button(className: string, text: string, onClick: () => void): HTMLButtonElement {
  const b = el("button", className) as HTMLButtonElement;
  b.type = "button";
  b.textContent = text;
  b.addEventListener("click", onClick);
  return b;
}

// --- prewarm: when the page is idle with a block in view, load the sandbox once ------------

let prewarmObserver: IntersectionObserver | undefined;
let prewarmed = false;

function observeForPrewarm(block: IsletRun): void {
  if (prewarmed || !settings.prewarm || typeof IntersectionObserver === "undefined") return;
  prewarmObserver ??= new IntersectionObserver((entries) => {
    if (prewarmed || !entries.some((e) => e.isIntersecting)) return;
    prewarmed = true;
    prewarmObserver?.disconnect();
    const idle = globalThis.requestIdleCallback ?? ((fn: () => void) => setTimeout(fn, 200));
    // Warm a sandbox for the configuration of the block in view, so its first Run finds it.
    const first = entries.find((e) => e.isIntersecting)!.target as IsletRun;
    idle(() => {
      const [config, hostNames] = first.sandboxConfig();
      if (settings.prewarm) void loadRunner().then((mod) => mod.prewarm(config, hostNames));
    });
  });
  prewarmObserver.observe(block);
}
