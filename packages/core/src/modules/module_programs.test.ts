/**
 * Module programs in the style of test262's language/module-code and
 * language/expressions/dynamic-import: each is a small project whose modules
 * append to `globalThis.log`; the expected log follows the spec's algorithms
 * (InnerModuleEvaluation, async module evaluation, namespace exotic objects).
 */
import { afterEach, expect, test } from "vitest";
import { JsRuntime, MemoryModuleLoader } from "../index.ts";

const live: JsRuntime[] = [];
afterEach(() => {
  for (const rt of live.splice(0)) rt.dispose();
});

const LOG = `const log = (globalThis.log ??= []);`;

async function program(files: Record<string, string>): Promise<{ log: unknown[]; error?: Error }> {
  const rt = await JsRuntime.create({ moduleLoader: new MemoryModuleLoader({ files }) });
  live.push(rt);
  let error: Error | undefined;
  try {
    const id = await rt.loadMainModule("file:///main.js");
    const ev = rt.evaluateModule(id);
    await rt.runEventLoop();
    await ev;
  } catch (e) {
    error = e as Error;
  }
  const log = rt.executeScript("log.js", "globalThis.log ?? []") as unknown[];
  return error ? { log, error } : { log };
}

test("evaluation order: depth-first post-order, each module once", async () => {
  const { log } = await program({
    "main.js": `import "./a.js"; import "./b.js"; ${LOG} log.push("main");`,
    "a.js": `import "./c.js"; ${LOG} log.push("a");`,
    "b.js": `import "./c.js"; import "./d.js"; ${LOG} log.push("b");`,
    "c.js": `${LOG} log.push("c");`,
    "d.js": `${LOG} log.push("d");`,
  });
  expect(log).toEqual(["c", "a", "d", "b", "main"]);
});

test("cycles: the cycle root runs last; live bindings and hoisted functions work across it", async () => {
  const { log } = await program({
    "main.js": `import { a, getB } from "./a.js"; ${LOG} log.push("main:" + a + ":" + getB());`,
    "a.js": `import { b, bump } from "./b.js"; ${LOG} export let a = "a"; export function getB() { return b; } bump(); log.push("a");`,
    "b.js": `import { getB } from "./a.js"; ${LOG} export let b = 1; export function bump() { b++; } log.push("b:" + typeof getB);`,
  });
  expect(log).toEqual(["b:function", "a", "main:a:2"]);
});

test("cycles: reading an uninitialized binding is a ReferenceError (TDZ)", async () => {
  const { log, error } = await program({
    "main.js": `import "./a.js";`,
    "a.js": `import "./b.js"; export let a = 1;`,
    "b.js": `import { a } from "./a.js"; ${LOG} log.push("b"); a;`,
  });
  expect(log).toEqual(["b"]);
  expect(error?.name).toBe("ReferenceError");
});

test("namespace objects: null prototype, sorted keys, toStringTag, not writable, live", async () => {
  const { log } = await program({
    "main.js": `import * as ns from "./m.js"; ${LOG}
      log.push(Object.getPrototypeOf(ns) === null, Object.keys(ns).join(","), ns[Symbol.toStringTag], Object.isExtensible(ns));
      try { ns.z = 1; log.push("wrote"); } catch (e) { log.push(e.name); }
      try { delete ns.z; log.push("deleted"); } catch (e) { log.push(e.name); }
      ns.inc(); log.push(ns.z, "default" in ns, Reflect.has(ns, "nope"));
      const again = await import("./m.js"); log.push(again === ns);`,
    "m.js": `export let z = 0; export function inc() { z++; } export const a = 1; export default "d";`,
  });
  expect(log).toEqual([true, "a,default,inc,z", "Module", false, "TypeError", "TypeError", 1, true, false, true]);
});

test("re-exports: renamed, star-as, and ambiguous star exports left out of the namespace", async () => {
  const { log } = await program({
    "main.js": `import { y, ns } from "./re.js"; import * as amb from "./amb.js"; ${LOG}
      log.push(y, ns.x, Object.keys(amb).join(","));`,
    "re.js": `export { x as y } from "./x.js"; export * as ns from "./x.js";`,
    "x.js": `export const x = "x"; export const dup = 1;`,
    "x2.js": `export const dup = 2; export const only2 = 2;`,
    "amb.js": `export * from "./x.js"; export * from "./x2.js";`,
  });
  expect(log).toEqual(["x", "x", "only2,x"]);
});

test("errors during instantiation: a missing export is a SyntaxError and nothing runs", async () => {
  const { log, error } = await program({
    "main.js": `import "./ok.js"; import { nope } from "./m.js";`,
    "ok.js": `${LOG} log.push("ok");`,
    "m.js": `${LOG} log.push("m"); export const yes = 1;`,
  });
  expect(log).toEqual([]);
  expect(error?.name).toBe("SyntaxError");
  expect(error?.message).toMatch(/nope/);
});

test("errors during instantiation: an ambiguous star import is a SyntaxError", async () => {
  const { error } = await program({
    "main.js": `import { dup } from "./amb.js";`,
    "amb.js": `export * from "./x.js"; export * from "./x2.js";`,
    "x.js": `export const dup = 1;`,
    "x2.js": `export const dup = 2;`,
  });
  expect(error?.name).toBe("SyntaxError");
});

test("TLA ordering: a sibling without TLA runs while the async module waits; importers wait", async () => {
  const { log } = await program({
    "main.js": `import "./a.js"; import "./b.js"; ${LOG} log.push("main");`,
    "a.js": `${LOG} log.push("a:start"); await 0; log.push("a:end");`,
    "b.js": `${LOG} log.push("b");`,
  });
  expect(log).toEqual(["a:start", "b", "a:end", "main"]);
});

test("TLA: a module importing an async module runs after it finishes", async () => {
  const { log } = await program({
    "main.js": `import { v } from "./b.js"; ${LOG} log.push("main:" + v);`,
    "b.js": `import { a } from "./a.js"; ${LOG} export const v = a + 1; log.push("b");`,
    "a.js": `${LOG} log.push("a:start"); export const a = await Promise.resolve(1); log.push("a:end");`,
  });
  expect(log).toEqual(["a:start", "a:end", "b", "main:2"]);
});

test("a throwing module: every import of it sees the same error, evaluation stops", async () => {
  const { log } = await program({
    "main.js": `${LOG}
      const errors = [];
      for (let i = 0; i < 2; i++) { try { await import("./bad.js"); } catch (e) { errors.push(e); } }
      log.push(errors.length, errors[0] === errors[1], errors[0].message);
      try { await import("./uses-bad.js"); } catch (e) { log.push("importer:" + (e === errors[0])); }
      log.push((await import("./fine.js")).fine);`,
    "bad.js": `${LOG} log.push("bad ran"); throw new Error("bad");`,
    "uses-bad.js": `import "./bad.js"; ${LOG} log.push("never");`,
    "fine.js": `export const fine = "fine";`,
  });
  expect(log).toEqual(["bad ran", 2, true, "bad", "importer:true", "fine"]);
});

test("dynamic import: evaluation happens asynchronously, once; the specifier is ToString'd", async () => {
  const { log } = await program({
    "main.js": `${LOG}
      const p = import({ toString() { log.push("toString"); return "./m.js"; } });
      log.push("after import()");
      const [a, b] = await Promise.all([p, import("./m.js")]);
      log.push(a === b, a.n);`,
    "m.js": `${LOG} log.push("m"); export const n = 1;`,
  });
  expect(log).toEqual(["toString", "after import()", "m", true, 1]);
});

test("import.meta is one object per module", async () => {
  const { log } = await program({
    "main.js": `import { meta } from "./m.js"; ${LOG} log.push(import.meta === import.meta, meta === import.meta, typeof import.meta.resolve);`,
    "m.js": `export const meta = import.meta;`,
  });
  expect(log).toEqual([true, false, "function"]);
});
