/** Request and Response construction (Fetch §5.4-5.5): the init dictionaries as WebIDL converts them, and the attributes they set. */
import { describe, expect, test } from "vitest";
import { sharedWebRuntime } from "./test/shared_runtime.ts";

const { run } = sharedWebRuntime();

describe("Request", () => {
  test("the attributes have the spec's defaults", () => {
    expect(
      run(`const q = new Request("http://x/");
      [q.method, q.mode, q.credentials, q.cache, q.redirect, q.referrer, q.referrerPolicy, q.integrity, q.keepalive, q.destination,
       q.isReloadNavigation, q.isHistoryNavigation, q.duplex]`),
    ).toEqual([
      "GET",
      "cors",
      "same-origin",
      "default",
      "follow",
      "about:client",
      "",
      "",
      false,
      "",
      false,
      false,
      "half",
    ]);
  });
  test("RequestInit members are read once each, in lexicographic order", () => {
    expect(
      run(`const seen = []; const init = {};
      for (const k of ["window", "signal", "referrerPolicy", "referrer", "redirect", "priority", "mode", "method", "keepalive",
        "integrity", "headers", "duplex", "credentials", "cache", "body"]) Object.defineProperty(init, k, { get() { seen.push(k); } });
      new Request("http://x/", init); seen`),
    ).toEqual([
      "body",
      "cache",
      "credentials",
      "duplex",
      "headers",
      "integrity",
      "keepalive",
      "method",
      "mode",
      "priority",
      "redirect",
      "referrer",
      "referrerPolicy",
      "signal",
      "window",
    ]);
  });
  test("enum members are checked; navigate, only-if-cached without same-origin and a window are refused", () => {
    expect(
      run(`[{ mode: "navigate" }, { mode: "bogus" }, { credentials: "x" }, { cache: "only-if-cached" }, { window: {} }, { redirect: "x" },
        { referrerPolicy: "x" }, { referrer: "http://[" }].map((init) => { try { new Request("http://x/", init); return "made"; } catch (e) { return e.name; } })`),
    ).toEqual(Array(8).fill("TypeError"));
    expect(run(`new Request("http://x/", { cache: "only-if-cached", mode: "same-origin" }).cache`)).toBe(
      "only-if-cached",
    );
  });
  test("a Request made from another (and clone()) keeps its settings unless init overrides them", () => {
    expect(
      run(`const q = new Request("http://x/", { referrer: "", mode: "no-cors", credentials: "include", cache: "no-store", integrity: "sha256-x", keepalive: 1, referrerPolicy: "origin" });
      const c = new Request(q), k = q.clone(), o = new Request(q, { mode: "same-origin", referrer: "http://r/a" });
      [c.referrer, c.mode, c.credentials, c.cache, c.integrity, c.keepalive, c.referrerPolicy, k.mode, k.credentials, o.mode, o.referrer, o.cache]`),
    ).toEqual([
      "",
      "no-cors",
      "include",
      "no-store",
      "sha256-x",
      true,
      "origin",
      "no-cors",
      "include",
      "same-origin",
      "http://r/a",
      "no-store",
    ]);
  });
  test("a relative URL is a TypeError that says the sandbox has no base", () => {
    expect(run(`try { new Request("/relative"); } catch (e) { e.name + ": " + e.message }`)).toBe(
      'TypeError: Request constructor: invalid URL "/relative" (a relative URL needs a base: the sandbox has no location; see web({ location }))',
    );
  });
});

describe("Response", () => {
  test("ResponseInit is read in lexicographic order; status is an unsigned short, statusText a ByteString", () => {
    expect(
      run(`const seen = []; const init = {};
      for (const k of ["statusText", "status", "headers"]) Object.defineProperty(init, k, { get() { seen.push(k); } });
      new Response("", init);
      [seen, new Response("", { status: 200.9 }).status, new Response("", { status: 65736 }).status, new Response(null, null).status]`),
    ).toEqual([["headers", "status", "statusText"], 200, 200, 200]);
  });
  test("a status outside 200..599 is a RangeError; a bad statusText or init is a TypeError", () => {
    expect(
      run(
        `[0, 100, 199, 600, 1000].map((status) => { try { new Response("", { status }); return "made"; } catch (e) { return e.name; } })`,
      ),
    ).toEqual(Array(5).fill("RangeError"));
    expect(
      run(
        `[{ statusText: "\\u0100" }, { statusText: "a\\nb" }, 5].map((init) => { try { new Response("", init); return "made"; } catch (e) { return e.name; } })`,
      ),
    ).toEqual(["TypeError", "TypeError", "TypeError"]);
  });
});
