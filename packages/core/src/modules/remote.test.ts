import { afterEach, expect, test } from "vitest";
import { JsRuntime, MemoryModuleLoader, NotFound, PermissionDenied } from "../index.ts";
import type { PermissionsOptions } from "../permissions.ts";

const live: JsRuntime[] = [];
afterEach(() => {
  for (const rt of live.splice(0)) rt.dispose();
});

/** A fake host fetch over a table of URL → response; records what was fetched. */
function fakeFetch(routes: Record<string, { status?: number; body?: string; type?: string; location?: string }>) {
  const calls: string[] = [];
  const fetchFn = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = String(input);
    calls.push(url);
    expect(init?.redirect).toBe("manual");
    // The host's cookies and referrer never go with a sandbox's import.
    expect(init?.credentials).toBe("omit");
    const r = routes[url];
    if (r === undefined) return new Response("not found", { status: 404 });
    const headers = new Headers();
    if (r.type) headers.set("content-type", r.type);
    if (r.location) headers.set("location", r.location);
    return new Response(r.body ?? null, { status: r.status ?? 200, headers });
  }) as typeof fetch;
  return { fetchFn, calls };
}

async function runtime(
  files: Record<string, string>,
  routes: Parameters<typeof fakeFetch>[0],
  permissions: PermissionsOptions,
) {
  const { fetchFn, calls } = fakeFetch(routes);
  const rt = await JsRuntime.create({ moduleLoader: new MemoryModuleLoader({ files }), fetch: fetchFn, permissions });
  live.push(rt);
  return { rt, calls };
}

async function evaluate(rt: JsRuntime, url: string) {
  const id = await rt.loadMainModule(url);
  const ev = rt.evaluateModule(id);
  await rt.runEventLoop();
  await ev;
  return rt.getModuleNamespace(id);
}

test("https modules load through the host fetch when net allows the host; relative imports and TS", async () => {
  const { rt, calls } = await runtime(
    {
      "main.js": `import { hi } from "https://deno.land/x/hi/mod.ts"; const again = await import("https://deno.land/x/hi/mod.ts"); export const out = [hi("x"), again.hi === hi];`,
    },
    {
      "https://deno.land/x/hi/mod.ts": {
        body: `import { pre } from "./pre.js"; export const hi = (n: string): string => pre + n;`,
        type: "application/typescript",
      },
      "https://deno.land/x/hi/pre.js": { body: `export const pre = "hi ";`, type: "text/javascript" },
    },
    { net: ["deno.land"] },
  );
  expect((await evaluate(rt, "file:///main.js")).out).toEqual(["hi x", true]);
  // Cached per runtime: each URL fetched once.
  expect(calls).toEqual(["https://deno.land/x/hi/mod.ts", "https://deno.land/x/hi/pre.js"]);
});

test("a host the net permission does not allow is denied before any fetch", async () => {
  const { rt, calls } = await runtime(
    { "main.js": `import "https://evil.example/x.js";` },
    { "https://evil.example/x.js": { body: "" } },
    { net: ["deno.land"] },
  );
  const err = await rt.loadMainModule("file:///main.js").catch((e) => e);
  expect(err).toBeInstanceOf(PermissionDenied);
  expect(err.message).toContain("evil.example:443");
  expect(calls).toEqual([]);
});

test("a redirect to a disallowed host is denied too; an allowed redirect is followed", async () => {
  const { rt, calls } = await runtime(
    {
      "main.js": `import "https://ok.example/bad.js";`,
      "good.js": `import { v } from "https://ok.example/moved.js"; export const out = v;`,
    },
    {
      "https://ok.example/bad.js": { status: 302, location: "https://evil.example/x.js" },
      "https://ok.example/moved.js": { status: 301, location: "/v2/real.js" },
      "https://ok.example/v2/real.js": { body: `import { w } from "./w.js"; export const v = w;` },
      "https://ok.example/v2/w.js": { body: `export const w = "followed";` },
    },
    { net: ["ok.example"] },
  );
  await expect(rt.loadSideModule("file:///main.js")).rejects.toThrow(PermissionDenied);
  expect(calls).not.toContain("https://evil.example/x.js");
  expect((await evaluate(rt, "file:///good.js")).out).toBe("followed");
});

test("the prompt is asked for undecided hosts; a 404 is NotFound", async () => {
  const asked: string[] = [];
  const { fetchFn } = fakeFetch({ "https://a.example/m.js": { body: "export const m = 1;" } });
  const rt = await JsRuntime.create({
    fetch: fetchFn,
    permissions: {
      prompt: (req) => {
        asked.push(`${req.kind} ${req.target}`);
        return true;
      },
    },
  });
  live.push(rt);
  const id = await rt.loadMainModule("https://a.example/m.js");
  const ev = rt.evaluateModule(id);
  await rt.runEventLoop();
  await ev;
  expect(rt.getModuleNamespace(id)).toEqual({ m: 1 });
  expect(asked).toEqual(["net a.example:443"]);
  await expect(rt.loadSideModule("https://a.example/missing.js")).rejects.toThrow(NotFound);
});

test("only https: is fetched; a redirect to http: is refused", async () => {
  const { rt, calls } = await runtime(
    { "main.js": `import "http://ok.example/a.js";`, "down.js": `import "https://ok.example/down.js";` },
    {
      "https://ok.example/down.js": { status: 302, location: "http://ok.example/a.js" },
      "http://ok.example/a.js": { body: "" },
    },
    { net: true },
  );
  await expect(rt.loadMainModule("file:///main.js")).rejects.toThrow(
    /scheme "http:" is not allowed here .*expected https:/,
  );
  await expect(rt.loadSideModule("file:///down.js")).rejects.toThrow(
    /scheme "http:" is not allowed here .*expected https:/,
  );
  expect(calls).toEqual(["https://ok.example/down.js"]);
});

test("a remote module larger than the cap is refused without reading it all", async () => {
  const big = `export const x = "${"a".repeat((8 << 20) + 10)}";`;
  const { rt } = await runtime(
    { "main.js": `import { x } from "https://cdn.example/big.js"; export const n = x.length;` },
    { "https://cdn.example/big.js": { body: big, type: "application/javascript" } },
    { net: ["cdn.example"] },
  );
  await expect(rt.loadMainModule("file:///main.js")).rejects.toThrow(/larger than 8388608 bytes/);
});
