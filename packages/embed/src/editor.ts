/**
 * The editor chunk of `<islet-run>`: CodeMirror 6, loaded once per page when a
 * block is first edited and shared by every block. A lean setup (history,
 * brackets, the JavaScript/TypeScript grammar) rather than the playground's
 * `basicSetup`: no autocomplete popups or search panel in a docs snippet, and
 * Tab is left to move focus, so keyboard users are never trapped. Tokens get
 * `classHighlighter`'s `tok-*` classes, the same the static highlighter
 * (highlight.ts) emits, so one stylesheet colours both.
 */
import { defaultKeymap, history, historyKeymap } from "@codemirror/commands";
import { javascript } from "@codemirror/lang-javascript";
import { bracketMatching, indentOnInput, syntaxHighlighting } from "@codemirror/language";
import { Compartment, EditorSelection, EditorState, Prec, StateEffect, StateField } from "@codemirror/state";
import { Decoration, type DecorationSet, drawSelection, EditorView, keymap } from "@codemirror/view";
import { classHighlighter } from "@lezer/highlight";

export interface EditorOptions {
  parent: HTMLElement;
  root: ShadowRoot;
  doc: string;
  typescript: boolean;
  label: string;
  onRun: () => void;
  onChange: () => void;
}

export interface EmbedEditor {
  code(): string;
  setCode(code: string): void;
  setLanguage(typescript: boolean): void;
  /** Marks the line an error points at (1-based); undefined clears it. */
  markLine(line: number | undefined): void;
  jump(line: number, column: number): void;
  /** Focuses the editor at a screen point (where the static code was clicked), typing `typed` there. */
  focus(at?: { x: number; y: number }, typed?: string): void;
  destroy(): void;
}

const setErrorLine = StateEffect.define<number | undefined>();
const errorLine = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(marks, tr) {
    marks = marks.map(tr.changes);
    for (const effect of tr.effects) {
      if (!effect.is(setErrorLine)) continue;
      const line = effect.value;
      if (line === undefined || line < 1 || line > tr.state.doc.lines) marks = Decoration.none;
      else {
        const from = tr.state.doc.line(line).from;
        marks = Decoration.set([Decoration.line({ class: "error-line" }).range(from)]);
      }
    }
    return marks;
  },
  provide: (field) => EditorView.decorations.from(field),
});

export function createEditor(options: EditorOptions): EmbedEditor {
  const language = new Compartment();
  const run = (): boolean => {
    options.onRun();
    return true;
  };
  const view = new EditorView({
    root: options.root,
    parent: options.parent,
    state: EditorState.create({
      doc: options.doc,
      extensions: [
        Prec.highest(keymap.of([{ key: "Mod-Enter", preventDefault: true, run }])),
        history(),
        drawSelection(),
        indentOnInput(),
        bracketMatching(),
        syntaxHighlighting(classHighlighter),
        language.of(javascript({ typescript: options.typescript })),
        keymap.of([...defaultKeymap, ...historyKeymap]),
        errorLine,
        EditorView.contentAttributes.of({ "aria-label": options.label }),
        EditorView.updateListener.of((u) => {
          if (u.docChanged) options.onChange();
        }),
      ],
    }),
  });
  return {
    code: () => view.state.doc.toString(),
    setCode(code) {
      view.dispatch({ changes: { from: 0, to: view.state.doc.length, insert: code } });
    },
    setLanguage(typescript) {
      view.dispatch({ effects: language.reconfigure(javascript({ typescript })) });
    },
    markLine(line) {
      view.dispatch({ effects: setErrorLine.of(line) });
    },
    jump(line, column) {
      const doc = view.state.doc;
      const l = doc.line(Math.min(Math.max(1, line), doc.lines));
      const pos = Math.min(l.from + Math.max(0, column - 1), l.to);
      view.dispatch({ selection: EditorSelection.cursor(pos), scrollIntoView: true });
      view.focus();
    },
    focus(at, typed) {
      const pos = at === undefined ? null : view.posAtCoords(at);
      if (pos !== null) view.dispatch({ selection: EditorSelection.cursor(pos) });
      view.focus();
      if (typed !== undefined) view.dispatch(view.state.replaceSelection(typed));
    },
    destroy: () => view.destroy(),
  };
}
