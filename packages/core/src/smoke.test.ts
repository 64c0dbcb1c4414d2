import { expect, test } from "vitest";
import { defineExtension, JsRuntime, op } from "/work/main/packages/core/src/index.ts";

test("smoke", async () => {
  const ext = defineExtension({
    name: "t",
    ops: {
      op_add: op.sync((_s, a: number, b: number) => a + b),
      op_echo: op.sync((_s, v: unknown) => v),
      op_later: op.async(async (_s, v: unknown) => {
        await new Promise((r) => setTimeout(r, 5));
        return v;
      }),
    },
    esm: {
      "ext:t/mod.js": `import { op_add, op_echo, op_later } from "ext:core/ops"; import { core } from "ext:core/mod.js"; globalThis.add = op_add; globalThis.echo = op_echo; globalThis.later = op_later; globalThis.sleep = (ms) => new Promise(r => core.startTimer(r, ms));`,
    },
    esmEntryPoints: ["ext:t/mod.js"],
  });
  const rt = await JsRuntime.create({ extensions: [ext] });
  expect(rt.executeScript("a.js", "add(2, 3)")).toBe(5);
  expect(rt.executeScript("a.js", "echo('héllo\\uD800x\\0y')")).toBe("héllo\uD800x\0y");
  expect(rt.executeScript("a.js", "echo({a:[1,2,{b:'x'}], u: new Uint8Array([1,2])})")).toEqual({
    a: [1, 2, { b: "x" }],
    u: new Uint8Array([1, 2]),
  });
  rt.executeScript("a.js", "later(41).then(v => { globalThis.r = v + 1 }); sleep(10).then(() => globalThis.s = 1); 0");
  await rt.runEventLoop();
  expect(rt.executeScript("a.js", "[r, s]")).toEqual([42, 1]);
  expect(() => rt.executeScript("a.js", "echo(() => 1)")).toThrow(/op_echo: argument 1: a function/);
  expect(() => rt.executeScript("a.js", "globalThis.__islet_bootstrap")).not.toThrow();
  expect(rt.executeScript("a.js", "Object.keys(globalThis).filter(k => k.startsWith('__islet'))")).toEqual([]);
  rt.dispose();
});
