import type * as Islet from "@islet/worker";
import { test as base, expect, type Page } from "@playwright/test";

/** What the harness page puts on `window` (see harness/main.ts). */
export type HarnessWindow = Window & {
  islet: typeof Islet & { wasmUrl: string };
  // biome-ignore lint/suspicious/noExplicitAny: specs keep their own state on window
  [key: string]: any;
};

/** A page with the harness loaded and ready. */
export const test = base.extend<{ harness: Page }>({
  harness: async ({ page }, use) => {
    page.on("pageerror", (e) => console.error("pageerror:", e.message));
    await page.goto("/");
    await expect(page.locator("#state")).toHaveText("ready");
    await use(page);
  },
});

export { expect };
