// createSandbox({ location }): the guest's `location` and the base URL of relative fetch/Request
// URLs, passed from the page through the worker to @islet/web's web({ location }).
import { expect, type HarnessWindow, test } from "./fixtures.ts";

const PROGRAM = `(async () => {
  const out = [];
  out.push(typeof location === "undefined" ? "no location" : location.href + " " + location.pathname + " " + location.origin);
  try { out.push(new Request("data/x.json?q=1").url); } catch (e) { out.push(e.name); }
  try {
    const res = await fetch("../");
    out.push(res.status + " " + res.url + " " + (await res.text()).includes('id="state"'));
    // A network body is a byte stream: a BYOB reader fills the caller's view.
    const reader = (await fetch("../")).body.getReader({ mode: "byob" });
    const { value } = await reader.read(new Uint8Array(64), { min: 64 });
    await reader.cancel();
    out.push("byob " + value.byteLength + " " + new TextDecoder().decode(value.subarray(0, 9)).toLowerCase());
  } catch (e) { out.push(e.name + ": " + e.message); }
  return out;
})()`;

test("location gives the guest its base URL: location, relative Request and fetch URLs", async ({ harness }) => {
  const result = await harness.evaluate(async (program) => {
    const w = window as unknown as HarnessWindow;
    const origin = window.location.origin;
    const host = window.location.host;
    const withBase = await w.islet.createSandbox({
      location: `${origin}/app/page.html`,
      permissions: { net: [host] },
    });
    // A second sandbox of the same kind with another base: a snapshot image is made per location.
    const other = await w.islet.createSandbox({ location: new URL(`${origin}/other/`), permissions: { net: [host] } });
    const none = await w.islet.createSandbox({ permissions: { net: [host] } });
    const out = {
      origin,
      withBase: await withBase.eval(program),
      other: await other.eval(program),
      none: await none.eval(program),
      afterReset: await (async () => {
        await withBase.reset();
        return withBase.eval("location.href");
      })(),
    };
    for (const sb of [withBase, other, none]) sb.terminate();
    return out;
  }, PROGRAM);
  const o = result.origin;
  expect(result.withBase).toEqual({
    ok: true,
    value: [
      `${o}/app/page.html /app/page.html ${o}`,
      `${o}/app/data/x.json?q=1`,
      `200 ${o}/ true`,
      "byob 64 <!doctype",
    ],
    durationMs: expect.any(Number),
  });
  expect(result.other).toMatchObject({
    ok: true,
    value: [`${o}/other/ /other/ ${o}`, `${o}/other/data/x.json?q=1`, `200 ${o}/ true`, "byob 64 <!doctype"],
  });
  expect(result.none).toMatchObject({
    ok: true,
    value: ["no location", "TypeError", expect.stringMatching(/^TypeError: .*relative/)],
  });
  expect(result.afterReset).toMatchObject({ ok: true, value: `${o}/app/page.html` });
});

test("a location that is not an absolute http(s) URL is refused by createSandbox, naming it", async ({ harness }) => {
  const errors = await harness.evaluate(async () => {
    const w = window as unknown as HarnessWindow;
    const out: string[] = [];
    for (const location of ["relative/path", "file:///etc/passwd", "javascript:alert(1)", 42, null]) {
      try {
        const sb = await w.islet.createSandbox({ location: location as string });
        sb.terminate();
        out.push("created");
      } catch (e) {
        out.push(`${(e as Error).name}: ${(e as Error).message}`);
      }
    }
    return out;
  });
  expect(errors).toEqual([
    'TypeError: createSandbox: location "relative/path" is not an absolute URL',
    "TypeError: createSandbox: location must be an http: or https: URL, got file:",
    "TypeError: createSandbox: location must be an http: or https: URL, got javascript:",
    "TypeError: createSandbox: location must be a URL string or a URL, got number",
    "TypeError: createSandbox: location must be a URL string or a URL, got object",
  ]);
});
