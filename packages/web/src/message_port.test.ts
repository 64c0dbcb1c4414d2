import { describe, expect, test } from "vitest";
import { differential } from "./test/differential.ts";

const { inSandbox, runtime, run } = differential();

const PRELUDE = `
  const log = [];
  const E = (e) => (e && typeof e === "object" && "name" in e ? e.name : String(e));
  const tick = () => new Promise((r) => setTimeout(r, 0));
  const settle = async () => { for (let i = 0; i < 5; i++) await tick(); };
`;
const sandbox = (body: string) => inSandbox(PRELUDE + body);

describe("MessageChannel / MessagePort", () => {
  test("messages arrive as trusted MessageEvents, one task each, in posting order, after the posting code", async () => {
    expect(
      await sandbox(`
      const { port1, port2 } = new MessageChannel();
      port2.onmessage = (e) => {
        log.push([e.type, e.data, e.isTrusted, e.origin, e.lastEventId, e.source, e.ports.length, Object.isFrozen(e.ports), e.target === port2, e instanceof MessageEvent]);
        Promise.resolve().then(() => log.push("microtask after " + e.data));
      };
      port1.postMessage("a"); port1.postMessage("b");
      log.push("posted");
      await settle();
      port2.postMessage({ back: [1, 2] });
      port1.onmessage = (e) => log.push(e.data);
      await settle();
      return log;`),
    ).toEqual([
      "posted",
      ["message", "a", true, "", "", null, 0, true, true, true],
      "microtask after a",
      ["message", "b", true, "", "", null, 0, true, true, true],
      "microtask after b",
      { back: [1, 2] },
    ]);
  });
  test("the queue waits for start() or onmessage; addEventListener alone does not start it", async () => {
    expect(
      await sandbox(`
      const { port1, port2 } = new MessageChannel();
      port2.addEventListener("message", (e) => log.push("listener " + e.data));
      port1.postMessage(1); port1.postMessage(2);
      await settle(); log.push("before start");
      port2.start(); port2.start();
      await settle();
      const c = new MessageChannel();
      c.port1.postMessage("queued");
      await settle();
      c.port2.onmessage = (e) => log.push("handler " + e.data);
      await settle();
      c.port2.onmessage = null; c.port1.postMessage("no handler");
      await settle();
      return log;`),
    ).toEqual(["before start", "listener 1", "listener 2", "handler queued"]);
  });
  test("a message is a structured clone: later changes to the original are not seen", async () => {
    expect(
      await sandbox(`
      const { port1, port2 } = new MessageChannel();
      const value = { list: [1], when: new Date(0), map: new Map([["k", 1]]) };
      value.self = value;
      port2.onmessage = (e) => log.push([e.data !== value, e.data.self === e.data, e.data.list, e.data.map.get("k"), e.data.when.getTime()]);
      port1.postMessage(value);
      value.list.push(2);
      await settle();
      return log;`),
    ).toEqual([[true, true, [1], 1, 0]]);
  });
  test("transfer: ArrayBuffers are detached, ports arrive in event.ports and keep their queued messages", async () => {
    expect(
      await sandbox(`
      const { port1, port2 } = new MessageChannel();
      const inner = new MessageChannel();
      inner.port2.postMessage("waiting in the queue");
      const buffer = new Uint8Array([1, 2, 3]).buffer;
      port2.onmessage = (e) => {
        const moved = e.ports[0];
        log.push(["data", e.data.buffer.byteLength, e.data.port === moved, moved !== inner.port1, moved instanceof MessagePort]);
        moved.onmessage = (m) => log.push("moved got " + m.data);
      };
      port1.postMessage({ buffer, port: inner.port1 }, { transfer: [buffer, inner.port1] });
      log.push("detached " + buffer.byteLength);
      await settle();
      inner.port2.postMessage("after the move");
      inner.port1.postMessage("from the old port");
      await settle();
      return log;`),
    ).toEqual([
      "detached 0",
      ["data", 3, true, true, true],
      "moved got waiting in the queue",
      "moved got after the move",
    ]);
  });
  test("transfer errors are DataCloneErrors and leave everything as it was", async () => {
    expect(
      await sandbox(`
      const { port1, port2 } = new MessageChannel();
      const other = new MessageChannel();
      const buffer = new ArrayBuffer(4);
      const attempts = {
        self: () => port1.postMessage(1, [port1]),
        "port not in transfer": () => port1.postMessage(other.port1),
        twice: () => port1.postMessage(1, [buffer, buffer]),
        "not transferable": () => port1.postMessage(1, [{}]),
        primitive: () => port1.postMessage(1, [1]),
        "a function in the message": () => port1.postMessage({ f() {} }, [buffer]),
        "missing message": () => port1.postMessage(),
      };
      for (const [name, f] of Object.entries(attempts)) { try { f(); log.push(name + " ok"); } catch (e) { log.push(name + " " + E(e)); } }
      log.push("buffer " + buffer.byteLength);
      port2.onmessage = (e) => log.push("got " + e.data);
      other.port2.onmessage = (e) => log.push("other got " + e.data);
      other.port1.postMessage("still entangled");
      structuredClone(buffer, { transfer: [buffer] });
      try { port1.postMessage(1, [buffer]); } catch (e) { log.push("detached " + E(e)); }
      await settle();
      return log;`),
    ).toEqual([
      "self DataCloneError",
      "port not in transfer DataCloneError",
      "twice DataCloneError",
      "not transferable DataCloneError",
      "primitive TypeError",
      "a function in the message DataCloneError",
      "missing message TypeError",
      "buffer 4",
      "detached DataCloneError",
      "other got still entangled",
    ]);
  });
  test("posting the target port to itself drops the message; a port moved away stops receiving", async () => {
    expect(
      await sandbox(`
      const { port1, port2 } = new MessageChannel();
      port2.onmessage = (e) => log.push("port2 got " + e.data);
      port1.postMessage("doomed", [port2]);
      await settle();
      log.push("after doomed");
      const c = new MessageChannel();
      c.port2.onmessage = (e) => log.push("old port got " + e.data);
      const carrier = new MessageChannel();
      carrier.port1.postMessage(null, [c.port2]);
      c.port1.postMessage("to the moved port");
      await settle();
      return log;`),
    ).toEqual(["after doomed"]);
  });
  test("close(): nothing more is delivered to the closed port; what its partner already had still arrives", async () => {
    expect(
      await sandbox(`
      const { port1, port2 } = new MessageChannel();
      port2.onmessage = (e) => log.push("port2 got " + e.data);
      port1.onmessage = (e) => log.push("port1 got " + e.data);
      port1.postMessage("sent before close");
      port1.close(); port1.close();
      port1.postMessage("after close");
      port2.postMessage("to a closed port");
      await settle();
      const c = new MessageChannel();
      c.port2.onmessage = (e) => log.push("never " + e.data);
      c.port1.postMessage("queued"); c.port2.close();
      await settle();
      return log;`),
    ).toEqual(["port2 got sent before close"]);
  });
  test("a throwing onmessage is reported as an error event and later messages still arrive", async () => {
    expect(
      await sandbox(`
      addEventListener("error", (e) => { e.preventDefault(); log.push("error " + e.error.message); });
      const { port1, port2 } = new MessageChannel();
      port2.onmessage = (e) => { if (e.data === 1) throw new Error("boom"); log.push("got " + e.data); };
      port1.postMessage(1); port1.postMessage(2);
      await settle();
      return log;`),
    ).toEqual(["error boom", "got 2"]);
  });
  test("structuredClone moves a port too", async () => {
    expect(
      await sandbox(`
      const { port1, port2 } = new MessageChannel();
      const copy = structuredClone({ p: port1 }, { transfer: [port1] });
      copy.p.onmessage = (e) => log.push("copy got " + e.data);
      port1.onmessage = (e) => log.push("original got " + e.data);
      port2.postMessage("hi");
      await settle();
      try { structuredClone(port2); } catch (e) { log.push(E(e)); }
      return log;`),
    ).toEqual(["copy got hi", "DataCloneError"]);
  });
  test("MessageEvent constructor, interfaces and brand checks", async () => {
    expect(
      await sandbox(`
      const { port1 } = new MessageChannel();
      const e = new MessageEvent("message", { data: 5, origin: "o", lastEventId: 7, source: port1, ports: [port1], bubbles: true });
      log.push([e.data, e.origin, e.lastEventId, e.source === port1, e.ports[0] === port1, e.ports === e.ports, e.bubbles, e.isTrusted]);
      const d = new MessageEvent("x");
      log.push([d.data, d.origin, d.lastEventId, d.source, d.ports.length]);
      for (const init of [{ ports: [{}] }, { source: {} }, { ports: 1 }]) { try { new MessageEvent("x", init); } catch (err) { log.push(E(err)); } }
      try { new MessageEvent(); } catch (err) { log.push(E(err)); }
      try { new MessagePort(); } catch (err) { log.push(E(err)); }
      try { MessagePort.prototype.postMessage.call({}, 1); } catch (err) { log.push(E(err)); }
      try { Object.getOwnPropertyDescriptor(MessageChannel.prototype, "port1").get.call({}); } catch (err) { log.push(E(err)); }
      const c = new MessageChannel();
      log.push(c.port1 === c.port1, Object.getPrototypeOf(MessagePort.prototype) === EventTarget.prototype, Object.prototype.toString.call(c.port1), String(Object.keys(MessagePort.prototype).sort()));
      return log;`),
    ).toEqual([
      [5, "o", "7", true, true, true, true, false],
      [null, "", "", null, 0],
      "TypeError",
      "TypeError",
      "TypeError",
      "TypeError",
      "TypeError",
      "TypeError",
      "TypeError",
      true,
      true,
      "[object MessagePort]",
      "close,onmessage,onmessageerror,postMessage,start",
    ]);
  });
  test("pending deliveries keep the event loop alive; a port never started does not", async () => {
    run(`globalThis.__got = []; { const c = new MessageChannel(); c.port2.onmessage = (e) => __got.push(e.data); c.port1.postMessage("x");
      const idle = new MessageChannel(); idle.port1.postMessage("never read"); }`);
    await runtime().runEventLoop();
    expect(run("globalThis.__got")).toEqual(["x"]);
  });
});

describe("Event.isTrusted", () => {
  test("an own unforgeable accessor, false for script-made events, true for the platform's", async () => {
    expect(
      await sandbox(`
      const a = new Event("x"), b = new CustomEvent("y");
      const da = Object.getOwnPropertyDescriptor(a, "isTrusted");
      log.push([a.isTrusted, b.isTrusted, typeof da.get, da.configurable, da.enumerable, da.get === Object.getOwnPropertyDescriptor(b, "isTrusted").get, "isTrusted" in Event.prototype]);
      try { Object.defineProperty(a, "isTrusted", { value: true }); } catch (e) { log.push(E(e)); }
      const ac = new AbortController(); ac.signal.onabort = (e) => log.push("abort " + e.isTrusted); ac.abort();
      addEventListener("error", (e) => { e.preventDefault(); log.push("error " + e.isTrusted); });
      addEventListener("unhandledrejection", (e) => { e.preventDefault(); log.push("rejection " + e.isTrusted); });
      setTimeout(() => { throw new Error("x"); }); Promise.reject(new Error("y"));
      reportError(new Error("z"));
      const t = new EventTarget(); t.addEventListener("z", (e) => log.push("dispatched " + e.isTrusted)); t.dispatchEvent(new Event("z"));
      await settle();
      return [...log.slice(0, 5), log.slice(5).sort()];`),
    ).toEqual([
      [false, false, "function", false, true, true, false],
      "TypeError",
      "abort true",
      "error true",
      "dispatched false",
      ["error true", "rejection true"],
    ]);
  });
});
