/**
 * Autocompletion of the sandbox's globals, read from a `.d.ts` string
 * (`@islet/web` exports the real one; FALLBACK_DTS is used until it does).
 * Top-level `declare` names become completions; `interface X { m(): … }`
 * members complete after `x.` for globals declared `var x: X`.
 */
import type { Completion, CompletionContext, CompletionResult } from "@codemirror/autocomplete";

export const FALLBACK_DTS = `
interface Console { log(...data: any[]): void; info(...data: any[]): void; warn(...data: any[]): void; error(...data: any[]): void; debug(...data: any[]): void; trace(...data: any[]): void; group(...label: any[]): void; groupEnd(): void; table(data: any): void; assert(condition?: boolean, ...data: any[]): void; count(label?: string): void; time(label?: string): void; timeEnd(label?: string): void; }
declare var console: Console;
declare function setTimeout(handler: () => void, timeout?: number): number;
declare function clearTimeout(id?: number): void;
declare function setInterval(handler: () => void, timeout?: number): number;
declare function clearInterval(id?: number): void;
declare function queueMicrotask(callback: () => void): void;
declare function structuredClone<T>(value: T): T;
declare function fetch(input: string | URL | Request, init?: RequestInit): Promise<Response>;
declare function atob(data: string): string;
declare function btoa(data: string): string;
declare class URL { constructor(url: string, base?: string | URL); }
declare class URLSearchParams {}
declare class Headers {}
declare class Request {}
declare class Response {}
declare class TextEncoder {}
declare class TextDecoder {}
declare class AbortController {}
declare class AbortSignal {}
declare class Event {}
declare class EventTarget {}
declare class DOMException {}
declare class Blob {}
declare var host: Record<string, (...args: any[]) => Promise<any>>;
`;

interface Parsed {
  globals: Completion[];
  members: Map<string, Completion[]>;
}

export function parseDts(dts: string): Parsed {
  const globals: Completion[] = [];
  const interfaces = new Map<string, Completion[]>();
  const typeOfVar = new Map<string, string>();
  for (const m of dts.matchAll(
    /declare\s+(function|class|var|let|const|namespace)\s+([A-Za-z_$][\w$]*)(?:\s*:\s*([A-Za-z_$][\w$]*))?/g,
  )) {
    const [, kind, name, type] = m;
    if (globals.some((g) => g.label === name)) continue;
    globals.push({ label: name!, type: kind === "function" ? "function" : kind === "class" ? "class" : "variable" });
    if (type) typeOfVar.set(name!, type);
  }
  for (const m of dts.matchAll(/interface\s+([A-Za-z_$][\w$]*)[^{]*\{([^}]*)\}/g)) {
    const members: Completion[] = [];
    for (const mm of m[2]!.matchAll(/([A-Za-z_$][\w$]*)\s*(\(|\??:)/g)) {
      if (!members.some((c) => c.label === mm[1])) {
        members.push({ label: mm[1]!, type: mm[2] === "(" ? "method" : "property" });
      }
    }
    interfaces.set(m[1]!, members);
  }
  const members = new Map<string, Completion[]>();
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
