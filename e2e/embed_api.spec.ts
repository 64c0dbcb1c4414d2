// Issue 14: <islet-run>'s JavaScript API and events, and clear errors for bad input
// (docs demo, standalone build, Chromium).
import { expect, test } from "@playwright/test";
import { block, openDocs, outputRows, run } from "./embed_helpers.ts";

type Block = HTMLElement & {
  run(): Promise<{ ok: boolean; reason?: string; error?: { name: string; message: string } } | undefined>;
  code: string;
  files: Record<string, string>;
  host: Record<string, (...args: unknown[]) => unknown> | undefined;
  lastResult: unknown;
  reset(): void;
};

test("islet-run can be cancelled; islet-result carries the result and the output", async ({ page }) => {
  await openDocs(page);
  const out = await page.evaluate(async () => {
    const el = document.querySelector('islet-run[aria-label="Classes"]') as Block;
    const seen: unknown[] = [];
    const cancel = (e: Event) => {
      seen.push({ type: e.type, detail: (e as CustomEvent).detail });
      e.preventDefault();
    };
    document.addEventListener("islet-run", cancel, { once: true });
    const cancelled = await el.run();
    document.addEventListener("islet-result", (e) => seen.push({ type: e.type, detail: (e as CustomEvent).detail }));
    const ran = await el.run();
    return { cancelled, ran, seen, hidden: el.shadowRoot!.querySelector<HTMLElement>(".output")!.hidden };
  });
  expect(out.cancelled).toBeUndefined();
  expect(out.seen[0]).toMatchObject({ type: "islet-run", detail: { entry: "main.js" } });
  expect(out.ran).toMatchObject({ ok: true });
  expect(out.seen[1]).toMatchObject({
    type: "islet-result",
    detail: { result: { ok: true }, stopped: false, output: [{ level: "log", text: "count: 2 private? true" }] },
  });
});

test("code, files and host set from page JavaScript are what the next run uses; reset goes back", async ({ page }) => {
  await openDocs(page);
  const b = block(page, "Hello");
  await b.evaluate((el: Block) => {
    el.files = { "util.ts": "export const twice = (n: number) => n * 2;" };
    el.host = { pageTitle: () => document.title };
    el.code =
      'import { twice } from "./util.ts"; import { pageTitle } from "islet:host"; console.log(twice(21), await pageTitle());';
  });
  await run(b);
  await expect(outputRows(b)).toHaveText(["42 Islet docs demo: runnable code blocks"]);
  await b.evaluate((el: Block) => el.reset());
  await expect(b.locator(".static .line").first()).toHaveText('console.log("Hello from a sandbox!");');
  await expect(b.locator(".output")).toBeHidden();
});

test("bad attributes, unknown host APIs and bad file names fail with a message naming them", async ({ page }) => {
  await openDocs(page);
  const messages = await page.evaluate(async () => {
    const make = (attrs: Record<string, string>) => {
      const el = document.createElement("islet-run") as Block;
      for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
      el.textContent = "console.log(1)";
      document.querySelector("main")!.prepend(el);
      return el;
    };
    const failure = async (el: Block) => {
      const r = await el.run();
      return r?.ok ? "ran" : `${r?.error?.name}: ${r?.error?.message}`;
    };
    const thrown = (fn: () => void) => {
      try {
        fn();
        return "no error";
      } catch (e) {
        return `${(e as Error).name}: ${(e as Error).message}`;
      }
    };
    const { registerHost } = (await import(new URL("./islet/embed.js", location.href).href)) as {
      registerHost: (name: string, fns: unknown) => void;
    };
    return {
      timeout: await failure(make({ timeout: "soon" })),
      memory: await failure(make({ memory: "1" })),
      host: await failure(make({ host: "nope" })),
      file: thrown(() => {
        make({}).files = { "../escape.ts": "" };
      }),
      registerName: thrown(() => registerHost("not a name", {})),
      registerFn: thrown(() => registerHost("ok", { f: 42 })),
    };
  });
  expect(messages).toEqual({
    timeout: "RangeError: <islet-run> timeout must be milliseconds in 1..300000",
    memory: "RangeError: <islet-run> memory must be whole MiB in 4..1024",
    host: 'Error: <islet-run> host="nope": no host API registered under that name',
    file: 'TypeError: <islet-run> extra file name "../escape.ts" is not a usable module name',
    registerName: 'TypeError: registerHost: name must be an identifier-like string, got "not a name"',
    registerFn: "TypeError: registerHost: ok.f must be a function",
  });
});

test("code inside the element is HTML text; a text/islet-code script needs no escaping", async ({ page }) => {
  await openDocs(page);
  const out = await page.evaluate(async () => {
    const host = document.querySelector("main")!;
    host.insertAdjacentHTML(
      "afterbegin",
      `<islet-run id="esc1">console.log(1 &lt; 2 &amp;&amp; "&lt;b&gt;")</islet-run>
       <islet-run id="esc2"><script type="text/islet-code">console.log(1 < 2 && "<b>")</script></islet-run>`,
    );
    const texts: string[] = [];
    for (const id of ["esc1", "esc2"]) {
      const el = document.getElementById(id) as Block;
      await el.run();
      texts.push(el.shadowRoot!.querySelector(".output .row")!.textContent!);
    }
    return texts;
  });
  expect(out).toEqual(["<b>", "<b>"]);
});
