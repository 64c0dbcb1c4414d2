/**
 * One newcomer's walk, start to finish, as a single test: open → hello runs →
 * a type error is underlined and listed → fix → run → expand a nested object
 * → map lodash to a CDN and use it → share → reload → the same program and
 * settings.
 */
import { expect, test } from "@playwright/test";
import { open, SHOTS, setCode } from "./playground_helpers.ts";

// A CDN's lodash-es, played by a route (no network in tests): the module text a CDN would serve.
const LODASH =
  "export function chunk(a, n) { const out = []; for (let i = 0; i < a.length; i += n) out.push(a.slice(i, i + n)); return out; }\nexport default { chunk };";

test("a newcomer's walk: run, fix a type error, expand, add a package, share, reload", async ({ page, context }) => {
  test.setTimeout(150_000);
  await context.route("https://esm.sh/**", (route) =>
    route.fulfill({ contentType: "text/javascript", headers: { "access-control-allow-origin": "*" }, body: LODASH }),
  );
  const errors = await open(page);
  const run = () => page.getByRole("button", { name: "▶ Run" }).click();

  // Hello runs.
  await run();
  await expect(page.locator(".console-list")).toContainText("Hello from Islet!");

  // A type error is underlined and listed; it does not block Run.
  await setCode(
    page,
    "const user: { name: string; tags: { id: number }[] } = { name: 42, tags: [{ id: 1 }] };\nconsole.log({ user, nested: { deeper: { deepest: true } } });",
  );
  await expect(page.locator(".cm-lintRange-error")).not.toHaveCount(0, { timeout: 60_000 });
  await expect(page.locator("#problems-list")).toContainText("Type 'number' is not assignable to type 'string'.");

  // Fix it; the list empties; run and expand the nested value.
  await setCode(
    page,
    'const user: { name: string; tags: { id: number }[] } = { name: "Ada", tags: [{ id: 1 }] };\nconsole.log({ user, nested: { deeper: { deepest: true } }, padding: "x".repeat(60) });',
  );
  await expect(page.locator("#problems-count")).toHaveText("0", { timeout: 60_000 });
  await run();
  const row = page.locator(".row.level-log").first();
  await expect(row).toContainText("user:");
  const nested = row.locator("summary", { has: page.locator(".obj-head", { hasText: "nested: {" }) });
  if (!(await nested.isVisible())) await row.locator("details.obj > summary").first().click();
  await expect(row).toContainText("deeper");

  // Add a lodash mapping and use it.
  await page.getByRole("button", { name: "Settings" }).click();
  await page.locator("#allowlist").fill("esm.sh");
  await page.locator("#allowlist").blur();
  await page.locator("#package-name").fill("lodash-es");
  await page.locator("#package-form").getByRole("button", { name: "Add" }).click();
  const program = 'import { chunk } from "lodash-es";\nconsole.log(JSON.stringify(chunk([1, 2, 3, 4, 5], 2)));';
  await setCode(page, program);
  await run();
  await expect(page.locator(".row.level-log")).toHaveText("[[1,2],[3,4],[5]]");
  await page.screenshot({ path: `${SHOTS}/walk-lodash.png` });

  // Share, reload: the same program, import map and settings.
  await page.getByRole("button", { name: "Share" }).click();
  await expect(page).toHaveURL(/#v2\//);
  await page.reload();
  await expect(page.locator(".cm-content")).toHaveText(program.replace("\n", ""));
  await page.getByRole("button", { name: "Settings" }).click();
  await expect(page.locator("#allowlist")).toHaveValue("esm.sh");
  await expect(page.locator("#import-map")).toHaveValue(/"lodash-es": "https:\/\/esm\.sh\/lodash-es"/);
  await run();
  await expect(page.locator(".row.level-log")).toHaveText("[[1,2],[3,4],[5]]");
  expect(errors).toEqual([]);
});
