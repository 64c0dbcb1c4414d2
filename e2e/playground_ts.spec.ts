/**
 * TypeScript in the playground: the language service (in its own worker,
 * loaded after first paint) checks, completes, hovers and jumps; Run compiles
 * with TypeScript itself, so current syntax runs instead of being dropped or
 * refused, and stack positions still point into the editor.
 */
import { expect, type Page, test } from "@playwright/test";
import { open, SHOTS, setCode } from "./playground_helpers.ts";

// The language service loads TypeScript (~5 MB) in a worker after first paint;
// on a loaded machine its first answer can take several seconds.
test.describe.configure({ timeout: 90_000 });
const TS_READY = { timeout: 60_000 };

const run = (page: Page) => page.getByRole("button", { name: "▶ Run" }).click();
const logRows = (page: Page) => page.locator(".row.level-log");

test("a type error is underlined and listed in Problems, and never blocks Run", async ({ page }) => {
  const errors = await open(page);
  await setCode(page, 'const age: number = "forty";\nconsole.log("ran", age);');
  await expect(page.locator(".cm-lintRange-error")).toHaveCount(1, TS_READY);
  const problems = page.locator("#problems-list .problem");
  await expect(problems).toHaveCount(1);
  await expect(problems).toContainText("main.ts:1:7");
  await expect(problems).toContainText("Type 'string' is not assignable to type 'number'.");
  await page.screenshot({ path: `${SHOTS}/ts-problems.png` });
  await run(page);
  await expect(logRows(page)).toHaveText("ran forty");
  // Fixing it clears the list.
  await setCode(page, "const age: number = 40;\nconsole.log(age);");
  await expect(problems).toHaveCount(0, TS_READY);
  await expect(page.locator(".cm-lintRange-error")).toHaveCount(0);
  expect(errors).toEqual([]);
});

test("the sandbox globals and islet:host are typed", async ({ page }) => {
  const errors = await open(page);
  await page.locator("#examples").selectOption("plugin");
  await expect(page.locator("#problems-count")).toHaveText("0", TS_READY);
  await setCode(
    page,
    'import { getTodos } from "islet:host";\nconst todos = await getTodos();\ntodos[0].titel;\nstructuredClone(1).toFixed();\n',
  );
  await expect(page.locator("#problems-list .problem")).toHaveCount(1, TS_READY);
  await expect(page.locator("#problems-list")).toContainText("Property 'titel' does not exist");
  expect(errors).toEqual([]);
});

test("completion offers locals and members; hover shows the type; F12 goes to a definition in another file", async ({
  page,
}) => {
  const errors = await open(page);
  await page.locator("#examples").selectOption("modules");
  await expect(page.locator("#problems-count")).toHaveText("0", TS_READY);
  await page.locator(".cm-content").click();
  await page.keyboard.press("ControlOrMeta+End");
  await page.keyboard.insertText("\nconst greeting = { hello: 1, help: 2 };\ngreeting.hel");
  await page.keyboard.press("Control+Space");
  const list = page.locator(".cm-tooltip-autocomplete");
  await expect(list).toContainText("hello");
  await expect(list).toContainText("help");
  await page.keyboard.press("Escape");
  await page.keyboard.insertText(";\nconst shapeList = shapes;\nshapeL");
  await page.keyboard.press("Control+Space");
  await expect(list).toContainText("shapeList");
  await page.keyboard.press("Escape");
  await page.screenshot({ path: `${SHOTS}/ts-completion.png` });

  // Hover over `area` in main.ts's import line.
  const area = page.locator(".cm-line").first().getByText("area");
  await area.hover();
  await expect(page.locator(".ts-hover")).toContainText("function area(shape: Shape): number", TS_READY);
  await page.screenshot({ path: `${SHOTS}/ts-hover.png` });

  await area.click();
  await page.keyboard.press("F12");
  await expect(page.getByRole("tab", { name: "shapes.ts" })).toHaveAttribute("aria-selected", "true");
  await expect(page.locator(".cm-activeLine")).toContainText("export function area");
  expect(errors).toEqual([]);
});

test("namespaces, enums, decorators, using and accessor run as TypeScript means them", async ({ page }) => {
  const errors = await open(page);
  await setCode(
    page,
    `namespace Geometry {
  export const unit = 1;
  export function double(n: number) { return n * 2; }
}
enum Color { Red, Green = "green" }
function logged(value: Function, context: ClassMethodDecoratorContext) {
  return function (this: unknown, ...args: unknown[]) {
    console.log("call", String(context.name));
    return (value as (...a: unknown[]) => unknown).apply(this, args);
  };
}
class Counter {
  accessor count = 0;
  @logged inc() { this.count++; return this.count; }
}
{
  using res = { [Symbol.dispose]() { console.log("disposed"); } };
  console.log("in block");
}
const c = new Counter();
c.inc();
console.log(Geometry.double(Geometry.unit), Color.Green, Color[0], c.count);
`,
  );
  await run(page);
  await expect(logRows(page)).toHaveText(["in block", "disposed", "call inc", "2 green Red 1"]);
  expect(errors).toEqual([]);
});

test("a .tsx file runs with the default h() and console.log shows the tree", async ({ page }) => {
  const errors = await open(page);
  await page.getByRole("button", { name: "Add file" }).click();
  await page.locator("#name-input").fill("view.tsx");
  await page.keyboard.press("Enter");
  await page.keyboard.insertText('export const view = (name: string) => <p class="hi">Hello <b>{name}</b></p>;\n');
  await page.getByRole("tab", { name: "main.ts" }).click();
  await setCode(page, 'import { view } from "./view.tsx";\nconsole.log(JSON.stringify(view("Ada")));');
  await run(page);
  await expect(logRows(page)).toHaveText(
    '{"type":"p","props":{"class":"hi"},"children":["Hello ",{"type":"b","props":{},"children":["Ada"]}]}',
  );
  await expect(page.locator(".console-list")).not.toContainText("JSX is not configured");
  expect(errors).toEqual([]);
});

test("a stack position in compiled code links to the right line of the source", async ({ page }) => {
  const errors = await open(page);
  // The decorator makes TypeScript emit helpers above the code: lines move.
  await setCode(
    page,
    `function dec(v: unknown, _c: unknown) { return v; }
class A { @dec m() {} }

function boom() {
  throw new Error("boom");
}
boom();
`,
  );
  await run(page);
  const link = page.locator(".row.level-error .loc").first();
  await expect(link).toContainText("main.ts:5");
  await link.click();
  await expect(page.locator(".cm-activeLine")).toContainText('throw new Error("boom")');
  expect(errors).toEqual([]);
});

test("first paint and Run do not wait for the language service", async ({ page }) => {
  // Hold the TypeScript worker's script back: the editor must show and Run must run meanwhile.
  let release!: () => void;
  const held = new Promise<void>((r) => {
    release = r;
  });
  await page.route(/\/(worker|ts\/worker)[^/]*\.(js|ts)(\?.*)?$/, async (route) => {
    await held;
    await route.continue();
  });
  const errors = await open(page);
  await run(page);
  await expect(page.locator(".console-list")).toContainText("Hello from Islet!");
  expect(await page.locator("#problems-count").textContent()).toBe("…");
  release();
  await expect(page.locator("#problems-count")).toHaveText("0", TS_READY);
  expect(errors).toEqual([]);
});
