// Console output through the worker: delivered before the call's result, in order,
// with line and byte budgets that apply per run/eval.
import { expect, type HarnessWindow, test } from "./fixtures.ts";

test("run() and eval() resolve only after every console entry was delivered, in order", async ({ harness }) => {
  const out = await harness.evaluate(async () => {
    const w = window as unknown as HarnessWindow;
    const events: string[] = [];
    const sb = await w.islet.createSandbox({
      onConsole: (e) => {
        // A busy page: each entry costs the page ~1 ms, so entries queue up behind the result.
        const t = performance.now();
        while (performance.now() - t < 1) {}
        events.push(e.text);
      },
    });
    const run = await sb.run({
      files: { "main.js": "for (let i = 0; i < 200; i++) console.log('run ' + i); export const done = true;" },
      entry: "main.js",
    });
    events.push("<run resolved>");
    const thrown = await sb.eval("for (let i = 0; i < 50; i++) console.log('eval ' + i); throw new Error('boom')");
    events.push("<eval resolved>");
    // Output written by timers after the script's own completion belongs to the same call.
    const later = await sb.eval("setTimeout(() => { for (let i = 0; i < 30; i++) console.error('late ' + i) }, 5); 1");
    events.push("<later resolved>");
    sb.terminate();
    return { run, thrown, later, events };
  });
  expect(out.run).toMatchObject({ ok: true, exports: { done: true } });
  expect(out.thrown).toMatchObject({ ok: false, error: { name: "Error", message: "boom" } });
  expect(out.later).toMatchObject({ ok: true, value: 1 });
  const expected = [
    ...Array.from({ length: 200 }, (_, i) => `run ${i}`),
    "<run resolved>",
    ...Array.from({ length: 50 }, (_, i) => `eval ${i}`),
    "<eval resolved>",
    ...Array.from({ length: 30 }, (_, i) => `late ${i}`),
    "<later resolved>",
  ];
  expect(out.events).toEqual(expected);
});

test("terminate() right after run() loses no output", async ({ harness }) => {
  const out = await harness.evaluate(async () => {
    const w = window as unknown as HarnessWindow;
    const texts: string[] = [];
    const sb = await w.islet.createSandbox({
      onConsole: (e) => {
        // A busy page again: entries are still queued when the result arrives.
        const t = performance.now();
        while (performance.now() - t < 0.5) {}
        texts.push(e.text);
      },
    });
    const r = await sb.run({
      files: { "main.ts": "for (let i = 0; i < 500; i++) console.log('line ' + i);" },
      entry: "main.ts",
    });
    sb.terminate();
    return { r, count: texts.length, last: texts.at(-1) };
  });
  expect(out.r.ok).toBe(true);
  expect(out.count).toBe(500);
  expect(out.last).toBe("line 499");
});

test("the console budget applies per call: a later run prints again", async ({ harness }) => {
  // 10 000 entries cross to the page: generous limits, so a loaded machine does not interrupt the flood.
  test.setTimeout(90_000);
  const out = await harness.evaluate(async () => {
    const w = window as unknown as HarnessWindow;
    const entries: { level: string; text: string }[] = [];
    const sb = await w.islet.createSandbox({
      limits: { cpuMs: 60_000, wallMs: 60_000 },
      onConsole: (e) => entries.push({ level: e.level, text: e.text }),
    });
    // 10 001 lines: one past the default budget of 10 000 lines per call.
    const flood = await sb.eval("for (let i = 0; i <= 10000; i++) console.log(i); 'flooded'");
    const afterFlood = entries.length;
    const truncated = entries.filter((e) => /output truncated/.test(e.text)).length;
    const next = await sb.run({ files: { "main.js": "console.log('next run')" }, entry: "main.js" });
    const again = await sb.eval("console.log('next eval'); 2");
    // The byte budget too: 1.5 MiB in one call is cut, the next call prints.
    const bytes = await sb.eval("const s = 'x'.repeat(1 << 19); for (let i = 0; i < 3; i++) console.log(s); 3");
    const bigLines = entries.filter((e) => e.text.length === 1 << 19).length;
    const afterBytes = await sb.eval("console.log('after bytes'); 4");
    sb.terminate();
    return { flood, afterFlood, truncated, next, again, bytes, bigLines, afterBytes, tail: entries.slice(-6) };
  });
  expect(out.flood, JSON.stringify(out.flood)).toMatchObject({ ok: true, value: "flooded" });
  // 10 000 lines, then one truncation notice.
  expect(out.afterFlood).toBe(10_001);
  expect(out.truncated).toBe(1);
  expect(out.next.ok).toBe(true);
  expect(out.again).toMatchObject({ ok: true, value: 2 });
  expect(out.bytes).toMatchObject({ ok: true, value: 3 });
  expect(out.bigLines).toBe(2);
  expect(out.afterBytes).toMatchObject({ ok: true, value: 4 });
  expect(out.tail.map((e) => e.text.slice(0, 40))).toEqual([
    "next run",
    "next eval",
    "x".repeat(40),
    "x".repeat(40),
    expect.stringContaining("output truncated"),
    "after bytes",
  ]);
});

test("promise state, %c segments and console.table cross to the page", async ({ harness }) => {
  const out = await harness.evaluate(async () => {
    const w = window as unknown as HarnessWindow;
    const entries: unknown[] = [];
    const sb = await w.islet.createSandbox({ onConsole: (e) => entries.push(e) });
    await sb.eval(`console.log(Promise.resolve(42));
      console.log("%cwarm", "color: orange");
      console.table([{ a: 1 }]);`);
    sb.terminate();
    return entries as { text: string; values?: unknown; segments?: unknown; table?: unknown }[];
  });
  expect(out.map((e) => e.text)).toEqual(["Promise { 42 }", "warm", expect.stringContaining("│ (index) │ a │")]);
  expect(out[0]!.values).toEqual([
    {
      type: "promise",
      text: "Promise",
      entries: [
        { key: "[[PromiseState]]", value: { type: "other", text: "fulfilled" } },
        { key: "[[PromiseResult]]", value: { type: "number", text: "42" } },
      ],
    },
  ]);
  expect(out[1]!.segments).toEqual([{ text: "warm", css: "color: orange" }]);
  expect(out[2]!.table).toEqual({
    columns: ["(index)", "a"],
    rows: [
      [
        { type: "other", text: "0" },
        { type: "number", text: "1" },
      ],
    ],
  });
});

test("the page drops segments and tables that do not fit the protocol; the entry keeps its text", async () => {
  const { validateWorkerMessage } = await import("../packages/worker/src/protocol.ts");
  const base = { level: "log", text: "ab", groupDepth: 0, timestamp: 1 };
  const entryOf = (extra: object) => {
    const m = validateWorkerMessage({ type: "console", entry: { ...base, ...extra } });
    return m?.type === "console" ? m.entry : undefined;
  };
  const good = entryOf({
    segments: [
      { text: "a", css: "" },
      { text: "b", css: "color: red" },
    ],
  });
  expect(good?.segments).toEqual([
    { text: "a", css: "" },
    { text: "b", css: "color: red" },
  ]);
  for (const segments of [
    [{ text: "a", css: "" }], // texts are not the entry's text
    [{ text: "ab", css: 1 }],
    Array.from({ length: 65 }, () => ({ text: "", css: "" })).concat([{ text: "ab", css: "" }]),
    [{ text: "ab", css: "x".repeat(513) }],
    "ab",
  ]) {
    const e = entryOf({ segments });
    expect(e?.text).toBe("ab");
    expect(e?.segments).toBeUndefined();
  }
  const cell = { type: "number", text: "1" };
  expect(entryOf({ table: { columns: ["(index)"], rows: [[cell]] } })?.table).toEqual({
    columns: ["(index)"],
    rows: [[cell]],
  });
  for (const table of [
    { columns: [], rows: [] },
    { columns: ["a"], rows: [[cell, cell]] },
    { columns: ["a"], rows: [[{ type: 1, text: "" }]] },
    { columns: [1], rows: [] },
    { columns: ["a"], rows: Array.from({ length: 1001 }, () => [null]) },
    { columns: ["a"], rows: Array.from({ length: 5000 }, () => [cell]).slice(0, 1000), more: "x" },
  ]) {
    const e = entryOf({ table });
    expect(e?.text).toBe("ab");
    expect(e?.table).toBeUndefined();
  }
});
