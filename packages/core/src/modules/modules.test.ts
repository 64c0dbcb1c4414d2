import { afterEach, describe, expect, test } from "vitest";
import { GuestError, type ImportMap, JsRuntime, MemoryModuleLoader, NotFound, PermissionDenied } from "../index.ts";
import type { RuntimeOptions } from "../runtime.ts";

const live: JsRuntime[] = [];
afterEach(() => {
  for (const rt of live.splice(0)) rt.dispose();
});

async function runtimeWith(files: Record<string, string>, options: RuntimeOptions & { importMap?: ImportMap } = {}) {
  const { importMap, ...rest } = options;
  const rt = await JsRuntime.create({
    moduleLoader: new MemoryModuleLoader({ files, ...(importMap ? { importMap } : {}) }),
    ...rest,
  });
  live.push(rt);
  return rt;
}

/** Loads and evaluates `entry`, runs the loop, returns its exports. */
async function run(files: Record<string, string>, entry = "main.js", options: Parameters<typeof runtimeWith>[1] = {}) {
  const rt = await runtimeWith(files, options);
  const id = await rt.loadMainModule(`file:///${entry}`);
  const evaluated = rt.evaluateModule(id);
  await rt.runEventLoop();
  await evaluated;
  return rt.getModuleNamespace(id);
}

describe("static graph", () => {
  test("relative and absolute specifiers, nested folders", async () => {
    const ns = await run({
      "main.js": `import { a } from "./lib/a.js"; import { b } from "/lib/b.js"; export const out = a + b;`,
      "lib/a.js": `import { b } from "../lib/b.js"; export const a = "a" + b;`,
      "lib/b.js": `export const b = "b";`,
    });
    expect(ns.out).toBe("abb");
  });

  test("a missing file names the specifier and the referrer; no extension guessing", async () => {
    const rt = await runtimeWith({ "main.js": `import "./lib/util";`, "lib/util.js": "" });
    const err = await rt.loadMainModule("file:///main.js").catch((e) => e);
    expect(err).toBeInstanceOf(NotFound);
    expect(err.message).toContain('"file:///lib/util"');
    expect(err.message).toContain('"./lib/util"');
    expect(err.message).toContain('"file:///main.js"');
  });

  test("loadMainModule with a source, project paths, and one main module", async () => {
    const rt = await runtimeWith({ "dep.js": "export const x = 41;" });
    const id = await rt.loadMainModule("main.js", `import { x } from "./dep.js"; export const y = x + 1;`);
    const ev = rt.evaluateModule(id);
    await rt.runEventLoop();
    await ev;
    expect(rt.getModuleNamespace(id)).toEqual({ y: 42 });
    await expect(rt.loadMainModule("other.js", "")).rejects.toThrow(/already has a main module/);
    expect(() => rt.evaluateModule(99)).toThrow(TypeError);
  });

  test("side modules share instances with the main module", async () => {
    const rt = await runtimeWith({
      "state.js": `export let n = 0; export function inc() { n++; }`,
      "side.js": `import { inc } from "./state.js"; inc(); export const side = true;`,
      "main.js": `import { n } from "./state.js"; export const seen = n;`,
    });
    const side = await rt.loadSideModule("file:///side.js");
    const e1 = rt.evaluateModule(side);
    await rt.runEventLoop();
    await e1;
    const main = await rt.loadMainModule("file:///main.js");
    const e2 = rt.evaluateModule(main);
    await rt.runEventLoop();
    await e2;
    expect(rt.getModuleNamespace(main)).toEqual({ seen: 1 });
    expect(rt.getModuleNamespace(side)).toEqual({ side: true });
  });

  test("namespace copies leave functions out", async () => {
    const ns = await run({ "main.js": `export const a = { b: [1] }; export function f() {} export default 3;` });
    expect(ns).toEqual({ a: { b: [1] }, default: 3 });
  });
});

describe("import maps", () => {
  test("imports (exact and folder) and scopes", async () => {
    const ns = await run(
      {
        "main.js": `import { v } from "lib"; import { w } from "std/w.js"; import { s } from "./scoped/s.js"; export const out = [v, w, s];`,
        "vendor/lib.js": `export const v = "lib";`,
        "vendor/std/w.js": `export const w = "w";`,
        "scoped/s.js": `import { v } from "lib"; export const s = v;`,
        "vendor/lib2.js": `export const v = "lib2";`,
      },
      "main.js",
      {
        importMap: {
          imports: { lib: "./vendor/lib.js", "std/": "./vendor/std/" },
          scopes: { "/scoped/": { lib: "/vendor/lib2.js" } },
        },
      },
    );
    expect(ns.out).toEqual(["lib", "w", "lib2"]);
  });

  test("an unmapped bare specifier is a clear error", async () => {
    const rt = await runtimeWith({ "main.js": `import "left-pad";` });
    await expect(rt.loadMainModule("file:///main.js")).rejects.toThrow(
      /"left-pad" not prefixed with \/ or \.\/ or \.\.\/ and not in import map from "file:\/\/\/main\.js"/,
    );
  });

  test("a bad import map is refused", () => {
    expect(() => new MemoryModuleLoader({ importMap: { imports: { a: 1 as unknown as string } } })).toThrow(TypeError);
    expect(() => new MemoryModuleLoader({ importMap: { imports: { "a/": "./b.js" } } })).toThrow(/ending in "\/"/);
  });
});

describe("TypeScript", () => {
  test("types are stripped, import type and type-only exports vanish", async () => {
    const ns = await run(
      {
        "main.ts": `import type { Shape } from "./types.ts";\nimport { area, type Unit } from "./geo.ts";\nconst s: Shape = { w: 2, h: 3 };\nconst u: Unit = "cm";\nexport const out: string = area(s) + u;\n`,
        "types.ts": `export interface Shape { w: number; h: number }\nexport type Unit = "cm" | "in";\n`,
        "geo.ts": `import type { Shape } from "./types.ts";\nexport type { Shape };\nexport type Unit = "cm";\nexport enum E { A = 1 }\nexport function area(s: Shape): number { return s.w * s.h * E.A; }\n`,
      },
      "main.ts",
    );
    expect(ns.out).toBe("6cm");
  });

  test("line numbers are preserved in stack traces", async () => {
    const rt = await runtimeWith({
      "main.ts": `interface A {\n  x: number;\n}\ntype B = A;\nexport function boom(): never {\n  throw new Error("here");\n}\nboom();\n`,
    });
    const id = await rt.loadMainModule("file:///main.ts");
    const ev = rt.evaluateModule(id);
    await expect(rt.runEventLoop()).rejects.toThrow("here");
    const err = await ev.catch((e) => e);
    expect(err.guestStack).toContain("file:///main.ts:6");
  });

  test("a TypeScript syntax error names file:line:column", async () => {
    const rt = await runtimeWith({ "main.ts": `const a: number = 1;\nconst b = (;\n` });
    await expect(rt.loadMainModule("file:///main.ts")).rejects.toThrow(/file:\/\/\/main\.ts:2:\d+/);
  });

  test("tsx needs jsx configured", async () => {
    const files = {
      "main.tsx": `const h = (t: string, _p: unknown, ...c: string[]) => t + ":" + c.join(""); export const out = <b>hi</b>;`,
    };
    const rt = await runtimeWith(files);
    await expect(rt.loadMainModule("file:///main.tsx")).rejects.toThrow(/JSX is not configured/);
    const ns = await run(files, "main.tsx", { jsx: { factory: "h" } });
    expect(ns.out).toBe("b:hi");
  });
});

test("transpiled output is cached by source and JSX options, not shared across different options", async () => {
  const files = {
    "main.tsx": `const h = (t: string) => "h:" + t; const k = (t: string) => "k:" + t; export const out = <i />;`,
  };
  expect((await run(files, "main.tsx", { jsx: { factory: "h" } })).out).toBe("h:i");
  expect((await run(files, "main.tsx", { jsx: { factory: "h" } })).out).toBe("h:i");
  expect((await run(files, "main.tsx", { jsx: { factory: "k" } })).out).toBe("k:i");
});

describe("JSON modules", () => {
  test("with { type: 'json' }", async () => {
    const ns = await run({
      "main.js": `import data from "./data.json" with { type: "json" }; const d2 = await import("./data.json", { with: { type: "json" } }); export const out = [data.a, d2.default === data, data.__proto__];`,
      "data.json": `{ "a": [1, 2], "__proto__": 5 }`,
    });
    expect(ns.out).toEqual([[1, 2], true, 5]);
  });

  test("the attribute is required, and refused for JS", async () => {
    const rt = await runtimeWith({
      "main.js": `import data from "./data.json";`,
      "js.js": `import x from "./main.js" with { type: "json" };`,
      "bad.js": `import x from "./data.json" with { type: "css" };`,
      "data.json": `{}`,
      "broken.js": `import x from "./broken.json" with { type: "json" };`,
      "broken.json": `{ nope`,
    });
    await expect(rt.loadMainModule("file:///main.js")).rejects.toThrow(
      /is a JSON module: import it with \{ type: "json" \}/,
    );
    await expect(rt.loadSideModule("file:///js.js")).rejects.toThrow(/Expected a JSON module/);
    await expect(rt.loadSideModule("file:///bad.js")).rejects.toThrow(/unsupported module type "css"/);
    await expect(rt.loadSideModule("file:///broken.js")).rejects.toThrow(/file:\/\/\/broken\.json: invalid JSON/);
  });

  test("an unknown or repeated attribute key is a SyntaxError, even beside type: json", async () => {
    const rt = await runtimeWith({
      "data.json": `{}`,
      "extra.js": `import x from "./data.json" with { type: "json", lazy: "yes" };`,
      "unknown.js": `import x from "./data.json" with { kind: "json" };`,
      "twice.js": `import x from "./data.json" with { type: "json", "type": "json" };`,
    });
    for (const [file, pattern] of [
      ["extra.js", /unsupported import attribute "lazy"/],
      ["unknown.js", /unsupported import attribute "kind"/],
      ["twice.js", /attribute "type" is given twice/],
    ] as const) {
      const error = await rt.loadSideModule(`file:///${file}`).catch((e) => e);
      expect(error).toBeInstanceOf(SyntaxError);
      expect(error.message).toMatch(pattern);
    }
  });
});

describe("errors in the order the engine finds them", () => {
  test("a module's own SyntaxError is reported before the failure of what it imports", async () => {
    const rt = await runtimeWith({
      "main.js": `import "./missing.js";
while (false) import "./x.js";`,
    });
    const error = await rt.loadMainModule("file:///main.js").catch((e) => e);
    expect(error).toBeInstanceOf(GuestError);
    expect(error.guestName).toBe("SyntaxError");
    expect(error.message).toMatch(/file:\/\/\/main\.js:2:/);
  });

  test("a well-formed module whose import is missing still fails with NotFound", async () => {
    const rt = await runtimeWith({ "main.js": `import "./lib.js";`, "lib.js": `import "./missing.js";` });
    const error = await rt.loadMainModule("file:///main.js").catch((e) => e);
    expect(error).toBeInstanceOf(NotFound);
    expect(error.message).toMatch(/"\.\/missing\.js" from "file:\/\/\/lib\.js"/);
  });
});

test("a JSON module holds the parsed file even if user code replaced JSON.parse", async () => {
  const ns = await run({
    "main.js": `import "./evil.js"; import data from "./data.json" with { type: "json" }; export const out = data;`,
    "evil.js": `JSON.parse = () => "hacked";`,
    "data.json": `{ "ok": true }`,
  });
  expect(ns.out).toEqual({ ok: true });
});

describe("dynamic import", () => {
  test("literal and computed specifiers, prepared before the engine imports", async () => {
    const ns = await run({
      "main.js": `const name = "b"; const a = await import("./a.js"); const b = await import("./lib/" + name + ".ts"); export const out = [a.a, b.b];`,
      "a.js": `export const a = 1;`,
      "lib/b.ts": `import { c } from "./c.ts"; export const b: number = c + 1;`,
      "lib/c.ts": `export const c: number = 1;`,
    });
    expect(ns.out).toEqual([1, 2]);
  });

  test("errors are catchable rejections", async () => {
    const ns = await run({
      "main.js": `
        const r = [];
        for (const s of ["./missing.js", "nope", "ext:core/ops", "./throws.js", "./syntax.js"]) {
          try { await import(s); r.push("ok"); } catch (e) { r.push(e.name + ": " + e.message); }
        }
        try { await import(Symbol()); } catch (e) { r.push(e.name); }
        export const out = r;`,
      "throws.js": `throw new RangeError("boom");`,
      "syntax.js": `let = ;`,
    });
    const out = ns.out as string[];
    expect(out[0]).toMatch(/^NotFound: Module not found "file:\/\/\/missing.js"/);
    expect(out[1]).toMatch(/not in import map/);
    expect(out[2]).toMatch(/^PermissionDenied: .*ext: modules are reserved/);
    expect(out[3]).toBe("RangeError: boom");
    expect(out[4]).toMatch(/^SyntaxError/);
    expect(out[5]).toBe("TypeError");
  });

  test("a pending dynamic import keeps the event loop alive; import() from a callback", async () => {
    const rt = await runtimeWith({
      "main.js": `export const p = Promise.resolve().then(() => import("./late.js")).then((m) => { globalThis.late = m.v; });`,
      "late.js": `export const v = "late";`,
    });
    const id = await rt.loadMainModule("file:///main.js");
    const ev = rt.evaluateModule(id);
    await rt.runEventLoop();
    await ev;
    expect(rt.executeScript("x.js", "globalThis.late")).toBe("late");
  });

  test("import( inside strings and comments is left alone", async () => {
    const ns = await run({
      "main.js": `// import("./nope.js")\nconst s = "import('./nope.js')"; const t = \`import(\${1})\`; export const out = [s, t];`,
    });
    expect(ns.out).toEqual(["import('./nope.js')", "import(1)"]);
  });
});

describe("import.meta", () => {
  test("url, main and resolve()", async () => {
    const ns = await run(
      {
        "main.js": `import { meta as depMeta } from "./lib/dep.js"; export const meta = [import.meta.url, import.meta.main, import.meta.resolve("./x.js"), import.meta.resolve("lib")]; export const dep = depMeta;`,
        "lib/dep.js": `export const meta = [import.meta.url, import.meta.main, import.meta.resolve("../y.js")];`,
      },
      "main.js",
      { importMap: { imports: { lib: "https://example.com/lib.js" } } },
    );
    expect(ns.meta).toEqual(["file:///main.js", true, "file:///x.js", "https://example.com/lib.js"]);
    expect(ns.dep).toEqual(["file:///lib/dep.js", false, "file:///y.js"]);
  });

  test("a program that put get/set on Object.prototype still gets data properties on import.meta", async () => {
    const ns = await run({
      "main.js": `Object.prototype.get = () => "forged"; Object.prototype.set = () => {};
        const { meta } = await import("./later.js");
        delete Object.prototype.get; delete Object.prototype.set;
        export const out = meta;`,
      "later.js": `const d = Object.getOwnPropertyDescriptor(import.meta, "url");
        export const meta = [import.meta.url, Object.hasOwn(d, "get"), d.writable, import.meta.resolve("./z.js")];`,
    });
    expect(ns.out).toEqual(["file:///later.js", false, true, "file:///z.js"]);
  });

  test("resolve() throws for unmapped bare specifiers", async () => {
    const ns = await run({
      "main.js": `let e; try { import.meta.resolve("zzz"); } catch (x) { e = x.name; } export const out = e;`,
    });
    expect(ns.out).toBe("TypeError");
  });
});

describe("ext: specifiers", () => {
  test("user modules cannot import ext: modules", async () => {
    const rt = await runtimeWith({
      "main.js": `import { op_close } from "ext:core/ops";`,
      "helper.js": `import { dynamicImport } from "ext:islet_modules/runtime.js";`,
    });
    const err = await rt.loadMainModule("file:///main.js").catch((e) => e);
    expect(err).toBeInstanceOf(PermissionDenied);
    expect(err.message).toMatch(/"ext:core\/ops" from "file:\/\/\/main.js" is not allowed/);
    await expect(rt.loadSideModule("file:///helper.js")).rejects.toThrow(PermissionDenied);
    await expect(rt.loadSideModule("ext:core/ops")).rejects.toThrow(/reserved/);
  });

  test("an import map cannot map to ext:", async () => {
    const rt = await runtimeWith({ "main.js": `import "x";` }, { importMap: { imports: { x: "ext:core/ops" } } });
    await expect(rt.loadMainModule("file:///main.js")).rejects.toThrow(
      /resolves to "ext:core\/ops", which is reserved/,
    );
  });
});

describe("evaluation", () => {
  test("top-level await across modules, settled by the event loop", async () => {
    const ns = await run({
      "main.js": `import { v } from "./slow.js"; export const out = v + 1;`,
      "slow.js": `let v0 = 0; for (let i = 0; i < 5; i++) v0 += await Promise.resolve(8); export const v = v0 + 1;`,
    });
    expect(ns.out).toBe(42);
  });

  test("a TLA that never settles fails with Deno's message", async () => {
    const rt = await runtimeWith({ "main.js": `await new Promise(() => {});` });
    const id = await rt.loadMainModule("file:///main.js");
    const ev = rt.evaluateModule(id);
    await expect(rt.runEventLoop()).rejects.toThrow(/Module evaluation is still pending/);
    await expect(ev).rejects.toThrow(/still pending/);
  });

  test("a module throwing during evaluation fails its importers; others still work", async () => {
    const rt = await runtimeWith({
      "bad.js": `export const x = 1; throw new TypeError("bad module");`,
      "importer.js": `import { x } from "./bad.js"; export const y = x;`,
      "ok.js": `export const ok = "fine";`,
    });
    const imp = await rt.loadMainModule("file:///importer.js");
    const ev = rt.evaluateModule(imp);
    await expect(rt.runEventLoop()).rejects.toThrow("bad module");
    const err = await ev.catch((e) => e);
    expect(err).toBeInstanceOf(GuestError);
    expect(err.guestName).toBe("TypeError");
    const ok = await rt.loadSideModule("file:///ok.js");
    const ev2 = rt.evaluateModule(ok);
    await rt.runEventLoop();
    await ev2;
    expect(rt.getModuleNamespace(ok)).toEqual({ ok: "fine" });
    expect(() => rt.getModuleNamespace(imp)).toThrow(/failed to evaluate/);
  });

  test("a syntax error names file:line:column", async () => {
    const rt = await runtimeWith({ "main.js": `import "./lib.js";`, "lib.js": `const a = 1;\nconst b = = 2;\n` });
    const id = await rt.loadMainModule("file:///main.js");
    const ev = rt.evaluateModule(id);
    await rt.runEventLoop().catch(() => {});
    const err = await ev.catch((e) => e);
    expect(err.name).toBe("SyntaxError");
    expect(err.message).toMatch(/file:\/\/\/lib\.js:2:\d+/);
  });
});

describe("custom loaders and API errors", () => {
  test("any ModuleLoader works; a bad one gets a TypeError naming the call", async () => {
    const loader = {
      resolve: (specifier: string, referrer: string) => new URL(specifier, referrer).href,
      load: async (url: string) => {
        if (url.endsWith("/bad")) return { nope: 1 } as never;
        return {
          source: url.endsWith("main")
            ? `import { x } from "./x"; export const y: number = x * 2;`
            : "export const x = 21;",
          type: url.endsWith("main") ? ("ts" as const) : ("js" as const),
        };
      },
    };
    const rt = await JsRuntime.create({ moduleLoader: loader });
    live.push(rt);
    const id = await rt.loadMainModule("memory://project/main");
    const ev = rt.evaluateModule(id);
    await rt.runEventLoop();
    await ev;
    expect(rt.getModuleNamespace(id)).toEqual({ y: 42 });
    await expect(rt.loadSideModule("memory://project/bad")).rejects.toThrow(
      /ModuleLoader.load\("memory:\/\/project\/bad"\) must return/,
    );
  });

  test("getModuleNamespace before evaluation finishes, and bad arguments", async () => {
    const rt = await runtimeWith({ "main.js": `await Promise.resolve(); export const x = 1;` });
    await expect(rt.loadMainModule(42 as unknown as string)).rejects.toThrow(TypeError);
    const id = await rt.loadMainModule("file:///main.js");
    expect(() => rt.getModuleNamespace(id)).toThrow(/not the id of an evaluated module/);
    const ev = rt.evaluateModule(id);
    expect(() => rt.getModuleNamespace(id)).toThrow(/still evaluating/);
    await rt.runEventLoop();
    await ev;
    expect(rt.getModuleNamespace(id)).toEqual({ x: 1 });
  });
});
