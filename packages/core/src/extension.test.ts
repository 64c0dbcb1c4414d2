import { describe, expect, test } from "vitest";
import { defineExtension } from "./extension.ts";
import { op } from "./ops.ts";
import { JsRuntime } from "./runtime.ts";
import { withRuntime } from "./test/helpers.ts";

const logExt = (name: string, deps: string[] = []) =>
  defineExtension({
    name,
    deps,
    esm: { [`ext:${name}/mod.js`]: `(globalThis.order ??= []).push(${JSON.stringify(name)});` },
    esmEntryPoints: [`ext:${name}/mod.js`],
  });

describe("extensions", () => {
  test("initialise in dependency order, whatever order they are listed in", async () => {
    const stateOrder: string[] = [];
    const withState = (name: string, deps: string[]) => ({
      ...logExt(name, deps),
      state: () => void stateOrder.push(name),
    });
    await withRuntime({ extensions: [withState("c", ["b"]), withState("a", []), withState("b", ["a"])] }, (rt) => {
      expect(rt.executeScript("t.js", "order")).toEqual(["a", "b", "c"]);
      expect(stateOrder).toEqual(["a", "b", "c"]);
    });
  });

  test("a missing dependency, a duplicate, a cycle and a duplicate op are clear errors at create()", async () => {
    await expect(JsRuntime.create({ extensions: [logExt("a", ["nope"])] })).rejects.toThrow(
      /extension "a" depends on "nope", which is missing/,
    );
    await expect(JsRuntime.create({ extensions: [logExt("a"), logExt("a")] })).rejects.toThrow(/"a" is listed twice/);
    await expect(JsRuntime.create({ extensions: [logExt("a", ["b"]), logExt("b", ["a"])] })).rejects.toThrow(
      /dependency cycle: a -> b -> a/,
    );
    const one = defineExtension({ name: "one", ops: { op_same: op.sync(() => 1) } });
    const two = defineExtension({ name: "two", ops: { op_same: op.sync(() => 2) } });
    await expect(JsRuntime.create({ extensions: [one, two] })).rejects.toThrow(
      /op "op_same" is defined by both "one" and "two"/,
    );
    await expect(JsRuntime.create({ extensions: [defineExtension({ name: "core" })] })).rejects.toThrow(
      /"core" is listed twice/,
    );
  });

  test("bad options to create() are TypeErrors that say what was expected", async () => {
    await expect(JsRuntime.create(null as never)).rejects.toThrow(/options must be an object/);
    await expect(JsRuntime.create({ extensions: 5 as never })).rejects.toThrow(/options.extensions must be an array/);
    await expect(JsRuntime.create({ extensions: [logExt("a"), {} as never] })).rejects.toThrow(
      /options.extensions\[1\] is not an extension; make it with defineExtension\(\)/,
    );
    await expect(JsRuntime.create({ limits: "fast" as never })).rejects.toThrow(/limits: expected an object/);
  });

  test("defineExtension validates names, ops and modules", () => {
    expect(() => defineExtension({ name: "Bad Name" })).toThrow(TypeError);
    expect(() => defineExtension({ name: "x", ops: { notAnOp: op.sync(() => 1) } })).toThrow(/must match/);
    expect(() => defineExtension({ name: "x", ops: { op_x: (() => 1) as never } })).toThrow(
      /op.sync\(\) or op.async\(\)/,
    );
    expect(() => defineExtension({ name: "x", esm: { "ext:y/a.js": "" } })).toThrow(/must be named ext:x\//);
    expect(() => defineExtension({ name: "x", esmEntryPoints: ["ext:x/a.js"] })).toThrow(/not in esm/);
  });

  test("entry points run once; other modules run when imported; relative imports stay inside ext:", async () => {
    const ext = defineExtension({
      name: "multi",
      esm: {
        "ext:multi/a.js": `import { b } from "./b.js"; globalThis.fromA = b; (globalThis.runs ??= []).push("a");`,
        "ext:multi/b.js": `export const b = "b"; (globalThis.runs ??= []).push("b");`,
        "ext:multi/c.js": `import { b } from "ext:multi/b.js"; (globalThis.runs ??= []).push("c");`,
      },
      esmEntryPoints: ["ext:multi/a.js", "ext:multi/c.js"],
    });
    await withRuntime({ extensions: [ext] }, (rt) => {
      expect(rt.executeScript("t.js", "[fromA, runs]")).toEqual(["b", ["b", "a", "c"]]);
    });
  });

  test("a throwing extension module fails create() with the module named", async () => {
    const bad = defineExtension({
      name: "bad",
      esm: { "ext:bad/m.js": "throw new TypeError('nope')" },
      esmEntryPoints: ["ext:bad/m.js"],
    });
    await expect(JsRuntime.create({ extensions: [bad] })).rejects.toThrow(/nope/);
  });

  test("user code cannot reach the op table or ext: modules", async () => {
    const ext = defineExtension({
      name: "secret",
      ops: { op_secret: op.sync(() => "secret") },
      esm: { "ext:secret/m.js": `import { op_secret } from "ext:core/ops"; globalThis.ok = typeof op_secret;` },
      esmEntryPoints: ["ext:secret/m.js"],
    });
    await withRuntime({ extensions: [ext] }, async (rt) => {
      expect(rt.executeScript("t.js", "ok")).toBe("function");
      const leaks = rt.executeScript(
        "t.js",
        `const seen = new Set(); const found = [];
         function walk(o, path, depth) {
           if (o === null || (typeof o !== "object" && typeof o !== "function") || seen.has(o) || depth > 4) return;
           seen.add(o);
           for (const k of Reflect.ownKeys(o)) {
             let v; try { v = o[k]; } catch { continue; }
             if (typeof k === "string" && /^op_|__islet/.test(k)) found.push(path + "." + k);
             walk(v, path + "." + String(k), depth + 1);
           }
         }
         walk(globalThis, "globalThis", 0); found`,
      );
      expect(leaks).toEqual([]);
      rt.executeScript(
        "t.js",
        `import("ext:core/ops").then(() => { globalThis.imp = "imported" }, (e) => { globalThis.imp = e.message }); 0`,
      );
      await rt.runEventLoop();
      expect(rt.executeScript("t.js", "imp")).toMatch(/ext: modules are reserved/);
    });
  });
});
