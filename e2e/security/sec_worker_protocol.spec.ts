// Hostile cases: a compromised worker attacking the page through the page ↔ worker protocol.
// Never delete one; add new IDs.
import { expect, type HarnessWindow, test } from "../fixtures.ts";

/**
 * A worker that answers `init` like an Islet worker would (echoing the page's protocol
 * version), after attacking every MessagePort the page handed it: Comlink requests that
 * walk a page object's prototype chain (SET through `__proto__`, CONSTRUCT the
 * `Function` constructor reached as `console.constructor`, then APPLY the function it
 * made), and malformed messages of every kind.
 */
const HOSTILE_WORKER = `
  const wait = (port, id, ms) => new Promise((resolve) => {
    const timer = setTimeout(() => resolve(undefined), ms);
    port.addEventListener("message", function on(ev) {
      if (ev.data && ev.data.id === id) { clearTimeout(timer); port.removeEventListener("message", on); resolve(ev.data); }
    });
    port.start();
  });
  const portsIn = (v, out = [], seen = new Set()) => {
    if (v instanceof MessagePort) out.push(v);
    else if (v && typeof v === "object" && !seen.has(v)) { seen.add(v); for (const k of Object.keys(v)) portsIn(v[k], out, seen); }
    return out;
  };
  const garbage = [
    null, 42, "console", [], { type: "nonsense" }, { type: "console" },
    { type: "console", seq: 1, entry: { level: "evil", text: "x", groupDepth: 0, timestamp: 0 } },
    { type: "console", seq: 1, entry: { level: "log", text: { toString: 1 }, groupDepth: 0, timestamp: 0 } },
    { type: "console", seq: 1, entry: { level: "log", text: "x", groupDepth: 1e9, timestamp: 0 } },
    { type: "hostCall", id: 1, name: "toString", args: [] },
    { type: "hostCall", id: 2, name: "__proto__", args: [] },
    { type: "hostCall", id: 3, name: "constructor", args: "not a list" },
    { type: "permission", id: 4, request: { kind: "evil", target: "x" } },
    { type: "permission", id: 5, request: { kind: "net", target: 7 } },
  ];
  self.addEventListener("message", async (ev) => {
    const data = ev.data;
    if (!data || data.id === undefined) return;
    for (const port of [...portsIn(data), ...ev.ports]) {
      port.postMessage({ id: "set1", type: "SET", path: ["console", "constructor", "prototype", "pwnedFunction"], value: { type: "RAW", value: 1 } });
      port.postMessage({ id: "set2", type: "SET", path: ["hostCall", "__proto__", "__proto__", "pwnedObject"], value: { type: "RAW", value: 1 } });
      port.postMessage({ id: "new", type: "CONSTRUCT", path: ["console", "constructor"], argumentList: [{ type: "RAW", value: "globalThis.pwned = true" }] });
      const made = await wait(port, "new", 1000);
      if (made && made.type === "HANDLER" && made.name === "proxy") {
        made.value.postMessage({ id: "call", type: "APPLY", path: [], argumentList: [] });
        await wait(made.value, "call", 1000);
      }
      for (const m of garbage) port.postMessage(m);
    }
    const protocol = data.argumentList?.[0]?.value?.protocol;
    self.postMessage({ id: data.id, type: "RAW", value: { protocol } });
  });`;

// SEC-W4: the worker → page direction is a closed set of messages, not a proxy of page
// objects. Attack: a compromised worker walks the proxy the page handed it
// (console.constructor.constructor is the page's Function), pollutes the page's prototypes,
// and sends malformed messages.
test("SEC-W4 a hostile worker cannot reach page objects or push malformed messages", async ({ harness }) => {
  const errors: string[] = [];
  harness.on("pageerror", (e) => errors.push(e.message));
  const out = await harness.evaluate(async (source) => {
    const w = window as unknown as HarnessWindow;
    const workerUrl = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
    const seen: unknown[] = [];
    const asked: unknown[] = [];
    const sb = await w.islet
      .createSandbox({
        workerUrl,
        host: { ping: () => "pong" },
        onConsole: (e) => seen.push(e),
        onPermissionRequest: (r) => {
          asked.push(r);
          return true;
        },
      })
      .catch((e: Error) => e.message);
    // The attack messages travel beside the init reply; let the page handle them.
    await new Promise((r) => setTimeout(r, 300));
    if (typeof sb !== "string") sb.terminate();
    return {
      pwned: (globalThis as { pwned?: unknown }).pwned,
      pwnedFunction: (Function.prototype as { pwnedFunction?: unknown }).pwnedFunction,
      pwnedObject: ({} as { pwnedObject?: unknown }).pwnedObject,
      seen,
      asked,
    };
  }, HOSTILE_WORKER);
  expect(out.pwned).toBeUndefined();
  expect(out.pwnedFunction).toBeUndefined();
  expect(out.pwnedObject).toBeUndefined();
  // Malformed console entries and permission requests never reach the page's callbacks.
  expect(out.seen).toEqual([]);
  expect(out.asked).toEqual([]);
  expect(errors).toEqual([]);
});

/**
 * A worker that passes the handshake, then logs values whose handles are not handles (an
 * object, a 10 000-character string) beside one that is, and answers every `inspect` with
 * something that is not an inspect reply (a tree of the wrong shape, a getter-shaped object,
 * a string).
 */
const LYING_INSPECTOR = `
  let events;
  let answers = 0;
  const lies = [{ ok: true, value: { type: 1, text: "x" } }, { ok: true, value: { type: "object", text: "O", entries: "no" } }, "pwned", { ok: false, reason: "evil", message: 1 }];
  self.addEventListener("message", (ev) => {
    const data = ev.data;
    if (!data || data.id === undefined) return;
    if (data.path && data.path[0] === "init") {
      events = ev.ports[0] || data.argumentList[1].value;
      const entry = (handle) => ({ type: "console", entry: { level: "log", text: "v", groupDepth: 0, timestamp: 0,
        values: [{ type: "object", text: "Object", entries: [], unexpanded: true, handle }] } });
      for (const handle of [{ toString: "x" }, "9".repeat(10000), "1.1"]) events.postMessage(entry(handle));
      self.postMessage({ id: data.id, type: "RAW", value: { protocol: data.argumentList[0].value.protocol } });
      return;
    }
    self.postMessage({ id: data.id, type: "RAW", value: lies[answers++ % lies.length] });
  });`;

// SEC-W5: console handles and inspect replies cross the boundary validated. Attack: a
// compromised worker sends handles that are objects or huge strings, and answers inspect with
// trees of the wrong shape; the page keeps only entries whose handles are short strings and
// rejects every malformed reply with a TypeError, never rendering what it did not check.
test("SEC-W5 a hostile worker's handles and inspect replies are validated", async ({ harness }) => {
  const errors: string[] = [];
  harness.on("pageerror", (e) => errors.push(e.message));
  const out = await harness.evaluate(async (source) => {
    const w = window as unknown as HarnessWindow;
    const workerUrl = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
    const seen: { values?: { handle?: string }[] }[] = [];
    const sb = await w.islet.createSandbox({ workerUrl, onConsole: (e) => seen.push(e) });
    await new Promise((r) => setTimeout(r, 300));
    const handles = seen.map((e) => e.values?.[0]?.handle ?? null);
    const replies: string[] = [];
    for (let i = 0; i < 4; i++)
      replies.push(
        await sb.inspect(handles.at(-1) ?? "1:1.1").then(
          (v) => `resolved ${JSON.stringify(v)}`,
          (e: Error) => `${e.name}: ${e.message}`,
        ),
      );
    sb.terminate();
    return { handles, replies };
  }, LYING_INSPECTOR);
  // The two entries with bad handles lose their values (their text stays); the good one is tagged with its worker.
  expect(out.handles).toEqual([null, null, "1:1.1"]);
  expect(out.replies).toEqual(Array(4).fill("TypeError: worker: malformed inspect reply"));
  expect(errors).toEqual([]);
});
