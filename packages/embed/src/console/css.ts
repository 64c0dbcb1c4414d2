/**
 * The CSS a console `%c` may apply: a small allowlist of properties, each with
 * the value shapes it accepts, parsed here rather than handed to the browser.
 *
 * Invariant: a styled console segment can change how its own text looks and
 * nothing else — it cannot load a resource (no `url()`, `image-set()`,
 * `@import`: no function but rgb()/hsl() colours), cannot leave its line or
 * cover the page (no `position`, `display`, `transform`, `font-size`, no
 * negative or large margins and paddings), cannot run anything (no
 * `expression()`, no `behavior`). Everything else is dropped, declaration by
 * declaration.
 */

/** Declarations kept from one `%c` argument, as `[property, value]` pairs. */
export type Declarations = [property: string, value: string][];

const KEYWORD = /^[a-z]+$/;
const HEX = /^#(?:[0-9a-f]{3,4}|[0-9a-f]{6}|[0-9a-f]{8})$/;
/** rgb()/rgba()/hsl()/hsla() with plain numbers, percentages and degrees only. */
const COLOR_FN = /^(?:rgba?|hsla?)\(\s*[\d.]+(?:%|deg)?(?:\s*[,/]?\s*[\d.]+%?){2,3}\s*\)$/;
/** Keywords that are not colours but would pass the keyword shape. */
const NOT_COLORS = new Set(["inherit", "initial", "unset", "revert", "expression", "url"]);

function isColor(v: string): boolean {
  return (KEYWORD.test(v) && !NOT_COLORS.has(v)) || HEX.test(v) || COLOR_FN.test(v);
}

/** A length no larger than `maxPx` pixels (em/rem/ch count as 10 px each); `0` is fine; no negatives. */
function isSmallLength(v: string, maxPx: number, percent = false): boolean {
  if (v === "0") return true;
  const m = /^(\d+(?:\.\d+)?)(px|em|rem|ch|%)$/.exec(v);
  if (m === null) return false;
  const n = Number(m[1]);
  if (m[2] === "%") return percent && n <= 50;
  return (m[2] === "px" ? n : n * 10) <= maxPx;
}

/** One to four space-separated values, each passing `one`. */
const upToFour = (one: (v: string) => boolean) => (v: string) => {
  const parts = v.split(/\s+/);
  return parts.length <= 4 && parts.every(one);
};

const DECORATION_WORDS = new Set([
  "none",
  "underline",
  "overline",
  "line-through",
  "solid",
  "double",
  "dotted",
  "dashed",
  "wavy",
]);

/** The allowed properties and what each accepts. */
const ALLOWED = new Map<string, (v: string) => boolean>([
  ["color", isColor],
  ["background-color", isColor],
  // `background` only as a colour: its other forms can load images.
  ["background", isColor],
  ["font-weight", (v) => /^(?:normal|bold|bolder|lighter|[1-9]00)$/.test(v)],
  ["font-style", (v) => /^(?:normal|italic|oblique)$/.test(v)],
  ["text-decoration", (v) => v.split(/\s+/).every((w) => DECORATION_WORDS.has(w) || isColor(w))],
  ["text-decoration-line", (v) => v.split(/\s+/).every((w) => DECORATION_WORDS.has(w))],
  ["text-decoration-color", isColor],
  ["padding", upToFour((v) => isSmallLength(v, 20))],
  ["margin", upToFour((v) => isSmallLength(v, 20))],
  ["border-radius", upToFour((v) => isSmallLength(v, 20, true))],
]);
for (const side of ["top", "right", "bottom", "left"]) {
  ALLOWED.set(`padding-${side}`, (v) => isSmallLength(v, 20));
  ALLOWED.set(`margin-${side}`, (v) => isSmallLength(v, 20));
}

/** At most this many characters of CSS are read, and this many declarations kept. */
const MAX_CSS = 512;
const MAX_DECLARATIONS = 16;

/**
 * The safe declarations in `css` (a `%c` argument), in order; everything else
 * is dropped. Comments, escapes, quotes, `!important` and at-rules make the
 * declaration they are in unusable.
 */
export function safeDeclarations(css: string): Declarations {
  const out: Declarations = [];
  if (typeof css !== "string") return out;
  for (const declaration of css.slice(0, MAX_CSS).split(";")) {
    const colon = declaration.indexOf(":");
    if (colon < 0) continue;
    const property = declaration.slice(0, colon).trim().toLowerCase();
    const value = declaration
      .slice(colon + 1)
      .trim()
      .toLowerCase();
    // Anything that could hide a second declaration or a function call from the shapes below.
    if (value === "" || /[\\"'`@<>{}]|\/\*|!/.test(value)) continue;
    const accepts = ALLOWED.get(property);
    if (accepts === undefined || !accepts(value)) continue;
    out.push([property, value]);
    if (out.length === MAX_DECLARATIONS) break;
  }
  return out;
}
