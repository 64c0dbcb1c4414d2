import { readFileSync } from "node:fs";
import { transform } from "sucrase";
import { expect, test } from "vitest";
import * as core from "./index.ts";

// Every ```ts block in the root README and this package's README that imports
// @islet/core runs here, with its console output checked against the
// `// value` comments it carries.
const AsyncFunction = Object.getPrototypeOf(async () => {}).constructor as new (
  ...args: string[]
) => (...args: unknown[]) => Promise<void>;

function blocks(file: URL): string[] {
  const text = readFileSync(file, "utf8");
  return [...text.matchAll(/```ts\n([\s\S]*?)```/g)]
    .map((m) => m[1] as string)
    .filter((b) => b.includes('from "@islet/core"') && !b.includes("@islet/web") && !b.includes("MemoryModuleLoader"));
}

const readmes = [new URL("../../../README.md", import.meta.url), new URL("../README.md", import.meta.url)];

for (const readme of readmes) {
  for (const [i, block] of blocks(readme).entries()) {
    test(`${readme.pathname.split("/").slice(-3).join("/")} example ${i + 1} runs as written`, async () => {
      const js = transform(block.replace(/^import \{([^}]*)\} from "@islet\/core";$/m, "const {$1} = core;"), {
        transforms: ["typescript"],
      }).code;
      const printed: unknown[] = [];
      const log = (...args: unknown[]) => printed.push(args.length === 1 ? args[0] : args);
      await new AsyncFunction("core", "console", js)(core, { log });
      const expected = [...block.matchAll(/console\.log\(.*\); \/\/ (.*)$/gm)].map((m) =>
        JSON.parse((m[1] as string).replace(/^→ /, "")),
      );
      expect(printed.slice(0, expected.length)).toEqual(expected);
    });
  }
}
