import { describe, expect, test } from "vitest";
import { sharedWebRuntime } from "./test/shared_runtime.ts";

const { run, thrown } = sharedWebRuntime();
function errName(src: string): string {
  const e = thrown(src);
  return e === undefined ? "no throw" : `${e.name}: ${e.message}`;
}

describe("URL", () => {
  test("parses into parts, with base", () => {
    expect(
      run(`const u = new URL("HTTPS://us:pw@EXAMPLE.com:443/a/../b/%7e?q=1#h");
      [u.href, u.protocol, u.username, u.password, u.host, u.hostname, u.port, u.pathname, u.search, u.hash, u.origin]`),
    ).toEqual([
      "https://us:pw@example.com/b/%7e?q=1#h",
      "https:",
      "us",
      "pw",
      "example.com",
      "example.com",
      "",
      "/b/%7e",
      "?q=1",
      "#h",
      "https://example.com",
    ]);
    expect(run(`new URL("../x?y", "http://h/a/b/c").href`)).toBe("http://h/a/x?y");
    expect(run(`new URL("http://ex.com:8080").port`)).toBe("8080");
    expect(run(`new URL("http://xn--nxasmq6b.com").hostname`)).toBe("xn--nxasmq6b.com");
    expect(run(`new URL("http://\u00e9.com").hostname`)).toBe("xn--9ca.com");
    expect(run(`new URL("blob:https://a.com/x").origin`)).toBe("https://a.com");
    expect(run(`new URL("data:text/plain,hi").origin`)).toBe("null");
    expect(run(`new URL("http://h/\\uD800").pathname`)).toBe("/%EF%BF%BD");
  });
  test("invalid input throws TypeError naming the input; canParse / parse", () => {
    expect(errName(`new URL("nope")`)).toBe('TypeError: URL constructor: invalid URL "nope"');
    expect(errName(`new URL("/x", "also bad")`)).toMatch(/^TypeError: .*with base "also bad"/);
    expect(errName(`new URL()`)).toMatch(/^TypeError: URL constructor: 1 argument required/);
    expect(
      run(
        `[URL.canParse("http://a"), URL.canParse("x"), URL.canParse("/p", "http://a"), URL.parse("x"), URL.parse("/p", "http://a").href]`,
      ),
    ).toEqual([true, false, true, null, "http://a/p"]);
  });
  test("setters follow the spec (host does the work)", () => {
    expect(
      run(`const u = new URL("http://a.com/p?x=1#f");
      u.protocol = "https"; u.hostname = "b.com"; u.port = "8443"; u.pathname = "q r"; u.hash = ""; u.username = "me";
      const a = u.href; u.port = "443"; u.protocol = "ftp:bogus"; u.search = "?a b"; u.host = "c.com:99";
      [a, u.href]`),
    ).toEqual(["https://me@b.com:8443/q%20r?x=1", "ftp://me@c.com:99/q%20r?a%20b"]);
    expect(errName(`new URL("http://a").href = "bad"`)).toMatch(/^TypeError: URL.prototype.href setter: invalid URL/);
    expect(
      run(
        `const u = new URL("http://a/"); u.href = "https://z/y"; [u.host, u.pathname, JSON.stringify({ u }), String(u)]`,
      ),
    ).toEqual(["z", "/y", '{"u":"https://z/y"}', "https://z/y"]);
  });
  test("searchParams is live in both directions", () => {
    expect(
      run(`const u = new URL("http://a/?a=1&b=2"); const p = u.searchParams;
      p.append("c", "x y"); const h1 = u.href; u.search = "?z=9"; const g = p.get("z"); p.delete("z"); const h2 = u.href;
      u.href = "http://b/?k=v"; [h1, g, h2, p.get("k"), u.searchParams === p]`),
    ).toEqual(["http://a/?a=1&b=2&c=x+y", "9", "http://a/", "v", true]);
  });
  test("illegal invocation", () => {
    expect(errName(`Object.getOwnPropertyDescriptor(URL.prototype, "href").get.call({})`)).toMatch(
      /illegal invocation/,
    );
  });
});

describe("URLSearchParams", () => {
  test("constructors: string, pairs, record, other params", () => {
    expect(run(`new URLSearchParams("?a=1&a=2&b=%20+&=e&f").toString()`)).toBe("a=1&a=2&b=++&=e&f=");
    expect(run(`[...new URLSearchParams([["x", "1"], ["y", 2]])]`)).toEqual([
      ["x", "1"],
      ["y", "2"],
    ]);
    expect(run(`new URLSearchParams({ a: "1", b: "\u00e9" }).toString()`)).toBe("a=1&b=%C3%A9");
    expect(
      run(
        `const p = new URLSearchParams("q=1"); const c = new URLSearchParams(p); c.append("r", "2"); [p.toString(), c.toString()]`,
      ),
    ).toEqual(["q=1", "q=1&r=2"]);
    expect(errName(`new URLSearchParams([["a"]])`)).toMatch(/exactly 2 items, got 1/);
  });
  test("methods", () => {
    expect(
      run(`const p = new URLSearchParams("b=2&a=1&b=3&c=4");
      const r = [p.get("b"), p.getAll("b"), p.get("zz"), p.has("a"), p.has("b", "3"), p.has("b", "9"), p.size];
      p.set("b", "x"); r.push(p.toString()); p.delete("c", "nope"); p.delete("c"); r.push(p.toString());
      p.append("a", "0"); p.sort(); r.push(p.toString());
      const seen = []; p.forEach((v, k) => seen.push(k + v)); r.push(seen, [...p.keys()], [...p.values()]);
      r`),
    ).toEqual([
      "2",
      ["2", "3"],
      null,
      true,
      true,
      false,
      4,
      "b=x&a=1&c=4",
      "b=x&a=1",
      "a=1&a=0&b=x",
      ["a1", "a0", "bx"],
      ["a", "a", "b"],
      ["1", "0", "x"],
    ]);
    expect(run(`Object.prototype.toString.call(new URLSearchParams().entries())`)).toBe(
      "[object URLSearchParams Iterator]",
    );
    expect(errName(`new URLSearchParams().append("a")`)).toMatch(/2 arguments required/);
  });
});
