// Release build only (the root vite.config leaves *.release.test.ts out of the debug run):
// 50 MB moved through the debug build's checked allocator takes minutes.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { JsRuntime } from "@islet/core";
import { afterAll, beforeAll, expect, test } from "vitest";
import { web } from "./index.ts";
import { sendBigBody } from "./test/big_body.ts";

const BIG = 50 << 20;
let server: Server;
let port = 0;
beforeAll(async () => {
  server = createServer((_req, res) => sendBigBody(res, BIG, 98));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

test("a 50 MB body read through body.getReader() chunk by chunk in a 16 MiB guest", async () => {
  // 16 MiB of guest memory cannot hold the body whole: passing proves each chunk is
  // pulled on demand and dropped, never collected.
  const rt = await JsRuntime.create({
    extensions: web({ fetch: { maxResponseBytes: BIG } }),
    permissions: { net: [`127.0.0.1:${port}`] },
    limits: { memoryBytes: 16 << 20 },
  });
  try {
    rt.executeScript(
      "t.js",
      `globalThis.__out = undefined;
      (async () => {
        const r = await fetch("http://127.0.0.1:${port}/");
        const reader = r.body.getReader();
        let total = 0, chunks = 0, biggest = 0, allB = true;
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          total += value.length; chunks++; if (value.length > biggest) biggest = value.length;
          if (value[0] !== 98 || value[value.length - 1] !== 98) allB = false;
        }
        return [total, chunks > 10, biggest <= (4 << 20), allB, r.bodyUsed];
      })().then((v) => { __out = { ok: v }; }, (e) => { __out = { err: String(e) }; }); 0`,
    );
    await rt.runEventLoop();
    expect(rt.executeScript("t.js", "__out")).toEqual({ ok: [BIG, true, true, true, true] });
    expect(rt.resources()).toEqual([]);
  } finally {
    rt.dispose();
  }
}, 30_000);

test("a 50 MB body read with bytes() fits the default 64 MiB guest memory", async () => {
  const rt = await JsRuntime.create({
    extensions: web({ fetch: { maxResponseBytes: BIG } }),
    permissions: { net: [`127.0.0.1:${port}`] },
  });
  try {
    const read = rt.evaluateScript(
      "t.js",
      `fetch("http://127.0.0.1:${port}/").then((r) => r.bytes()).then((b) => [b.length, b[0], b[b.length - 1]])`,
    );
    await rt.runEventLoop();
    await expect(read).resolves.toEqual([BIG, 98, 98]);
    expect(rt.resources()).toEqual([]);
  } finally {
    rt.dispose();
  }
}, 60_000);
