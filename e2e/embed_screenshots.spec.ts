// Issue 14: the docs demo in light and dark, before and after a run, and an error, saved as
// screenshots (EMBED_SHOTS, default test-results/embed-shots) for a person to look at; the
// themes are also checked by computed colour.
import { expect, type Locator, test } from "@playwright/test";
import { block, openDocs, run } from "./embed_helpers.ts";

const SHOTS = process.env.EMBED_SHOTS ?? "test-results/embed-shots";

/** Relative luminance (0 black … 1 white) of an element's computed background. */
const background = (l: Locator) =>
  l.evaluate((el) => {
    const [r, g, b] = getComputedStyle(el)
      .backgroundColor.match(/[\d.]+/g)!
      .slice(0, 3)
      .map((v) => Number(v) / 255) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  });

for (const scheme of ["light", "dark"] as const) {
  test(`docs demo, ${scheme}: blocks before and after a run, and an error`, async ({ page }) => {
    await page.emulateMedia({ colorScheme: scheme });
    await page.setViewportSize({ width: 1200, height: 900 });
    const errors = await openDocs(page);
    await page.screenshot({ path: `${SHOTS}/${scheme}-before.png` });
    const values = block(page, "Values");
    await run(values);
    await values.scrollIntoViewIfNeeded();
    await page.screenshot({ path: `${SHOTS}/${scheme}-after-run.png` });
    const failing = block(page, "An error with a stack");
    await failing.scrollIntoViewIfNeeded();
    await run(failing);
    await failing.screenshot({ path: `${SHOTS}/${scheme}-error.png` });
    const loop = block(page, "An infinite loop");
    await loop.scrollIntoViewIfNeeded();
    await run(loop);
    await loop.screenshot({ path: `${SHOTS}/${scheme}-timeout.png` });
    const readonly = block(page, "Read-only, dark");
    await readonly.scrollIntoViewIfNeeded();
    await run(readonly);
    await readonly.screenshot({ path: `${SHOTS}/${scheme}-readonly-dark.png` });

    const code = values.locator(".block");
    if (scheme === "light") expect(await background(code)).toBeGreaterThan(0.8);
    else expect(await background(code)).toBeLessThan(0.2);
    // theme="dark" is dark under either scheme.
    expect(await background(readonly.locator(".block"))).toBeLessThan(0.2);
    expect(errors).toEqual([]);
  });
}
