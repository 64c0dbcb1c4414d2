// run(): files as a module graph (TypeScript, imports, import maps, islet:host), each run anew.
import { expect, type HarnessWindow, test } from "./fixtures.ts";

test("run evaluates a TypeScript module graph and returns its exports", async ({ harness }) => {
  const out = await harness.evaluate(async () => {
    const w = window as unknown as HarnessWindow;
    const logs: string[] = [];
    const sb = await w.islet.createSandbox({
      onConsole: (e) => logs.push(e.text),
      host: { getTodos: async () => ["milk", "eggs"] },
    });
    const first = await sb.run({
      files: {
        "main.ts": `import { twice } from "./lib/util.ts";
          import { getTodos } from "islet:host";
          import cfg from "cfg";
          const n: number = twice(21);
          export const todos = await getTodos();
          export const answer = n;
          export const name = cfg.name;
          globalThis.kept = "from run 1";
          console.log("main ran", n);`,
        "lib/util.ts": "export function twice(x: number): number { return x * 2 }",
        "config.js": "export default { name: 'mapped' }",
      },
      entry: "main.ts",
      importMap: { imports: { cfg: "./config.js" } },
    });
    // The same entry with changed sources runs anew; globals from run 1 persist.
    const second = await sb.run({
      files: {
        "main.ts": `import { twice } from "./lib/util.ts"; export const answer = twice(5); export const kept = globalThis.kept;`,
        "lib/util.ts": "export const twice = (x: number) => x * 3;",
      },
      entry: "main.ts",
    });
    const missing = await sb.run({ files: { "main.ts": `import "./nope.ts";` }, entry: "main.ts" });
    const thrown = await sb.run({ files: { "main.ts": `throw new RangeError("top-level")` }, entry: "main.ts" });
    const fresh = await sb.run({
      files: { "main.ts": "export const kept = typeof globalThis.kept;" },
      entry: "main.ts",
      fresh: true,
    });
    sb.terminate();
    return { first, second, missing, thrown, fresh, logs };
  });
  expect(out.first).toMatchObject({
    ok: true,
    exports: { todos: ["milk", "eggs"], answer: 42, name: "mapped" },
  });
  expect(out.logs).toContain("main ran 42");
  expect(out.second).toMatchObject({ ok: true, exports: { answer: 15, kept: "from run 1" } });
  expect(out.missing).toMatchObject({ ok: false, error: { name: "NotFound" } });
  expect(out.thrown).toMatchObject({ ok: false, error: { name: "RangeError", message: "top-level" } });
  expect(out.fresh).toMatchObject({ ok: true, exports: { kept: "undefined" } });
});
