/**
 * The language service in the editor: squiggles (and the Problems list) from
 * TypeScript's diagnostics, hover types, completion of locals and members,
 * and go-to-definition (F12 or Ctrl/Cmd+click) across the playground's files.
 * Until the worker has loaded, completion falls back to the sandbox globals.
 */
import type { Completion, CompletionContext, CompletionResult, CompletionSource } from "@codemirror/autocomplete";
import { type Diagnostic as LintDiagnostic, linter } from "@codemirror/lint";
import { EditorState, type Extension } from "@codemirror/state";
import { EditorView, hoverTooltip, keymap } from "@codemirror/view";
import type { TsClient } from "./client.ts";
import type { Diagnostic, Files } from "./protocol.ts";

export interface TsEditorHooks {
  client: TsClient;
  /** Every file as it is now, and the bare specifiers the import map provides. */
  project: () => { files: Files; mapped: string[] };
  /** All files' diagnostics, after each check (for the Problems list). */
  diagnostics: (all: Diagnostic[]) => void;
  jump: (file: string, offset: number) => void;
  /** Completion before the worker has loaded. */
  fallback: CompletionSource;
}

const KIND: Record<string, Completion["type"]> = {
  function: "function",
  method: "method",
  property: "property",
  getter: "property",
  setter: "property",
  class: "class",
  interface: "interface",
  type: "type",
  enum: "enum",
  "enum member": "enum",
  module: "namespace",
  keyword: "keyword",
  var: "variable",
  let: "variable",
  const: "constant",
  "local var": "variable",
  parameter: "variable",
  alias: "variable",
};

export function tsExtensions(name: string, hooks: TsEditorHooks): Extension[] {
  const { client } = hooks;
  const sync = () => {
    const { files, mapped } = hooks.project();
    return client.call("setProject", files, mapped);
  };

  const lint = linter(
    async (): Promise<LintDiagnostic[]> => {
      await sync();
      const all = await client.call("diagnostics");
      hooks.diagnostics(all);
      return all
        .filter((d) => d.file === name)
        .map((d) => ({
          from: d.from,
          to: Math.max(d.to, d.from),
          severity: d.severity,
          message: d.message,
          source: `ts(${d.code})`,
        }));
    },
    { delay: 400 },
  );

  const hover = hoverTooltip(async (_view, pos) => {
    if (!client.ready) return null;
    await sync();
    const info = await client.call("quickInfo", name, pos);
    if (!info) return null;
    return {
      pos: info.from,
      end: info.to,
      above: true,
      create: () => {
        const dom = document.createElement("div");
        dom.className = "ts-hover";
        const code = document.createElement("code");
        code.textContent = info.signature;
        dom.append(code);
        if (info.docs) {
          const docs = document.createElement("p");
          docs.textContent = info.docs;
          dom.append(docs);
        }
        return { dom };
      },
    };
  });

  const complete = async (context: CompletionContext): Promise<CompletionResult | null> => {
    if (!client.ready) return hooks.fallback(context);
    const word = context.matchBefore(/[\w$]*$/);
    const afterDot = context.matchBefore(/\.[\w$]*$/) !== null;
    if (!context.explicit && !afterDot && (!word || word.from === word.to)) return null;
    await sync();
    const result = await client.call("completions", name, context.pos);
    if (!result || context.aborted) return null;
    return {
      from: result.from,
      options: result.items.map((item) => ({
        label: item.label,
        type: KIND[item.kind] ?? "variable",
        boost: -Number.parseInt(item.sortText, 10) || 0,
      })),
      validFor: /^[\w$]*$/,
    };
  };

  const goToDefinition = async (view: EditorView, pos: number) => {
    await sync();
    const loc = await client.call("definition", name, pos);
    if (loc) hooks.jump(loc.file, loc.from);
    else view.focus();
  };

  return [
    lint,
    hover,
    EditorState.languageData.of(() => [{ autocomplete: complete }]),
    keymap.of([
      {
        key: "F12",
        run: (view) => {
          void goToDefinition(view, view.state.selection.main.head);
          return true;
        },
      },
    ]),
    EditorView.domEventHandlers({
      mousedown: (event, view) => {
        if (!(event.ctrlKey || event.metaKey)) return false;
        const pos = view.posAtCoords({ x: event.clientX, y: event.clientY });
        if (pos === null) return false;
        event.preventDefault();
        void goToDefinition(view, pos);
        return true;
      },
    }),
  ];
}
