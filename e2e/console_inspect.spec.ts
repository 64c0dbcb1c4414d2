/**
 * Values nested deeper than the console's preview open on demand: the shared
 * renderer (`@islet/embed/console`) draws a cut-off container as a closed
 * disclosure that asks the sandbox for its entries (`sandbox.inspect`) when
 * opened — "…" while they come, "value no longer available" once the
 * sandbox let the value go (the run was stopped, the block ran again).
 * In the playground's console and in an `<islet-run>` block; screenshots in
 * PLAYGROUND_SHOTS / EMBED_SHOTS for a person to look at.
 */
import { expect, type Locator, type Page, test } from "@playwright/test";
import { openDocs } from "./embed_helpers.ts";
import { open, SHOTS, setCode } from "./playground_helpers.ts";

test.describe.configure({ timeout: 90_000 });
const EMBED_SHOTS = process.env.EMBED_SHOTS ?? "test-results/embed-shots";

/** 16 levels (deeper than the preview's 6), a leaf at the bottom; then `tail` runs. */
const deep = (tail = "") => `let node: any = { leaf: "bottom" };
for (let depth = 15; depth >= 1; depth--) node = { depth, child: node };
console.log(node);
${tail}`;

/**
 * Opens the row's value level by level, as a user would: each time the first
 * closed disclosure; true once the leaf is shown. The ones the preview cut off
 * ask the sandbox; returns how many did.
 */
/** An entry line of an open value, by its exact text. */
const line = (row: Locator, text: string) => row.locator(".obj-line").getByText(text, { exact: true });

async function openToLeaf(row: Locator): Promise<number> {
  for (let i = 0; i < 40; i++) {
    if (await line(row, "leaf: 'bottom'").isVisible()) break;
    const closed = row.locator("details.obj:not([open]) > summary").first();
    await closed.click();
    // A cut-off one shows its entries once the sandbox answered.
    await expect(row.locator("details.obj[aria-busy]")).toHaveCount(0);
  }
  await expect(line(row, "leaf: 'bottom'")).toBeVisible();
  return row.locator("details.obj.fetched").count();
}

async function runCode(page: Page, code: string): Promise<void> {
  await setCode(page, code);
  await page.getByRole("button", { name: "▶ Run" }).click();
}

test.describe("playground console", () => {
  test("a value deeper than the preview opens level by level, fetched from the sandbox", async ({ page }) => {
    const errors = await open(page);
    await runCode(page, deep());
    const row = page.locator(".console-list .row.level-log").first();
    await expect(row).toContainText("depth: 1");
    // The preview stops at its depth: a closed disclosure, not an inert [Object].
    const fetched = await openToLeaf(row);
    expect(fetched).toBe(2);
    await expect(line(row, "depth: 15")).toBeVisible();
    await expect(row.locator(".obj-line.unavailable")).toHaveCount(0);
    await page.locator(".console").screenshot({ path: `${SHOTS}/console-inspect-deep.png` });
    expect(errors).toEqual([]);
  });

  test("opening while the run still goes shows … until the sandbox answers", async ({ page }) => {
    const errors = await open(page);
    await runCode(page, deep("await new Promise((r) => setTimeout(r, 12000));"));
    const row = page.locator(".console-list .row.level-log").first();
    await expect(row).toContainText("depth: 1");
    // Open down to the preview's cut (6 levels), then the cut-off one: it waits for the run.
    for (let i = 0; i < 6; i++) await row.locator("details.obj:not([open]) > summary").first().click();
    await expect(row.locator(".obj-line.loading")).toHaveText("…");
    await page.locator(".console").screenshot({ path: `${SHOTS}/console-inspect-loading.png` });
    await expect(row.locator(".obj-line.loading")).toHaveCount(0, { timeout: 30_000 });
    await expect(line(row, "depth: 7")).toBeVisible();
    await expect(page.locator("#status-state")).toHaveText("idle");
    expect(errors).toEqual([]);
  });

  test("a value the log's budget cut short reads the rest on a click of … more", async ({ page }) => {
    const errors = await open(page);
    await runCode(
      page,
      `const big: Record<string, number> = {}; for (let i = 0; i < 3000; i++) big["k" + i] = i;
console.log(big, { small: { a: 1 } });`,
    );
    const row = page.locator(".console-list .row.level-log").first();
    // The first value used the log's whole budget: its "… more" is text; the second's is a button.
    const more = row.locator("button.obj-more");
    await expect(more).toHaveCount(1);
    await expect(more).toHaveText("… 1 more");
    await more.click();
    await expect(row.locator("summary", { hasText: "small:" })).toBeVisible();
    await expect(row.locator("button.obj-more")).toHaveCount(0);
    await row.locator("summary", { hasText: "small:" }).scrollIntoViewIfNeeded();
    await page.locator(".console").screenshot({ path: `${SHOTS}/console-inspect-more.png` });
    expect(errors).toEqual([]);
  });

  test("after Stop, a value of the stopped run is no longer available", async ({ page }) => {
    const errors = await open(page);
    await runCode(page, deep("await new Promise(() => setInterval(() => {}, 1000));"));
    const row = page.locator(".console-list .row.level-log").first();
    await expect(row).toContainText("depth: 1");
    await page.getByRole("button", { name: "■ Stop" }).click();
    await expect(page.locator(".console-list")).toContainText("Stopped");
    for (let i = 0; i < 6; i++) await row.locator("details.obj:not([open]) > summary").first().click();
    await expect(row.locator(".obj-line.unavailable")).toHaveText("value no longer available");
    await page.locator(".console").screenshot({ path: `${SHOTS}/console-inspect-stale.png` });
    expect(errors).toEqual([]);
  });
});

test.describe("<islet-run> output", () => {
  test("a value deeper than the preview opens level by level, again after the block runs again", async ({ page }) => {
    await page.setViewportSize({ width: 1000, height: 900 });
    const errors = await openDocs(page);
    await page.evaluate(async (code) => {
      const el = document.createElement("islet-run") as HTMLElement & { run(): Promise<unknown> };
      el.id = "inspect";
      el.setAttribute("lang", "ts");
      el.textContent = code;
      document.querySelector("main")!.prepend(el);
      await el.run();
    }, deep());
    const block = page.locator("islet-run#inspect");
    const row = block.locator(".output .row").first();
    expect(await openToLeaf(row)).toBe(2);
    await block.screenshot({ path: `${EMBED_SHOTS}/console-inspect-deep.png` });
    // Run again (the pooled sandbox runs fresh, letting the first run's values go): the new output opens too.
    await page.evaluate(async () => {
      const el = document.querySelector("islet-run#inspect") as HTMLElement & { run(): Promise<unknown> };
      await el.run();
    });
    const again = block.locator(".output .row").first();
    expect(await openToLeaf(again)).toBe(2);
    expect(errors).toEqual([]);
  });
});
