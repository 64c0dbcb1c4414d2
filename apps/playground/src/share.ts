/**
 * Share links and local autosave. A link carries the whole project: files,
 * import map and settings (limits, allowlists), lz-string compressed in the
 * URL hash (`#v2/…`; the older files-only `#code/…` links still open).
 */
import { compressToEncodedURIComponent, decompressFromEncodedURIComponent } from "lz-string";

export type Files = Record<string, string>;
export interface ImportMap {
  imports: Record<string, string>;
}
export interface Settings {
  net: string;
  host: string;
  memoryMb: number;
  cpuMs: number;
}
export interface Project {
  files: Files;
  importMap?: ImportMap;
  settings?: Partial<Settings>;
}

const AUTOSAVE_KEY = "islet-playground:files";
const IMPORT_MAP_KEY = "islet-playground:import-map";

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === "object" && value !== null && !Array.isArray(value);

function isFiles(value: unknown): value is Files {
  return isRecord(value) && Object.keys(value).length > 0 && Object.values(value).every((v) => typeof v === "string");
}

/** An import map's `imports` with string values only; anything else is dropped. */
export function toImportMap(value: unknown): ImportMap | undefined {
  if (!isRecord(value) || !isRecord(value.imports)) return undefined;
  const imports: Record<string, string> = {};
  for (const [k, v] of Object.entries(value.imports)) if (typeof v === "string") imports[k] = v;
  return { imports };
}

function toSettings(value: unknown): Partial<Settings> | undefined {
  if (!isRecord(value)) return undefined;
  const out: Partial<Settings> = {};
  if (typeof value.net === "string") out.net = value.net;
  if (typeof value.host === "string") out.host = value.host;
  if (typeof value.memoryMb === "number" && Number.isFinite(value.memoryMb)) out.memoryMb = value.memoryMb;
  if (typeof value.cpuMs === "number" && Number.isFinite(value.cpuMs)) out.cpuMs = value.cpuMs;
  return out;
}

export function encodeProject(project: Project): string {
  return `#v2/${compressToEncodedURIComponent(JSON.stringify(project))}`;
}

/** True for a hash that holds a shared project (whether or not it decodes). */
export const isShareHash = (hash: string): boolean => /^#(v2|code)\//.test(hash);

export function decodeHash(hash: string): Project | undefined {
  const m = /^#(v2|code)\/(.+)$/.exec(hash);
  if (!m) return undefined;
  try {
    const parsed: unknown = JSON.parse(decompressFromEncodedURIComponent(m[2]!) ?? "null");
    if (m[1] === "code") return isFiles(parsed) ? { files: parsed } : undefined;
    if (!isRecord(parsed) || !isFiles(parsed.files)) return undefined;
    return { files: parsed.files, importMap: toImportMap(parsed.importMap), settings: toSettings(parsed.settings) };
  } catch {
    return undefined;
  }
}

export function loadAutosave(): Project | undefined {
  try {
    const files: unknown = JSON.parse(localStorage.getItem(AUTOSAVE_KEY) ?? "null");
    if (!isFiles(files)) return undefined;
    return { files, importMap: toImportMap(JSON.parse(localStorage.getItem(IMPORT_MAP_KEY) ?? "null")) };
  } catch {
    return undefined;
  }
}

export function saveAutosave(project: Project): void {
  try {
    localStorage.setItem(AUTOSAVE_KEY, JSON.stringify(project.files));
    localStorage.setItem(IMPORT_MAP_KEY, JSON.stringify(project.importMap ?? { imports: {} }));
  } catch {
    // Storage full or disabled: autosave is best effort.
  }
}
