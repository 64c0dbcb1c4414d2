/**
 * The playground as a user meets it: built with `vite build`, served by
 * `vite preview` (a plain static server), driven through the UI only.
 */
import { expect, type Page, test } from "@playwright/test";
import { open, PLAYGROUND, SHOTS, setCode } from "./playground_helpers.ts";

const consoleRows = (page: Page) => page.locator(".console-list .row");
const state = (page: Page) => page.locator("#status-state");

test("type a program, run it with Ctrl+Enter and read the console", async ({ page }) => {
  const errors = await open(page);
  await setCode(page, 'console.log("sum", 1 + 2);\nconsole.warn("careful");\nconsole.info({ a: 1 });');
  await page.keyboard.press("ControlOrMeta+Enter");
  await expect(page.locator(".row.level-log")).toHaveText("sum 3");
  await expect(page.locator(".row.level-warn")).toHaveText("careful");
  await expect(state(page)).toHaveText("idle");
  // The sandbox's guest heap, in the unit that fits (about 1 MB with web() bootstrapped).
  await expect(page.locator("#status-memory")).toHaveText(/^memory \d+(\.\d)? [KM]B$/);

  // Filters hide a level; Clear empties the panel.
  await page.getByRole("checkbox", { name: "warn" }).uncheck();
  await expect(page.locator(".row.level-warn")).toBeHidden();
  await page.getByRole("checkbox", { name: "warn" }).check();
  await expect(page.locator(".row.level-warn")).toBeVisible();
  await page.getByRole("button", { name: "Clear" }).click();
  await expect(consoleRows(page)).toHaveCount(0);
  expect(errors).toEqual([]);
});

test("a flood of output ends in a visible 'output truncated' marker", async ({ page }) => {
  const errors = await open(page);
  await setCode(page, 'for (let i = 0; i < 12000; i++) console.log("line", i);\nconsole.log("after");');
  await page.keyboard.press("ControlOrMeta+Enter");
  await expect(page.locator(".row.truncated")).toBeVisible();
  await expect(page.locator(".row.truncated")).toContainText("output truncated");
  await expect(state(page)).toHaveText("idle");
  await page.screenshot({ path: `${SHOTS}/7-truncated.png` });
  expect(errors).toEqual([]);
});

test("objects print expandable", async ({ page }) => {
  const errors = await open(page);
  const big = `{ ${Array.from({ length: 12 }, (_, i) => `k${i}: { n: ${i}, s: "v${i}" }`).join(", ")} }`;
  await setCode(page, `console.log(${big});`);
  await page.keyboard.press("ControlOrMeta+Enter");
  const row = page.locator(".row.level-log").first();
  const top = row.locator("summary").first();
  await expect(top).toContainText("k0");
  await expect(row.getByText("k11")).toBeHidden();
  await top.click();
  await expect(row.getByText("k11")).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/8-object.png` });
  expect(errors).toEqual([]);
});

test("an error's file:line jumps to the editor line", async ({ page }) => {
  const errors = await open(page);
  await setCode(page, 'const a = 1;\nfunction f() {\n  throw new Error("bad");\n}\nf();\n');
  await page.getByRole("button", { name: "▶ Run" }).click();
  const link = page.locator(".row.level-error .loc").first();
  await expect(link).toContainText("main.ts:3");
  await link.click();
  await expect(page.locator(".cm-activeLine")).toContainText("throw new Error");
  expect(errors).toEqual([]);
});

test("autocompletion offers the sandbox globals from @islet/web's declarations", async ({ page }) => {
  const errors = await open(page);
  await setCode(page, "");
  await page.keyboard.type("console.grou");
  const list = page.locator(".cm-tooltip-autocomplete");
  await expect(list).toContainText("groupCollapsed");
  await page.keyboard.press("Escape");
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.type("structuredCl");
  await expect(list).toContainText("structuredClone");
  expect(errors).toEqual([]);
});

test("file tabs: add, rename, delete", async ({ page }) => {
  const errors = await open(page);
  await page.getByRole("button", { name: "Add file" }).click();
  await page.locator("#name-input").fill("util.ts");
  await page.locator("#name-dialog").getByRole("button", { name: "OK" }).click();
  await expect(page.getByRole("tab", { name: "util.ts" })).toHaveAttribute("aria-selected", "true");
  await page.getByRole("button", { name: "Rename util.ts" }).click();
  await page.locator("#name-input").fill("helpers.ts");
  await page.keyboard.press("Enter");
  await expect(page.getByRole("tab", { name: "helpers.ts" })).toBeVisible();
  await page.getByRole("button", { name: "Delete helpers.ts" }).click();
  await expect(page.getByRole("tab")).toHaveCount(1);
  await expect(page.getByRole("tab", { name: "main.ts" })).toHaveAttribute("aria-selected", "true");
  expect(errors).toEqual([]);
});

const RUNNABLE: [id: string, expected: string][] = [
  ["hello", "Hello from Islet!"],
  ["timers", "Promise.all:"],
  ["bomb", "MemoryLimitExceeded: The sandbox ran out of memory"],
  ["fetch", "200 3 todos"], // from public/api/todos.json on the page's own (allowlisted) server
  ["modules", "square: 4.00"], // TypeScript modules across three files
];
for (const [id, expected] of RUNNABLE) {
  test(`example "${id}" runs`, async ({ page }) => {
    const errors = await open(page);
    await page.locator("#examples").selectOption(id);
    await page.getByRole("button", { name: "▶ Run" }).click();
    await expect(page.locator(".console-list")).toContainText(expected);
    await expect(state(page)).toHaveText("idle");
    expect(errors).toEqual([]);
  });
}

test('example "plugin" calls the host API (after the prompt allows notify)', async ({ page }) => {
  const errors = await open(page);
  await page.locator("#examples").selectOption("plugin");
  await page.getByRole("button", { name: "▶ Run" }).click();
  const dialog = page.locator("#permission-dialog");
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText("host");
  await expect(dialog).toContainText("notify");
  await dialog.getByRole("button", { name: "Allow" }).click();
  await expect(page.locator(".console-list")).toContainText("host answered: true");
  await expect(page.locator(".console-list")).toContainText("open todos:");
  await expect(page.locator("#status-note")).toHaveText("host notified: 2 todos left");
  expect(errors).toEqual([]);
});

test("permission prompt: deny refuses the call in the guest", async ({ page }) => {
  const errors = await open(page);
  await page.locator("#examples").selectOption("plugin");
  await page.getByRole("button", { name: "▶ Run" }).click();
  await page.locator("#permission-dialog").getByRole("button", { name: "Deny" }).click();
  await expect(page.locator(".console-list")).toContainText("Denied host notify");
  await expect(page.locator(".row.level-error")).toContainText("PermissionDenied");
  await expect(page.locator(".console-list")).not.toContainText("host answered");

  // "Add to the allowlist" remembers the answer in Settings: the next run asks nothing.
  await page.getByRole("button", { name: "▶ Run" }).click();
  await page.locator("#permission-remember").check();
  await page.locator("#permission-dialog").getByRole("button", { name: "Allow" }).click();
  await expect(page.locator(".console-list")).toContainText("host answered: true");
  await page.getByRole("button", { name: "Settings" }).click();
  await expect(page.locator("#host-allow")).toHaveValue("getTodos, notify");
  await page.getByRole("button", { name: "▶ Run" }).click();
  await expect(page.locator(".console-list")).toContainText("host answered: true");
  await expect(page.locator("#permission-dialog")).toBeHidden();
  expect(errors).toEqual([]);
});

test("permission prompt for the network: a host off the allowlist is asked about", async ({ page }) => {
  const errors = await open(page);
  await page.getByRole("button", { name: "Settings" }).click();
  await page.locator("#allowlist").fill("");
  await page.locator("#allowlist").blur();
  await page.locator("#examples").selectOption("fetch");
  await page.getByRole("button", { name: "▶ Run" }).click();
  const dialog = page.locator("#permission-dialog");
  await expect(dialog).toContainText("net");
  await dialog.getByRole("button", { name: "Deny" }).click();
  // fetch() reports a refused host as a network error (a TypeError), naming the permission.
  await expect(page.locator(".row.level-error")).toContainText('Requires net access to "127.0.0.1:');

  await page.getByRole("button", { name: "▶ Run" }).click();
  await dialog.getByRole("button", { name: "Allow" }).click();
  await expect(page.locator(".console-list")).toContainText("200 3 todos");
  expect(errors).toEqual([]);
});

test("stop an infinite loop, then keep typing and run again", async ({ page }) => {
  test.setTimeout(60_000);
  const errors = await open(page);
  await page.locator("#examples").selectOption("loop");
  await page.getByRole("button", { name: "▶ Run" }).click();
  await expect(state(page)).toHaveText("running");
  await page.waitForTimeout(300);
  // The page stays responsive while the guest spins.
  await setCode(page, 'console.log("still typing");');
  await page.getByRole("button", { name: "■ Stop" }).click();
  await expect(state(page)).toHaveText("terminated");
  await expect(page.locator(".console-list")).toContainText("terminated and replaced");
  await page.keyboard.insertText(" // more");
  await page.keyboard.press("ControlOrMeta+Enter");
  await expect(page.locator(".row.level-log")).toHaveText(["still typing"]);
  await expect(state(page)).toHaveText("idle");
  expect(errors).toEqual([]);
});

test("the CPU limit from Settings interrupts a loop on its own", async ({ page }) => {
  const errors = await open(page);
  await page.getByRole("button", { name: "Settings" }).click();
  await page.locator("#limit-cpu").fill("300");
  await page.locator("#limit-cpu").blur();
  await page.locator("#examples").selectOption("loop");
  await page.getByRole("button", { name: "▶ Run" }).click();
  await expect(state(page)).toHaveText("interrupted");
  await expect(page.locator(".row.level-error")).toContainText("Interrupted");
  expect(errors).toEqual([]);
});

test("a guest error named Interrupted is shown as an ordinary exception, not as a limit", async ({ page }) => {
  const errors = await open(page);
  await setCode(page, 'const e = new Error("made up"); e.name = "Interrupted"; throw e;');
  await page.getByRole("button", { name: "▶ Run" }).click();
  await expect(page.locator(".row.level-error")).toContainText("Interrupted: made up");
  // The status follows how the host says the run ended (an exception), not the error's name.
  await expect(state(page)).toHaveText("idle");
  expect(errors).toEqual([]);
});

test("Stop with a permission dialog open closes the dialog; the next run asks again", async ({ page }) => {
  const errors = await open(page);
  await page.locator("#examples").selectOption("plugin");
  await page.getByRole("button", { name: "▶ Run" }).click();
  const dialog = page.locator("#permission-dialog");
  await expect(dialog).toBeVisible();
  // The modal dialog makes the page inert to the pointer; Stop is pressed programmatically.
  await page.locator("#stop").dispatchEvent("click");
  await expect(dialog).toBeHidden();
  await expect(page.locator(".console-list")).toContainText("Cancelled the prompt for host notify");
  await expect(state(page)).toHaveText("terminated");
  await page.getByRole("button", { name: "▶ Run" }).click();
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Allow" }).click();
  await expect(page.locator(".console-list")).toContainText("host answered: true");
  expect(errors).toEqual([]);
});

test("a permission dialog left open closes when the run reaches its wall-clock limit", async ({ page }) => {
  test.setTimeout(60_000);
  const errors = await open(page);
  await page.getByRole("button", { name: "Settings" }).click();
  await page.locator("#limit-cpu").fill("300"); // wallMs is the CPU limit + 5 s
  await page.locator("#limit-cpu").blur();
  await page.locator("#examples").selectOption("plugin");
  await page.getByRole("button", { name: "▶ Run" }).click();
  const dialog = page.locator("#permission-dialog");
  await expect(dialog).toBeVisible();
  await expect(dialog).toBeHidden({ timeout: 15_000 });
  await expect(page.locator(".console-list")).toContainText("Cancelled the prompt for host notify");
  await expect(page.locator(".row.level-error")).toContainText("wall-clock limit");
  await expect(state(page)).toHaveText("interrupted");
  expect(errors).toEqual([]);
});

test("share link round trip, and autosave survives a reload", async ({ page, context }) => {
  test.setTimeout(90_000); // a long walk through several pages and runs
  const errors = await open(page);
  const code = 'console.log("shared", [1, 2, 3].length);';
  await setCode(page, code);
  await page.getByRole("button", { name: "Share" }).click();
  await expect(page).toHaveURL(/#v2\//);
  const link = page.url();

  const other = await context.browser()!.newPage();
  const otherErrors = await open(other, link);
  await expect(other.locator(".cm-content")).toHaveText(code);
  await other.keyboard.press("ControlOrMeta+Enter");
  await other.locator(".cm-content").click();
  await other.keyboard.press("ControlOrMeta+Enter");
  await expect(other.locator(".row.level-log")).toHaveText("shared 3");
  await other.close();

  await setCode(page, 'console.log("autosaved");');
  await page.waitForTimeout(500);
  await page.goto(PLAYGROUND);
  await expect(page.locator(".cm-content")).toHaveText('console.log("autosaved");');
  expect(errors).toEqual([]);
  expect(otherErrors).toEqual([]);
});

test("screenshots of the main states", async ({ page }) => {
  test.setTimeout(90_000); // a long walk through several pages and runs
  const errors = await open(page);
  await page.setViewportSize({ width: 1280, height: 760 });
  await page.getByRole("button", { name: "▶ Run" }).click();
  await expect(page.locator(".console-list")).toContainText("Hello from Islet!");
  await page.screenshot({ path: `${SHOTS}/1-light-hello.png` });

  await page.locator("#examples").selectOption("plugin");
  await page.getByRole("button", { name: "▶ Run" }).click();
  await expect(page.locator("#permission-dialog")).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/2-permission-prompt.png` });
  await page.locator("#permission-dialog").getByRole("button", { name: "Allow" }).click();
  await expect(page.locator(".console-list")).toContainText("host answered: true");

  await page.getByRole("button", { name: "Toggle dark theme" }).click();
  await page.getByRole("button", { name: "Settings" }).click();
  await setCode(page, "function f() {\n  null.x;\n}\nf();\n");
  await page.getByRole("button", { name: "▶ Run" }).click();
  await expect(page.locator(".row.level-error")).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/3-dark-settings-error.png` });

  await page.locator("#examples").selectOption("loop");
  await page.getByRole("button", { name: "▶ Run" }).click();
  await page.waitForTimeout(400);
  await page.screenshot({ path: `${SHOTS}/4-running.png` });
  await page.getByRole("button", { name: "■ Stop" }).click();
  await expect(state(page)).toHaveText("terminated");
  await page.screenshot({ path: `${SHOTS}/5-stopped.png` });

  await page.setViewportSize({ width: 390, height: 800 });
  await page.getByRole("button", { name: "Settings" }).click();
  await page.locator("#examples").selectOption("hello");
  await page.getByRole("button", { name: "▶ Run" }).click();
  await expect(page.locator(".console-list")).toContainText("Hello from Islet!");
  await page.screenshot({ path: `${SHOTS}/6-mobile.png` });
  expect(errors).toEqual([]);
});
