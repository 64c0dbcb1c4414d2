/**
 * `@islet/embed`: defines `<islet-run>` on import. With the standalone build, one
 * tag does it; `data-auto` also turns `pre > code.language-js|javascript|ts|typescript`
 * blocks into runnable ones:
 *
 *   <script type="module" src="/islet/embed.js" data-auto></script>
 *
 * Only this definition loads up front; the sandbox and the editor load on use.
 */
import { configure } from "./config.ts";
import { IsletRun } from "./element.ts";

export { configure, type EmbedOptions, registerHost } from "./config.ts";
export { DEFAULT_TIMEOUT_MS, type IsletResultDetail, IsletRun, type IsletRunDetail } from "./element.ts";

const LANGS: Record<string, string> = { js: "js", javascript: "js", ts: "ts", typescript: "ts" };
const SELECTOR = Object.keys(LANGS)
  .map((l) => `pre > code.language-${l}`)
  .join(", ");
/** `data-islet-*` attributes of a `pre` that become the block's attributes (`data-islet-timeout="1000"`). */
const FORWARDED = ["net", "timeout", "memory", "host", "autorun", "readonly", "theme"];

/**
 * Replaces each `pre > code.language-js|javascript|ts|typescript` under `root`
 * with an `<islet-run>` holding the same code; a `pre` with `data-islet="off"`
 * is left alone. Returns the new elements.
 */
export function upgradeCodeBlocks(root: ParentNode = document): IsletRun[] {
  const made: IsletRun[] = [];
  for (const code of root.querySelectorAll<HTMLElement>(SELECTOR)) {
    const pre = code.parentElement!;
    if (pre.dataset.islet === "off" || pre.closest("islet-run")) continue;
    const lang = [...code.classList].map((c) => LANGS[c.replace(/^language-/, "")]).find(Boolean) ?? "js";
    const block = document.createElement("islet-run") as IsletRun;
    block.setAttribute("lang", lang);
    for (const name of FORWARDED) {
      const value = pre.getAttribute(`data-islet-${name}`);
      if (value !== null) block.setAttribute(name, value);
    }
    const label = pre.getAttribute("data-islet-label") ?? pre.getAttribute("aria-label") ?? pre.title;
    if (label) block.setAttribute("aria-label", label);
    const script = document.createElement("script");
    script.type = "text/islet-code";
    script.textContent = code.textContent ?? "";
    block.append(script);
    pre.replaceWith(block);
    made.push(block);
  }
  return made;
}

// The one-tag setup: the <script> that loaded this module may say data-prewarm="off" (read
// before the element is defined, so no block starts a prewarm) and data-auto (upgrade pre > code).
const tag =
  typeof document === "undefined"
    ? undefined
    : [...document.querySelectorAll<HTMLScriptElement>("script[type=module][src]")].find(
        (s) => s.src === import.meta.url,
      );
if (tag?.dataset.prewarm === "off") configure({ prewarm: false });

if (typeof customElements !== "undefined" && customElements.get("islet-run") === undefined)
  customElements.define("islet-run", IsletRun);

if (tag?.hasAttribute("data-auto")) {
  if (document.readyState === "loading")
    document.addEventListener("DOMContentLoaded", () => upgradeCodeBlocks(), { once: true });
  else upgradeCodeBlocks();
}
