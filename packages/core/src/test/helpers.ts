import { defineExtension, type Extension, type ExtensionDefinition } from "../extension.ts";
import { JsRuntime, type RuntimeOptions } from "../runtime.ts";

/**
 * An extension that puts the named ops on `globalThis.t` so tests can call them
 * from scripts (real extensions keep ops private).
 */
export function exposeOps(ops: ExtensionDefinition["ops"], extra = ""): Extension {
  const names = Object.keys(ops ?? {});
  return defineExtension({
    name: "test_ops",
    ops,
    esm: {
      "ext:test_ops/mod.js": `import { ${names.join(", ")} } from "ext:core/ops";
import { core } from "ext:core/mod.js";
globalThis.t = { ${names.join(", ")} };
globalThis.core = core;
${extra}`,
    },
    esmEntryPoints: ["ext:test_ops/mod.js"],
  });
}

/** Creates a runtime, runs `body`, and always disposes it (the debug build fails on leaks there). */
export async function withRuntime<T>(options: RuntimeOptions, body: (rt: JsRuntime) => Promise<T> | T): Promise<T> {
  const rt = await JsRuntime.create(options);
  try {
    return await body(rt);
  } finally {
    rt.dispose();
  }
}

/** The wasm memories `body` made: one per new engine (instance), none for a reused one. */
export async function newMemories<T>(body: () => Promise<T>): Promise<{ result: T; memories: WebAssembly.Memory[] }> {
  const original = WebAssembly.Memory;
  const memories: WebAssembly.Memory[] = [];
  WebAssembly.Memory = new Proxy(original, {
    construct(target, args, newTarget) {
      const memory = Reflect.construct(target, args, newTarget) as WebAssembly.Memory;
      memories.push(memory);
      return memory;
    },
  });
  try {
    return { result: await body(), memories };
  } finally {
    WebAssembly.Memory = original;
  }
}

/** How many new wasm engines (instances, each with its own memory) `body` made. */
export async function engineCreations<T>(body: () => Promise<T>): Promise<{ result: T; made: number }> {
  const { result, memories } = await newMemories(body);
  return { result, made: memories.length };
}
