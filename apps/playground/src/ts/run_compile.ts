/**
 * What Run hands the sandbox. Once TypeScript has loaded (worker.ts), every
 * TypeScript file is compiled by TypeScript itself and handed over under its
 * `.js` name, with a source map so stack traces and console links point back
 * into the editor. Before it has loaded, Run does not wait for it unless a
 * file needs it: the sandbox's own transpiler (sucrase, in @islet/core) strips
 * types but does not compile namespaces, decorators, `using`, `accessor` or
 * TSX, so a file that may contain one of those waits for TypeScript.
 */
import type { TsClient } from "./client.ts";
import { decodeMappings, originalPosition, type Segments } from "./source_map.ts";

export type Files = Record<string, string>;

export interface Compiled {
  files: Files;
  entry: string;
  /** Rewrites `file.js:line:col` positions of compiled files to the source's. */
  remap: (text: string) => string;
}

/** May contain a construct only TypeScript compiles (a false positive only costs the wait). */
const NEEDS_TYPESCRIPT =
  /\b(?:namespace|module)\s+[A-Za-z_$][\w$.]*\s*\{|(?:^|[\s(,;{])@[A-Za-z_$]|\b(?:await\s+)?using\s+[A-Za-z_$[{]|\baccessor\s+[A-Za-z_$#[]/m;

/**
 * QuickJS has no `Symbol.dispose`; TypeScript's `using` helpers need one. The
 * registered symbols below are what TypeScript's docs and core-js use.
 */
const DISPOSE_SHIM =
  'Symbol.dispose ??= Symbol.for("Symbol.dispose"); Symbol.asyncDispose ??= Symbol.for("Symbol.asyncDispose");';

export const compiledName = (name: string) => name.replace(/\.(ts|tsx|jsx)$/, ".js").replace(/\.mts$/, ".mjs");

export function needsTypeScript(files: Files): boolean {
  return Object.entries(files).some(
    ([name, source]) => /\.(tsx|jsx)$/.test(name) || (/\.m?ts$/.test(name) && NEEDS_TYPESCRIPT.test(source)),
  );
}

export async function compileForRun(client: TsClient, files: Files, entry: string): Promise<Compiled> {
  if (!client.ready && !needsTypeScript(files)) return { files, entry, remap: (t) => t };
  await client.start(); // this run needs it: load it now if the page has not yet
  const compiled = await client.call("transpile", files);
  const out: Files = {};
  const maps = new Map<string, { source: string; segments: Segments }>();
  for (const [name, source] of Object.entries(files)) if (!compiled[name]) out[name] = source;
  for (const [name, { code, map }] of Object.entries(compiled)) {
    const js = compiledName(name);
    let segments = decodeMappings((JSON.parse(map) as { mappings: string }).mappings);
    let text = code;
    if (code.includes("__addDisposableResource")) {
      text = `${DISPOSE_SHIM}\n${code}`;
      segments = [[], ...segments];
    }
    out[js] = text;
    maps.set(js, { source: name, segments });
  }
  const remap = (text: string) =>
    text.replace(
      /(?<![\w/.-])(file:\/\/\/)?([\w.-]+\.m?js)(?:\?islet_run=\d+)?:(\d+):(\d+)/g,
      (all, prefix: string | undefined, file: string, line: string, column: string) => {
        const m = maps.get(file);
        const pos = m && originalPosition(m.segments, Number(line), Number(column));
        return m && pos ? `${prefix ?? ""}${m.source}:${pos.line}:${pos.column}` : all;
      },
    );
  return { files: out, entry: compiled[entry] ? compiledName(entry) : entry, remap };
}
