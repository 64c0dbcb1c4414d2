import { describe, expect, test } from "vitest";
import { sharedWebRuntime } from "./test/shared_runtime.ts";

const { runtime, run } = sharedWebRuntime();
async function loop(src: string): Promise<unknown> {
  run(
    `globalThis.__out = undefined; (async () => { ${src}\n })().then((v) => { __out = v; }, (e) => { __out = "threw " + e.name + ": " + e.message; }); 0;`,
  );
  await runtime().runEventLoop();
  return run("globalThis.__out");
}

describe("byte streams", () => {
  test("smoke", async () => {
    expect(
      await loop(`
      const rs = new ReadableStream({ type: "bytes", start(c) { c.enqueue(new Uint8Array([1, 2, 3])); c.close(); } });
      const r = rs.getReader({ mode: "byob" });
      const a = await r.read(new Uint8Array(2));
      const b = await r.read(new Uint8Array(2));
      const c = await r.read(new Uint8Array(2));
      return [[...a.value], a.done, [...b.value], b.done, [...c.value], c.done];`),
    ).toEqual([[1, 2], false, [3], false, [], true]);
  });
});
