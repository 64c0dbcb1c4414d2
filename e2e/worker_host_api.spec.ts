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

test("host functions named with reserved words work; 'default' and 'then' are refused clearly", async ({ harness }) => {
  const out = await harness.evaluate(async () => {
    const w = window as unknown as HarnessWindow;
    const sb = await w.islet.createSandbox({
      host: { delete: (id: number) => `deleted ${id}`, new: () => "made", class: () => "cls", ping: () => "pong" },
    });
    const r = await sb.run({
      files: {
        "main.js": `
          import { delete as del, "new" as make, class as klass, ping } from "islet:host";
          import host, * as ns from "islet:host";
          export const out = [await del(7), await make(), await klass(), await ping(), await host.delete(8), await ns.new()];`,
      },
      entry: "main.js",
    });
    sb.terminate();
    const refused = await Promise.all(
      ["default", "then", "not a name", ""].map((name) =>
        w.islet.createSandbox({ host: { [name]: () => 1 } }).then(
          (s) => {
            s.terminate();
            return "created";
          },
          (e: Error) => `${e.name}: ${e.message}`,
        ),
      ),
    );
    return { r, refused };
  });
  expect(out.r).toMatchObject({
    ok: true,
    exports: { out: ["deleted 7", "made", "cls", "pong", "deleted 8", "made"] },
  });
  expect(out.refused[0]).toMatch(/^TypeError: createSandbox: .*"default".*default export/);
  expect(out.refused[1]).toMatch(/^TypeError: createSandbox: .*"then"/);
  expect(out.refused[2]).toMatch(/^TypeError: createSandbox: .*"not a name"/);
  expect(out.refused[3]).toMatch(/^TypeError: createSandbox: .*""/);
});

test("importing a host function the page did not provide is a SyntaxError at link time", async ({ harness }) => {
  const out = await harness.evaluate(async () => {
    const w = window as unknown as HarnessWindow;
    const sb = await w.islet.createSandbox({ host: { ping: () => "pong" } });
    const first = await sb.run({
      files: {
        "main.js":
          "globalThis.ran = true; import { ping, getSecrets } from 'islet:host'; export const t = typeof getSecrets;",
      },
      entry: "main.js",
    });
    // The second run is a side module graph in the same runtime; it links the same way.
    const second = await sb.run({
      files: { "main.ts": "import { nope } from 'islet:host'; export const t = typeof nope;" },
      entry: "main.ts",
    });
    const dynamic = await sb.eval("import('islet:host').then((m) => typeof m.nope)");
    const ran = await sb.eval("typeof ran");
    sb.terminate();
    return { first, second, dynamic, ran };
  });
  expect(out.first).toMatchObject({ ok: false, error: { name: "SyntaxError" } });
  expect(out.first.ok === false && out.first.error.message).toMatch(/getSecrets/);
  expect(out.second).toMatchObject({ ok: false, error: { name: "SyntaxError" } });
  expect(out.second.ok === false && out.second.error.message).toMatch(/nope/);
  // Nothing of a module that failed to link ran.
  expect(out.ran).toMatchObject({ ok: true, value: "undefined" });
  // A namespace object has only what the page provides.
  expect(out.dynamic).toMatchObject({ ok: true, value: "undefined" });
});

test("a host function returning a value that cannot be copied fails with a message naming it", async ({ harness }) => {
  const out = await harness.evaluate(async () => {
    const w = window as unknown as HarnessWindow;
    const sb = await w.islet.createSandbox({
      host: {
        giveFunction: () => () => 1,
        giveNode: () => document.body,
        giveSymbol: () => Symbol("s"),
        fine: () => ({ ok: 1 }),
      },
    });
    const r = await sb.eval(`(async () => {
      const out = {};
      for (const name of ["giveFunction", "giveNode", "giveSymbol", "fine"]) {
        try { out[name] = await host[name](); } catch (e) { out[name] = e.name + ": " + e.message; }
      }
      return out;
    })()`);
    sb.terminate();
    return r;
  });
  expect(out.ok).toBe(true);
  const value = (out as { value: Record<string, unknown> }).value;
  for (const name of ["giveFunction", "giveNode", "giveSymbol"]) {
    expect(value[name]).toMatch(new RegExp(`^TypeError: host\\.${name}\\(\\) returned a value that cannot be copied`));
  }
  expect(value.fine).toEqual({ ok: 1 });
});
