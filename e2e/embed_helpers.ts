/** What every embed spec does: open the docs demo (apps/docs, served from @islet/embed's standalone build), find blocks, run them. */
import { expect, type Locator, type Page } from "@playwright/test";

/** DOCS_URL points the specs at any server holding apps/docs/dist (e.g. on a sub-path). */
export const DOCS = process.env.DOCS_URL ?? `http://127.0.0.1:${process.env.ISLET_DOCS_PORT ?? 4175}/`;

/** Opens the docs demo; the returned list collects every error in the page's own console. */
export async function openDocs(page: Page, url = DOCS): Promise<string[]> {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`console.error: ${m.text()}`);
  });
  await page.goto(url);
  await page.waitForFunction(
    () => customElements.get("islet-run") !== undefined && document.querySelector("pre") === null,
  );
  return errors;
}

/** The block with this accessible name (`aria-label` on the element or its source `pre`). */
export const block = (page: Page, label: string): Locator => page.locator(`islet-run[aria-label="${label}"]`);

/** The text of a block's output panel, console rows only (no status notes). */
export const outputRows = (b: Locator): Locator => b.locator(".output .row");

/** The detail of the block's next `islet-result` event (listen before starting the run). */
export function nextResult(b: Locator): Promise<{ result: { ok: boolean; reason?: string }; stopped: boolean }> {
  return b.evaluate(
    (el) =>
      new Promise((resolve) =>
        el.addEventListener("islet-result", (e) => resolve((e as CustomEvent).detail), { once: true }),
      ),
  );
}

/** Clicks Run and waits until the run has ended (its `islet-result` event). */
export async function run(b: Locator): Promise<{ result: { ok: boolean; reason?: string }; stopped: boolean }> {
  const done = nextResult(b);
  await b.locator("button.run").click();
  const detail = await done;
  await expect(b).not.toHaveAttribute("running");
  return detail;
}
