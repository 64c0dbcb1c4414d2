// The page ↔ worker protocol: a versioned handshake, every call settles when its worker goes,
// and the page's limits are core's.
import { expect, type HarnessWindow, test } from "./fixtures.ts";

test("a worker that speaks another protocol version is refused at the handshake", async ({ harness }) => {
  const message = await harness.evaluate(async () => {
    const w = window as unknown as HarnessWindow;
    // Answers every Comlink call as a worker of protocol version 999 would.
    const source = `
      self.addEventListener("message", (ev) => {
        const { id } = ev.data ?? {};
        if (id !== undefined) self.postMessage({ id, type: "RAW", value: { protocol: 999 } });
      });`;
    // A module worker from source text: a stand-in for a worker built from another release.
    const workerUrl = URL.createObjectURL(new Blob([source], { type: "text/javascript" }));
    return w.islet.createSandbox({ workerUrl }).then(
      (sb) => {
        sb.terminate();
        return "created";
      },
      (e: Error) => `${e.name}: ${e.message}`,
    );
  });
  expect(message).toMatch(/protocol/);
  expect(message).toMatch(/999/);
});

test("resources() settles when the worker is killed or restarted during them", async ({ harness }) => {
  const out = await harness.evaluate(async () => {
    const w = window as unknown as HarnessWindow;
    type Settled = { settled: "resolved" | "rejected" | "never"; value: unknown };
    const within = <T>(p: Promise<T>, ms: number) =>
      Promise.race<Settled>([
        p.then(
          (v) => ({ settled: "resolved", value: v }),
          (e: Error) => ({ settled: "rejected", value: e.message }),
        ),
        new Promise<Settled>((r) => setTimeout(() => r({ settled: "never", value: undefined }), ms)),
      ]);
    const sb = await w.islet.createSandbox({ limits: { cpuMs: 60_000, wallMs: 60_000 } });
    // The worker is busy, so these calls wait behind the spinning eval.
    const spin = sb.eval("for (;;) {}");
    await new Promise((r) => setTimeout(r, 50));
    const resources = sb.resources();
    const restartStart = performance.now();
    await sb.restart();
    const restarted = await within(resources, 3000);
    const spinResult = await spin;
    const restartMs = performance.now() - restartStart;
    const spin2 = sb.eval("for (;;) {}");
    await new Promise((r) => setTimeout(r, 50));
    const resources2 = sb.resources();
    sb.terminate();
    const terminated = await within(resources2, 3000);
    const spin2Result = await spin2;
    return { restarted, terminated, spinResult, restartMs, spin2Result };
  });
  expect(out.restarted).toMatchObject({ settled: "rejected" });
  expect(out.restarted.value).toMatch(/restart/);
  expect(out.terminated).toMatchObject({ settled: "rejected" });
  expect(out.terminated.value).toMatch(/terminated/);
  // A call ended by restart() says so, at once.
  expect(out.spinResult).toMatchObject({ ok: false, error: { name: "Terminated" } });
  expect(out.spinResult.ok === false && out.spinResult.error.message).toMatch(/restart/);
  expect(out.spinResult.ok === false && out.spinResult.error.message).not.toMatch(/did not answer/);
  expect(out.spin2Result.ok === false && out.spin2Result.error.message).toMatch(/terminated/);
});

test("every core limit can be set from the page, maxResources included", async ({ harness }) => {
  const out = await harness.evaluate(async () => {
    const w = window as unknown as HarnessWindow;
    const made = await w.islet.createSandbox({ limits: { maxResources: 2 } }).then(
      (sb) => sb,
      (e: Error) => e.message,
    );
    if (typeof made === "string") return { made };
    // A streaming TextDecoder holds a resource until it is flushed; the third exceeds the cap.
    const r = await made.eval(`
      globalThis.held = [];
      let opened = 0, error = "no cap";
      try {
        for (let i = 0; i < 5; i++) {
          const d = new TextDecoder();
          d.decode(new Uint8Array([0xe2]), { stream: true });
          held.push(d);
          opened++;
        }
      } catch (e) { error = e.message; }
      [opened, error]`);
    const open = (await made.resources()).length;
    const unknown = await w.islet.createSandbox({ limits: { maxWidgets: 1 } as never }).then(
      (sb) => {
        sb.terminate();
        return "created";
      },
      (e: Error) => e.message,
    );
    made.terminate();
    return { made: "ok", r, open, unknown };
  });
  expect(out.made).toBe("ok");
  expect(out.r).toMatchObject({ ok: true, value: [2, expect.stringMatching(/allows 2/)] });
  expect(out.open).toBe(2);
  expect(out.unknown).toMatch(/maxWidgets/);
  expect(out.unknown).toMatch(/maxResources/);
});

test("start() and restart() settle when terminate() lands while the worker starts", async ({ harness }) => {
  const out = await harness.evaluate(async () => {
    const w = window as unknown as HarnessWindow;
    const settle = (p: Promise<unknown>) =>
      Promise.race([
        p.then(
          () => "resolved",
          (e: Error) => `rejected: ${e.message}`,
        ),
        new Promise<string>((r) => setTimeout(() => r("never"), 5000)),
      ]);
    const a = new w.islet.Sandbox();
    const starting = a.start();
    a.terminate();
    const b = await w.islet.createSandbox();
    const restarting = b.restart();
    b.terminate();
    return { start: await settle(starting), restart: await settle(restarting) };
  });
  expect(out.start).toMatch(/^rejected: .*terminated/);
  expect(out.restart).toMatch(/^rejected: .*terminated/);
});
