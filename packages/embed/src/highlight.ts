/**
 * The static highlighter: a block's code as HTML before CodeMirror loads (and
 * for `readonly` blocks, instead of it). A small regex lexer, not a parser: it
 * marks comments, strings, template literals, numbers, keywords and literals
 * with the class names CodeMirror's `classHighlighter` uses (`tok-keyword` …),
 * so one stylesheet colours both and the swap to the editor changes nothing
 * but the caret. Each line is its own element (`.line`), so a run's error can
 * mark the line it points at.
 */

const KEYWORDS = new Set(
  (
    "as async await break case catch class const continue debugger default delete do else enum export extends " +
    "finally for from function get if implements import in instanceof interface let new of package private " +
    "protected public readonly return satisfies set static super switch this throw try type typeof using var " +
    "void while with yield"
  ).split(" "),
);
const ATOMS = new Set(["true", "false", "null", "undefined", "NaN", "Infinity"]);
const TYPES = new Set(["string", "number", "boolean", "bigint", "symbol", "unknown", "never", "any", "object"]);

// One alternative per token kind; anything unmatched is plain text.
const TOKEN =
  /(\/\/[^\n]*|\/\*[\s\S]*?(?:\*\/|$))|("(?:[^"\\\n]|\\.)*"?|'(?:[^'\\\n]|\\.)*'?)|(`(?:[^`\\]|\\[\s\S])*`?)|(\b(?:0[xob][\da-f_]+n?|\d[\d_]*(?:\.[\d_]*)?(?:e[+-]?\d+)?n?)|\.\d+)|([A-Za-z_$][\w$]*)/gi;

const escapeHtml = (text: string) => text.replace(/[&<>"]/g, (c) => `&#${c.charCodeAt(0)};`);

function span(kind: string, text: string): string {
  // A token spanning lines (a block comment, a template) is closed and reopened at each newline.
  return text
    .split("\n")
    .map((part) => (part ? `<span class="tok-${kind}">${escapeHtml(part)}</span>` : ""))
    .join("\n");
}

function classify(word: string, next: string): string | undefined {
  if (KEYWORDS.has(word)) return "keyword";
  if (ATOMS.has(word)) return "bool";
  if (TYPES.has(word)) return "typeName";
  if (next === "(") return "variableName tok-call";
  return undefined;
}

/** The code as highlighted HTML: one `<div class="line">` per line, tokens as `tok-*` spans. */
export function highlight(code: string): string {
  let html = "";
  let last = 0;
  for (const m of code.matchAll(TOKEN)) {
    html += escapeHtml(code.slice(last, m.index));
    const [text, comment, string, template, number, word] = m;
    if (comment !== undefined) html += span("comment", text);
    else if (string !== undefined) html += span("string", text);
    else if (template !== undefined) html += span("string2", text);
    else if (number !== undefined) html += span("number", text);
    else if (word !== undefined) {
      const kind = classify(word, code[m.index + text.length] ?? "");
      html += kind === undefined ? escapeHtml(word) : span(kind, word);
    }
    last = m.index + text.length;
  }
  html += escapeHtml(code.slice(last));
  return html
    .split("\n")
    .map((line) => `<div class="line">${line || "<br>"}</div>`)
    .join("");
}

/** Trims blank lines at both ends and the indentation every line shares (code written inside indented HTML). */
export function dedent(text: string): string {
  const lines = text.replace(/\r\n?/g, "\n").split("\n");
  while (lines.length > 0 && lines[0]!.trim() === "") lines.shift();
  while (lines.length > 0 && lines.at(-1)!.trim() === "") lines.pop();
  const indents = lines.filter((l) => l.trim() !== "").map((l) => /^[ \t]*/.exec(l)![0].length);
  const cut = indents.length > 0 ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(cut).trimEnd()).join("\n");
}
