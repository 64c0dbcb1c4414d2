/**
 * The TypeScript language service, in its own worker so neither first paint
 * nor Run waits for it: diagnostics, completion, hover and go-to-definition
 * over the playground's files, typed against the sandbox's globals
 * (`@islet/web`'s islet.d.ts, the playground's `host` and `islet:host`), and
 * the compiler used for Run (TypeScript's own `transpileModule`, so every
 * construct TypeScript accepts — namespaces, enums, decorators, `using`,
 * `accessor`, TSX — becomes JavaScript QuickJS runs).
 */
import { ISLET_GLOBALS_DTS } from "@islet/web/islet_dts";
import ts from "typescript";
import { PLAYGROUND_DTS } from "../completions.ts";
import { JSX_DTS, JSX_IMPORT, JSX_MODULE, JSX_SOURCE } from "./jsx.ts";
import type {
  Completions,
  Diagnostic,
  Files,
  LanguageService,
  Location,
  QuickInfo,
  Reply,
  Request,
  Transpiled,
} from "./protocol.ts";

// The ECMAScript libraries only (no DOM: the sandbox has none), bundled into this worker.
const LIBS = import.meta.glob(
  "../../node_modules/typescript/lib/lib.{es5,es20*,esnext.disposable,decorators,decorators.legacy}.d.ts",
  {
    query: "?raw",
    import: "default",
    eager: true,
  },
) as Record<string, string>;
const libFiles = new Map<string, string>();
for (const [path, text] of Object.entries(LIBS)) libFiles.set(`/${path.slice(path.lastIndexOf("/") + 1)}`, text);

const GLOBALS = "/__islet_globals.d.ts";
const MAPPED = "/__islet_imports.d.ts";

/** What the sandbox runs: ES2022 modules, every file a module (top-level await works). */
const RUN_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ESNext,
  moduleDetection: ts.ModuleDetectionKind.Force,
  useDefineForClassFields: true,
  jsx: ts.JsxEmit.React,
  jsxFactory: "h",
  jsxFragmentFactory: "Fragment",
  // "./util.ts" → "./util.js": the sandbox gets every compiled file under its .js name.
  rewriteRelativeImportExtensions: true,
};

const CHECK_OPTIONS: ts.CompilerOptions = {
  ...RUN_OPTIONS,
  strict: true,
  noEmit: true,
  lib: ["lib.es2024.d.ts", "lib.esnext.disposable.d.ts", "lib.decorators.d.ts", "lib.decorators.legacy.d.ts"],
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  allowImportingTsExtensions: true,
  allowJs: true,
  checkJs: false,
  skipLibCheck: true,
  types: [],
};

let files = new Map<string, { text: string; version: number }>();
let globalsText = "";

function setProject(next: Files, mapped: string[]): void {
  const old = files;
  files = new Map();
  for (const [name, text] of Object.entries(next)) {
    const path = `/${name}`;
    const prev = old.get(path);
    files.set(path, { text, version: prev && prev.text === text ? prev.version : (prev?.version ?? 0) + 1 });
  }
  const imports = mapped.map((name) => `declare module ${JSON.stringify(name)};`).join("\n");
  const mappedText = `declare module "https://*";\n${imports}\n`;
  const prevMapped = old.get(MAPPED);
  files.set(MAPPED, {
    text: mappedText,
    version: prevMapped && prevMapped.text === mappedText ? prevMapped.version : (prevMapped?.version ?? 0) + 1,
  });
}

const host: ts.LanguageServiceHost = {
  getCompilationSettings: () => CHECK_OPTIONS,
  getScriptFileNames: () => [GLOBALS, ...files.keys()],
  getScriptVersion: (path) => String(files.get(path)?.version ?? 0),
  getScriptSnapshot: (path) => {
    const text = readFile(path);
    return text === undefined ? undefined : ts.ScriptSnapshot.fromString(text);
  },
  getCurrentDirectory: () => "/",
  getDefaultLibFileName: () => "/lib.es2024.d.ts",
  fileExists: (path) => readFile(path) !== undefined,
  readFile: (path) => readFile(path),
  directoryExists: () => true,
  getDirectories: () => [],
};

function readFile(path: string): string | undefined {
  if (path === GLOBALS) return globalsText;
  if (path === `/${JSX_MODULE}`) return JSX_SOURCE;
  return files.get(path)?.text ?? libFiles.get(path);
}

globalsText = `${ISLET_GLOBALS_DTS}\n${PLAYGROUND_DTS}\n${JSX_DTS}`;
const service = ts.createLanguageService(host, ts.createDocumentRegistry());

const userFile = (path: string) => files.has(path) && path !== MAPPED;
const flatten = (m: string | ts.DiagnosticMessageChain) => ts.flattenDiagnosticMessageText(m, "\n");

function diagnostics(): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const path of files.keys()) {
    if (!userFile(path)) continue;
    const sf = service.getProgram()?.getSourceFile(path);
    const list = [...service.getSyntacticDiagnostics(path), ...service.getSemanticDiagnostics(path)];
    for (const d of list) {
      const from = d.start ?? 0;
      const { line, character } = sf ? sf.getLineAndCharacterOfPosition(from) : { line: 0, character: 0 };
      out.push({
        file: path.slice(1),
        from,
        to: from + (d.length ?? 0),
        severity:
          d.category === ts.DiagnosticCategory.Error
            ? "error"
            : d.category === ts.DiagnosticCategory.Warning
              ? "warning"
              : "info",
        message: flatten(d.messageText),
        line: line + 1,
        column: character + 1,
        code: d.code,
      });
    }
  }
  return out;
}

function completions(file: string, pos: number): Completions | null {
  const path = `/${file}`;
  const info = service.getCompletionsAtPosition(path, pos, { includeCompletionsWithInsertText: true });
  if (!info) return null;
  const text = files.get(path)?.text ?? "";
  let from = pos;
  while (from > 0 && /[\w$]/.test(text[from - 1]!)) from--;
  return {
    from,
    items: info.entries.slice(0, 400).map((e) => ({ label: e.name, kind: e.kind, sortText: e.sortText })),
  };
}

function quickInfo(file: string, pos: number): QuickInfo | null {
  const info = service.getQuickInfoAtPosition(`/${file}`, pos);
  if (!info) return null;
  return {
    from: info.textSpan.start,
    to: info.textSpan.start + info.textSpan.length,
    signature: ts.displayPartsToString(info.displayParts),
    docs: ts.displayPartsToString(info.documentation),
  };
}

function definition(file: string, pos: number): Location | null {
  const defs = service.getDefinitionAtPosition(`/${file}`, pos) ?? [];
  const def = defs.find((d) => userFile(d.fileName)) ?? null;
  return def ? { file: def.fileName.slice(1), from: def.textSpan.start } : null;
}

/** True when a file's top level declares or imports `h` itself. */
function ownsJsxFactory(sf: ts.SourceFile): boolean {
  for (const st of sf.statements) {
    if (ts.isImportDeclaration(st) && st.importClause) {
      const { name, namedBindings } = st.importClause;
      if (name?.text === "h") return true;
      if (namedBindings && ts.isNamedImports(namedBindings) && namedBindings.elements.some((e) => e.name.text === "h"))
        return true;
    }
    if (ts.isFunctionDeclaration(st) && st.name?.text === "h") return true;
    if (
      ts.isVariableStatement(st) &&
      st.declarationList.declarations.some((d) => ts.isIdentifier(d.name) && d.name.text === "h")
    )
      return true;
  }
  return false;
}

function transpile(input: Files): Record<string, Transpiled> {
  const out: Record<string, Transpiled> = {};
  if (Object.keys(input).some((name) => /\.(tsx|jsx)$/.test(name))) input = { ...input, [JSX_MODULE]: JSX_SOURCE };
  for (const [name, source] of Object.entries(input)) {
    if (!/\.(ts|mts|tsx|jsx)$/.test(name)) continue;
    let text = source;
    if (/\.(tsx|jsx)$/.test(name)) {
      const sf = ts.createSourceFile(name, source, ts.ScriptTarget.ES2022, false, ts.ScriptKind.TSX);
      if (!ownsJsxFactory(sf)) text = JSX_IMPORT + source;
    }
    const result = ts.transpileModule(text, {
      fileName: name,
      compilerOptions: { ...RUN_OPTIONS, sourceMap: true, inlineSources: false },
    });
    out[name] = {
      code: result.outputText.replace(/\n\/\/# sourceMappingURL=.*$/, ""),
      map: result.sourceMapText ?? "",
    };
  }
  return out;
}

const methods: LanguageService = { setProject, diagnostics, completions, quickInfo, definition, transpile };

self.onmessage = (event: MessageEvent<Request>) => {
  const { id, method, args } = event.data;
  let reply: Reply;
  try {
    const fn = methods[method] as (...a: unknown[]) => unknown;
    reply = { id, ok: true, value: fn(...args) };
  } catch (e) {
    reply = { id, ok: false, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
  }
  self.postMessage(reply);
};
self.postMessage({ id: 0, ok: true, value: "ready" } satisfies Reply);
