/**
 * The page ↔ language-service worker contract, in one place: each request is
 * `{ id, method, args }`, each reply `{ id, ok, value | error }`.
 */
export type Files = Record<string, string>;

export interface Diagnostic {
  file: string;
  /** Offsets into the file's text. */
  from: number;
  to: number;
  severity: "error" | "warning" | "info";
  message: string;
  /** 1-based, for the Problems list. */
  line: number;
  column: number;
  code: number;
}

export interface CompletionItem {
  label: string;
  kind: string;
  sortText: string;
}

export interface Completions {
  /** Where the word being completed starts. */
  from: number;
  items: CompletionItem[];
}

export interface QuickInfo {
  from: number;
  to: number;
  signature: string;
  docs: string;
}

export interface Location {
  file: string;
  from: number;
}

export interface Transpiled {
  code: string;
  /** A source map (v3) from `code` back to the file the user wrote. */
  map: string;
}

/** Every method the worker answers, with its arguments and result. */
export interface LanguageService {
  /** Replaces the project: the files, and the bare specifiers the import map provides. */
  setProject(files: Files, mapped: string[]): void;
  diagnostics(): Diagnostic[];
  completions(file: string, pos: number): Completions | null;
  quickInfo(file: string, pos: number): QuickInfo | null;
  definition(file: string, pos: number): Location | null;
  /** Every TypeScript file of `files` compiled to JavaScript the sandbox runs as is. */
  transpile(files: Files): Record<string, Transpiled>;
}

export type Request = {
  [M in keyof LanguageService]: { id: number; method: M; args: Parameters<LanguageService[M]> };
}[keyof LanguageService];
export type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };
