// Hostile cases: a guest program attacking the page through what its console renders
// (`@islet/embed/console`, in an <islet-run> block on the docs demo). Never delete one; add new IDs.
import { expect, type Page, test } from "@playwright/test";
import { openDocs } from "../embed_helpers.ts";

/** Runs `code` in a fresh <islet-run> on the docs page; returns the block. */
async function runBlock(page: Page, code: string) {
  await page.evaluate(async (code) => {
    const el = document.createElement("islet-run") as HTMLElement & { run(): Promise<unknown> };
    el.id = "hostile";
    el.textContent = code;
    document.querySelector("main")!.prepend(el);
    await el.run();
  }, code);
  return page.locator("islet-run#hostile");
}

const MARKUP = `<img src="/beacon-img" onerror="globalThis.pwned = 1"><style>*{display:none}</style>`;

// SEC-C1: %c CSS is the guest's. Attack: CSS that loads a resource (url(), image-set(),
// @import, escapes hiding url), covers the page (position: fixed, huge sizes, negative
// margins, transforms, z-index) or runs code (expression()). Only allowlisted
// declarations of safe shape reach the element.
test("SEC-C1 %c CSS cannot load a resource, cover the page or leave its line", async ({ page }) => {
  const requests: string[] = [];
  page.on("request", (r) => requests.push(r.url()));
  const errors = await openDocs(page);
  const b = await runBlock(
    page,
    `const attacks = [
      "background: url(/beacon-url)", "background-image: url(/beacon-bg)", "background: image-set('/beacon-set' 1x)",
      "background: u\\\\72l(/beacon-esc)", "@import url(/beacon-import)", "list-style: url(/beacon-list)",
      "cursor: url(/beacon-cursor), auto", "border-image: url(/beacon-border) 30",
      "position: fixed; inset: 0; width: 100vw; height: 100vh; z-index: 2147483647",
      "font-size: 900px", "padding: 9999px", "margin: -9999px", "transform: scale(50)", "display: block; height: 5000px",
      "color: expression(alert(1))", "content: 'x'", "color: red !important; position: absolute; font-weight: bold",
    ];
    for (const css of attacks) console.log("%cx", css);`,
  );
  const rows = b.locator(".output .row");
  await expect(rows).toHaveCount(17);
  const styles = await rows.evaluateAll((list) =>
    list.map((row) => {
      const s = row.querySelector("span.styled");
      const c = s ? getComputedStyle(s) : undefined;
      return {
        style: s?.getAttribute("style") ?? "",
        height: row.getBoundingClientRect().height,
        position: c?.position ?? "static",
        transform: c?.transform ?? "none",
      };
    }),
  );
  for (const s of styles) {
    expect(s.style).not.toMatch(/url|image|expression|position|transform|display|font-size|z-index|important|content/);
    expect(s.height).toBeLessThan(40);
    expect(s.position).toBe("static");
    expect(s.transform).toBe("none");
  }
  // From the last, the one safe declaration is kept (the !important one is not).
  expect(styles[16]!.style).toBe("font-weight: bold;");
  expect(requests.filter((u) => u.includes("beacon"))).toEqual([]);
  expect(errors).toEqual([]);
});

// SEC-C2: text, keys, table heads and cells are the guest's. Attack: markup in every
// place the renderer writes guest strings; none of it may become an element.
test("SEC-C2 guest strings never become markup: values, keys, table heads and cells, %c text", async ({ page }) => {
  const requests: string[] = [];
  page.on("request", (r) => requests.push(r.url()));
  const errors = await openDocs(page);
  const b = await runBlock(
    page,
    `const m = ${JSON.stringify(MARKUP)};
    console.log({ [m]: m, nested: { deep: [m] } }, new Map([[m, m]]));
    console.table([{ [m]: m }, m], undefined);
    console.log("%c" + m, "color: red");
    console.log(Promise.resolve(m));
    const e = new Error(m); e.name = m; console.error(e);`,
  );
  const output = b.locator(".output");
  await expect(output.locator(".row")).toHaveCount(5);
  await expect(output.locator("img, style, script, iframe")).toHaveCount(0);
  await expect(output).toContainText(MARKUP);
  expect(await page.evaluate(() => (globalThis as { pwned?: number }).pwned)).toBeUndefined();
  expect(requests.filter((u) => u.includes("beacon"))).toEqual([]);
  expect(errors).toEqual([]);
});
