// The root README's "A sandbox in your page" example, run in Chromium: its guest
// program is read from README.md, so a README that stops working fails here.
import { readFileSync } from "node:fs";
import { expect, type HarnessWindow, test } from "./fixtures.ts";

const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
const block = [...readme.matchAll(/```ts\n([\s\S]*?)```/g)]
  .map((m) => m[1] as string)
  .find((b) => b.includes("@islet/worker"));

test("the README's sandbox example runs as written", async ({ harness }) => {
  expect(block).toBeDefined();
  const main = /"main\.ts": `([^`]*)`/.exec(block as string)?.[1];
  expect(main).toBeDefined();
  const out = await harness.evaluate(async (source) => {
    const w = window as unknown as HarnessWindow;
    const logged: string[] = [];
    const sandbox = await w.islet.createSandbox({
      limits: { memoryBytes: 32 << 20, cpuMs: 1000, wallMs: 5000 },
      host: { getTodos: async () => [{ title: "milk" }] },
      onConsole: (entry) => logged.push(`${entry.level} ${entry.text}`),
    });
    const result = await sandbox.run({ files: { "main.ts": source }, entry: "main.ts" });
    sandbox.terminate();
    return { result, logged };
  }, main as string);
  expect(out.result).toMatchObject({ ok: true });
  expect(out.logged).toEqual(["log 1"]);
});
