/**
 * The "What's available" panel: the globals the sandbox has (read from the
 * same declarations the editor completes from) and what a newcomer might
 * expect that it lacks.
 */
import { parseDts } from "./completions.ts";

const MISSING: [what: string, detail: string][] = [
  [
    "No DOM",
    "document, window, HTMLElement and friends do not exist: the program runs in its own JavaScript engine, not in the page.",
  ],
  [
    "No Intl",
    "toLocaleString() and toLocaleDateString() ignore the locale argument; there is no Intl.NumberFormat or Intl.DateTimeFormat.",
  ],
  ["UTC only", "Dates have no time zone but UTC."],
  [
    "No npm install",
    'Bare imports (import _ from "lodash-es") need an import map entry: add the package under Settings → npm packages.',
  ],
  [
    "Network by permission",
    "fetch() and remote imports reach only hosts on the allowlist (or ones you allow in the prompt).",
  ],
  ["No Node APIs", "No process, require, fs or Buffer."],
];

export function renderAvailable(container: HTMLElement, dts: string): void {
  const heading = (text: string) => {
    const h = document.createElement("h3");
    h.textContent = text;
    return h;
  };
  const globals = parseDts(dts)
    .globals.map((g) => g.label)
    .sort((a, b) => a.localeCompare(b));
  const present = document.createElement("p");
  present.className = "available-globals";
  present.textContent = `All of ECMAScript (QuickJS) and: ${globals.join(", ")}.`;
  const missing = document.createElement("dl");
  missing.className = "available-missing";
  for (const [what, detail] of MISSING) {
    const dt = document.createElement("dt");
    dt.textContent = what;
    const dd = document.createElement("dd");
    dd.textContent = detail;
    missing.append(dt, dd);
  }
  container.replaceChildren(heading("Present"), present, heading("Missing"), missing);
}
