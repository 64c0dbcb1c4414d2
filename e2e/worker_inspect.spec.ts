// sandbox.inspect: the entries of a console value the preview cut off, read from the
// worker on demand; stale (ConsoleValueUnavailable) once the run that logged it ended,
// after reset(), and once the worker is gone; never a getter run.
import type { ConsoleValue as V } from "@islet/worker";
import { expect, type HarnessWindow, test } from "./fixtures.ts";

test("a cut-off value opens level by level; stale after the next run, reset, restart and terminate", async ({
  harness,
}) => {
  const out = await harness.evaluate(async () => {
    const w = window as unknown as HarnessWindow;
    const logged: V[] = [];
    const sb = await w.islet.createSandbox({ onConsole: (e) => logged.push(...((e.values ?? []) as V[])) });
    const deep = `globalThis.ran = 0;
      let o = { leaf: "bottom" };
      Object.defineProperty(o, "trap", { enumerable: true, get() { ran++; return 1 } });
      for (let i = 0; i < 15; i++) o = { i, o };
      console.log(o);`;
    const cut = (v: V): V => {
      let n = v;
      for (
        let next = n.entries?.find((e) => e.key === "o")?.value;
        next;
        next = n.entries?.find((e) => e.key === "o")?.value
      )
        n = next;
      return n;
    };
    const name = async (p: Promise<unknown>) =>
      p.then(
        () => "ok",
        (e: Error) => `${e.name}: ${e.message}`,
      );
    await sb.run({ files: { "main.js": deep }, entry: "main.js" });
    let node = cut(logged[0]!);
    const levels: string[] = [];
    while (node.unexpanded) {
      const opened = (await sb.inspect(node.handle!)) as V;
      levels.push(opened.entries!.find((e) => e.key === "i")!.value.text);
      node = cut(opened);
    }
    const leaf = node.entries!.map((e) => `${e.key}: ${e.value.text}`);
    const ran = await sb.eval("ran");
    const firstHandle = cut(logged[0]!).handle!;
    // The next call releases the values of the calls before.
    const afterEval = await name(sb.inspect(firstHandle));
    await sb.run({ files: { "main.js": deep }, entry: "main.js", fresh: true });
    const second = cut(logged[1]!).handle!;
    const secondOk = await name(sb.inspect(second));
    await sb.reset();
    const afterReset = await name(sb.inspect(second));
    await sb.run({ files: { "main.js": deep }, entry: "main.js", fresh: true });
    const third = cut(logged[2]!).handle!;
    await sb.restart();
    const afterRestart = await name(sb.inspect(third));
    await sb.run({ files: { "main.js": deep }, entry: "main.js" });
    const fourth = cut(logged[3]!).handle!;
    sb.terminate();
    const afterTerminate = await name(sb.inspect(fourth));
    const bad = await name(sb.inspect(42 as unknown as string));
    return { levels, leaf, ran, afterEval, secondOk, afterReset, afterRestart, afterTerminate, bad };
  });
  expect(out.levels).toEqual(["8", "2"]);
  expect(out.leaf).toEqual(["leaf: 'bottom'", "trap: [Getter]"]);
  expect(out.ran).toMatchObject({ ok: true, value: 0 });
  expect(out.afterEval).toBe(
    "ConsoleValueUnavailable: sandbox.inspect: value no longer available (the run that logged it has ended: a later call, a reset or a new runtime released it)",
  );
  expect(out.secondOk).toBe("ok");
  expect(out.afterReset).toMatch(/^ConsoleValueUnavailable: .*value no longer available/);
  expect(out.afterRestart).toMatch(/^ConsoleValueUnavailable: .*terminated or restarted/);
  expect(out.afterTerminate).toMatch(/^ConsoleValueUnavailable: .*the sandbox was terminated/);
  expect(out.bad).toMatch(/^TypeError: sandbox\.inspect: handle must be/);
});

test("inspect waits for the call in flight, then reads the value as it is now", async ({ harness }) => {
  const out = await harness.evaluate(async () => {
    const w = window as unknown as HarnessWindow;
    let first: V | undefined;
    let opened: Promise<V> | undefined;
    const sb = await w.islet.createSandbox({
      onConsole: (e) => {
        if (first !== undefined) return;
        first = (e.values as V[])[0]!;
        let n = first;
        for (
          let next = n.entries?.find((x) => x.key === "o")?.value;
          next;
          next = n.entries?.find((x) => x.key === "o")?.value
        )
          n = next;
        // Asked while the run is still going: answered after it.
        opened = sb.inspect(n.handle!) as Promise<V>;
      },
    });
    const inner = `const inner = { before: 1 }; let o = inner; for (let i = 0; i < 6; i++) o = { o };
      console.log(o);
      await new Promise((r) => setTimeout(r, 200));
      delete inner.before; inner.after = "changed";`;
    const run = await sb.run({ files: { "main.js": inner }, entry: "main.js" });
    const value = await opened!;
    sb.terminate();
    return { run: run.ok, keys: value.entries!.map((e) => `${e.key}: ${e.value.text}`) };
  });
  expect(out.run).toBe(true);
  expect(out.keys).toEqual(["after: 'changed'"]);
});
