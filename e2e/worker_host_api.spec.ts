// The host capability API: guest → op → Comlink → page function → back.
import { expect, type HarnessWindow, test } from "./fixtures.ts";

test("host functions round trip, and a throwing one keeps its name and message", async ({ harness }) => {
  const out = await harness.evaluate(async () => {
    const w = window as unknown as HarnessWindow;
    const todos = [{ id: 1, title: "milk", tags: ["x"] }];
    const sb = await w.islet.createSandbox({
      host: {
        getTodos: async () => todos,
        addTodo: async (t: { title: string }) => {
          todos.push({ id: todos.length + 1, title: t.title, tags: [] });
          return todos.length;
        },
        fail: async () => {
          const e = new TypeError("no such todo: 7");
          throw e;
        },
      },
    });
    await sb.eval(`
      globalThis.out = {};
      (async () => {
        out.list = await host.getTodos();
        out.n = await host.addTodo({ title: "eggs" });
        try { await host.fail(); } catch (e) { out.err = [e.name, e.message, e instanceof Error]; }
        out.keys = Object.keys(host).sort();
        out.missing = typeof host.document;
      })();
    `);
    const r = await sb.eval("out");
    sb.terminate();
    return { r, todos };
  });
  expect(out.r).toMatchObject({
    ok: true,
    value: {
      list: [{ id: 1, title: "milk", tags: ["x"] }],
      n: 2,
      err: ["TypeError", "no such todo: 7", true],
      keys: ["addTodo", "fail", "getTodos"],
      missing: "undefined",
    },
  });
  expect(out.todos[1]).toMatchObject({ title: "eggs" });
});

test("only listed host functions exist, and a forged name is refused", async ({ harness }) => {
  const out = await harness.evaluate(async () => {
    const w = window as unknown as HarnessWindow;
    const sb = await w.islet.createSandbox({ host: { ping: () => "pong" } });
    const r = await sb.eval(`
      globalThis.res = {};
      host.ping().then((v) => { res.ping = v; });
      res.frozen = Object.isFrozen(host);
      try { host.alert = () => 1; } catch (e) { res.assign = e.name; }
      res.alert = typeof host.alert;
      1`);
    const v = await sb.eval("res");
    sb.terminate();
    return { r, v };
  });
  expect(out.r.ok).toBe(true);
  expect(out.v).toMatchObject({ ok: true, value: { ping: "pong", frozen: true, alert: "undefined" } });
});
