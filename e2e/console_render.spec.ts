/**
 * The one console renderer (`@islet/embed/console`) drawing structured values
 * in the playground's console and in an `<islet-run>` block: promise state,
 * `%c` styling (a safe subset of CSS only), `console.table` as a table.
 * Screenshots in light and dark (PLAYGROUND_SHOTS / EMBED_SHOTS) for a person
 * to look at.
 */
import { expect, type Locator, type Page, test } from "@playwright/test";
import { openDocs } from "./embed_helpers.ts";
import { open, SHOTS, setCode } from "./playground_helpers.ts";

test.describe.configure({ timeout: 60_000 });
const EMBED_SHOTS = process.env.EMBED_SHOTS ?? "test-results/embed-shots";

const PROMISES = `const rejected = Promise.reject(new Error("boom"));
rejected.catch(() => {});
console.log(Promise.resolve(42));
console.log(new Promise(() => {}));
console.log(rejected);
console.log({ p: Promise.resolve({ a: 1 }) });`;

/** The rendered text a user reads (hidden parts excluded). */
// biome-ignore lint/performance/useDomNodeTextContent: the rendered text (hidden preview excluded) is what the user reads
const shown = (l: Locator) => l.innerText();

/** Runs `code` in an `<islet-run>` added to the docs demo; returns the block. */
async function embedBlock(page: Page, code: string, theme?: "dark"): Promise<Locator> {
  await page.evaluate(
    async ({ code, theme }) => {
      const el = document.createElement("islet-run") as HTMLElement & { run(): Promise<unknown> };
      el.id = "console-render";
      if (theme) el.setAttribute("theme", theme);
      el.textContent = code;
      document.querySelector("main")!.prepend(el);
      await el.run();
    },
    { code, theme },
  );
  return page.locator("islet-run#console-render");
}

async function expectPromiseRows(rows: Locator): Promise<void> {
  await expect(rows).toHaveCount(4);
  await expect.poll(() => shown(rows.nth(0))).toBe("Promise { 42 }");
  await expect.poll(() => shown(rows.nth(1))).toBe("Promise { <pending> }");
  // A rejection with an error starts open: its state, then the error (closed, one line).
  const rejected = rows.nth(2);
  await expect(rejected.locator("details.obj").first()).toHaveAttribute("open", "");
  await expect
    .poll(() => shown(rejected))
    .toMatch(/^Promise\n\[\[PromiseState\]\]: rejected\n\[\[PromiseResult\]\]: Error: boom/);
  // Nested (closed): the preview names the result; opened, its state and result expand.
  const nested = rows.nth(3);
  await expect.poll(() => shown(nested)).toBe("Object\np: Promise { {…} }");
  await nested.locator("summary", { hasText: "p: Promise" }).first().click();
  await expect(nested.locator(".obj-line", { hasText: "[[PromiseState]]" })).toHaveText("[[PromiseState]]: fulfilled");
  await expect
    .poll(() => shown(nested.locator("summary", { hasText: "[[PromiseResult]]" })))
    .toBe("[[PromiseResult]]: { a: 1 }");
}

test.describe("playground console", () => {
  for (const scheme of ["light", "dark"] as const) {
    test(`promises show their state (${scheme})`, async ({ page }) => {
      await page.emulateMedia({ colorScheme: scheme });
      const errors = await open(page);
      await setCode(page, PROMISES);
      await page.getByRole("button", { name: "▶ Run" }).click();
      const rows = page.locator(".console-list .row.level-log");
      await expectPromiseRows(rows);
      await page.locator(".console").screenshot({ path: `${SHOTS}/console-promise-${scheme}.png` });
      expect(errors).toEqual([]);
    });
  }
});

test.describe("<islet-run> output", () => {
  for (const scheme of ["light", "dark"] as const) {
    test(`promises show their state (${scheme})`, async ({ page }) => {
      await page.emulateMedia({ colorScheme: scheme });
      await page.setViewportSize({ width: 1000, height: 900 });
      const errors = await openDocs(page);
      const b = await embedBlock(page, PROMISES, scheme === "dark" ? "dark" : undefined);
      await expectPromiseRows(b.locator(".output .row"));
      await b.screenshot({ path: `${EMBED_SHOTS}/console-promise-${scheme}.png` });
      expect(errors).toEqual([]);
    });
  }
});
