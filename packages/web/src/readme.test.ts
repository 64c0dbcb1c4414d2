import { readFileSync } from "node:fs";
import { JsRuntime } from "@islet/core";
import { expect, test } from "vitest";
import { type ConsoleEntry, web } from "./index.ts";

test("the README's guest program prints what the README says", async () => {
  const readme = readFileSync(new URL("../README.md", import.meta.url), "utf8");
  const program = /```js\n([\s\S]*?)```/.exec(readme)?.[1];
  const expected = /```text\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(program).toBeDefined();
  const entries: ConsoleEntry[] = [];
  const rt = await JsRuntime.create({ extensions: web({ console: { sink: (e) => entries.push(e) } }) });
  try {
    rt.executeScript("readme.js", program as string);
    await rt.runEventLoop();
  } finally {
    rt.dispose();
  }
  expect(entries.map((e) => `${e.level} ${e.text}\n`).join("")).toBe(expected);
}, 60_000);
