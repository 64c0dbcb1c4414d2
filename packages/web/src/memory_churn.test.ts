/**
 * A heavy user's loops: many large platform objects made and dropped, one live at a
 * time, under a heap far smaller than their sum. The platform keeps each object's state
 * in internal slots (core's SafeWeakMap: a private field on the object), released with
 * the object by reference counting; in a real WeakMap, QuickJS releases an entry only at
 * a garbage collection, which large allocations do not trigger, and these loops ran out
 * of memory with one object live.
 */
import { JsRuntime } from "@islet/core";
import { expect, test } from "vitest";
import { web } from "./index.ts";

const LOOPS: [name: string, body: string][] = [
  ["Blob → arrayBuffer()", `n += (await new Blob([new Uint8Array(1 << 20)]).arrayBuffer()).byteLength;`],
  ["Response(bytes) → arrayBuffer()", `n += (await new Response(new Uint8Array(1 << 20)).arrayBuffer()).byteLength;`],
  ["Response(string) → text()", `n += (await new Response("x".repeat(1 << 20)).text()).length;`],
  [
    "Response(blob stream) read chunk by chunk",
    `const rd = new Response(new Blob([new Uint8Array(1 << 20)]).stream()).body.getReader();
     for (;;) { const { done, value } = await rd.read(); if (done) break; n += value.length; }`,
  ],
  [
    "Request(bytes) → arrayBuffer()",
    `n += (await new Request("http://x/", { method: "POST", body: new Uint8Array(1 << 20) }).arrayBuffer()).byteLength;`,
  ],
];

for (const [name, body] of LOOPS) {
  test(`120 × 1 MiB ${name} under a 48 MiB heap`, { timeout: 120_000 }, async () => {
    const rt = await JsRuntime.create({ extensions: web(), limits: { memoryBytes: 48 << 20 } });
    try {
      const total = rt.evaluateScript(
        "churn.js",
        `(async () => { let n = 0; for (let i = 0; i < 120; i++) { ${body} } return n; })()`,
      );
      await rt.runEventLoop();
      await expect(total).resolves.toBe(120 << 20);
    } finally {
      rt.dispose();
    }
  });
}

test("slots stay invisible: a platform object has no own keys, and a frozen object can be a key", async () => {
  const rt = await JsRuntime.create({ extensions: web() });
  try {
    const out = rt.executeScript(
      "slots.js",
      `const b = new Blob(["ab"]); const h = new Headers([["a", "1"]]);
       const frozen = Object.freeze(new EventTarget());
       let heard = 0; frozen.addEventListener("x", () => heard++); frozen.dispatchEvent(new Event("x"));
       JSON.stringify([Reflect.ownKeys(b), Object.getOwnPropertySymbols(h), b.size, h.get("a"), heard])`,
    );
    expect(JSON.parse(out as string)).toEqual([[], [], 2, "1", 1]);
  } finally {
    rt.dispose();
  }
});
