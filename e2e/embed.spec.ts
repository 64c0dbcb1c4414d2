// Issue 14: <islet-run> on the docs demo (apps/docs), served from @islet/embed's standalone
// build: every kind of block runs and shows its output, errors point at lines of the block,
// runs start from clean state, loops stop without freezing the page, keyboard-only use works.
import { expect, test } from "@playwright/test";
import { block, openDocs, outputRows, run } from "./embed_helpers.ts";

/** Each demo block and what its output must contain, in order. */
const EXPECTED: [label: string, lines: (string | RegExp)[]][] = [
  ["Hello", ["Hello from a sandbox!", "3 is number"]],
  ["Values", [/name: 'Ada'/, /\[\s*0,\s*1,\s*4/, /Map\(2\)/]],
  ["Classes", ["count: 2 private? true"]],
  ["Console levels", ["info", "careful", "something failed", "a group", "inside"]],
  ["TypeScript interfaces", ["5"]],
  ["TypeScript generics", [/value: 42/, /not a number: forty-two/]],
  ["Event loop order", ["1. synchronous", "2. microtask", "3. timeout"]],
  ["Top-level await", ["ready", "set", "go"]],
  ["setInterval", ["tick 1", "tick 2", "tick 3"]],
  ["URL", ["https://example.com/search?q=islet&page=3#top", /'q', 'islet'/]],
  ["Encoding and crypto", [/Uint8Array\(6\)/, "aXNsZXQ= 36", /1970-01-01T00:00:00.000Z/]],
  ["fetch without permission", [/^PermissionDenied: /]],
  ["fetch with permission", [/^200 \[ 'Run a code block', 'Break it with an infinite loop' \]$/]],
  ["A multi-file example", ["hello-islet-world"]],
  ["Setup code", ["SETUP RAN FIRST!"]],
  ["Read-only, dark", ["read-only code, dark theme: [ 'A', 'B' ]"]],
];

for (const [label, lines] of EXPECTED) {
  test(`the "${label}" block runs and shows its output`, async ({ page }) => {
    const errors = await openDocs(page);
    const b = block(page, label);
    await b.scrollIntoViewIfNeeded();
    await run(b);
    const rows = await outputRows(b).allInnerTexts();
    let at = 0;
    for (const line of lines) {
      const found = rows.findIndex((r, i) => i >= at && (typeof line === "string" ? r.trim() === line : line.test(r)));
      expect(found, `"${String(line)}" in ${JSON.stringify(rows)}`).toBeGreaterThanOrEqual(0);
      at = found + 1;
    }
    await expect(b.locator(".output .note").last()).toHaveText(/^Done in \d+ ms$/);
    expect(errors).toEqual([]);
  });
}

test("console levels keep their level in the output", async ({ page }) => {
  await openDocs(page);
  const b = block(page, "Console levels");
  await run(b);
  await expect(b.locator(".output .row.level-warn")).toHaveText("careful");
  await expect(b.locator(".output .row.level-error")).toHaveText("something failed");
  await expect(b.locator(".output .row.nested")).toHaveText("inside");
});

test("the host API block calls the page's functions and nothing else", async ({ page }) => {
  await openDocs(page);
  const b = block(page, "A host API");
  await run(b);
  await expect(outputRows(b).first()).toContainText("Written by a sandbox");
  await expect(page.locator("#page-todos li")).toHaveText([
    "Read the docs",
    "Run a code block",
    "Written by a sandbox",
  ]);
  // The same sandbox pool, another block without host="todos": the names do not exist there.
  const other = await page.evaluate(async () => {
    const el = document.createElement("islet-run") as HTMLElement & {
      run(): Promise<{ ok: boolean; error?: { message: string } }>;
    };
    el.textContent = 'import { listTodos } from "islet:host"; console.log(await listTodos());';
    document.body.append(el);
    const result = await el.run();
    return result.ok ? "ran" : result.error?.message;
  });
  expect(other).toMatch(/listTodos/);
});

test("an uncaught error shows its stack, marks the block's line and links to it", async ({ page }) => {
  await openDocs(page);
  const b = block(page, "An error with a stack");
  await run(b);
  const error = b.locator(".output .row.level-error");
  await expect(error).toContainText("SyntaxError");
  // The stack's frames in the block link to its lines: parseConfig at 2, load at 5, the call at 7.
  await expect(error.locator("button.loc")).toHaveText([/main\.js:2:\d+/, /main\.js:5:\d+/, /main\.js:7:\d+/]);
  await expect(b.locator(".static .line.error-line")).toHaveCount(1);
  await expect(b.locator(".static .line").nth(1)).toHaveClass(/error-line/);
  await expect(b.locator("[role=status]")).toHaveText(/^Error on line 2: SyntaxError/);
  // Following a link opens the editor with the cursor on that line.
  await error.locator("button.loc").nth(1).click();
  await expect(b.locator(".cm-content")).toBeFocused();
  await expect(b.locator(".cm-line.error-line")).toHaveText("  return JSON.parse(text);");
  const cursorLine = await b.evaluate((el) => {
    // Chromium's ShadowRoot.getSelection (not in TypeScript's DOM types) sees into the shadow tree.
    const root = el.shadowRoot as ShadowRoot & { getSelection?: () => Selection | null };
    const sel = root.getSelection?.() ?? document.getSelection();
    const node = sel?.anchorNode;
    const line = (node instanceof Element ? node : node?.parentElement)?.closest(".cm-line");
    return line?.textContent;
  });
  expect(cursorLine).toBe('  return parseConfig("{ not json");');
});

test("a TypeScript syntax error points at its line", async ({ page }) => {
  await openDocs(page);
  const b = block(page, "A syntax error");
  await run(b);
  await expect(b.locator(".output .row.level-error")).toContainText("SyntaxError");
  await expect(b.locator(".output .row.level-error button.loc").first()).toHaveText(/main\.ts:2(:\d+)?/);
  await expect(b.locator(".static .line").nth(1)).toHaveClass(/error-line/);
});

test("a memory bomb fails inside its sandbox", async ({ page }) => {
  await openDocs(page);
  const b = block(page, "A memory bomb");
  await run(b);
  await expect(b.locator(".output .row.level-error")).toContainText(/memory/i);
  // The next run of another block is unaffected.
  await run(block(page, "Hello"));
  await expect(outputRows(block(page, "Hello")).first()).toHaveText("Hello from a sandbox!");
});
