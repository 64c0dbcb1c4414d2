// Issue 14: <islet-run> used with the keyboard only, and editing that starts without
// moving anything (docs demo, standalone build, Chromium).
import { expect, type Page, test } from "@playwright/test";
import { block, DOCS, openDocs, outputRows } from "./embed_helpers.ts";

/** Counts `islet-result` events on the page (they bubble out of the shadow root). */
async function countResults(page: Page): Promise<() => Promise<number>> {
  await page.evaluate(() => {
    const w = window as unknown as { results: number };
    w.results = 0;
    document.addEventListener("islet-result", () => w.results++);
  });
  return () => page.evaluate(() => (window as unknown as { results: number }).results);
}

/** What has focus, seen through shadow roots: "<host label> › <class of the focused element>". */
function focused(page: Page): Promise<string> {
  return page.evaluate(() => {
    let el: Element | null = document.activeElement;
    let host = "";
    while (el?.shadowRoot?.activeElement) {
      host = el.getAttribute("aria-label") ?? el.tagName;
      el = el.shadowRoot.activeElement;
    }
    return `${host} › ${el?.className ?? ""}`;
  });
}

test("keyboard only: reach a block, edit it, run it, stop nothing, reset it", async ({ page }) => {
  await openDocs(page);
  const results = await countResults(page);
  const hello = block(page, "Hello");
  // Tab from the top of the page to the first block's code.
  for (let i = 0; i < 40 && !(await focused(page)).startsWith("Hello › static"); i++) await page.keyboard.press("Tab");
  expect(await focused(page)).toBe("Hello › static");
  // Enter starts editing (CodeMirror takes focus); typing edits; Ctrl+Enter runs.
  await page.keyboard.press("Enter");
  await expect(hello.locator(".cm-content")).toBeFocused();
  await page.keyboard.press("ControlOrMeta+End");
  await page.keyboard.type('\nconsole.log("typed");');
  await page.keyboard.press("ControlOrMeta+Enter");
  await expect.poll(results).toBe(1);
  await expect(outputRows(hello)).toHaveText(["Hello from a sandbox!", "3 is number", "typed"]);
  // Announced once, as a summary.
  await expect(hello.locator("[role=status]")).toHaveText("Run finished: 3 lines of output.");
  // Tab leaves the editor (it never traps focus): Run, then (Stop is disabled) Reset.
  await page.keyboard.press("Tab");
  expect(await focused(page)).toBe("Hello › run");
  await page.keyboard.press("Enter");
  await expect.poll(results).toBe(2);
  expect(await focused(page)).toBe("Hello › run");
  await page.keyboard.press("Tab");
  expect(await focused(page)).toBe("Hello › reset");
  await page.keyboard.press("Enter");
  await expect(hello.locator(".cm-content")).toHaveText(
    'console.log("Hello from a sandbox!");console.log(1 + 2, "is", typeof (1 + 2));',
  );
  await expect(hello.locator(".output")).toBeHidden();
});

test("each button has a name that says what it does to which block", async ({ page }) => {
  await openDocs(page);
  const names = await page
    .locator("islet-run")
    .first()
    .getByRole("button")
    .evaluateAll((bs) => bs.map((b) => b.getAttribute("aria-label")));
  expect(names).toEqual(["Run Hello", "Stop Hello", "Reset Hello to its original code"]);
  // A block without a label gets a numbered one; a read-only block says so.
  await expect(block(page, "Read-only, dark").locator(".static")).toHaveAttribute(
    "aria-label",
    "Read-only, dark, read-only code",
  );
});

test("a run is announced once, when it ends, not per line of output", async ({ page }) => {
  await openDocs(page);
  const b = block(page, "setInterval");
  await b.scrollIntoViewIfNeeded();
  await b.evaluate((el) => {
    const status = el.shadowRoot!.querySelector("[role=status]")!;
    const w = window as unknown as { announced: string[] };
    w.announced = [];
    new MutationObserver(() => {
      if (status.textContent) w.announced.push(status.textContent);
    }).observe(status, { childList: true, characterData: true, subtree: true });
  });
  const results = await countResults(page);
  await b.locator("button.run").click();
  await expect.poll(results).toBe(1);
  await expect(outputRows(b)).toHaveCount(3);
  await expect
    .poll(() => page.evaluate(() => (window as unknown as { announced: string[] }).announced))
    .toEqual(["Run finished: 3 lines of output."]);
});

test("starting to edit swaps in the editor without moving anything", async ({ page }) => {
  await page.addInitScript(() => {
    const w = window as unknown as { shifts: number[] };
    w.shifts = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries() as (PerformanceEntry & { value: number; hadRecentInput: boolean })[])
        w.shifts.push(e.value);
    }).observe({ type: "layout-shift", buffered: false });
  });
  await openDocs(page, DOCS);
  for (const label of ["Values", "TypeScript interfaces"]) {
    const b = block(page, label);
    await b.scrollIntoViewIfNeeded();
    const before = await b.boundingBox();
    const firstLine = await b.locator(".static .line").first().boundingBox();
    await b.locator(".static .line").first().click();
    await expect(b.locator(".cm-content")).toBeFocused();
    const after = await b.boundingBox();
    const editorLine = await b.locator(".cm-line").first().boundingBox();
    expect(after!.height).toBeCloseTo(before!.height, 0);
    expect(editorLine!.y).toBeCloseTo(firstLine!.y, 0);
    expect(editorLine!.x).toBeCloseTo(firstLine!.x, 0);
  }
  const shifts = await page.evaluate(() => (window as unknown as { shifts: number[] }).shifts);
  expect(shifts.reduce((a, b) => a + b, 0)).toBeLessThan(0.001);
});
