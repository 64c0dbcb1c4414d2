/**
 * Engine reuse (core's runtime.ts: a disposed runtime's engine serves the
 * next `JsRuntime.create({ snapshot })` of its image) with the web platform:
 * guest A leaves web work pending — timers, an AbortSignal timeout, a
 * MessagePort message, a stream read, a fetch whose host response arrives
 * after A is gone, console handles — and guest B, made next from the same
 * image, sees none of it. See core's security/engine_reuse.test.ts for the
 * language-level attacks. Runs on both builds (the debug build never reuses).
 */
import { JsRuntime } from "@islet/core";
import { afterEach, expect, test, vi } from "vitest";
import { engineCreations } from "../../core/src/test/helpers.ts";
import { type ConsoleEntry, ConsoleValueUnavailable, inspectConsoleValue, web } from "./index.ts";
import { descend } from "./test/console_handles.ts";

vi.setConfig({ testTimeout: 60_000 });
afterEach(() => vi.unstubAllGlobals());

const settle = (ms = 30) => new Promise((resolve) => setTimeout(resolve, ms));

test("web work A left pending (timers, AbortSignal.timeout, MessagePort, stream reads, a fetch in flight, console handles) never reaches B", async () => {
  const responses: ((response: Response) => void)[] = [];
  const hostFetch = vi.fn(
    (_input: unknown, _init?: RequestInit) =>
      new Promise<Response>((resolve) => {
        responses.push(resolve);
      }),
  );
  vi.stubGlobal("fetch", hostFetch);
  const seen: ConsoleEntry[] = [];
  const options = {
    extensions: web({ console: { sink: (entry: ConsoleEntry) => seen.push(entry) } }),
    permissions: { net: ["example.test"] },
  };
  const boot = await JsRuntime.create(options);
  const image = boot.snapshot();
  boot.dispose();

  const a = await JsRuntime.create({ ...options, snapshot: image });
  a.executeScript(
    "a.js",
    `globalThis.secret = "A-SECRET";
     setTimeout(() => { globalThis.timeout = "A-SECRET"; }, 500);
     setInterval(() => { globalThis.interval = "A-SECRET"; }, 500);
     AbortSignal.timeout(500).onabort = () => { globalThis.aborted = "A-SECRET"; };
     const { port1, port2 } = new MessageChannel();
     port2.onmessage = (e) => { globalThis.message = e.data; };
     setTimeout(() => port1.postMessage("A-SECRET"), 500);
     new ReadableStream({ pull() { return new Promise(() => {}); } }).getReader().read().then(() => { globalThis.read = "A-SECRET"; });
     fetch("https://example.test/a").then((r) => r.text()).then((t) => { globalThis.fetched = t; }, (e) => { globalThis.fetchError = String(e); });
     setTimeout(() => queueMicrotask(() => { globalThis.microtask = "A-SECRET"; }), 500);
     console.count("A-SECRET"); console.count("A-SECRET"); console.time("A-SECRET"); console.group("A-SECRET");
     { let o = { secret: "A-SECRET" }; for (let i = 0; i < 20; i++) o = { o }; console.log(o); }
     0`,
  );
  const logged = seen.at(-1)?.values?.[0];
  const handle = logged && descend(logged, "o").handle;
  expect(handle).toBeTypeOf("string");
  // A's loop runs until its fetch is in flight at the host, then A is stopped and disposed.
  const aLoop = a.runEventLoop().catch((error: unknown) => error);
  await vi.waitFor(() => expect(hostFetch).toHaveBeenCalledTimes(1));
  const aSignal = hostFetch.mock.calls[0]?.[1]?.signal;
  a.interrupt();
  await aLoop;
  a.dispose();
  // The host request of a disposed runtime is aborted, not left to land later.
  expect(aSignal?.aborted).toBe(true);

  const { result: b, made } = await engineCreations(() => JsRuntime.create({ ...options, snapshot: image }));
  expect(made).toBe(process.env.ISLET_QUICKJS_BUILD === "debug" ? 1 : 0); // on release, B runs on A's engine
  try {
    b.executeScript(
      "b.js",
      `fetch("https://example.test/b").then((r) => r.text()).then((t) => { globalThis.mine = t; });
       setTimeout(() => { globalThis.ticked = true; }, 20); 0`,
    );
    const loop = b.runEventLoop();
    // A's response arrives now, after its runtime is gone; B's own after it.
    responses[0]?.(new Response("A-SECRET"));
    await settle();
    responses[1]?.(new Response("B's own"));
    await loop;
    expect(
      b.executeScript(
        "seek.js",
        `["secret", "timeout", "interval", "aborted", "message", "read", "fetched", "fetchError", "microtask"].filter((k) => k in globalThis)`,
      ),
    ).toEqual([]);
    expect(b.executeScript("mine.js", "[mine, ticked].join()")).toBe("B's own,true");
    // A's console counters, timers and groups are gone with it.
    seen.length = 0;
    b.executeScript(
      "console.js",
      `console.count("A-SECRET"); console.timeEnd("A-SECRET"); console.groupEnd(); console.log("b")`,
    );
    expect(seen.map((e) => [e.level, e.text])).toEqual([
      ["info", "A-SECRET: 1"],
      ["warn", "Timer 'A-SECRET' does not exist"],
      ["log", "b"],
    ]);
    // A's console handle names nothing in B.
    expect(() => inspectConsoleValue(b, handle as string)).toThrow(ConsoleValueUnavailable);
    // B's randomness is its own: neither Math.random nor crypto replay another runtime's.
    const draw = (rt: JsRuntime) =>
      rt.executeScript("r.js", "[Math.random(), ...crypto.getRandomValues(new Uint32Array(4))]") as number[];
    const c = await JsRuntime.create({ ...options, snapshot: image });
    try {
      const [fromB, fromC] = [draw(b), draw(c)];
      expect(fromB.some((v, i) => v === fromC[i])).toBe(false);
    } finally {
      c.dispose();
    }
  } finally {
    b.dispose();
  }
  await settle();
});

test("a console sink that disposes its runtime mid-log (a host that stops on the first error) leaves the next runtimes whole and clean", async () => {
  let current: JsRuntime | undefined;
  const options = {
    extensions: web({ console: { sink: (entry: ConsoleEntry) => entry.level === "error" && current?.dispose() } }),
  };
  const boot = await JsRuntime.create(options);
  const image = boot.snapshot();
  boot.dispose();
  const a = await JsRuntime.create({ ...options, snapshot: image });
  current = a;
  try {
    a.executeScript("a.js", `globalThis.secret = "A-SECRET"; console.error("stop"); globalThis.after = "A-SECRET"; 0`);
  } catch {
    // the call may end with the engine it ran on gone
  }
  current = undefined;
  expect(a.disposed).toBe(true);
  const { result: b, made } = await engineCreations(() => JsRuntime.create({ ...options, snapshot: image }));
  // An engine disposed under a running call is never handed on.
  expect(made).toBe(1);
  try {
    expect(b.executeScript("b.js", "[typeof secret, typeof after, JSON.stringify({ ok: [1] })].join()")).toBe(
      'undefined,undefined,{"ok":[1]}',
    );
  } finally {
    b.dispose();
  }
});
