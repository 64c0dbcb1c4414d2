/**
 * Playground v2, as a newcomer notices it: work is never lost, the console
 * reads like DevTools, npm packages have a way in, and the small things
 * (welcome hint, limits checked as typed, phone layout, a quiet live region).
 */
import { expect, type Page, test } from "@playwright/test";
import { open, PLAYGROUND, SHOTS, setCode } from "./playground_helpers.ts";

test.describe.configure({ timeout: 60_000 });

const run = (page: Page) => page.getByRole("button", { name: "▶ Run" }).click();
const consoleList = (page: Page) => page.locator(".console-list");

test.describe("work is never lost", () => {
  test("edits made after opening a shared link survive a reload", async ({ page }) => {
    const errors = await open(page);
    await setCode(page, 'console.log("shared version");');
    await page.getByRole("button", { name: "Share" }).click();
    await expect(page).toHaveURL(/#v2\//);
    await page.goto("about:blank");
    await page.goto(page.url() === "about:blank" ? PLAYGROUND : page.url());
    await open(page, `${PLAYGROUND}${new URL(await page.url()).hash}`);
    await setCode(page, 'console.log("my edit");');
    await page.waitForTimeout(600);
    await page.reload();
    await expect(page.locator(".cm-content")).toHaveText('console.log("my edit");');
    expect(errors).toEqual([]);
  });

  test("choosing an example can be undone", async ({ page }) => {
    const errors = await open(page);
    await setCode(page, 'console.log("precious work");');
    await page.locator("#examples").selectOption("timers");
    await expect(page.locator(".cm-content")).toContainText("sleep");
    await expect(page.locator("#toast")).toContainText("Loaded example: Timers and promises");
    await page.screenshot({ path: `${SHOTS}/v2-example-undo.png` });
    await page.locator("#toast").getByRole("button", { name: "Undo" }).click();
    await expect(page.locator(".cm-content")).toHaveText('console.log("precious work");');
    // ...and the restored code is what a reload brings back.
    await page.waitForTimeout(500);
    await page.reload();
    await expect(page.locator(".cm-content")).toHaveText('console.log("precious work");');
    expect(errors).toEqual([]);
  });

  test("after + typing goes into the new file, and a deleted file can be restored", async ({ page }) => {
    const errors = await open(page);
    await page.getByRole("button", { name: "Add file" }).click();
    await page.locator("#name-input").fill("util.ts");
    await page.keyboard.press("Enter");
    await expect(page.getByRole("tab", { name: "util.ts" })).toHaveAttribute("aria-selected", "true");
    await page.keyboard.type("export const answer = 42;");
    await expect(page.locator(".cm-content")).toHaveText("export const answer = 42;");

    await page.getByRole("button", { name: "Delete util.ts" }).click();
    await expect(page.getByRole("tab", { name: "util.ts" })).toHaveCount(0);
    await expect(page.locator("#toast")).toContainText("Deleted util.ts");
    await page.locator("#toast").getByRole("button", { name: "Undo" }).click();
    await expect(page.getByRole("tab", { name: "util.ts" })).toHaveAttribute("aria-selected", "true");
    await expect(page.locator(".cm-content")).toHaveText("export const answer = 42;");
    // Its edit history came back with it.
    await page.locator(".cm-content").click();
    await page.keyboard.press("ControlOrMeta+z");
    await expect(page.locator(".cm-content")).not.toHaveText("export const answer = 42;");
    expect(errors).toEqual([]);
  });

  test("a share link carries the import map and the settings", async ({ page, context }) => {
    const errors = await open(page);
    await page.getByRole("button", { name: "Settings" }).click();
    await page.locator("#package-name").fill("left-pad");
    await page.locator("#package-form").getByRole("button", { name: "Add" }).click();
    await page.locator("#limit-cpu").fill("2500");
    await page.locator("#limit-cpu").blur();
    await page.locator("#allowlist").fill("esm.sh");
    await page.locator("#allowlist").blur();
    await page.getByRole("button", { name: "Share" }).click();
    const link = page.url();

    const other = await context.newPage();
    await other.addInitScript(() => localStorage.clear());
    const otherErrors = await open(other, link);
    await other.getByRole("button", { name: "Settings" }).click();
    await expect(other.locator("#limit-cpu")).toHaveValue("2500");
    await expect(other.locator("#allowlist")).toHaveValue("esm.sh");
    await expect(other.locator("#import-map")).toHaveValue(/"left-pad": "https:\/\/esm\.sh\/left-pad"/);
    expect(errors).toEqual([]);
    expect(otherErrors).toEqual([]);
  });
});

test.describe("console", () => {
  test("an object shows its first line once, expands past the text form's [Object], and long arrays are compact", async ({
    page,
  }) => {
    const errors = await open(page);
    const obj = `{ name: "deep", list: Array.from({ length: 150 }, (_, i) => i), inner: { a: { b: { c: { d: "bottom" } } }, text: "x".repeat(60) } }`;
    await setCode(page, `console.log(${obj});`);
    await run(page);
    const row = page.locator(".row.level-log").first();
    await expect(row).toContainText("name:");
    const top = row.locator("details.obj").first();
    const summary = top.locator("> summary");
    // Open: the head alone; closed: the head and a one-line preview. Never both the preview and the entries.
    // biome-ignore lint/performance/useDomNodeTextContent: the rendered text (hidden preview excluded) is what the user reads
    await expect.poll(() => summary.innerText()).toBe("Object");
    await summary.click();
    // biome-ignore lint/performance/useDomNodeTextContent: as above
    await expect.poll(() => summary.innerText()).toMatch(/^Object \{ name: 'deep', list: \[…\], inner: \{…\} \}$/);
    await summary.click();
    // 150 numbers laid out in columns, not one per line (the first 100, then "… 50 more").
    const key = (name: string) => page.locator(".key", { hasText: new RegExp(`^${name}: $`) });
    const child = (scope: typeof row, name: string) =>
      scope.locator(":scope > .obj-body > details.obj", { has: page.locator(":scope > summary", { has: key(name) }) });
    await child(top, "list").locator(":scope > summary").click();
    const list = row.locator(".obj-body.compact").first();
    await expect(list).toBeVisible();
    await expect(list.locator(".more")).toHaveText("… 50 more");
    const box = await list.boundingBox();
    expect(box!.height).toBeLessThan(150 * 10);
    // The text form stops at inner.a.b: [Object]; the values expand down to c.d.
    let scope = top;
    for (const name of ["inner", "a", "b", "c"]) {
      const details = child(scope, name);
      await details.locator(":scope > summary").click();
      scope = details;
    }
    const d = scope.locator(":scope > .obj-body > .obj-line", { has: key("d") });
    await expect(d).toHaveText("d: 'bottom'");
    await expect(d).toBeVisible();
    await expect(row).not.toContainText("[Object]");
    await page.screenshot({ path: `${SHOTS}/v2-console.png` });
    expect(errors).toEqual([]);
  });

  test("an empty console welcomes the newcomer", async ({ page }) => {
    const errors = await open(page);
    await expect(page.locator(".console-welcome")).toContainText("Press ▶ Run");
    await run(page);
    await expect(consoleList(page)).toContainText("Hello from Islet!");
    await expect(page.locator(".console-welcome")).toBeHidden();
    expect(errors).toEqual([]);
  });
});

test.describe("npm packages", () => {
  test("an unmapped bare import says how to fix it, and one click maps it to a CDN", async ({ page }) => {
    const errors = await open(page);
    // The CDN is played by a route: the same module text a CDN would serve.
    await page.context().route("https://esm.sh/**", (route) =>
      route.fulfill({
        contentType: "text/javascript",
        body: "export default function pad(s, n) { return String(s).padStart(n, '*'); }",
      }),
    );
    await page.getByRole("button", { name: "Settings" }).click();
    await page.locator("#allowlist").fill("esm.sh");
    await page.locator("#allowlist").blur();
    await setCode(page, 'import pad from "left-pad";\nconsole.log(pad("7", 3));');
    await run(page);
    await expect(page.locator(".row.level-error")).toContainText("left-pad");
    const hint = page.locator(".hint-row");
    await expect(hint).toContainText("Settings → npm packages");
    await page.screenshot({ path: `${SHOTS}/v2-bare-import.png` });
    await hint.getByRole("button", { name: /Map left-pad to https:\/\/esm\.sh\/left-pad/ }).click();
    await expect(page.locator("#import-map")).toHaveValue(/"left-pad": "https:\/\/esm\.sh\/left-pad"/);
    await run(page);
    await expect(page.locator(".row.level-log")).toHaveText("**7");
    expect(errors).toEqual([]);
  });

  test("a broken import map is named while typing and never used", async ({ page }) => {
    const errors = await open(page);
    await page.getByRole("button", { name: "Settings" }).click();
    await page.locator("#import-map").fill('{ "imports": ');
    await expect(page.locator("#import-map-error")).toContainText("Not JSON");
    await expect(page.locator("#import-map")).toHaveAttribute("aria-invalid", "true");
    await run(page);
    await expect(consoleList(page)).toContainText("Hello from Islet!");
    expect(errors).toEqual([]);
  });
});

test.describe("small things", () => {
  test("limit inputs are checked as typed, and Run says what to fix", async ({ page }) => {
    const errors = await open(page);
    await page.getByRole("button", { name: "Settings" }).click();
    await page.locator("#limit-memory").fill("0");
    await expect(page.locator("#limit-error")).toContainText("Memory must be a whole number from 8 to 1024 MB");
    await expect(page.locator("#limit-memory")).toHaveAttribute("aria-invalid", "true");
    await run(page);
    await expect(page.locator("#status-note")).toContainText("Fix the limits");
    await expect(consoleList(page)).not.toContainText("Hello from Islet!");
    await page.locator("#limit-memory").fill("64");
    await expect(page.locator("#limit-error")).toBeHidden();
    await run(page);
    await expect(consoleList(page)).toContainText("Hello from Islet!");
    expect(errors).toEqual([]);
  });

  test("the live region announces state changes, not the ticking elapsed time", async ({ page }) => {
    const errors = await open(page);
    await page.locator("#examples").selectOption("loop");
    const announced = await page.evaluate(async () => {
      const changes: string[] = [];
      const observer = new MutationObserver((records) => {
        for (const r of records) {
          const el = (r.target.nodeType === 1 ? r.target : r.target.parentElement) as Element;
          const live = el.closest('[aria-live]:not([aria-live="off"]), [role="status"], [role="alert"], [role="log"]');
          if (live && live.getAttribute("aria-live") !== "off" && !el.closest('[aria-live="off"]'))
            changes.push(live.textContent ?? "");
        }
      });
      observer.observe(document.querySelector(".statusbar")!, { subtree: true, childList: true, characterData: true });
      (document.querySelector("#run") as HTMLButtonElement).click();
      await new Promise((r) => setTimeout(r, 1200));
      observer.disconnect();
      return changes;
    });
    await page.getByRole("button", { name: "■ Stop" }).click();
    // 1.2 s of a running program: "running" once, not a dozen elapsed-time updates.
    expect(announced.length).toBeLessThanOrEqual(2);
    expect(errors).toEqual([]);
  });

  test("on a phone Run and Stop stay together with 40 px targets", async ({ page }) => {
    await page.setViewportSize({ width: 375, height: 740 });
    const errors = await open(page);
    const runBox = (await page.locator("#run").boundingBox())!;
    const stopBox = (await page.locator("#stop").boundingBox())!;
    expect(Math.abs(runBox.y - stopBox.y)).toBeLessThan(2);
    for (const box of [runBox, stopBox]) expect(box.height).toBeGreaterThanOrEqual(40);
    expect((await page.getByRole("button", { name: "Settings" }).boundingBox())!.height).toBeGreaterThanOrEqual(40);
    await page.screenshot({ path: `${SHOTS}/v2-mobile.png` });
    expect(errors).toEqual([]);
  });

  test("What's available names the globals and what the sandbox lacks", async ({ page }) => {
    const errors = await open(page);
    await page.getByRole("button", { name: "What's available" }).click();
    const dialog = page.locator("#available-dialog");
    await expect(dialog).toContainText("structuredClone");
    await expect(dialog).toContainText("No DOM");
    await expect(dialog).toContainText("No Intl");
    await expect(dialog).toContainText("UTC only");
    await page.screenshot({ path: `${SHOTS}/v2-available.png` });
    await dialog.getByRole("button", { name: "Close" }).click();
    await expect(dialog).toBeHidden();
    expect(errors).toEqual([]);
  });
});
