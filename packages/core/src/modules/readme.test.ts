/** Runs the README's multi-file TypeScript example, so it stays true. */
import { readFileSync } from "node:fs";
import { expect, test } from "vitest";
import { JsRuntime, MemoryModuleLoader } from "../index.ts";

test("README: multi-file TypeScript program", async () => {
  const readme = readFileSync(new URL("../../../../README.md", import.meta.url), "utf8");
  const section = readme.slice(readme.indexOf("## Modules: a multi-file TypeScript program"));
  const code = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  expect(code).toBeDefined();
  const body = (code as string).replace(/^import .* from "@islet\/core";$/m, "");
  const logged: unknown[] = [];
  const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor;
  await new AsyncFunction("JsRuntime", "MemoryModuleLoader", "console", body)(JsRuntime, MemoryModuleLoader, {
    log: (v: unknown) => logged.push(v),
  });
  expect(logged).toEqual([{ answer: 42, message: "hello, islet" }]);
});
