/**
 * Module loading: a 200-module graph from MemoryModuleLoader (JavaScript, and
 * TypeScript stripped on load) vs. raw quickjs-emscripten's own
 * `setModuleLoader` over the same sources (already JavaScript). Timed: load
 * (prepare the graph) + evaluate; runtime creation is not. Best of 5, in ms
 * per module. TypeScript is transpiled cold in every round (no cache hits).
 */
import { JsRuntime, MemoryModuleLoader } from "@islet/core";
import releaseVariant from "@jitl/quickjs-wasmfile-release-sync";
import { newQuickJSWASMModuleFromVariant } from "quickjs-emscripten-core";
import type { Row } from "./core.ts";

const MODULES = 200;
const ROUNDS = 5;

/** Module i imports 2i+1 and 2i+2: a tree of MODULES files, each with a little code. */
function project(ts: boolean): Record<string, string> {
  const ext = ts ? "ts" : "js";
  const files: Record<string, string> = {};
  for (let i = 0; i < MODULES; i++) {
    const kids = [2 * i + 1, 2 * i + 2].filter((k) => k < MODULES);
    const lines = kids.map((k) => `import { value as v${k} } from "./m${k}.${ext}";`);
    if (ts) lines.push(`interface Point { x: number; y: number }`, `type Id = string | number;`);
    const t = (s: string) => (ts ? s : "");
    lines.push(
      `function area(p${t(": Point")})${t(": number")} { return p.x * p.y; }`,
      `const id${t(": Id")} = "m${i}";`,
      `export class Box${i} { constructor(${ts ? "public w: number, public h: number" : "w, h"}) { ${ts ? "" : "this.w = w; this.h = h;"} } size()${t(": number")} { return area({ x: this.w, y: this.h }); } }`,
      `export const value${t(": number")} = ${kids.map((k) => `v${k}`).join(" + ") || "0"} + new Box${i}(1, 2).size() + id.length;`,
    );
    files[`m${i}.${ext}`] = `${lines.join("\n")}\n`;
  }
  return files;
}

async function isletMs(project: Record<string, string>, entry: string): Promise<number> {
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < ROUNDS; r++) {
    // New text each round, so TypeScript is transpiled cold (Islet caches transpiled output by source).
    const files = Object.fromEntries(Object.entries(project).map(([k, v]) => [k, `${v}// round ${r}\n`]));
    const rt = await JsRuntime.create({ moduleLoader: new MemoryModuleLoader({ files }) });
    const t0 = performance.now();
    const id = await rt.loadMainModule(`file:///${entry}`);
    const evaluated = rt.evaluateModule(id);
    await rt.runEventLoop();
    await evaluated;
    best = Math.min(best, performance.now() - t0);
    rt.dispose();
  }
  return best / MODULES;
}

async function rawMs(files: Record<string, string>): Promise<number> {
  const module = await newQuickJSWASMModuleFromVariant(releaseVariant);
  const sources = new Map(Object.entries(files).map(([k, v]) => [`file:///${k}`, v]));
  let best = Number.POSITIVE_INFINITY;
  for (let r = 0; r < ROUNDS; r++) {
    const rt = module.newRuntime();
    rt.setModuleLoader(
      (name) => sources.get(name) ?? { error: new Error(`not found ${name}`) },
      (base, spec) => new URL(spec, base).href,
    );
    const ctx = rt.newContext();
    const t0 = performance.now();
    const result = ctx.evalCode(`import "./m0.js";`, "file:///main.js", { type: "module" });
    const promise = ctx.unwrapResult(result);
    rt.executePendingJobs();
    const state = ctx.getPromiseState(promise);
    best = Math.min(best, performance.now() - t0);
    if (state.type === "rejected") throw new Error(`raw module graph failed: ${JSON.stringify(ctx.dump(state.error))}`);
    if (state.type === "fulfilled" && state.value !== promise) state.value.dispose();
    promise.dispose();
    ctx.dispose();
    rt.dispose();
  }
  return best / MODULES;
}

export async function modulesBench(): Promise<Row[]> {
  const js = project(false);
  const ts = project(true);
  const raw = await rawMs(js);
  return [
    {
      name: `modules: load+evaluate ${MODULES}-module graph, JavaScript`,
      islet: await isletMs(js, "m0.js"),
      raw,
      unit: "ms/module",
    },
    {
      name: `modules: load+evaluate ${MODULES}-module graph, TypeScript (raw: same graph as JS)`,
      islet: await isletMs(ts, "m0.ts"),
      raw,
      unit: "ms/module",
    },
  ];
}
