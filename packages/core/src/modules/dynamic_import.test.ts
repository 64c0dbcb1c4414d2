/**
 * `import()` in every shape, from classic scripts and modules alike: the
 * target is prepared (loaded, transpiled) when `import()` runs, never needed
 * beforehand. Several cases restate test262's dynamic-import tests
 * (usage/nested-*, eval-self-once-script, reuse-namespace-object-from-script)
 * in our own words.
 */
import { afterEach, describe, expect, test } from "vitest";
import { GuestError, JsRuntime, MemoryModuleLoader, NotFound } from "../index.ts";

const live: JsRuntime[] = [];
afterEach(() => {
  for (const rt of live.splice(0)) rt.dispose();
});

async function runtimeWith(files: Record<string, string>): Promise<JsRuntime> {
  const rt = await JsRuntime.create({ moduleLoader: new MemoryModuleLoader({ files }) });
  live.push(rt);
  return rt;
}

/** Runs a classic script named `name`, then the event loop; returns `globalThis.out`. */
async function script(rt: JsRuntime, source: string, name = "file:///main.js"): Promise<unknown> {
  rt.executeScript(name, `globalThis.out = [];\n${source}\n;void 0`);
  await rt.runEventLoop();
  return rt.executeScript("read.js", "JSON.stringify(globalThis.out)") as string;
}

const LIB = { "lib.js": "export const x = 42; export default 'dflt';", "data.json": '{ "a": 1 }' };

describe("import() from a classic script", () => {
  test("top level, function, arrow, block, loop, class method, with, eval, new Function", async () => {
    const rt = await runtimeWith(LIB);
    const out = await script(
      rt,
      `
      const push = (tag) => (m) => out.push(tag + ":" + m.x);
      import("./lib.js").then(push("top"));
      function f() { return import("./lib.js"); }
      f().then(push("function"));
      (() => import("./lib.js"))().then(push("arrow"));
      { import("./lib.js").then(push("block")); }
      for (let i = 0; i < 2; i++) import("./lib.js").then(push("loop" + i));
      class C { m() { return import("./lib.js"); } }
      new C().m().then(push("method"));
      with ({}) { import("./lib.js").then(push("with")); }
      eval("import('./lib.js')").then(push("eval"));
      (0, eval)("import('./lib.js')").then(push("indirect-eval"));
      new Function("return import('./lib.js')")().then(push("new-function"));
      `,
    );
    expect(JSON.parse(out as string).sort()).toEqual(
      ["arrow", "block", "eval", "function", "indirect-eval", "loop0", "loop1", "method", "new-function", "top", "with"]
        .map((t) => `${t}:42`)
        .sort(),
    );
  });

  test("every import() of one module gives the same namespace, shared with later module imports", async () => {
    const rt = await runtimeWith({ ...LIB, "user.js": "import * as ns from './lib.js'; globalThis.fromModule = ns;" });
    const out = await script(
      rt,
      `Promise.all([import("./lib.js"), import("/lib.js"), import("file:///lib.js"), import("./user.js")])
        .then(([a, b, c]) => out.push(a === b, b === c, a === globalThis.fromModule, Object.keys(a).join()));`,
    );
    expect(JSON.parse(out as string)).toEqual([true, true, true, "default,x"]);
  });

  test("a script name that is not a URL is a project path under file:///", async () => {
    const rt = await runtimeWith({ "lib/util.js": "export const u = 'util';" });
    const out = await script(rt, `import("./lib/util.js").then((m) => out.push(m.u));`, "main.js");
    expect(out).toBe('["util"]');
  });

  test("evaluateScript awaits an import() and copies what it resolves to", async () => {
    const rt = await runtimeWith(LIB);
    const value = rt.evaluateScript("file:///eval.js", `(async () => (await import("./lib.js")).x + 1)()`);
    await rt.runEventLoop();
    await expect(value).resolves.toBe(43);
  });

  test("JSON modules need { with: { type: 'json' } }; the engine converts the specifier first", async () => {
    const rt = await runtimeWith(LIB);
    const out = await script(
      rt,
      `
      import("./data.json", { with: { type: "json" } }).then((m) => out.push("json:" + m.default.a));
      import("./data.json").catch((e) => out.push("plain:" + e.name));
      import("./lib.js", { with: { type: "css" } }).catch((e) => out.push("css:" + e.name));
      import("./lib.js", { with: { kind: "x" } }).catch((e) => out.push("key:" + e.name));
      const spec = { toString() { out.push("toString"); return "./lib.js"; } };
      import(spec).then((m) => out.push("object:" + m.x));
      out.push("sync-end");
      `,
    );
    const got = JSON.parse(out as string) as string[];
    // ToString runs during the import() call, before the script's next statement.
    expect(got.indexOf("toString")).toBeLessThan(got.indexOf("sync-end"));
    expect(got.sort()).toEqual(
      ["css:TypeError", "json:1", "key:SyntaxError", "object:42", "plain:TypeError", "sync-end", "toString"].sort(),
    );
  });

  test("failures are rejections that keep their class and name the module", async () => {
    const rt = await runtimeWith({ "bad.js": "export const = 1;", "throws.js": "throw new RangeError('at eval');" });
    const out = await script(
      rt,
      `
      const report = (tag) => (e) => out.push(tag + ":" + e.name + ":" + e.message);
      import("./missing.js").catch(report("missing"));
      import("ext:core/ops").catch(report("ext"));
      import("./bad.js").catch(report("syntax"));
      import("./throws.js").catch(report("throws"));
      import("bare").catch(report("bare"));
      `,
    );
    const got = (JSON.parse(out as string) as string[]).sort();
    expect(got[0]).toMatch(/^bad:|^bare:TypeError:.*"bare"/);
    expect(got.find((l) => l.startsWith("missing:"))).toMatch(/^missing:NotFound:.*file:\/\/\/missing\.js/);
    expect(got.find((l) => l.startsWith("ext:"))).toMatch(/^ext:PermissionDenied:/);
    expect(got.find((l) => l.startsWith("syntax:"))).toMatch(/^syntax:SyntaxError:/);
    expect(got.find((l) => l.startsWith("throws:"))).toBe("throws:RangeError:at eval");
  });

  test("an uncaught failed import() fails the run with its class", async () => {
    const rt = await runtimeWith({});
    rt.executeScript("file:///main.js", `import("./nope.js"); void 0`);
    const error = await rt.runEventLoop().catch((e) => e);
    expect(error).toBeInstanceOf(GuestError);
    expect(error.guestName).toBe("NotFound");
    expect(error.message).toContain("file:///nope.js");
  });

  test("a script that imports itself as a module: the module is evaluated once", async () => {
    const self = `globalThis.runs = (globalThis.runs ?? 0) + 1; export const me = "module";`;
    const rt = await runtimeWith({ "self.js": self });
    const out = await script(
      rt,
      `Promise.all([import("./self.js"), import("./self.js")]).then(([a, b]) => out.push(a === b, a.me, globalThis.runs));`,
      "file:///self.js",
    );
    expect(out).toBe('[true,"module",1]');
  });

  test("a script imports a module that imports it back, and the other way round", async () => {
    const rt = await runtimeWith({
      "a.js": `export const name = "a"; export const b = () => import("./b.js");`,
      "b.js": `import { name } from "./a.js"; export const back = async () => (await import("./a.js")).name + name;`,
    });
    const out = await script(
      rt,
      `import("./a.js").then((a) => a.b()).then((b) => b.back()).then((v) => out.push(v));`,
      "file:///a.js",
    );
    expect(out).toBe('["aa"]');
  });

  test("loads files added after the runtime started (nothing is prepared ahead)", async () => {
    const loader = new MemoryModuleLoader();
    const rt = await JsRuntime.create({ moduleLoader: loader });
    live.push(rt);
    rt.executeScript(
      "file:///main.js",
      `globalThis.out = []; import("./late.js").catch((e) => out.push(e.name)); void 0`,
    );
    await rt.runEventLoop();
    loader.set("late.js", "export const late = true;");
    const out = await script(rt, `import("./late.js").then((m) => out.push(m.late));`);
    expect(out).toBe("[true]");
  });

  test("50 concurrent imports of distinct TypeScript modules", async () => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 50; i++) files[`m${i}.ts`] = `const n: number = ${i}; export default n;`;
    const rt = await runtimeWith(files);
    const out = await script(
      rt,
      `Promise.all(Array.from({ length: 50 }, (_, i) => import("./m" + i + ".ts"))).then((ms) => out.push(ms.reduce((s, m) => s + m.default, 0)));`,
    );
    expect(out).toBe("[1225]");
  });

  test("guest code that replaces Promise.prototype.then and Object.keys first cannot break import()", async () => {
    const rt = await runtimeWith(LIB);
    const out = await script(
      rt,
      `
      const then = Promise.prototype.then;
      Object.keys = () => { throw new Error("keys"); };
      Promise.prototype.then = function () { throw new Error("hijacked"); };
      then.call(import("./data.json", { with: { type: "json" } }), (m) => out.push(m.default.a));
      then.call(import("./lib.js"), (m) => out.push(m.x));
      `,
    );
    expect(JSON.parse(out as string).sort()).toEqual([1, 42]);
  });
});

describe("import() from a module", () => {
  test("eval inside a module resolves against the module; nested shapes work", async () => {
    const rt = await runtimeWith({
      ...LIB,
      "dir/main.js": `
        export const viaEval = await eval("import('../lib.js')");
        export const nested = await (async function () { for (const s of ["../lib.js"]) { if (s) return import(s); } })();
        export const same = viaEval === nested;
        export const x = viaEval.x;
      `,
    });
    const id = await rt.loadMainModule("file:///dir/main.js");
    const done = rt.evaluateModule(id);
    await rt.runEventLoop();
    await done;
    expect(rt.getModuleNamespace(id)).toMatchObject({ same: true, x: 42 });
  });

  test("a missing module is NotFound for import() from a module too", async () => {
    const rt = await runtimeWith({ "main.js": `export const e = await import("./gone.js").catch((e) => e.name);` });
    const id = await rt.loadMainModule("file:///main.js");
    const done = rt.evaluateModule(id);
    await rt.runEventLoop();
    await done;
    expect(rt.getModuleNamespace(id)).toEqual({ e: NotFound.name });
  });
});

describe("errors keep their class", () => {
  test.each([
    ["class Test262Error { constructor(m) { this.message = m; } } throw new Test262Error('t262');", "Test262Error"],
    ["function Legacy(m) { this.message = m; } throw new Legacy('old style');", "Legacy"],
    ["class MyError extends Error {} throw new MyError('sub');", "MyError"],
    ["class Named extends Error { get name() { return 'Custom'; } } throw new Named('n');", "Custom"],
    ["throw new TypeError('native');", "TypeError"],
    ["throw { message: 'plain object' };", "Error"],
  ])("%s", async (source, name) => {
    const rt = await runtimeWith({});
    const error = (() => {
      try {
        rt.executeScript("file:///throw.js", source);
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(GuestError);
    expect((error as GuestError).guestName).toBe(name);
  });

  test("a constructor whose name is a getter is not called", async () => {
    const rt = await runtimeWith({});
    const error = (() => {
      try {
        rt.executeScript(
          "file:///throw.js",
          `class K {} Object.defineProperty(K, "name", { get() { globalThis.ran = true; return "Evil"; } });
           throw new K();`,
        );
      } catch (e) {
        return e;
      }
    })() as GuestError;
    expect(error.guestName).toBe("Error");
    expect(rt.executeScript("read.js", "globalThis.ran === undefined")).toBe(true);
  });
});

/**
 * test262 dynamic-import/for-await-resolution-and-error, catch/*-eval-rqstd-abrupt-*,
 * restated: a module that throws a primitive while it evaluates rejects the import()
 * that asked for it, and nothing else. QuickJS evaluates a module body as an async
 * function and moves that function's rejection into the module's own promise; the
 * first, internal promise is never handled, and must not count as an unhandled
 * rejection (an object thrown was excused by identity; a primitive has none).
 */
describe("a dynamically imported module that throws a primitive", () => {
  const THROWN = ["1", "'foo'", "undefined", "null", "1.5", "2n ** 70n", "Symbol.iterator", "true"];

  test.each(THROWN)("throw %s: the import() rejects with it, the run does not fail", async (thrown) => {
    const rt = await runtimeWith({
      "poisoned.js": `throw ${thrown};`,
      "ok.js": "export const x = 42;",
    });
    const out = await script(
      rt,
      `
      const expected = ${thrown};
      const seen = (e) => out.push(e === expected || (typeof e === "bigint" && e === expected) ? "same" : "other:" + String(e));
      import("./poisoned.js").then(() => out.push("resolved"), seen);
      import("./poisoned.js").catch(seen);
      (async () => {
        const r = [];
        try {
          for await (const m of [import("./ok.js"), import("./poisoned.js"), import("./ok.js")]) r.push(m.x);
        } catch (e) { seen(e); out.push(r.join()); }
      })();
      `,
    );
    expect(JSON.parse(out as string)).toEqual(["same", "same", "same", "42"]);
  });

  test("from a module's top-level await: caught, the module finishes", async () => {
    const rt = await runtimeWith({
      "poisoned.js": "throw 7;",
      "main.js": "export let caught; try { await import('./poisoned.js'); } catch (e) { caught = e; }",
    });
    const id = await rt.loadMainModule("file:///main.js");
    const evaluated = rt.evaluateModule(id);
    await rt.runEventLoop();
    await evaluated;
    expect(rt.getModuleNamespace(id)).toEqual({ caught: 7 });
  });

  test("a guest's own unhandled Promise.reject(1) in that module is still reported", async () => {
    const rt = await runtimeWith({ "poisoned.js": "Promise.reject(1); throw 1;" });
    rt.executeScript("file:///main.js", "import('./poisoned.js').catch(() => {}); void 0");
    await expect(rt.runEventLoop()).rejects.toThrow(/Uncaught \(in promise\) 1/);
  });

  test("an uncaught primitive from import() still fails the run, once", async () => {
    const rt = await runtimeWith({ "poisoned.js": "throw 'boom';" });
    rt.executeScript("file:///main.js", "import('./poisoned.js'); void 0");
    await expect(rt.runEventLoop()).rejects.toThrow(/Uncaught \(in promise\) boom/);
    // The next call starts clean.
    rt.executeScript("file:///again.js", "globalThis.after = 1;");
    await rt.runEventLoop();
  });
});
