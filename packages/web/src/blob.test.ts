/** Blob and File (File API §3-4): WebIDL argument conversion, options, slicing, and structuredClone. */
import { describe, expect, test } from "vitest";
import { sharedWebRuntime } from "./test/shared_runtime.ts";

const { run } = sharedWebRuntime();

describe("Blob constructor", () => {
  test("blobParts is a WebIDL sequence: any object with @@iterator, nothing else", () => {
    expect(
      run(
        `[null, true, 0, "text", new Date(), /x/, {}, { 0: "no", length: 1 }].map((a) => { try { new Blob(a); return "made"; } catch (e) { return e.name; } })`,
      ),
    ).toEqual(Array(8).fill("TypeError"));
    expect(
      run(`[new Blob({ [Symbol.iterator]: Array.prototype[Symbol.iterator], 0: "PASS", length: 1 }).size,
        new Blob(new String("xyz")).size, new Blob(new Uint8Array([1, 2, 3])).size,
        new Blob({ *[Symbol.iterator]() { yield "ab"; yield "cde"; } }).size]`),
    ).toEqual([4, 3, 3, 5]);
  });
  test("parts convert as they are iterated, and the options are read after them, endings before type", () => {
    expect(
      run(`const seen = [];
      const parts = { *[Symbol.iterator]() { seen.push("part 0"); yield { toString() { seen.push("toString 0"); return "a"; } }; seen.push("part 1"); } };
      new Blob(parts, { get type() { seen.push("type"); return "T"; }, get endings() { seen.push("endings"); return "native"; } });
      seen`),
    ).toEqual(["part 0", "toString 0", "part 1", "endings", "type"]);
    expect(
      run(
        `const seen = []; try { new Blob([{ toString() { throw new RangeError("first"); } }], { get type() { seen.push("type"); } }); } catch (e) { seen.push(e.message); } seen`,
      ),
    ).toEqual(["first"]);
  });
  test("options: null, regexps and functions mean the defaults; primitives are a TypeError; endings is an enum", () => {
    expect(
      run(
        `[null, undefined, {}, /re/, function () {}].map((o) => { const b = new Blob(["a\\r\\nb"], o); return b.size + b.type; })`,
      ),
    ).toEqual(["4", "4", "4", "4", "4"]);
    expect(
      run(`[123, true, "abc"].map((o) => { try { new Blob([], o); return "made"; } catch (e) { return e.name; } })`),
    ).toEqual(["TypeError", "TypeError", "TypeError"]);
    expect(
      run(`try { new Blob([], { endings: "crlf" }); } catch (e) { [e.name, /transparent, native/.test(e.message)] }`),
    ).toEqual(["TypeError", true]);
    expect(run(`new Blob(["a\\r\\nb\\rc\\n"], { endings: "native" }).size`)).toBe(6);
  });
  test("type: printable ASCII is lowercased, anything else makes it empty", () => {
    expect(
      run(
        `["TEXT/HTML", " image/gif ", "\\u00e5", "\\timage/gif", "image/gif\\u0000", "\\u0130mage/gif"].map((type) => new Blob([], { type }).type)`,
      ),
    ).toEqual(["text/html", " image/gif ", "", "", "", ""]);
  });
  test("buffers and views are copied at construction; a shared buffer is refused", () => {
    expect(
      run(
        `const u = new Uint8Array([0, 4, 0, 255]); const b = new Blob([new Uint16Array(u.buffer, 2), u.buffer]); u[0] = 9; b.size`,
      ),
    ).toBe(6);
    expect(run(`try { new Blob([new Uint8Array(new SharedArrayBuffer(2))]); "made" } catch (e) { e.name }`)).toBe(
      "TypeError",
    );
  });
});

describe("Blob.prototype.slice", () => {
  test("[Clamp] long long start and end round half to even; negatives count from the end; the type is normalized", () => {
    expect(
      run(`const b = new Blob(["abcdef"]);
      [b.slice(1.5).size, b.slice(2.5).size, b.slice(-2).size, b.slice(-100, 2).size, b.slice(Infinity).size, b.slice(NaN, NaN).size,
       b.slice(4, 2).size, b.slice(0, 1, "X/Y").type, b.slice(0, 1, "\\u00e5").type, b.slice() instanceof Blob]`),
    ).toEqual([4, 4, 2, 2, 0, 0, 0, "x/y", "", true]);
  });
});

describe("File", () => {
  test("constructor: bits, name as a USVString, type and lastModified", () => {
    expect(
      run(`const f = new File(["ab", new Uint8Array([99])], "n\\uD800.txt", { type: "Text/Plain", lastModified: 42.9 });
      [f.name, f.size, f.type, f.lastModified, f.webkitRelativePath, f instanceof Blob, Object.prototype.toString.call(f),
       Object.getPrototypeOf(File) === Blob, File.length, f.slice(0, 1) instanceof File]`),
    ).toEqual(["n\uFFFD.txt", 3, "text/plain", 42, "", true, "[object File]", true, 2, false]);
    expect(
      run(`const before = Date.now(); const t = new File([], "x").lastModified; t >= before && t <= Date.now()`),
    ).toBe(true);
    expect(run(`try { new File(["x"]); } catch (e) { e.name + ": " + e.message }`)).toBe(
      "TypeError: File constructor: 2 arguments required, but only 1 present",
    );
    expect(run(`try { new File("abc", "x"); } catch (e) { e.name }`)).toBe("TypeError");
  });
  test("the File options dictionary reads endings, type, then lastModified", () => {
    expect(
      run(
        `const seen = []; new File([], "f", { get lastModified() { seen.push("lastModified"); }, get type() { seen.push("type"); }, get endings() { seen.push("endings"); } }); seen`,
      ),
    ).toEqual(["endings", "type", "lastModified"]);
  });
});

describe("Blob and File attributes are WebIDL attributes", () => {
  test("enumerable accessors on the prototype, branded", () => {
    expect(
      run(`[[Blob, "size"], [Blob, "type"], [File, "name"], [File, "lastModified"]].map(([C, k]) => {
        const d = Object.getOwnPropertyDescriptor(C.prototype, k); let branded = false; try { d.get.call({}); } catch (e) { branded = e instanceof TypeError; }
        return [d.enumerable, d.configurable, branded];
      })`),
    ).toEqual(Array(4).fill([true, true, true]));
    expect(run(`Object.getOwnPropertyDescriptor(Blob.prototype, "slice").enumerable`)).toBe(true);
  });
});

describe("structuredClone of Blob, File and DOMException", () => {
  test("copies keep their class, bytes and metadata", async () => {
    expect(
      run(`const f = structuredClone(new File(["xyz"], "a.txt", { type: "a/b", lastModified: 5 }));
      const b = structuredClone(new Blob(["q"]));
      const e = structuredClone(new DOMException("m", "DataCloneError"));
      [f instanceof File, f.name, f.lastModified, f.size, f.type, b instanceof Blob, b instanceof File, b.size,
       e instanceof DOMException, e.name, e.message, e.code]`),
    ).toEqual([true, "a.txt", 5, 3, "a/b", true, false, 1, true, "DataCloneError", "m", 25]);
  });
});
