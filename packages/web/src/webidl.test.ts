/**
 * The WebIDL layer (js/00_webidl.ts) as Headers and URLSearchParams use it: records, sequences
 * through a replaced @@iterator, ByteString checks, and live pair iterators.
 */
import { describe, expect, test } from "vitest";
import { sharedWebRuntime } from "./test/shared_runtime.ts";

const { run } = sharedWebRuntime();

describe("record initialisers", () => {
  test("a key that converts to one already seen replaces its value where it stands", () => {
    // Both lone-surrogate keys become "\uFFFDx" as USVStrings; the later value wins, in the first place.
    expect(run(`new URLSearchParams({ "\\uD835x": "1", "\\uD835y": "2", a: "3", "\\uFFFDx": "4" }).toString()`)).toBe(
      "%EF%BF%BDx=4&%EF%BF%BDy=2&a=3",
    );
  });
  test("a symbol key is a TypeError; non-enumerable keys are skipped", () => {
    expect(run(`try { new URLSearchParams({ [Symbol("s")]: "x" }); "made" } catch (e) { e.name }`)).toBe("TypeError");
    expect(
      run(
        `const o = { a: "1" }; Object.defineProperty(o, "hidden", { value: "2" }); new URLSearchParams(o).toString()`,
      ),
    ).toBe("a=1");
  });
});

describe("sequence initialisers", () => {
  test("another URLSearchParams or Headers is read through its (possibly replaced) iterator", () => {
    expect(
      run(
        `const p = new URLSearchParams("a=1"); p[Symbol.iterator] = function* () { yield ["z", "9"]; }; new URLSearchParams(p).toString()`,
      ),
    ).toBe("z=9");
    expect(
      run(
        `const h = new Headers({ a: "1" }); h[Symbol.iterator] = function* () { yield ["z", "9"]; }; [...new Headers(h)]`,
      ),
    ).toEqual([["z", "9"]]);
  });
  test("each pair must have two items; header names and values must be ByteStrings", () => {
    expect(run(`try { new URLSearchParams([["a"]]); "made" } catch (e) { e.name }`)).toBe("TypeError");
    expect(run(`try { new Headers([["a", "1", "2"]]); "made" } catch (e) { e.name }`)).toBe("TypeError");
    expect(
      run(`try { new Headers({ a: "\\u0100" }); "made" } catch (e) { [e.name, /ByteString/.test(e.message)] }`),
    ).toEqual(["TypeError", true]);
  });
  test("a Request made from another copies its header list without iterating it", () => {
    expect(
      run(`const q = new Request("http://x/", { headers: { a: "1" } }); q.headers[Symbol.iterator] = () => { throw new Error("iterated"); };
      new Request(q).headers.get("a")`),
    ).toBe("1");
  });
});

describe("pair iterators are live", () => {
  test("Headers: entries appended after the iterator was made are seen, sorted and combined", () => {
    expect(
      run(`const h = new Headers([["b", "1"], ["a", "2"], ["b", "3"]]); const it = h.entries(); const first = it.next().value;
      h.append("c", "4"); [first, [...it], Object.prototype.toString.call(it), Object.getPrototypeOf(Object.getPrototypeOf(it)) === Object.getPrototypeOf(Object.getPrototypeOf([][Symbol.iterator]()))]`),
    ).toEqual([
      ["a", "2"],
      [
        ["b", "1, 3"],
        ["c", "4"],
      ],
      "[object Headers Iterator]",
      true,
    ]);
  });
  test("URLSearchParams: a deleted entry is not produced; forEach sees changes made by its callback", () => {
    expect(run(`const p = new URLSearchParams("a=1&b=2"); const it = p.keys(); p.delete("a"); [...it]`)).toEqual(["b"]);
    expect(
      run(
        `const p = new URLSearchParams("a=1"); const seen = []; p.forEach((v, k) => { seen.push(k); if (k === "a") p.append("b", "2"); }); seen`,
      ),
    ).toEqual(["a", "b"]);
    expect(run(`URLSearchParams.prototype[Symbol.iterator] === URLSearchParams.prototype.entries`)).toBe(true);
    expect(run(`try { URLSearchParams.prototype.keys.call({}); } catch (e) { e.name }`)).toBe("TypeError");
  });
});

describe("required arguments", () => {
  test("every API reports a missing argument with the one WebIDL message", () => {
    expect(
      run(`[() => new TextEncoder().encodeInto("a"), () => new ReadableStreamDefaultReader(), () => crypto.getRandomValues(),
        () => { const u = new URL("http://a/"); Object.getOwnPropertyDescriptor(URL.prototype, "hash").set.call(u); },
        () => new File([]), () => new Headers().append("a")].map((f) => { try { f(); return "no throw"; } catch (e) { return e.name + ": " + e.message; } })`),
    ).toEqual([
      "TypeError: TextEncoder.prototype.encodeInto: 2 arguments required, but only 1 present",
      "TypeError: ReadableStreamDefaultReader constructor: 1 argument required, but only 0 present",
      "TypeError: Crypto.prototype.getRandomValues: 1 argument required, but only 0 present",
      "TypeError: URL.prototype.hash setter: 1 argument required, but only 0 present",
      "TypeError: File constructor: 2 arguments required, but only 1 present",
      "TypeError: Headers.prototype.append: 2 arguments required, but only 1 present",
    ]);
  });
});
