import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { JsRuntime } from "@islet/core";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { web } from "./index.ts";
import { sendBigBody } from "./test/big_body.ts";

// Each test creates its own runtime (permissions differ); the debug build on a busy machine needs time for that.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

let server: Server;
let port = 0;
let hits: string[] = [];
const BIG = 50 << 20;

beforeAll(async () => {
  server = createServer((req, res) => {
    hits.push(`${req.method} ${req.url}`);
    const url = new URL(req.url ?? "/", "http://x");
    if (url.pathname === "/json") {
      res.setHeader("content-type", "application/json");
      res.setHeader("set-cookie", ["a=1", "b=2"]);
      res.end(JSON.stringify({ hello: "world", method: req.method }));
    } else if (url.pathname === "/echo") {
      const chunks: Buffer[] = [];
      req.on("data", (c) => chunks.push(c));
      req.on("end", () => {
        res.setHeader("x-method", req.method ?? "");
        res.setHeader("x-type", req.headers["content-type"] ?? "");
        res.setHeader("x-custom", req.headers["x-custom"] ?? "");
        res.end(Buffer.concat(chunks));
      });
    } else if (url.pathname === "/redirect") {
      res.statusCode = 302;
      res.setHeader("location", url.searchParams.get("to") ?? "/json");
      res.end();
    } else if (url.pathname === "/see-other") {
      res.statusCode = 303;
      res.setHeader("location", "/echo");
      res.end();
    } else if (url.pathname === "/slow") {
      res.write("start");
      setTimeout(() => res.end("end"), 2000).unref();
    } else if (url.pathname === "/big") {
      sendBigBody(res, BIG, 97);
    } else {
      res.statusCode = 404;
      res.statusMessage = "Nope";
      res.end("not found");
    }
  });
  // The debug build blocks Node's event loop for seconds while it boots a runtime; a server
  // closing an idle keep-alive socket meanwhile makes the next request fail with ECONNRESET.
  server.keepAliveTimeout = 120_000;
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as AddressInfo).port;
});
afterAll(
  () =>
    new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
);

async function runIn(rt: JsRuntime, src: string): Promise<unknown> {
  rt.executeScript(
    "t.js",
    `globalThis.__out = undefined; (async () => { ${src} })().then((v) => { __out = { ok: v } }, (e) => { __out = { err: [e && e.name, String(e && e.message)] } }); 0`,
  );
  await rt.runEventLoop();
  return rt.executeScript("t.js", "__out");
}
async function withRuntime<T>(
  net: string[],
  fn: (rt: JsRuntime) => Promise<T>,
  fetch = {},
  memoryBytes = 64 << 20,
): Promise<T> {
  const rt = await JsRuntime.create({ extensions: web({ fetch }), permissions: { net }, limits: { memoryBytes } });
  try {
    return await fn(rt);
  } finally {
    rt.dispose();
  }
}

describe("Headers", () => {
  test("normalizes, combines, sorts, validates", async () => {
    await withRuntime([], async (rt) => {
      expect(
        rt.executeScript(
          "t.js",
          `const h = new Headers({ "X-B": " 2 ", "x-a": "1" }); h.append("x-b", "3"); h.append("Set-Cookie", "c=1"); h.append("set-cookie", "d=2");
          [h.get("X-B"), h.get("nope"), h.has("x-a"), [...h], h.getSetCookie()]`,
        ),
      ).toEqual([
        "2, 3",
        null,
        true,
        [
          ["set-cookie", "c=1"],
          ["set-cookie", "d=2"],
          ["x-a", "1"],
          ["x-b", "2, 3"],
        ],
        ["c=1", "d=2"],
      ]);
      for (const bad of [
        `new Headers({ "bad name": "x" })`,
        `new Headers([["a"]])`,
        `new Headers().set("a", "x\\ny")`,
        `new Headers().append("é", "1")`,
      ]) {
        expect(rt.executeScript("t.js", `try { ${bad}; "ok" } catch (e) { e.name }`)).toBe("TypeError");
      }
    });
  });
});

describe("Response and Request", () => {
  test("constructors and body methods", async () => {
    await withRuntime([], async (rt) => {
      expect(
        await runIn(
          rt,
          `const r = new Response("hi", { status: 201, statusText: "Made", headers: { "x-k": "v" } });
          const j = Response.json({ a: 1 });
          const out = [r.status, r.ok, r.statusText, r.headers.get("content-type"), await r.text(), r.bodyUsed, j.headers.get("content-type"), (await j.json()).a];
          try { await r.text() } catch (e) { out.push(e.name) }
          out.push(Response.error().type, Response.redirect("http://a/x", 301).headers.get("location"));
          const req = new Request("http://h/p", { method: "post", body: new Uint8Array([104, 105]), headers: { "x-custom": "1" } });
          out.push(req.method, req.url, new TextDecoder().decode(await req.bytes()), new Request("http://h", { method: "Custom" }).method);
          return out;`,
        ),
      ).toEqual({
        ok: [
          201,
          true,
          "Made",
          "text/plain;charset=UTF-8",
          "hi",
          true,
          "application/json",
          1,
          "TypeError",
          "error",
          "http://a/x",
          "POST",
          "http://h/p",
          "hi",
          "Custom",
        ],
      });
      for (const bad of [
        `new Response("", { status: 99 })`,
        `new Response("x", { status: 204 })`,
        `new Request("http://h", { method: "GET", body: "x" })`,
        `new Request("nope")`,
        `new Request("http://h", { method: "TRACE" })`,
        `new Request("http://u:p@h")`,
      ]) {
        expect(rt.executeScript("t.js", `try { ${bad}; "ok" } catch (e) { e.name }`), bad).toMatch(
          /TypeError|RangeError/,
        );
      }
    });
  });
});

describe("fetch against a local server", () => {
  test("GET json, headers, status, POST bodies", async () => {
    await withRuntime([`127.0.0.1:${port}`], async (rt) => {
      expect(
        await runIn(
          rt,
          `const r = await fetch("http://127.0.0.1:${port}/json");
          const p = await fetch("http://127.0.0.1:${port}/echo", { method: "POST", body: "payload", headers: { "X-Custom": "yes" } });
          const n = await fetch(new Request("http://127.0.0.1:${port}/missing"));
          return [r.status, r.ok, r.headers.get("content-type"), r.headers.getSetCookie(), (await r.json()).hello, r.url, r.redirected,
            await p.text(), p.headers.get("x-method"), p.headers.get("x-type"), p.headers.get("x-custom"), n.status, n.statusText, await n.text()];`,
        ),
      ).toEqual({
        ok: [
          200,
          true,
          "application/json",
          ["a=1", "b=2"],
          "world",
          `http://127.0.0.1:${port}/json`,
          false,
          "payload",
          "POST",
          "text/plain;charset=UTF-8",
          "yes",
          404,
          "Nope",
          "not found",
        ],
      });
      expect(rt.resources()).toEqual([]);
    });
  });
  test("redirects are followed and each hop is permission-checked", async () => {
    await withRuntime([`127.0.0.1:${port}`], async (rt) => {
      expect(
        await runIn(
          rt,
          `const r = await fetch("http://127.0.0.1:${port}/redirect?to=/json"); const s = await fetch("http://127.0.0.1:${port}/see-other", { method: "POST", body: "x" });
          const m = await fetch("http://127.0.0.1:${port}/redirect", { redirect: "manual" });
          return [r.redirected, r.url, (await r.json()).method, s.headers.get("x-method"), m.type, m.status, m.url, [...m.headers].length, m.body, await s.text()];`,
        ),
      ).toEqual({
        // Fetch: "manual" gives an opaque-redirect filtered response (status 0, no headers, no body).
        ok: [
          true,
          `http://127.0.0.1:${port}/json`,
          "GET",
          "GET",
          "opaqueredirect",
          0,
          `http://127.0.0.1:${port}/redirect`,
          0,
          null,
          "",
        ],
      });
      hits = [];
      expect(
        await runIn(
          rt,
          `await fetch("http://127.0.0.1:${port}/redirect?to=" + encodeURIComponent("http://localhost:${port}/json"));`,
        ),
      ).toEqual({
        err: ["PermissionDenied", expect.stringContaining(`localhost:${port}`)],
      });
      // The disallowed host was never contacted.
      expect(hits).toEqual([`GET /redirect?to=http%3A%2F%2Flocalhost%3A${port}%2Fjson`]);
      expect(await runIn(rt, `await fetch("http://127.0.0.1:${port}/redirect", { redirect: "error" });`)).toEqual({
        err: ["TypeError", expect.stringContaining('redirect mode is "error"')],
      });
      expect(rt.resources()).toEqual([]);
    });
    await withRuntime([], async (rt) => {
      expect(await runIn(rt, `await fetch("http://127.0.0.1:${port}/json")`)).toEqual({
        err: ["PermissionDenied", expect.stringContaining(`127.0.0.1:${port}`)],
      });
    });
  });
  test("abort cancels the host request, before and during the body", async () => {
    await withRuntime([`127.0.0.1:${port}`], async (rt) => {
      expect(
        await runIn(
          rt,
          `const c = new AbortController(); const r = await fetch("http://127.0.0.1:${port}/slow", { signal: c.signal });
          setTimeout(() => c.abort(new Error("stop")), 20);
          try { await r.text(); return "read" } catch (e) { return e.message }`,
        ),
      ).toEqual({ ok: "stop" });
      // "stop", not "read": the abort ended the body read before the server finished it.
      expect(await runIn(rt, `await fetch("http://127.0.0.1:${port}/json", { signal: AbortSignal.abort() })`)).toEqual({
        err: ["AbortError", expect.any(String)],
      });
      expect(rt.resources()).toEqual([]);
    });
  });
  test("Response.body streams the host resource chunk by chunk; cancel closes it", async () => {
    await withRuntime([`127.0.0.1:${port}`], async (rt) => {
      expect(
        await runIn(
          rt,
          `const r = await fetch("http://127.0.0.1:${port}/slow");
          const body = r.body;
          const out = [body instanceof ReadableStream, r.body === body, r.bodyUsed, body.locked];
          const reader = body.getReader();
          const first = await reader.read();
          out.push(new TextDecoder().decode(first.value), r.bodyUsed, body.locked);
          let textErr; try { await r.text(); } catch (e) { textErr = e.name; }
          const t0 = Date.now();
          await reader.cancel("enough");
          out.push(textErr, await reader.read(), Date.now() - t0 < 1000);
          return out;`,
        ),
      ).toEqual({
        ok: [true, true, false, false, "start", true, true, "TypeError", { done: true }, true],
      });
      expect(rt.resources()).toEqual([]);
      expect(
        await runIn(
          rt,
          `const r = await fetch("http://127.0.0.1:${port}/json");
          const chunks = []; for await (const c of r.body) chunks.push(c instanceof Uint8Array);
          const r2 = await fetch("http://127.0.0.1:${port}/json");
          const c2 = r2.clone();
          const [a, b] = [await r2.json(), await c2.text()];
          const r3 = await fetch("http://127.0.0.1:${port}/json"); await r3.text();
          const used = r3.body;
          const r4 = await fetch("http://127.0.0.1:${port}/json"); const blob = await r4.blob();
          return [chunks.every(Boolean), r.bodyUsed, a.hello, JSON.parse(b).method, used.locked, r3.bodyUsed, blob.type, blob.size > 10];`,
        ),
      ).toEqual({ ok: [true, true, "world", "GET", true, true, "application/json", true] });
      expect(rt.resources()).toEqual([]);
    });
  });
  test("Blob and ReadableStream request bodies", async () => {
    await withRuntime([`127.0.0.1:${port}`], async (rt) => {
      expect(
        await runIn(
          rt,
          `const url = "http://127.0.0.1:${port}/echo";
          const r1 = await fetch(url, { method: "POST", body: new Blob(["blob ", "body"], { type: "text/x-b" }) });
          const stream = new ReadableStream({ start(c) { c.enqueue(new TextEncoder().encode("streamed ")); c.enqueue(new TextEncoder().encode("body")); c.close(); } });
          let noDuplex; try { new Request(url, { method: "PUT", body: new ReadableStream() }); } catch (e) { noDuplex = e.name + ": " + /duplex/.test(e.message); }
          const r2 = await fetch(url, { method: "PUT", body: stream, duplex: "half" });
          const bad = new ReadableStream({ start(c) { c.enqueue("not bytes"); c.close(); } });
          let err; try { await fetch(url, { method: "POST", body: bad, duplex: "half" }); } catch (e) { err = e.name; }
          const locked = new ReadableStream(); locked.getReader();
          let err2; try { new Response(locked); } catch (e) { err2 = e.name; }
          const own = new Response(new ReadableStream({ start(c) { c.enqueue(new Uint8Array([104, 105])); c.close(); } }));
          return [await r1.text(), r1.headers.get("x-type"), await r2.text(), r2.headers.get("x-method"), stream.locked, err, err2, await own.text(), own.bodyUsed, noDuplex, new Request(url).duplex];`,
        ),
      ).toEqual({
        ok: [
          "blob body",
          "text/x-b",
          "streamed body",
          "PUT",
          true,
          "TypeError",
          "TypeError",
          "hi",
          true,
          "TypeError: true",
          "half",
        ],
      });
      expect(rt.resources()).toEqual([]);
    });
  });
  // The 50 MB cases run on the release build only (fetch_stream.release.test.ts); the limit case runs on both.
  test("a body larger than maxResponseBytes fails with RangeError and is closed", async () => {
    await withRuntime(
      [`127.0.0.1:${port}`],
      async (rt) => {
        expect(await runIn(rt, `await (await fetch("http://127.0.0.1:${port}/big")).arrayBuffer();`)).toEqual({
          err: ["RangeError", expect.stringContaining("limit of 1048576 bytes")],
        });
        expect(rt.resources()).toEqual([]);
      },
      { maxResponseBytes: 1 << 20 },
    );
  }, 60_000);
});
