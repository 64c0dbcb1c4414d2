/** What every playground spec does: find the app, open it watching for page errors, type a program. */
import { expect, type Page } from "@playwright/test";

/** PLAYGROUND_URL points the specs at any server (e.g. a static copy of dist/ on a sub-path). */
export const PLAYGROUND =
  process.env.PLAYGROUND_URL ?? `http://127.0.0.1:${process.env.ISLET_PLAYGROUND_PORT ?? 4173}/`;
export const SHOTS = process.env.PLAYGROUND_SHOTS ?? "test-results/playground-shots";

/** Opens the playground; the returned list collects every error in the page's own console. */
export async function open(page: Page, url = PLAYGROUND): Promise<string[]> {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`console.error: ${m.text()}`);
  });
  await page.goto(url);
  await expect(page.locator(".cm-content")).toBeVisible();
  return errors;
}

/** Replaces the active file's text as if typed (one insert, so completion does not interfere). */
export async function setCode(page: Page, code: string): Promise<void> {
  await page.locator(".cm-content").click();
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.insertText(code);
}
