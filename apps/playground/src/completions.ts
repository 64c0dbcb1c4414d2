/**
 * Autocompletion of the sandbox's globals, read from a `.d.ts` string
 * (`@islet/web`'s ISLET_GLOBALS_DTS, plus the playground's own `host`).
 * Top-level `declare` names become completions; `interface X { m(): … }`
 * members complete after `x.` for globals declared `var x: X`.
 */
import type { Completion, CompletionContext, CompletionResult } from "@codemirror/autocomplete";

/** The playground's host API, as the guest sees it (the global and the `islet:host` module). */
export const PLAYGROUND_DTS = `
interface PlaygroundHost { getTodos(): Promise<{ id: number; title: string; done: boolean }[]>; notify(message: string): Promise<boolean>; }
declare var host: PlaygroundHost;
declare module "islet:host" {
  export const getTodos: PlaygroundHost["getTodos"];
  export const notify: PlaygroundHost["notify"];
  const host: PlaygroundHost;
  export default host;
}
`;

interface Parsed {
  globals: Completion[];
  members: Map<string, Completion[]>;
}

/** The text between the brace at `open` and its matching close. */
function braceBody(text: string, open: number): string {
  let depth = 0;
  for (let i = open; i < text.length; i++) {
    if (text[i] === "{") depth++;
    else if (text[i] === "}" && --depth === 0) return text.slice(open + 1, i);
  }
  return text.slice(open + 1);
}

/** Member names at the top level of a type body (nested (), {} and <> are skipped). */
function membersOf(body: string): Completion[] {
  let flat = "";
  let depth = 0;
  for (const ch of body) {
    if (ch === "(" || ch === "{" || ch === "<") {
      if (depth === 0) flat += ch;
      depth++;
    } else if (ch === ")" || ch === "}" || ch === ">") {
      depth = Math.max(0, depth - 1);
    } else if (depth === 0) flat += ch;
  }
  const out: Completion[] = [];
  for (const m of flat.matchAll(/(?:^|[;,\s])(?:readonly\s+)?([A-Za-z_$][\w$]*)\??\s*(\(|:)/g)) {
    if (m[1] === "new" || m[1] === "prototype" || out.some((c) => c.label === m[1])) continue;
    out.push({ label: m[1]!, type: m[2] === "(" ? "method" : "property" });
  }
  return out;
}

export function parseDts(dts: string): Parsed {
  const globals: Completion[] = [];
  const interfaces = new Map<string, Completion[]>();
  const members = new Map<string, Completion[]>();
  const typeOfVar = new Map<string, string>();
  const decl =
    /declare\s+(function|class|var|let|const|namespace)\s+([A-Za-z_$][\w$]*)\s*(?::\s*(?:([A-Za-z_$][\w$]*)|\{))?/g;
  for (const m of dts.matchAll(decl)) {
    const [text, kind, name, type] = m;
    if (text.endsWith("{")) members.set(name!, membersOf(braceBody(dts, m.index + text.length - 1)));
    if (type) typeOfVar.set(name!, type);
    if (globals.some((g) => g.label === name)) continue;
    const isClass = kind === "class" || (kind === "var" && /^[A-Z]/.test(name!) && text.endsWith("{"));
    globals.push({ label: name!, type: kind === "function" ? "function" : isClass ? "class" : "variable" });
  }
  for (const m of dts.matchAll(/interface\s+([A-Za-z_$][\w$]*)[^{]*\{/g)) {
    const list = membersOf(braceBody(dts, m.index + m[0].length - 1));
    interfaces.set(m[1]!, [...(interfaces.get(m[1]!) ?? []), ...list]);
  }
  for (const [name, type] of typeOfVar) {
    const list = interfaces.get(type);
    if (list) members.set(name, list);
  }
  return { globals, members };
}

export function globalsCompletionSource(dts: string) {
  const parsed = parseDts(dts);
  return (context: CompletionContext): CompletionResult | null => {
    const member = context.matchBefore(/([A-Za-z_$][\w$]*)\.([\w$]*)$/);
    if (member) {
      const dot = member.text.indexOf(".");
      const options = parsed.members.get(member.text.slice(0, dot));
      if (options) return { from: member.from + dot + 1, options, validFor: /^[\w$]*$/ };
      return null;
    }
    const word = context.matchBefore(/[A-Za-z_$][\w$]*$/);
    if (!word && !context.explicit) return null;
    return { from: word ? word.from : context.pos, options: parsed.globals, validFor: /^[\w$]*$/ };
  };
}
