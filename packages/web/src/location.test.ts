import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { JsRuntime } from "@islet/core";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { web } from "./index.ts";

let server: Server;
let port = 0;
beforeAll(async () => {
  server = createServer((req, res) => res.end(`path=${req.url}`));
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

async function withRuntime<T>(location: string | undefined, f: (rt: JsRuntime) => Promise<T>): Promise<T> {
  const rt = await JsRuntime.create({
    extensions: web(location === undefined ? {} : { location }),
    permissions: { net: [`127.0.0.1:${port}`] },
  });
  try {
    return await f(rt);
  } finally {
    rt.dispose();
  }
}
async function evaluate(rt: JsRuntime, body: string): Promise<unknown> {
  rt.executeScript(
    "t.js",
    `globalThis.__out = undefined; (async () => { ${body}\n })().then((v) => { __out = v; }, (e) => { __out = "threw " + e.name + ": " + e.message; }); 0;`,
  );
  await rt.runEventLoop();
  return rt.executeScript("o.js", "globalThis.__out");
}

describe("web({ location }): the sandbox's base URL", () => {
  test("location shows it; Request, Response.redirect and a referrer resolve relative URLs against it", async () => {
    const out = await withRuntime("https://example.com/app/page?q=1#h", (rt) =>
      evaluate(
        rt,
        `const l = location;
        return [l.href, l.origin, l.protocol, l.host, l.hostname, l.port, l.pathname, l.search, l.hash, String(l), Object.prototype.toString.call(l),
          new Request("data.json").url, new Request("/root").url, new Request("?x=2").url, new Request("").url, new Request("//other.org/p").url,
          Response.redirect("../up", 301).headers.get("location"), new Request("x", { referrer: "/from" }).referrer,
          Object.keys(WorkerLocation.prototype).sort().join(), typeof Object.getOwnPropertyDescriptor(globalThis, "location").set];`,
      ),
    );
    expect(out).toEqual([
      "https://example.com/app/page?q=1#h",
      "https://example.com",
      "https:",
      "example.com",
      "example.com",
      "",
      "/app/page",
      "?q=1",
      "#h",
      "https://example.com/app/page?q=1#h",
      "[object WorkerLocation]",
      "https://example.com/app/data.json",
      "https://example.com/root",
      "https://example.com/app/page?x=2",
      "https://example.com/app/page?q=1",
      "https://other.org/p",
      "https://example.com/up",
      "https://example.com/from",
      "hash,host,hostname,href,origin,pathname,port,protocol,search,toString",
      "undefined",
    ]);
  });
  test("fetch of a relative URL goes to the location's host, under the net permission like any URL", async () => {
    const out = await withRuntime(`http://127.0.0.1:${port}/base/`, (rt) =>
      evaluate(rt, `const r = await fetch("item?id=1"); return [r.url, await r.text()];`),
    );
    expect(out).toEqual([`http://127.0.0.1:${port}/base/item?id=1`, "path=/base/item?id=1"]);
    const denied = await withRuntime("http://127.0.0.1:1/", (rt) =>
      evaluate(rt, `await fetch("x"); return "fetched";`),
    );
    expect(denied).toMatch(/^threw PermissionDenied/);
  });
  test("without it there is no location, and a relative URL is a TypeError that says why", async () => {
    const out = await withRuntime(undefined, (rt) =>
      evaluate(
        rt,
        `const errors = [];
        for (const f of [() => new Request("/x"), () => Response.redirect("/x")]) { try { f(); } catch (e) { errors.push(e.name + ": " + e.message); } }
        return [typeof location, "location" in globalThis, typeof WorkerLocation, errors];`,
      ),
    );
    expect(out).toEqual([
      "undefined",
      false,
      "undefined",
      [
        'TypeError: Request constructor: invalid URL "/x" (a relative URL needs a base: the sandbox has no location; see web({ location }))',
        'TypeError: Response.redirect: invalid URL "/x"',
      ],
    ]);
  });
  test("a bad location is refused when the extensions are made", () => {
    expect(() => web({ location: "/relative" })).toThrow(/not an absolute URL/);
    expect(() => web({ location: "file:///etc/passwd" })).toThrow(/http: or https:/);
    expect(() => web({ location: 42 as unknown as string })).toThrow(/expected a URL string/);
  });
  test("a program cannot change it", async () => {
    const out = await withRuntime("https://example.com/", (rt) =>
      evaluate(
        rt,
        `try { location.href = "https://evil.test/"; } catch {} globalThis.location = { href: "x" }; return [new Request("a").url];`,
      ),
    );
    expect(out).toEqual(["https://example.com/a"]);
  });
});
