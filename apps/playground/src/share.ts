/** Share links (files in the URL hash, lz-string compressed) and local autosave. */
import { compressToEncodedURIComponent, decompressFromEncodedURIComponent } from "lz-string";

export type Files = Record<string, string>;
const AUTOSAVE_KEY = "islet-playground:files";

function isFiles(value: unknown): value is Files {
  return (
    typeof value === "object" &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((v) => typeof v === "string")
  );
}

export function encodeFiles(files: Files): string {
  return `#code/${compressToEncodedURIComponent(JSON.stringify(files))}`;
}

export function decodeHash(hash: string): Files | undefined {
  const m = /^#code\/(.+)$/.exec(hash);
  if (!m) return undefined;
  try {
    const parsed: unknown = JSON.parse(decompressFromEncodedURIComponent(m[1]!) ?? "null");
    return isFiles(parsed) && Object.keys(parsed).length > 0 ? parsed : undefined;
  } catch {
    return undefined;
  }
}

export function loadAutosave(): Files | undefined {
  try {
    const parsed: unknown = JSON.parse(localStorage.getItem(AUTOSAVE_KEY) ?? "null");
    return isFiles(parsed) && Object.keys(parsed).length > 0 ? parsed : undefined;
  } catch {
    return undefined;
  }
}

export function saveAutosave(files: Files): void {
  try {
    localStorage.setItem(AUTOSAVE_KEY, JSON.stringify(files));
  } catch {
    // Storage full or disabled: autosave is best effort.
  }
}
