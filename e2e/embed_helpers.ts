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

type ResultDetail = { result: { ok: boolean; reason?: string }; stopped: boolean };
type Counted = HTMLElement & { resultsSeen?: { n: number; last?: ResultDetail } };

/** How many `islet-result` events the block has sent since this was first asked, and the last one's detail. */
function resultsSeen(b: Locator): Promise<{ n: number; last?: ResultDetail }> {
  return b.evaluate((el: Counted) => {
    if (el.resultsSeen === undefined) {
      const seen: { n: number; last?: ResultDetail } = { n: 0 };
      el.resultsSeen = seen;
      el.addEventListener("islet-result", (e) => {
        seen.n++;
        seen.last = (e as CustomEvent).detail;
      });
    }
    return el.resultsSeen;
  });
}

/** Clicks Run and waits until the run has ended (its `islet-result` event); returns that event's detail. */
export async function run(b: Locator): Promise<ResultDetail> {
  const before = (await resultsSeen(b)).n;
  await b.locator("button.run").click();
  await expect.poll(async () => (await resultsSeen(b)).n, { timeout: 20_000 }).toBe(before + 1);
  await expect(b).not.toHaveAttribute("running");
  return (await resultsSeen(b)).last!;
}
