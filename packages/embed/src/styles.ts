/**
 * The element's shadow stylesheet. Every colour, font and size is a CSS custom
 * property (`--islet-*`) that a page can set on `islet-run` or any ancestor;
 * dark values apply under `prefers-color-scheme: dark` unless `theme="light"`,
 * and always with `theme="dark"`. The code box has the same metrics in its
 * static form and in CodeMirror (editor.ts uses `.cm-*` rules below), so the
 * swap to the editor does not move anything.
 */
const LIGHT = `
  --islet-bg: #f6f8fa; --islet-fg: #1f2328; --islet-muted: #656d76; --islet-border: #d0d7de;
  --islet-accent: #0b63ce; --islet-accent-fg: #fff; --islet-output-bg: #fff; --islet-error: #c4121c;
  --islet-warn: #8a5a00; --islet-error-line: rgba(212, 22, 22, 0.12); --islet-focus: #0b63ce;
  --islet-tok-keyword: #a3139f; --islet-tok-string: #0a6a2f; --islet-tok-number: #0550ae;
  --islet-tok-comment: #6e7781; --islet-tok-atom: #953800; --islet-tok-type: #7d4e00; --islet-tok-property: #0550ae;`;
const DARK = `
  --islet-bg: #161b22; --islet-fg: #e6edf3; --islet-muted: #9198a1; --islet-border: #3d444d;
  --islet-accent: #4493f8; --islet-accent-fg: #0d1117; --islet-output-bg: #0d1117; --islet-error: #ff7b72;
  --islet-warn: #e3b341; --islet-error-line: rgba(248, 81, 73, 0.18); --islet-focus: #4493f8;
  --islet-tok-keyword: #ff7b72; --islet-tok-string: #a5d6ff; --islet-tok-number: #79c0ff;
  --islet-tok-comment: #8b949e; --islet-tok-atom: #ffa657; --islet-tok-type: #d2a8ff; --islet-tok-property: #79c0ff;`;

export const STYLES = `
:host { display: block; margin: 1em 0; color-scheme: light; ${LIGHT}
  --islet-font: ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace;
  --islet-font-size: 14px; --islet-line-height: 1.5; --islet-radius: 8px; --islet-pad: 12px 16px; }
@media (prefers-color-scheme: dark) { :host(:not([theme="light"])) { color-scheme: dark; ${DARK} } }
:host([theme="dark"]) { color-scheme: dark; ${DARK} }
:host([hidden]) { display: none; }
* { box-sizing: border-box; }
.block { border: 1px solid var(--islet-border); border-radius: var(--islet-radius); background: var(--islet-bg);
  color: var(--islet-fg); overflow: hidden; }
.code { position: relative; font-family: var(--islet-font); font-size: var(--islet-font-size);
  line-height: var(--islet-line-height); }
.static { margin: 0; padding: var(--islet-pad); overflow-x: auto; white-space: pre; font: inherit; outline: none;
  cursor: text; min-height: calc(var(--islet-line-height) * 1em + 24px); }
.static .line, .cm-line { padding: 0; min-height: calc(var(--islet-line-height) * 1em); }
.static:focus-visible, .cm-editor.cm-focused { outline: 2px solid var(--islet-focus); outline-offset: -2px; }
.cm-editor { font: inherit; background: transparent; color: inherit; }
.cm-scroller { font: inherit !important; line-height: inherit !important; overflow-x: auto; }
.cm-content { padding: var(--islet-pad) !important; caret-color: var(--islet-fg); }
.cm-cursor { border-left-color: var(--islet-fg) !important; }
.cm-selectionBackground, .cm-focused .cm-selectionBackground { background: var(--islet-error-line) !important; }
.cm-focused .cm-selectionBackground { background: color-mix(in srgb, var(--islet-accent) 25%, transparent) !important; }
.error-line, .cm-line.error-line { background: var(--islet-error-line); box-shadow: inset 3px 0 var(--islet-error); }
.tok-keyword { color: var(--islet-tok-keyword); }
.tok-string { color: var(--islet-tok-string); }
.tok-string2 { color: var(--islet-tok-string); }
.tok-number { color: var(--islet-tok-number); }
.tok-comment { color: var(--islet-tok-comment); font-style: italic; }
.tok-bool, .tok-atom, .tok-literal { color: var(--islet-tok-atom); }
.tok-typeName, .tok-className { color: var(--islet-tok-type); }
.tok-propertyName.tok-definition { color: var(--islet-tok-property); }
.bar { display: flex; gap: 6px; align-items: center; padding: 6px 8px; border-top: 1px solid var(--islet-border);
  font: 13px/1.4 system-ui, sans-serif; }
.bar .label { margin-left: auto; color: var(--islet-muted); font-size: 12px; }
button { font: inherit; color: var(--islet-fg); background: transparent; border: 1px solid var(--islet-border);
  border-radius: 6px; padding: 3px 10px; cursor: pointer; }
button:hover:not(:disabled) { background: color-mix(in srgb, var(--islet-fg) 8%, transparent); }
button:focus-visible { outline: 2px solid var(--islet-focus); outline-offset: 1px; }
button:disabled { opacity: 0.45; cursor: default; }
button.run { background: var(--islet-accent); border-color: var(--islet-accent); color: var(--islet-accent-fg);
  font-weight: 600; }
button.run:hover:not(:disabled) { background: color-mix(in srgb, var(--islet-accent) 85%, black); }
button.run[aria-disabled="true"] { opacity: 0.6; cursor: progress; }
.output { border-top: 1px solid var(--islet-border); background: var(--islet-output-bg); padding: 8px 16px;
  font-family: var(--islet-font); font-size: calc(var(--islet-font-size) - 1px); line-height: 1.45;
  max-height: 24em; overflow: auto; }
.output[hidden] { display: none; }
.row { white-space: pre-wrap; overflow-wrap: anywhere; padding: 1px 0; }
.row.nested { padding-left: calc(var(--depth) * 16px); }
.level-warn { color: var(--islet-warn); }
.level-error { color: var(--islet-error); }
.level-debug, .level-note, .empty { color: var(--islet-muted); }
.note { color: var(--islet-muted); font-family: system-ui, sans-serif; font-size: 12px; }
.note.failed { color: var(--islet-error); }
.loc { font: inherit; padding: 0; border: 0; color: inherit; text-decoration: underline dotted; cursor: pointer; }
details.obj { display: inline-block; vertical-align: top; }
details.obj > summary { display: inline; cursor: pointer; list-style: none; }
details.obj > summary::before { content: "▸ "; color: var(--islet-muted); }
details.obj[open] > summary::before { content: "▾ "; }
details.obj[open] > summary .obj-preview { display: none; }
.obj-preview, .obj-line > .key { color: var(--islet-muted); }
.obj-body { padding-left: 2ch; }
.obj-body > details.obj { display: block; }
.obj-body.compact { display: grid; grid-template-columns: repeat(auto-fill, minmax(var(--item-width), max-content));
  column-gap: 1ch; }
.obj-line.more { grid-column: 1 / -1; color: var(--islet-muted); }
.obj-line.loading, .obj-line.unavailable { color: var(--islet-muted); font-style: italic; }
.obj-more { font: inherit; color: inherit; background: none; border: 0; padding: 0; cursor: pointer;
  text-decoration: underline dotted; }
.console-table { overflow-x: auto; max-width: 100%; }
.console-table table { border-collapse: collapse; margin: 2px 0; white-space: nowrap; }
.console-table th, .console-table td { border: 1px solid var(--islet-border); padding: 1px 8px; text-align: left;
  vertical-align: top; font-weight: normal; }
.console-table thead th { background: color-mix(in srgb, var(--islet-border) 45%, transparent); font-weight: 600; }
.console-table tbody th, .console-table .more-rows { color: var(--islet-muted); }
.sr { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
`;
