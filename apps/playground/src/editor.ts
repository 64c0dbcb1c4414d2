/**
 * The code editor: one CodeMirror view, one EditorState per file (so undo
 * history stays with its file), tabs to switch, add, rename and delete files.
 */
import { javascript } from "@codemirror/lang-javascript";
import { Compartment, EditorSelection, EditorState, type Extension, Prec } from "@codemirror/state";
import { oneDark } from "@codemirror/theme-one-dark";
import { EditorView, keymap } from "@codemirror/view";
import { basicSetup } from "codemirror";
import { compiledName } from "./ts/run_compile.ts";

export const ENTRY = "main.ts";
const VALID_NAME = /^[\w-]+(\.[\w-]+)*\.(ts|js|mts|mjs|tsx|jsx|json)$/;

export interface EditorCallbacks {
  run: () => void;
  change: () => void;
  /** A file was deleted; `undo` puts it back with its contents and undo history. */
  removed: (name: string, undo: () => void) => void;
}

export class FileEditor {
  readonly view: EditorView;
  readonly tabs: HTMLElement;
  #states = new Map<string, EditorState>();
  #active = ENTRY;
  readonly #theme = new Compartment();
  #dark = false;

  constructor(
    parent: HTMLElement,
    tabs: HTMLElement,
    /** Per-file language support (type checking, completion, hover). */
    private readonly languageSupport: (name: string) => Extension[],
    private readonly callbacks: EditorCallbacks,
    private readonly askName: (title: string, initial: string) => Promise<string | undefined>,
  ) {
    this.tabs = tabs;
    this.view = new EditorView({ parent });
  }

  #runKey = (): boolean => {
    this.callbacks.run();
    return true;
  };

  #extensions(name: string): Extension[] {
    const ts = !/\.(js|mjs|jsx)$/.test(name);
    return [
      Prec.highest(
        keymap.of([
          { key: "Mod-Enter", preventDefault: true, run: this.#runKey },
          { key: "Shift-Enter", preventDefault: true, run: this.#runKey },
        ]),
      ),
      basicSetup,
      javascript({ typescript: ts, jsx: /\.(tsx|jsx)$/.test(name) }),
      this.languageSupport(name),
      this.#theme.of(this.#dark ? oneDark : []),
      EditorView.contentAttributes.of({ "aria-label": `Code editor: ${name}` }),
      EditorView.updateListener.of((u) => {
        if (u.docChanged) this.callbacks.change();
      }),
    ];
  }

  setDark(dark: boolean): void {
    this.#dark = dark;
    this.view.dispatch({ effects: this.#theme.reconfigure(dark ? oneDark : []) });
  }

  get active(): string {
    return this.#active;
  }

  files(): Record<string, string> {
    this.#states.set(this.#active, this.view.state);
    const out: Record<string, string> = {};
    for (const [name, state] of this.#states) out[name] = state.doc.toString();
    return out;
  }

  load(files: Record<string, string>): void {
    this.#states.clear();
    const names = Object.keys(files);
    if (!names.includes(ENTRY)) files = { [ENTRY]: "", ...files };
    for (const [name, doc] of Object.entries(files)) {
      this.#states.set(name, EditorState.create({ doc, extensions: this.#extensions(name) }));
    }
    this.#active = ENTRY;
    this.view.setState(this.#states.get(ENTRY)!);
    this.#renderTabs();
  }

  open(name: string): void {
    const state = this.#states.get(name);
    if (!state) return;
    this.#states.set(this.#active, this.view.state);
    this.#active = name;
    this.view.setState(state);
    this.#renderTabs();
  }

  /** Opens `file` and puts the cursor at `offset`, e.g. a definition. */
  jumpToOffset(file: string, offset: number): boolean {
    if (!this.#states.has(file)) return false;
    this.open(file);
    const pos = Math.min(Math.max(0, offset), this.view.state.doc.length);
    this.view.dispatch({ selection: EditorSelection.cursor(pos), scrollIntoView: true });
    this.view.focus();
    return true;
  }

  /** Opens `file` and puts the cursor on `line` (1-based), e.g. from a stack trace. */
  jump(file: string, line: number, column = 1): boolean {
    if (!this.#states.has(file)) return false;
    this.open(file);
    const doc = this.view.state.doc;
    const l = doc.line(Math.min(Math.max(1, line), doc.lines));
    const pos = Math.min(l.from + Math.max(0, column - 1), l.to);
    this.view.dispatch({ selection: EditorSelection.cursor(pos), scrollIntoView: true });
    this.view.focus();
    return true;
  }

  async add(): Promise<void> {
    const name = await this.askName("New file name", this.#freeName());
    if (!name) return;
    if (!this.#validate(name)) return;
    this.#states.set(this.#active, this.view.state);
    this.#states.set(name, EditorState.create({ doc: "", extensions: this.#extensions(name) }));
    this.open(name);
    // The name dialog handed focus back to "+"; typing goes to the new file.
    this.view.focus();
    this.callbacks.change();
  }

  async rename(name: string): Promise<void> {
    if (name === ENTRY) return;
    const next = await this.askName(`Rename ${name}`, name);
    if (!next || next === name || !this.#validate(next)) return;
    this.#states.set(this.#active, this.view.state);
    const doc = this.#states.get(name)!.doc.toString();
    const renamed = new Map<string, EditorState>();
    for (const [k, v] of this.#states) {
      renamed.set(
        k === name ? next : k,
        k === name ? EditorState.create({ doc, extensions: this.#extensions(next) }) : v,
      );
    }
    this.#states = renamed;
    if (this.#active === name) this.#active = next;
    this.view.setState(this.#states.get(this.#active)!);
    this.#renderTabs();
    this.callbacks.change();
  }

  remove(name: string): void {
    if (name === ENTRY || !this.#states.has(name)) return;
    this.#states.set(this.#active, this.view.state);
    const before = [...this.#states];
    const wasActive = this.#active === name;
    this.#states.delete(name);
    if (wasActive) {
      this.#active = ENTRY;
      this.view.setState(this.#states.get(ENTRY)!);
    }
    this.#renderTabs();
    this.callbacks.change();
    this.callbacks.removed(name, () => {
      if (this.#states.has(name)) return; // a new file took the name meanwhile
      this.#states.set(this.#active, this.view.state);
      // Back in its old place among the tabs, with its own undo history.
      const restored = new Map<string, EditorState>();
      for (const [k, v] of before) {
        const now = k === name ? v : this.#states.get(k);
        if (now) restored.set(k, now);
      }
      for (const [k, v] of this.#states) if (!restored.has(k)) restored.set(k, v);
      this.#states = restored;
      if (wasActive) this.#active = name;
      this.view.setState(this.#states.get(this.#active)!);
      this.#renderTabs();
      this.callbacks.change();
    });
  }

  #validate(name: string): boolean {
    if (!VALID_NAME.test(name)) {
      alert(`"${name}" is not a valid file name (use letters, digits, - and _, ending in .ts or .js).`);
      return false;
    }
    if (this.#states.has(name)) {
      alert(`A file named "${name}" already exists.`);
      return false;
    }
    // Run hands the sandbox each TypeScript file under its .js name.
    const clash = [...this.#states.keys()].find((other) => compiledName(other) === compiledName(name));
    if (clash) {
      alert(`"${name}" and "${clash}" would both run as ${compiledName(name)}; choose another name.`);
      return false;
    }
    return true;
  }

  #freeName(): string {
    for (let i = 1; ; i++) {
      const name = i === 1 ? "util.ts" : `util${i}.ts`;
      if (!this.#states.has(name)) return name;
    }
  }

  #renderTabs(): void {
    const items: HTMLElement[] = [];
    for (const name of this.#states.keys()) {
      const tab = document.createElement("div");
      tab.className = "tab";
      tab.setAttribute("role", "presentation");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "tab-name";
      button.setAttribute("role", "tab");
      button.setAttribute("aria-selected", String(name === this.#active));
      button.textContent = name;
      button.title = name === ENTRY ? `${name} (entry)` : `${name} — double-click or F2 to rename`;
      button.addEventListener("click", () => this.open(name));
      button.addEventListener("dblclick", () => this.rename(name));
      button.addEventListener("keydown", (e) => {
        if (e.key === "F2") this.rename(name);
        if (e.key === "Delete") this.remove(name);
      });
      tab.append(button);
      if (name !== ENTRY) {
        const rename = document.createElement("button");
        rename.type = "button";
        rename.className = "tab-action";
        rename.textContent = "✎";
        rename.setAttribute("aria-label", `Rename ${name}`);
        rename.addEventListener("click", () => this.rename(name));
        const del = document.createElement("button");
        del.type = "button";
        del.className = "tab-action";
        del.textContent = "×";
        del.setAttribute("aria-label", `Delete ${name}`);
        del.addEventListener("click", () => this.remove(name));
        tab.append(rename, del);
      }
      items.push(tab);
    }
    const add = document.createElement("button");
    add.type = "button";
    add.className = "tab-add";
    add.textContent = "+";
    add.setAttribute("aria-label", "Add file");
    add.title = "Add file";
    add.addEventListener("click", () => this.add());
    this.tabs.replaceChildren(...items, add);
  }
}
