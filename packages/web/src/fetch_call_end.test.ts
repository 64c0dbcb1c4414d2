// A fetch is host work of the call that made it: when the call ends, a request still in
// flight is aborted (never sent later) and a body the program never read releases its rid.
import { Interrupted, JsRuntime, type RuntimeOptions } from "@islet/core";
import { afterAll, afterEach, beforeAll, expect, test, vi } from "vitest";
import { type RecordingServer, startRecordingServer } from "../../core/src/test/recording_server.ts";
import { web } from "./index.ts";

vi.setConfig({ testTimeout: 60_000, hookTimeout: 60_000 });

let server: RecordingServer;
beforeAll(async () => {
  server = await startRecordingServer();
});
afterAll(() => server.close());
afterEach(() => {
  server.requests.length = 0;
});

const live: JsRuntime[] = [];
afterEach(() => {
  for (const rt of live.splice(0)) rt.dispose();
});
async function runtime(options: RuntimeOptions = {}): Promise<JsRuntime> {
  const rt = await JsRuntime.create({
    extensions: web(),
    permissions: { net: [`127.0.0.1:${server.port}`] },
    ...options,
  });
  live.push(rt);
  return rt;
}
/** One call: the script, then the event loop until idle; its result or error. */
async function call(rt: JsRuntime, src: string): Promise<unknown> {
  rt.executeScript(
    "t.js",
    `globalThis.__out = undefined; (async () => { ${src} })().then((v) => { __out = { ok: v } }, (e) => { __out = { err: [e && e.name, String(e && e.message)] } }); 0`,
  );
  await rt.runEventLoop();
  return rt.executeScript("t.js", "__out");
}
const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

test("bodies never read release their rids when the call ends: maxResources 10 allows any number of calls", async () => {
  const rt = await runtime({ limits: { maxResources: 10 } });
  for (let i = 0; i < 12; i++) {
    expect(await call(rt, `return (await fetch("${server.origin}/n${i}")).status;`)).toEqual({ ok: 200 });
    expect(rt.resources()).toEqual([]);
  }
  // One rid per request: ten unread bodies fit in one call of a 10-resource sandbox.
  expect(
    await call(
      rt,
      `const rs = []; for (let i = 0; i < 10; i++) rs.push(await fetch("${server.origin}/m" + i)); return rs.length;`,
    ),
  ).toEqual({ ok: 10 });
  expect(rt.resources()).toEqual([]);
});

test("a body kept for a later call says why it cannot be read", async () => {
  const rt = await runtime();
  expect(
    await call(
      rt,
      `globalThis.kept = await fetch("${server.origin}/kept"); globalThis.streamed = await fetch("${server.origin}/kept"); return kept.bodyUsed;`,
    ),
  ).toEqual({
    ok: false,
  });
  expect(await call(rt, "return await kept.text();")).toEqual({
    err: ["TypeError", expect.stringContaining("the response body was released when the call that fetched it ended")],
  });
  expect(await call(rt, "const r = streamed.body.getReader(); return await r.read();")).toMatchObject({
    err: ["TypeError", expect.stringContaining("released when the call that fetched it ended")],
  });
});

test("an interrupted call never sends the request it started (a POST with a body)", async () => {
  const rt = await runtime({ limits: { cpuMs: 100 } });
  expect(() =>
    rt.executeScript(
      "t.js",
      `fetch("${server.origin}/exfil", { method: "POST", body: "secret" }).catch(() => {}); for (;;) {}`,
    ),
  ).toThrow(Interrupted);
  await settle();
  expect(server.requests).toEqual([]);
  expect(rt.resources()).toEqual([]);
  // The next call fetches as usual.
  expect(await call(rt, `return await (await fetch("${server.origin}/after")).text();`)).toEqual({
    ok: "ok GET /after",
  });
});

test("a response being read when the call is interrupted is aborted on the wire", async () => {
  const rt = await runtime({ limits: { cpuMs: 100 } });
  rt.executeScript(
    "t.js",
    `fetch("${server.origin}/slow?ms=20000").then((r) => { r.text().catch(() => {}); setTimeout(() => { for (;;) {} }, 0); }); 0`,
  );
  await expect(rt.runEventLoop()).rejects.toThrow(Interrupted);
  await expect.poll(() => server.requests.map((r) => [r.url, r.aborted])).toEqual([["/slow?ms=20000", true]]);
  expect(rt.resources()).toEqual([]);
});

test("a call that fails with an uncaught error aborts the fetches it left in flight", async () => {
  const rt = await runtime();
  rt.executeScript(
    "t.js",
    `fetch("${server.origin}/slow?ms=20000").then((r) => { r.text().catch(() => {}); setTimeout(() => { throw new Error("boom") }, 0); }); 0`,
  );
  await expect(rt.runEventLoop()).rejects.toThrow("boom");
  await expect.poll(() => server.requests.map((r) => [r.url, r.aborted])).toEqual([["/slow?ms=20000", true]]);
  expect(rt.resources()).toEqual([]);
});
