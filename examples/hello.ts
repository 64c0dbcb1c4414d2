// A runnable example of embedding @islet/core: `pnpm dev` runs it until the playground lands.
import { defineExtension, JsRuntime, op } from "@islet/core";

const greeter = defineExtension({
  name: "greeter",
  ops: {
    op_greet: op.sync((_state, name: string) => `Hello, ${name}!`),
    op_wait: op.async(async (_state, ms: number) => {
      await new Promise((resolve) => setTimeout(resolve, ms));
      return ms;
    }),
  },
  esm: {
    "ext:greeter/mod.js": `
      import { op_greet, op_wait } from "ext:core/ops";
      globalThis.greet = (name) => op_greet(String(name));
      globalThis.wait = (ms) => op_wait(ms);
    `,
  },
  esmEntryPoints: ["ext:greeter/mod.js"],
});

const runtime = await JsRuntime.create({ extensions: [greeter], limits: { cpuMs: 1000 } });
console.log(runtime.executeScript("hello.js", `greet("Islet")`));
runtime.executeScript("later.js", `wait(50).then((ms) => { globalThis.waited = ms; }); undefined`);
await runtime.runEventLoop();
console.log("waited", runtime.executeScript("read.js", "waited"), "ms inside the sandbox");
try {
  runtime.executeScript("spin.js", "for (;;) {}");
} catch (error) {
  console.log(`${(error as Error).name}: ${(error as Error).message}`);
}
runtime.dispose();
