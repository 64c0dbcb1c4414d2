// import() in every shape in Chromium, through the worker: the QuickJS job hook
// (core's modules/dynamic_import.ts) swaps a wasm table entry and returns i64 values,
// which this checks in a real browser's WebAssembly, not only in Node's.
import { expect, type HarnessWindow, test } from "./fixtures.ts";

test("import() from functions, eval, new Function and classic scripts loads files on demand", async ({ harness }) => {
  const out = await harness.evaluate(async () => {
    const w = window as unknown as HarnessWindow;
    const sb = await w.islet.createSandbox({});
    const files = {
      "main.ts": `
        const load = (p: string) => import(p);
        const a = await load("./lib.ts");
        const b = await eval("import('./lib.ts')");
        const c = await new Function("return import('./lib.ts')")();
        const data = await import("./data.json", { with: { type: "json" } });
        const missing = await import("./nope.js").catch((e) => e.name);
        export const same = a === b && b === c;
        export const x = a.x + data.default.n;
        export { missing };`,
      "lib.ts": "export const x: number = 40;",
      "data.json": '{ "n": 2 }',
      "extra.js": "export const extra = 'e';",
    };
    const run = await sb.run({ files, entry: "main.ts" });
    // A classic script (eval) imports a file of the run that nothing loaded yet.
    const script = await sb.eval(`import("./extra.js").then((m) => m.extra)`);
    const run2 = await sb.run({
      files: {
        "main.js": "export const late = (await import('./late.js')).late;",
        "late.js": "export const late = 'yes';",
      },
      entry: "main.js",
    });
    const thrown = await sb.eval(
      "class Test262Error { constructor(m) { this.message = m; } } throw new Test262Error('t');",
    );
    sb.terminate();
    return { run, script, run2, thrown };
  });
  expect(out.run).toMatchObject({ ok: true, exports: { same: true, x: 42, missing: "NotFound" } });
  expect(out.script).toMatchObject({ ok: true, value: "e" });
  expect(out.run2).toMatchObject({ ok: true, exports: { late: "yes" } });
  expect(out.thrown).toMatchObject({ ok: false, error: { name: "Test262Error", message: "t" } });
});
