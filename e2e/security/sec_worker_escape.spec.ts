// Hostile cases: a guest trying to reach the page or the network. Never delete one; add new IDs.
import { expect, type HarnessWindow, test } from "../fixtures.ts";

// SEC-W1: the worker's messaging and script-loading globals are not reachable from the guest.
// Attacks: posting to the page (postMessage), hijacking the Comlink channel (self.onmessage),
// loading code into the worker (importScripts), spawning workers.
test("SEC-W1 worker globals are unreachable from the guest", async ({ harness }) => {
  const out = await harness.evaluate(async () => {
    const w = window as unknown as HarnessWindow;
    const sb = await w.islet.createSandbox();
    const r = await sb.eval(`({
      postMessage: typeof postMessage,
      // web() may define self as the guest's own global (as Deno does); never the worker's.
      self: typeof self === "undefined" || self === globalThis ? "undefined" : "worker self",
      importScripts: typeof importScripts,
      onmessage: typeof onmessage,
      Worker: typeof Worker,
      location: typeof location,
      XMLHttpRequest: typeof XMLHttpRequest,
      WebSocket: typeof WebSocket,
      Function: (() => { try { return Function("return typeof postMessage")(); } catch (e) { return e.name } })(),
    })`);
    // Assigning the names only makes guest globals: nothing reaches the worker or the page.
    const inert = await sb.eval(
      "globalThis.onmessage = () => { globalThis.pwned = true }; globalThis.postMessage = () => 1; postMessage('x'); typeof pwned",
    );
    const still = await sb.eval("'ok'");
    sb.terminate();
    return { r, inert, still };
  });
  expect(out.r).toMatchObject({
    ok: true,
    value: {
      postMessage: "undefined",
      self: "undefined",
      importScripts: "undefined",
      onmessage: "undefined",
      Worker: "undefined",
      location: "undefined",
      XMLHttpRequest: "undefined",
      WebSocket: "undefined",
      Function: "undefined",
    },
  });
  expect(out.inert).toMatchObject({ ok: true, value: "undefined" });
  expect(out.still).toMatchObject({ ok: true, value: "ok" });
});

// SEC-W2: the network: fetch of a host outside permissions.net fails, and import() of a URL is refused.
test("SEC-W2 disallowed fetch and remote import() fail cleanly", async ({ harness }) => {
  const out = await harness.evaluate(async () => {
    const w = window as unknown as HarnessWindow;
    const sb = await w.islet.createSandbox({ permissions: { net: ["api.example.com"] } });
    await sb.eval(`
      globalThis.res = {};
      try {
        Promise.resolve(fetch("http://127.0.0.1:4179/")).then(() => { res.fetch = "fetched" }, (e) => { res.fetch = e.name });
      } catch (e) { res.fetch = e.name; }
      import("https://example.com/evil.js").then(() => { res.imp = "imported" }, (e) => { res.imp = e.name + ": " + e.message });
    `);
    const r = await sb.eval("res");
    sb.terminate();
    return r;
  });
  expect(out.ok).toBe(true);
  const value = (out as { value: { fetch: string; imp: string } }).value;
  expect(value.fetch).not.toBe("fetched");
  expect(["PermissionDenied", "TypeError", "ReferenceError"]).toContain(value.fetch);
  expect(value.imp).not.toBe("imported");
  expect(value.imp).toMatch(/NotFound|PermissionDenied|TypeError/);
});

// SEC-W3: no page object is reachable through the host API: arguments and results are copies.
test("SEC-W3 host API passes copies, never page objects or functions", async ({ harness }) => {
  const out = await harness.evaluate(async () => {
    const w = window as unknown as HarnessWindow;
    const shared = { n: 1 };
    const sb = await w.islet.createSandbox({
      host: {
        get: () => shared,
        give: () => () => "a page function",
      },
    });
    await sb.eval(`
      globalThis.res = {};
      host.get().then((o) => { o.n = 99; res.got = o.n; });
      host.give().then((f) => { res.give = typeof f }, (e) => { res.give = e.name });
    `);
    const r = await sb.eval("res");
    sb.terminate();
    return { r, shared };
  });
  expect(out.shared.n).toBe(1);
  expect(out.r.ok).toBe(true);
  const value = (out.r as { value: { got: number; give: string } }).value;
  expect(value.got).toBe(99);
  expect(value.give).not.toBe("function");
});
