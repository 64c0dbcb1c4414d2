/**
 * A small test262 runner for the module tests (not part of the package or the
 * unit tests): runs each test of a test262 checkout's directories through
 * Islet (`JsRuntime`) and, with `--engine`, through bare quickjs-emscripten
 * with a plain synchronous loader, and prints pass counts per directory.
 *
 *   pnpm exec tsx packages/core/src/modules/test262.ts <test262-dir> \
 *     test/language/expressions/dynamic-import test/language/module-code [--engine] [--failures]
 *
 * Each test runs once (strict when `onlyStrict` or a module, sloppy otherwise),
 * in a fresh runtime, with `assert.js`, `sta.js` and its `includes`; `$DONE`
 * records the outcome of `async` tests. Fixtures (`*_FIXTURE.js`) are served
 * from the checkout by URL under `file:///`.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import releaseVariant from "@jitl/quickjs-wasmfile-release-sync";
import { newQuickJSWASMModuleFromVariant } from "quickjs-emscripten-core";
import { GuestError, NotFound } from "../errors.ts";
import { JsRuntime } from "../runtime.ts";
import { type LoadedModule, type ModuleLoader, moduleTypeOf } from "./loader.ts";

interface Meta {
  flags: string[];
  includes: string[];
  negative?: { phase: string; type: string };
}

type Outcome = { pass: true } | { pass: false; why: string };

function parseMeta(source: string): Meta {
  const yaml = /\/\*---([\s\S]*?)---\*\//.exec(source)?.[1] ?? "";
  const list = (key: string): string[] => {
    const inline = new RegExp(`^${key}:\\s*\\[(.*)\\]`, "m").exec(yaml);
    if (inline)
      return (inline[1] ?? "")
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean);
    const block = new RegExp(`^${key}:\\s*\\n((?:\\s+-.*\\n?)+)`, "m").exec(yaml);
    return block
      ? (block[1] ?? "")
          .split("\n")
          .map((l) => l.replace(/^\s*-\s*/, "").trim())
          .filter(Boolean)
      : [];
  };
  const meta: Meta = { flags: list("flags"), includes: list("includes") };
  const neg = /^negative:\s*\n\s+phase:\s*(\S+)\s*\n\s+type:\s*(\S+)/m.exec(yaml);
  if (neg) meta.negative = { phase: neg[1] as string, type: neg[2] as string };
  return meta;
}

function listTests(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...listTests(path));
    else if (name.endsWith(".js") && !name.includes("_FIXTURE")) out.push(path);
  }
  return out;
}

const PRELUDE = `
globalThis.__t262 = [];
globalThis.print = function (m) { globalThis.__t262.push(String(m)); };
globalThis.$DONE = function (e) {
  globalThis.__t262.push(e === undefined || e === null || e === false
    ? "Test262:AsyncTestComplete"
    : "Test262:AsyncTestFailure:" + (e && e.name) + ": " + (e && e.message !== undefined ? e.message : String(e)));
};
globalThis.$262 = { global: globalThis, evalScript(s) { return (0, eval)(s); }, gc() {}, agent: {} };
void 0;
`;
/** Appended to classic scripts: a completion value that is a function or a promise cannot be copied to the host. */
const NO_COMPLETION = "\n;void 0;";

class Checkout {
  constructor(readonly root: string) {}
  urlOf(path: string): string {
    return `file:///${relative(this.root, path).split("\\").join("/")}`;
  }
  pathOf(url: string): string {
    return join(this.root, decodeURIComponent(new URL(url).pathname));
  }
  read(url: string): string {
    return readFileSync(this.pathOf(url), "utf8");
  }
  harness(meta: Meta): [string, string][] {
    if (meta.flags.includes("raw")) return [];
    const names = ["assert.js", "sta.js", ...meta.includes.filter((n) => n !== "doneprintHandle.js")];
    return names.map((n) => [`harness/${n}`, readFileSync(join(this.root, "harness", n), "utf8")]);
  }
}

class DiskLoader implements ModuleLoader {
  constructor(readonly checkout: Checkout) {}
  resolve(specifier: string, referrer: string): string {
    return new URL(specifier, referrer).href;
  }
  async load(url: string): Promise<LoadedModule> {
    try {
      return { source: this.checkout.read(url), type: moduleTypeOf(url) };
    } catch {
      throw new NotFound(`Module not found "${url}"`);
    }
  }
}

function judge(meta: Meta, error: unknown, output: string[]): Outcome {
  if (meta.negative !== undefined) {
    if (error === undefined) return { pass: false, why: `expected ${meta.negative.type}, got no error` };
    const name = error instanceof GuestError ? error.guestName : (error as Error)?.name;
    return name === meta.negative.type
      ? { pass: true }
      : { pass: false, why: `expected ${meta.negative.type}, got ${name}: ${(error as Error)?.message}` };
  }
  if (error !== undefined) {
    const name = error instanceof GuestError ? error.guestName : (error as Error)?.name;
    return { pass: false, why: `${name}: ${(error as Error)?.message ?? String(error)}` };
  }
  if (meta.flags.includes("async")) {
    if (output.includes("Test262:AsyncTestComplete")) return { pass: true };
    return { pass: false, why: output.find((l) => l.startsWith("Test262:AsyncTestFailure")) ?? "$DONE was not called" };
  }
  return { pass: true };
}

async function runIslet(checkout: Checkout, path: string): Promise<Outcome> {
  const source = readFileSync(path, "utf8");
  const meta = parseMeta(source);
  const url = checkout.urlOf(path);
  const runtime = await JsRuntime.create({ moduleLoader: new DiskLoader(checkout), limits: { cpuMs: 5000 } });
  let error: unknown;
  let output: string[] = [];
  try {
    try {
      runtime.executeScript("harness/prelude.js", PRELUDE);
      for (const [name, code] of checkout.harness(meta)) runtime.executeScript(name, code + NO_COMPLETION);
      if (meta.flags.includes("module")) {
        const id = await runtime.loadMainModule(url);
        const evaluated = runtime.evaluateModule(id);
        await runtime.runEventLoop();
        await evaluated;
      } else {
        const strict = meta.flags.includes("onlyStrict") ? '"use strict";\n' : "";
        runtime.executeScript(url, strict + source + NO_COMPLETION);
        await runtime.runEventLoop();
      }
    } catch (e) {
      error = e;
    }
    try {
      output = JSON.parse(String(runtime.executeScript("harness/out.js", "JSON.stringify(globalThis.__t262)")));
    } catch {}
  } finally {
    try {
      runtime.dispose();
    } catch {}
  }
  return judge(meta, error, output);
}

const engineModule = newQuickJSWASMModuleFromVariant(releaseVariant);

async function runEngine(checkout: Checkout, path: string): Promise<Outcome> {
  const source = readFileSync(path, "utf8");
  const meta = parseMeta(source);
  const url = checkout.urlOf(path);
  const qjs = await engineModule;
  const rt = qjs.newRuntime();
  rt.setMemoryLimit(64 << 20);
  rt.setModuleLoader(
    (name) => checkout.read(name),
    (base, name) => new URL(name, base).href,
  );
  const ctx = rt.newContext();
  let error: unknown;
  const run = (code: string, name: string, module: boolean) => {
    const r = ctx.evalCode(code, name, { type: module ? "module" : "global" });
    if (r.error) {
      const e = ctx.dump(r.error) as { name?: string; message?: string };
      r.error.dispose();
      throw Object.assign(new Error(String(e?.message ?? e)), { name: String(e?.name ?? "Error") });
    }
    return r.value;
  };
  try {
    run(PRELUDE, "harness/prelude.js", false).dispose();
    for (const [name, code] of checkout.harness(meta)) run(code, name, false).dispose();
    const strict = meta.flags.includes("onlyStrict") ? '"use strict";\n' : "";
    const module = meta.flags.includes("module");
    const value = run(module ? source : strict + source, url, module);
    for (let i = 0; i < 1000 && rt.hasPendingJob(); i++) {
      const r = rt.executePendingJobs();
      if (r.error) {
        r.error.dispose();
        break;
      }
    }
    if (module) {
      const state = ctx.getPromiseState(value);
      if (state.type === "rejected") {
        const e = ctx.dump(state.error) as { name?: string; message?: string };
        state.error.dispose();
        error = Object.assign(new Error(String(e?.message ?? e)), { name: String(e?.name ?? "Error") });
      } else if (state.type === "fulfilled" && state.value !== value) state.value.dispose();
    }
    value.dispose();
  } catch (e) {
    error = e;
  }
  const out = run("JSON.stringify(globalThis.__t262 || [])", "harness/out.js", false);
  const output = JSON.parse(ctx.getString(out)) as string[];
  out.dispose();
  ctx.dispose();
  rt.dispose();
  return judge(meta, error, output);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const root = args.find((a) => !a.startsWith("--"));
  if (root === undefined) throw new Error("usage: test262.ts <test262-dir> [dirs…] [--engine] [--failures]");
  const dirs = args.filter((a) => !a.startsWith("--") && a !== root);
  const checkout = new Checkout(root);
  const runners: [string, typeof runIslet][] = [["islet", runIslet]];
  if (args.includes("--engine")) runners.push(["engine", runEngine]);
  for (const dir of dirs.length > 0 ? dirs : ["test/language/expressions/dynamic-import"]) {
    const tests = listTests(join(root, dir));
    for (const [label, run] of runners) {
      const byDir = new Map<string, [number, number]>();
      const failures: string[] = [];
      for (const path of tests) {
        const group = relative(join(root, dir), path).split("/").slice(0, -1).join("/") || ".";
        const counts = byDir.get(group) ?? [0, 0];
        const outcome = await run(checkout, path);
        counts[1]++;
        if (outcome.pass) counts[0]++;
        else failures.push(`${relative(root, path)}: ${outcome.why}`);
        byDir.set(group, counts);
      }
      let pass = 0;
      for (const [, [p]] of byDir) pass += p;
      console.log(`${label} ${dir}: ${pass}/${tests.length}`);
      for (const [group, [p, n]] of [...byDir].sort()) console.log(`  ${group}: ${p}/${n}`);
      if (args.includes("--failures")) for (const f of failures) console.log(`  FAIL ${f.slice(0, 300)}`);
    }
  }
}

await main();
