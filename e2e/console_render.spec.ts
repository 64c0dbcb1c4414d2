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

const STYLED = `console.log("%cred %cbold%c plain", "color: red", "font-weight: bold; background: url(https://evil.example/x.png)", "");
console.log("%ccover the page", "position: fixed; top: 0; left: 0; width: 100vw; height: 100vh; background: red; font-size: 400px; z-index: 9; display: block");
console.log("%cbadge", "background-color: #0a7; color: white; padding: 2px 6px; border-radius: 4px; margin: -50px");`;

const TABLE = `console.table([{ name: "Ada", born: 1815, langs: ["Analytical Engine"] }, { name: "Grace", born: 1906, tags: { navy: true, rank: "Rear Admiral", cobol: 1959 } }, 42]);
console.table(new Map([["x", { a: 1 }], ["y", 2]]));
console.table([{ a: 1, b: 2 }], ["b"]);`;

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

/** Styles of each styled span in a row, as computed. */
const spanStyles = (row: Locator) =>
  row.locator("span.styled").evaluateAll((spans) =>
    spans.map((s) => {
      const c = getComputedStyle(s);
      return {
        text: s.textContent,
        color: c.color,
        fontWeight: c.fontWeight,
        backgroundImage: c.backgroundImage,
        backgroundColor: c.backgroundColor,
        position: c.position,
        fontSize: c.fontSize,
        marginTop: c.marginTop,
        borderRadius: c.borderTopLeftRadius,
      };
    }),
  );

async function expectStyledRows(page: Page, rows: Locator, requests: string[]): Promise<void> {
  await expect(rows).toHaveCount(3);
  await expect.poll(() => shown(rows.nth(0))).toBe("red bold plain");
  const first = await spanStyles(rows.nth(0));
  expect(first.map((s) => [s.text, s.color, s.fontWeight])).toEqual([
    ["red ", "rgb(255, 0, 0)", expect.anything()],
    ["bold", expect.anything(), "700"],
  ]);
  // url() is dropped: no image, and the page never asked for it.
  expect(first[1]!.backgroundImage).toBe("none");
  // Of the page-covering CSS only the colour stays: no position, size, z-index or display.
  const cover = await spanStyles(rows.nth(1));
  expect(cover).toEqual([
    expect.objectContaining({ text: "cover the page", backgroundColor: "rgb(255, 0, 0)", position: "static" }),
  ]);
  const rowFont = await rows.nth(1).evaluate((r) => getComputedStyle(r).fontSize);
  expect(cover[0]!.fontSize).toBe(rowFont);
  const box = await rows.nth(1).boundingBox();
  expect(box!.height).toBeLessThan(40);
  const badge = await spanStyles(rows.nth(2));
  expect(badge).toEqual([
    expect.objectContaining({
      text: "badge",
      color: "rgb(255, 255, 255)",
      backgroundColor: "rgb(0, 170, 119)",
      borderRadius: "4px",
      marginTop: "0px",
    }),
  ]);
  expect(requests.filter((u) => u.includes("evil.example"))).toEqual([]);
  // The row is still where it was: nothing covers the page.
  const hit = await page.evaluate(() => document.elementFromPoint(5, 5)?.tagName);
  expect(hit).not.toBe("SPAN");
}

async function expectTables(rows: Locator): Promise<void> {
  await expect(rows).toHaveCount(3);
  const table = rows.nth(0).locator("table");
  await expect(table.locator("thead th")).toHaveText(["(index)", "name", "born", "langs", "tags", "Values"]);
  await expect(table.locator("tbody tr")).toHaveCount(3);
  await expect(table.locator("tbody tr").nth(0).locator("th, td")).toHaveText([
    "0",
    "'Ada'",
    "1815",
    /\[ 'Analytical Engine' \]/,
    "",
    "",
  ]);
  await expect(table.locator("tbody tr").nth(2).locator("td").last()).toHaveText("42");
  // A nested object in a cell expands.
  const tags = table.locator("tbody tr").nth(1).locator("td").nth(3);
  await tags.locator("summary").first().click();
  await expect(tags).toContainText("rank: 'Rear Admiral'");
  await expect(rows.nth(1).locator("thead th")).toHaveText(["(iteration index)", "Key", "Values"]);
  await expect(rows.nth(1).locator("tbody tr").nth(0).locator("th, td")).toHaveText(["0", "'x'", /\{ a: 1 \}/]);
  await expect(rows.nth(2).locator("thead th")).toHaveText(["(index)", "b"]);
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

    test(`%c applies safe CSS only, and console.table is a table (${scheme})`, async ({ page }) => {
      await page.emulateMedia({ colorScheme: scheme });
      const requests: string[] = [];
      page.on("request", (r) => requests.push(r.url()));
      const errors = await open(page);
      await setCode(page, STYLED);
      await page.getByRole("button", { name: "▶ Run" }).click();
      await expectStyledRows(page, page.locator(".console-list .row.level-log"), requests);
      await page.locator(".console").screenshot({ path: `${SHOTS}/console-styled-${scheme}.png` });
      await setCode(page, TABLE);
      await page.getByRole("button", { name: "▶ Run" }).click();
      await expectTables(page.locator(".console-list .row.level-log"));
      await page.locator(".console").screenshot({ path: `${SHOTS}/console-table-${scheme}.png` });
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

    test(`%c applies safe CSS only, and console.table is a table (${scheme})`, async ({ page }) => {
      await page.emulateMedia({ colorScheme: scheme });
      await page.setViewportSize({ width: 1000, height: 900 });
      const requests: string[] = [];
      page.on("request", (r) => requests.push(r.url()));
      const errors = await openDocs(page);
      const styled = await embedBlock(page, STYLED, scheme === "dark" ? "dark" : undefined);
      await expectStyledRows(page, styled.locator(".output .row"), requests);
      await styled.screenshot({ path: `${EMBED_SHOTS}/console-styled-${scheme}.png` });
      await styled.evaluate((el) => el.remove());
      const table = await embedBlock(page, TABLE, scheme === "dark" ? "dark" : undefined);
      await expectTables(table.locator(".output .row"));
      await table.screenshot({ path: `${EMBED_SHOTS}/console-table-${scheme}.png` });
      expect(errors).toEqual([]);
    });
  }
});
