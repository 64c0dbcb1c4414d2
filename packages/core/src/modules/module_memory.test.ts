/**
 * Host memory held for modules stays bounded in bytes (issue 9 A.4), is
 * released on dispose, and a runtime that keeps loading new module graphs
 * (non-fresh runs) hits a clear limit instead of growing without bound
 * (issue 10 G).
 */
import { afterEach, describe, expect, test } from "vitest";
import { JsRuntime, MemoryModuleLoader } from "../index.ts";
import { MAX_MODULES_PER_RUNTIME, TRANSPILE_CACHE_BYTES, transpileCacheSize } from "./graph.ts";

const live: JsRuntime[] = [];
afterEach(() => {
  for (const rt of live.splice(0)) if (!rt.disposed) rt.dispose();
});

const MIB = 1 << 20;
/** A module of about `bytes` characters: a long comment and one export. */
const big = (i: number, bytes = MIB) => `// ${"x".repeat(bytes)}\nexport const n = ${i};\n`;

/** Serves https://mods.test/m<i>.js as a ~1 MiB module. */
const remoteFetch = (async (input: string | URL | Request) => {
  const i = Number(/m(\d+)\.js$/.exec(String(input))?.[1]);
  return new Response(big(i), { headers: { "content-type": "application/javascript" } });
}) as typeof fetch;

async function remoteRuntime(memoryBytes: number): Promise<JsRuntime> {
  const rt = await JsRuntime.create({
    moduleLoader: new MemoryModuleLoader(),
    fetch: remoteFetch,
    permissions: { net: ["mods.test"] },
    limits: { memoryBytes },
  });
  live.push(rt);
  return rt;
}

describe("module sources held by the host", () => {
  // The case is 150 × 1 MiB; 40 show the same without a minute of CPU.
  test("40 × 1 MiB remote modules in one graph under a 16 MiB guest: refused by the byte budget", async () => {
    const rt = await remoteRuntime(16 * MIB);
    const main = Array.from({ length: 40 }, (_, i) => `import "https://mods.test/m${i}.js";`).join("\n");
    const error = await rt.loadMainModule("file:///main.js", main).catch((e) => e);
    expect(error).toBeInstanceOf(RangeError);
    expect(error.message).toMatch(/limits\.memoryBytes/);
    expect(rt.modules.sourceBytes).toBeLessThanOrEqual(16 * MIB);
  }, 60_000);

  test("24 × 1 MiB remote modules imported one after another: sources QuickJS took are released", async () => {
    const rt = await remoteRuntime(16 * MIB);
    const evaluated = rt.evaluateScript(
      "file:///main.js",
      `(async () => { let sum = 0; for (let i = 0; i < 24; i++) sum += (await import("https://mods.test/m" + i + ".js")).n; return sum; })()`,
    );
    await rt.runEventLoop();
    expect(await evaluated).toBe((23 * 24) / 2);
    expect(rt.modules.sourceBytes).toBeLessThanOrEqual(16 * MIB);
    rt.dispose();
    expect(rt.modules.sourceBytes).toBe(0);
  }, 60_000);

  test("a module QuickJS asks for again after its source was released fails with an error saying so", async () => {
    const files = { "bad.js": `${big(0, 2 * MIB)}export const = 1;` };
    const rt = await JsRuntime.create({
      moduleLoader: new MemoryModuleLoader({ files }),
      limits: { memoryBytes: 8 * MIB },
    });
    live.push(rt);
    const first = rt.evaluateScript("file:///a.js", `import("./bad.js").catch((e) => e.name)`);
    await rt.runEventLoop();
    expect(await first).toBe("SyntaxError");
    // QuickJS did not keep bad.js (it failed to compile), so it will ask again. Modules
    // taken after it fill the budget: bad.js's source, taken first, is released first.
    for (let i = 0; i < 3; i++) {
      const id = await rt.loadSideModule(`file:///fill${i}.js`, big(i));
      const done = rt.evaluateModule(id);
      await rt.runEventLoop();
      await done;
    }
    const second = rt.evaluateScript("file:///b.js", `import("./bad.js").catch((e) => e.message)`);
    await rt.runEventLoop();
    expect(await second).toMatch(/bad\.js.*released/);
  }, 60_000);

  test("dispose releases every source", async () => {
    const rt = await JsRuntime.create({ moduleLoader: new MemoryModuleLoader({ files: { "a.js": big(1) } }) });
    await rt.loadMainModule("file:///a.js");
    expect(rt.modules.sourceBytes).toBeGreaterThan(MIB);
    rt.dispose();
    expect(rt.modules.sourceBytes).toBe(0);
  });
});

describe("the shared transpile cache", () => {
  test("is bounded in bytes, not entries: 80 × 1 MiB TypeScript modules", async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 80; i++)
      files[`t${i}.ts`] = `const pad: string = "${"y".repeat(MIB)}";\nexport const n: number = ${i};`;
    const rt = await JsRuntime.create({
      moduleLoader: new MemoryModuleLoader({ files }),
      limits: { memoryBytes: 256 * MIB },
    });
    live.push(rt);
    for (let i = 0; i < 80; i++) {
      await rt.loadSideModule(`file:///t${i}.ts`);
      expect(transpileCacheSize()).toBeLessThanOrEqual(TRANSPILE_CACHE_BYTES);
    }
    expect(transpileCacheSize()).toBeGreaterThan(TRANSPILE_CACHE_BYTES / 2);
  }, 60_000);
});

describe("non-fresh runs", () => {
  test("new graphs on one runtime (new URLs per run, as the worker does) stay within the source budget", async () => {
    const rt = await JsRuntime.create({ moduleLoader: new MemoryModuleLoader(), limits: { memoryBytes: 16 * MIB } });
    live.push(rt);
    for (let run = 1; run <= 40; run++) {
      const id = await rt.loadSideModule(
        `file:///main.js?run=${run}`,
        `${big(run, MIB / 2)}export const run = ${run};`,
      );
      const done = rt.evaluateModule(id);
      await rt.runEventLoop();
      await done;
      expect(rt.getModuleNamespace(id)).toEqual({ n: run, run });
      expect(rt.modules.sourceBytes).toBeLessThanOrEqual(16 * MIB);
    }
  }, 60_000);

  test(`past ${MAX_MODULES_PER_RUNTIME} modules a runtime refuses more with a RangeError saying to start a fresh one`, async () => {
    const rt = await JsRuntime.create({ moduleLoader: new MemoryModuleLoader() });
    live.push(rt);
    for (let i = 0; i < MAX_MODULES_PER_RUNTIME; i++) await rt.loadSideModule(`file:///m${i}.js`, "");
    const error = await rt.loadSideModule("file:///one-more.js", "").catch((e) => e);
    expect(error).toBeInstanceOf(RangeError);
    expect(error.message).toMatch(/one-more\.js.*10000 modules.*fresh runtime/);
    // Modules it already holds still load.
    await expect(rt.loadSideModule("file:///m0.js")).resolves.toBeTypeOf("number");
  }, 60_000);

  test("a redirected remote module is counted under its final URL too: past the cap it is refused", async () => {
    // https://mods.test/moved.js answers 302 → /final.js; the final URL is a new module of its own.
    const redirecting = (async (input: string | URL | Request) => {
      if (String(input).endsWith("/moved.js"))
        return new Response(null, { status: 302, headers: { location: "https://mods.test/final.js" } });
      return new Response("export const n = 1;", { headers: { "content-type": "application/javascript" } });
    }) as typeof fetch;
    const rt = await JsRuntime.create({
      moduleLoader: new MemoryModuleLoader(),
      fetch: redirecting,
      permissions: { net: ["mods.test"] },
    });
    live.push(rt);
    for (let i = 0; i < MAX_MODULES_PER_RUNTIME - 1; i++) await rt.loadSideModule(`file:///m${i}.js`, "");
    // The requested URL takes the last place; its final URL would be one more.
    const error = await rt.loadSideModule("https://mods.test/moved.js").catch((e) => e);
    expect(error).toBeInstanceOf(RangeError);
    expect(error.message).toMatch(/final\.js.*10000 modules.*fresh runtime/);
    expect(rt.modules.has("https://mods.test/final.js")).toBe(false);
  }, 60_000);
});
