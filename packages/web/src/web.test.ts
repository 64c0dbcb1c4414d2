import { defineExtension, JsRuntime } from "@islet/core";
import { describe, expect, test } from "vitest";
import { web } from "./index.ts";
import { sharedWebRuntime } from "./test/shared_runtime.ts";

const { runtime, run, thrown } = sharedWebRuntime();
function errName(src: string): string {
  return thrown(src)?.name ?? "no throw";
}
async function loop(src: string): Promise<unknown> {
  run(`globalThis.__out = undefined; ${src}\n0;`);
  await runtime().runEventLoop();
  return run("globalThis.__out");
}

describe("DOMException", () => {
  test("names, codes, legacy constants", () => {
    expect(
      run(
        `const e = new DOMException("m", "AbortError"); [e.name, e.message, e.code, e instanceof Error, DOMException.ABORT_ERR, e.DATA_CLONE_ERR, Object.prototype.toString.call(e)]`,
      ),
    ).toEqual(["AbortError", "m", 20, true, 20, 25, "[object DOMException]"]);
    expect(run(`const d = new DOMException(); [d.name, d.message, d.code]`)).toEqual(["Error", "", 0]);
    expect(run(`new DOMException("x", { name: "DataCloneError", cause: 1 }).cause`)).toBe(1);
    expect(run(`String(new DOMException("bad", "SyntaxError"))`)).toBe("SyntaxError: bad");
    expect(() => run(`Object.getOwnPropertyDescriptor(DOMException.prototype, "code").get.call({})`)).toThrow(
      /illegal invocation/,
    );
  });
});

describe("DOMException as WebIDL defines it", () => {
  test("the class does not inherit from Error, its prototype does; instances are real errors", () => {
    expect(
      run(`const e = new DOMException("m", "SyntaxError");
      [Object.getPrototypeOf(DOMException) === Function.prototype, Object.getPrototypeOf(DOMException.prototype) === Error.prototype,
       e instanceof Error, typeof e.stack, Object.prototype.toString.call(e), e.toString(), DOMException.prototype.hasOwnProperty("toString")]`),
    ).toEqual([true, true, true, "string", "[object DOMException]", "SyntaxError: m", false]);
    expect(errName(`DOMException()`)).toBe("TypeError");
    expect(errName(`DOMException.prototype.toString()`)).toBe("TypeError");
  });
  test("name, message, code and cause are enumerable prototype accessors with brand checks", () => {
    expect(
      run(`const e = new DOMException("m", { name: "AbortError", cause: 1 });
      ["name", "message", "code", "cause"].map((k) => {
        const d = Object.getOwnPropertyDescriptor(DOMException.prototype, k);
        let branded = false; try { d.get.call({}); } catch (x) { branded = x instanceof TypeError; }
        return [k, e.hasOwnProperty(k), typeof d.get, d.set, d.enumerable, d.configurable, branded];
      })`),
    ).toEqual([
      ["name", false, "function", undefined, true, true, true],
      ["message", false, "function", undefined, true, true, true],
      ["code", false, "function", undefined, true, true, true],
      ["cause", false, "function", undefined, true, true, true],
    ]);
  });
  test("options: a string name, a dictionary (cause before name), null and undefined", () => {
    expect(
      run(`const order = [];
      const dict = { get cause() { order.push("cause"); return "c"; }, get name() { order.push("name"); return "NotSupportedError"; } };
      const a = new DOMException("x", dict), b = new DOMException("x", null), c = new DOMException(null), d = new DOMException("x", {});
      const shadow = new DOMException("m", "InvalidCharacterError"); Object.defineProperty(shadow, "name", { value: "WrongDocumentError" });
      [order, a.name, a.code, a.cause, b.name, c.message, d.name, d.cause, new DOMException("m", "InUseAttributeError").code, shadow.code]`),
    ).toEqual([["cause", "name"], "NotSupportedError", 9, "c", "Error", "null", "Error", undefined, 10, 5]);
  });
  test("a subclass constructs instances of itself", () => {
    expect(
      run(`class E extends DOMException { constructor() { super("sub", "DataCloneError"); } }
      const e = new E(); [e instanceof E, e instanceof DOMException, e.name, e.code]`),
    ).toEqual([true, true, "DataCloneError", 25]);
  });
});

describe("WebIDL interfaces", () => {
  test("every attribute and operation of every interface is an enumerable, configurable property", () => {
    // WebIDL §3.7.5-3.7.6; class syntax alone makes methods and accessors non-enumerable.
    expect(
      run(`const bad = [];
      for (const name of ["Event", "EventTarget", "CustomEvent", "AbortController", "AbortSignal", "TextEncoder", "TextDecoder",
        "Blob", "File", "ReadableStream", "ReadableStreamDefaultReader", "URL", "URLSearchParams", "Headers", "Request", "Response",
        "Crypto", "Performance", "DOMException"]) {
        const C = globalThis[name];
        for (const target of [C.prototype, C]) {
          for (const key of Object.getOwnPropertyNames(target)) {
            if (["constructor", "prototype", "length", "name"].includes(key) && (target === C || key === "constructor")) continue;
            const d = Object.getOwnPropertyDescriptor(target, key);
            if (("value" in d && typeof d.value !== "function") || (d.enumerable && d.configurable)) continue;
            bad.push(name + (target === C ? "." : ".prototype.") + key);
          }
        }
      }
      bad`),
    ).toEqual([]);
  });
});

describe("timers", () => {
  test("order, arguments, ids, clearing", async () => {
    expect(
      await loop(`
      const log = [];
      const a = setTimeout((x, y) => log.push("a" + x + y), 60, 1, 2);
      setTimeout(() => log.push("b"), 0);
      const c = setTimeout(() => log.push("never"), 5);
      clearTimeout(c); clearTimeout(999999); clearTimeout("nope"); clearInterval(undefined);
      queueMicrotask(() => log.push("micro"));
      log.push(a > 0 && c > a);
      let n = 0;
      const iv = setInterval(() => { log.push("i" + ++n); if (n === 3) clearInterval(iv); }, 1);
      // (Waits for the third tick: on a loaded machine a stall can put it after 100 ms.)
      const done = () => { if (n < 3) return setTimeout(done, 10); __out = [log.filter((x) => !String(x).startsWith("i")), log.filter((x) => String(x).startsWith("i"))]; };
      setTimeout(done, 100);
    `),
    ).toEqual([
      [true, "micro", "b", "a12"],
      ["i1", "i2", "i3"],
    ]);
  });
  test("negative and NaN timeouts run as 0; string handlers are evaluated", async () => {
    expect(
      await loop(
        `const l = []; setTimeout(() => l.push(1), -5); setTimeout(() => l.push(2), NaN); setTimeout("globalThis.__s = 3", 0); setTimeout(() => { __out = [...l, __s]; }, 1);`,
      ),
    ).toEqual([1, 2, 3]);
  });
  test("nesting deeper than 5 clamps to 4 ms", async () => {
    const elapsed = (await loop(`
      let depth = 0; const t0 = Date.now();
      function step() { if (++depth < 15) setTimeout(step, 0); else __out = Date.now() - t0; }
      setTimeout(step, 0);`)) as number;
    expect(elapsed).toBeGreaterThanOrEqual(9 * 4 - 2);
  });
  test("a queueMicrotask callback that throws is reported as an 'error' event, not a rejection", async () => {
    expect(
      await loop(`const seen = [];
      const onError = (e) => { seen.push("error: " + e.message); e.preventDefault(); };
      const onRejection = (e) => { seen.push("unhandledrejection"); e.preventDefault(); };
      addEventListener("error", onError); addEventListener("unhandledrejection", onRejection);
      queueMicrotask(() => { throw new RangeError("from a microtask"); });
      queueMicrotask(() => seen.push("next microtask runs"));
      setTimeout(() => { removeEventListener("error", onError); removeEventListener("unhandledrejection", onRejection); __out = seen; }, 0);`),
    ).toEqual(["error: Uncaught RangeError: from a microtask", "next microtask runs"]);
  });
  test("an unhandled exception from a queueMicrotask callback fails the run with that exception", async () => {
    const rt = await JsRuntime.create({ extensions: web() });
    try {
      rt.executeScript("t.js", `queueMicrotask(() => { throw new TypeError("microtask boom"); }); 0`);
      await expect(rt.runEventLoop()).rejects.toThrow(/microtask boom/);
    } finally {
      rt.dispose();
    }
  });
  test("queueMicrotask rejects non-callables", () => {
    expect(errName("queueMicrotask(1)")).toBe("TypeError");
  });
});

describe("events", () => {
  test("dispatch, capture order, once, handleEvent, stopImmediatePropagation, preventDefault", () => {
    expect(
      run(`
      const t = new EventTarget(); const log = [];
      t.addEventListener("x", () => log.push("bubble"));
      t.addEventListener("x", () => log.push("capture"), true);
      t.addEventListener("x", { handleEvent(e) { log.push("obj:" + (this !== t) + ":" + (e.currentTarget === t)); } });
      const once = () => log.push("once");
      t.addEventListener("x", once, { once: true }); t.addEventListener("x", once, { once: true });
      t.addEventListener("x", (e) => e.preventDefault());
      const e = new Event("x", { cancelable: true });
      const r = t.dispatchEvent(e);
      t.dispatchEvent(new Event("x"));
      [log, r, e.defaultPrevented, e.target === t, e.eventPhase, e.currentTarget]`),
    ).toEqual([
      ["capture", "bubble", "obj:true:true", "once", "capture", "bubble", "obj:true:true"],
      false,
      true,
      true,
      0,
      null,
    ]);
    expect(
      run(`const t = new EventTarget(); const l = [];
      t.addEventListener("y", (e) => { l.push(1); e.stopImmediatePropagation(); }); t.addEventListener("y", () => l.push(2));
      t.dispatchEvent(new Event("y")); l`),
    ).toEqual([1]);
  });
  test("passive listeners cannot cancel; non-cancelable events stay uncanceled", () => {
    expect(
      run(
        `const t = new EventTarget(); t.addEventListener("p", e => e.preventDefault(), { passive: true }); const e = new Event("p", { cancelable: true }); [t.dispatchEvent(e), new Event("q").cancelable]`,
      ),
    ).toEqual([true, false]);
  });
  test("bad calls", () => {
    expect(() => run("new Event()")).toThrow(/1 argument required/);
    expect(() => run("new EventTarget().dispatchEvent({})")).toThrow(/not an Event/);
    expect(errName("new EventTarget().addEventListener('x', 5)")).toBe("TypeError");
    expect(
      run(
        `let err; const t = new EventTarget(); t.addEventListener("a", (e) => { try { t.dispatchEvent(e) } catch (x) { err = x.name } }); t.dispatchEvent(new Event("a")); err`,
      ),
    ).toBe("InvalidStateError");
  });
  test("CustomEvent, ErrorEvent, PromiseRejectionEvent", () => {
    expect(
      run(
        `[new CustomEvent("c", { detail: 5 }).detail, new CustomEvent("c").detail, new ErrorEvent("error", { message: "m", lineno: 3 }).lineno, new CustomEvent("c") instanceof Event]`,
      ),
    ).toEqual([5, null, 3, true]);
    expect(
      run(
        `const p = Promise.resolve(); new PromiseRejectionEvent("unhandledrejection", { promise: p, reason: 1 }).promise === p`,
      ),
    ).toBe(true);
    expect(() => run(`new PromiseRejectionEvent("x", {})`)).toThrow(/promise is required/);
  });
  test("an uncaught error reaches the global 'error' event; preventDefault handles it", async () => {
    expect(
      await loop(`
      addEventListener("error", function h(e) { e.preventDefault(); __out = [e.message, e.error.message, e instanceof ErrorEvent]; removeEventListener("error", h); });
      setTimeout(() => { throw new TypeError("boom"); }, 0);`),
    ).toEqual(["Uncaught TypeError: boom", "boom", true]);
    run(`setTimeout(() => { throw new Error("unhandled") }, 0)`);
    await expect(runtime().runEventLoop()).rejects.toThrow(/unhandled/);
  });
  test("a throwing listener is reported, and the rest still run", async () => {
    expect(
      await loop(`const l = []; addEventListener("error", function h(e) { e.preventDefault(); l.push(e.error.message); removeEventListener("error", h); });
      const t = new EventTarget(); t.addEventListener("z", () => { throw new Error("first") }); t.addEventListener("z", () => l.push("second"));
      t.dispatchEvent(new Event("z")); __out = l;`),
    ).toEqual(["first", "second"]);
  });
  test("an unhandled rejection reaches 'unhandledrejection'; preventDefault handles it", async () => {
    expect(
      await loop(`
      addEventListener("unhandledrejection", function h(e) {
        e.preventDefault(); removeEventListener("unhandledrejection", h);
        __out = [e instanceof PromiseRejectionEvent, e.type, e.cancelable, e.reason.message, e.promise instanceof Promise];
      });
      Promise.reject(new RangeError("nobody catches me"));`),
    ).toEqual([true, "unhandledrejection", true, "nobody catches me", true]);
    // A rejection handled before the microtask queue drains never reaches the event.
    expect(
      await loop(`let seen = 0; const h = () => { seen++; }; addEventListener("unhandledrejection", h);
      const p = Promise.reject(new Error("late")); queueMicrotask(() => p.catch(() => {}));
      setTimeout(() => { removeEventListener("unhandledrejection", h); __out = seen; }, 1);`),
    ).toBe(0);
  });
  test("an unhandled rejection with no handler fails the run", async () => {
    const fresh = await JsRuntime.create({ extensions: web() });
    try {
      if (!fresh.tracksUnhandledRejections) return;
      let seen = false;
      fresh.executeScript(
        "a.js",
        `addEventListener("unhandledrejection", () => { globalThis.seen = true; }); Promise.reject(new TypeError("lost")); 0`,
      );
      await expect(fresh.runEventLoop()).rejects.toThrow(/Uncaught \(in promise\) lost/);
      seen = fresh.executeScript("b.js", "globalThis.seen") === true;
      expect(seen).toBe(true);
    } finally {
      fresh.dispose();
    }
  });
  test("onunhandledrejection and onerror attributes", async () => {
    const fresh = await JsRuntime.create({ extensions: web() });
    try {
      fresh.executeScript(
        "a.js",
        `globalThis.log = [];
        onunhandledrejection = (e) => { log.push("attr:" + e.reason); return false; };
        addEventListener("unhandledrejection", (e) => log.push("listener:" + e.defaultPrevented));
        onerror = (message, filename, lineno, colno, error) => { log.push("onerror:" + message + ":" + (error instanceof Error)); return true; };
        Promise.reject("r1");
        setTimeout(() => { throw new Error("e1"); }, 0);
        log.push(typeof onunhandledrejection, Object.getOwnPropertyDescriptor(globalThis, "onerror").enumerable);
        onerror = 5; log.push(onerror);
        onerror = (message) => { log.push("onerror2:" + message); return true; }; 0`,
      );
      await fresh.runEventLoop();
      // The timer and the rejection check are separate loop phases: compare without their order.
      expect(fresh.executeScript("b.js", "[log.slice(0, 3), log.slice(3).sort()]")).toEqual([
        ["function", true, null],
        ["attr:r1", "listener:true", "onerror2:Uncaught Error: e1"],
      ]);
      // null deactivates: the rejection is no longer handled.
      fresh.executeScript("c.js", `onunhandledrejection = null; Promise.reject(new Error("r2")); 0`);
      if (fresh.tracksUnhandledRejections) await expect(fresh.runEventLoop()).rejects.toThrow(/r2/);
    } finally {
      fresh.dispose();
    }
  });
  test("globalThis is an EventTarget", () => {
    expect(
      run(
        `let hit = 0; addEventListener("ping", () => hit++); dispatchEvent(new Event("ping")); globalThis.dispatchEvent(new Event("ping")); [hit, self === globalThis]`,
      ),
    ).toEqual([2, true]);
  });
});

describe("abort", () => {
  test("abort(reason), default AbortError, events, throwIfAborted", () => {
    expect(
      run(`const c = new AbortController(); const l = []; c.signal.onabort = (e) => l.push(e.type); c.signal.addEventListener("abort", () => l.push("listener"));
      c.abort("why"); c.abort("again"); let thrown; try { c.signal.throwIfAborted() } catch (e) { thrown = e }
      const d = new AbortController(); d.abort();
      [l, c.signal.aborted, c.signal.reason, thrown, d.signal.reason.name, d.signal.reason instanceof DOMException, AbortSignal.abort().aborted]`),
    ).toEqual([["abort", "listener"], true, "why", "why", "AbortError", true, true]);
    expect(() => run("new AbortSignal()")).toThrow(/illegal constructor/);
  });
  test("any() follows its sources, and the signal option removes listeners", () => {
    expect(
      run(`const a = new AbortController(), b = new AbortController(); const any = AbortSignal.any([a.signal, b.signal]); const any2 = AbortSignal.any([any]);
      const t = new EventTarget(); let n = 0; const ac = new AbortController(); t.addEventListener("e", () => n++, { signal: ac.signal });
      t.dispatchEvent(new Event("e")); ac.abort(); t.dispatchEvent(new Event("e"));
      b.abort("B"); a.abort("A"); [any.aborted, any.reason, any2.reason, n, AbortSignal.any([AbortSignal.abort(7)]).reason]`),
    ).toEqual([true, "B", "B", 1, 7]);
    expect(errName("AbortSignal.any([{}])")).toBe("TypeError");
  });
  test("timeout() aborts with TimeoutError", async () => {
    expect(
      await loop(
        `const s = AbortSignal.timeout(5); s.onabort = () => { __out = [s.reason.name, s.reason.code] }; setTimeout(() => {}, 20);`,
      ),
    ).toEqual(["TimeoutError", 23]);
    expect(errName("AbortSignal.timeout(-1)")).toBe("TypeError");
  });
});

describe("encoding", () => {
  test("TextEncoder", () => {
    expect(run(`Array.from(new TextEncoder().encode("h\u00e9\\uD800"))`)).toEqual([104, 195, 169, 239, 191, 189]);
    expect(
      run(
        `const u = new Uint8Array(4); const r = new TextEncoder().encodeInto("a\u00e9\u20ac", u); [r.read, r.written, Array.from(u)]`,
      ),
    ).toEqual([2, 3, [97, 195, 169, 0]]);
    expect(() => run(`new TextEncoder().encodeInto("a", [])`)).toThrow(/Uint8Array/);
    expect(run(`new TextEncoder().encoding`)).toBe("utf-8");
  });
  test("TextDecoder: labels, BOM, fatal, utf-16le, latin1", () => {
    expect(
      run(
        `[new TextDecoder().encoding, new TextDecoder(" UTF8 ").encoding, new TextDecoder("latin1").encoding, new TextDecoder("utf-16").encoding]`,
      ),
    ).toEqual(["utf-8", "utf-8", "windows-1252", "utf-16le"]);
    expect(errName(`new TextDecoder("nope")`)).toBe("RangeError");
    expect(run(`new TextDecoder().decode(new Uint8Array([0xEF,0xBB,0xBF,0x41]))`)).toBe("A");
    expect(run(`new TextDecoder("utf-8", { ignoreBOM: true }).decode(new Uint8Array([0xEF,0xBB,0xBF,0x41]))`)).toBe(
      "\uFEFFA",
    );
    expect(run(`new TextDecoder().decode(new Uint8Array([0xff, 0x41]))`)).toBe("\uFFFDA");
    expect(errName(`new TextDecoder("utf-8", { fatal: true }).decode(new Uint8Array([0xff]))`)).toBe("TypeError");
    expect(run(`new TextDecoder("utf-16le").decode(new Uint16Array([0x68, 0x20AC]))`)).toBe("h\u20ac");
    expect(run(`new TextDecoder("windows-1252").decode(new Uint8Array([0x80, 0xe9]))`)).toBe("\u20ac\u00e9");
    expect(run(`new TextDecoder().decode(new DataView(new Uint8Array([0, 0x41, 0x42]).buffer, 1))`)).toBe("AB");
    expect(run(`new TextDecoder().decode()`)).toBe("");
    expect(() => run(`new TextDecoder().decode("str")`)).toThrow(/ArrayBuffer/);
  });
  test("only invalid data is reported as invalid data; other errors keep their message", async () => {
    // An extension reaches the decode ops with arguments the TextDecoder class never sends.
    const probe = defineExtension({
      name: "decode_probe",
      deps: ["islet_web"],
      esm: {
        "ext:decode_probe/probe.js": `import { op_encoding_decode, op_encoding_decoder_new, op_encoding_decode_stream } from "ext:core/ops";
          globalThis.__decode = (bytes, fatal) => op_encoding_decode(bytes, "utf-8", fatal, false);
          globalThis.__decodeStream = (bytes, fatal) => op_encoding_decode_stream(op_encoding_decoder_new("utf-8", fatal, false), bytes, false);`,
      },
      esmEntryPoints: ["ext:decode_probe/probe.js"],
    });
    const rt = await JsRuntime.create({ extensions: [...web(), probe] });
    try {
      const message = (src: string) =>
        rt.executeScript("t.js", `try { ${src}; "no throw" } catch (e) { e.name + ": " + e.message }`);
      expect(message(`__decode("not bytes", true)`)).toBe(
        "TypeError: TextDecoder.prototype.decode: expected bytes, got string",
      );
      expect(message(`__decode("not bytes", false)`)).toBe(
        "TypeError: TextDecoder.prototype.decode: expected bytes, got string",
      );
      expect(message(`__decodeStream(42, true)`)).toBe(
        "TypeError: TextDecoder.prototype.decode: expected bytes, got number",
      );
      expect(message(`__decode(new Uint8Array([0xff]), true)`)).toBe(
        "TypeError: TextDecoder.prototype.decode: the utf-8 data is invalid",
      );
      expect(message(`__decodeStream(new Uint8Array([0xff]), true)`)).toBe(
        "TypeError: TextDecoder.prototype.decode: the utf-8 data is invalid",
      );
      expect(message(`new TextDecoder("utf-8", { fatal: true }).decode(new Uint8Array([0xc3]))`)).toBe(
        "TypeError: TextDecoder.prototype.decode: the utf-8 data is invalid",
      );
    } finally {
      rt.dispose();
    }
  });
  test("stream: split sequences join, and the host decoder resource is closed at the end", () => {
    expect(
      run(
        `const d = new TextDecoder(); const s = d.decode(new Uint8Array([0xE2, 0x82]), { stream: true }) + d.decode(new Uint8Array([0xAC]), { stream: true }) + d.decode(); [s, Deno = 0]`,
      ),
    ).toEqual(["\u20ac", 0]);
    expect(
      run(`const d = new TextDecoder(); d.decode(new Uint8Array([0xE2]), { stream: true }) + "|" + d.decode()`),
    ).toBe("|\uFFFD");
    expect(runtime().resources()).toEqual([]);
  });
});

describe("atob/btoa", () => {
  test("round trip and forgiving decode", () => {
    expect(
      run(
        `[btoa(""), btoa("f"), btoa("fo"), btoa("foo"), btoa("\\xff\\xfe"), atob("Zm9v"), atob(" Zm 9v\\n"), atob("Zg"), atob("Zg=="), atob(undefined === 1 ? "" : "YQ")]`,
      ),
    ).toEqual(["", "Zg==", "Zm8=", "Zm9v", "//4=", "foo", "foo", "f", "f", "a"]);
    for (const bad of [`"Zg="`, `"Z"`, `"Zm9v*"`, `"Zg==="`, `"\\u0100"`]) {
      expect(run(`try { atob(${bad}); "no" } catch (e) { e.name + (e instanceof DOMException) }`)).toBe(
        "InvalidCharacterErrortrue",
      );
    }
    expect(run(`try { btoa("\\u20ac") } catch (e) { e.name }`)).toBe("InvalidCharacterError");
    expect(errName("atob()")).toBe("TypeError");
  });
});

describe("structuredClone", () => {
  test("clones data, keeps cycles and shared references", () => {
    expect(
      run(`const o = { d: new Date(5), r: /a/gi, m: new Map([[1, { x: 1 }]]), s: new Set([1]), u: new Uint16Array([1, 2]), n: [1, , 3], big: 10n, e: new RangeError("r") };
      o.self = o; o.again = o.m;
      const c = structuredClone(o);
      [c !== o, c.self === c, c.again === c.m, c.d.getTime(), c.r.flags, c.m.get(1).x, c.s.has(1), c.u instanceof Uint16Array, Array.from(c.u), 1 in c.n, c.big, c.e instanceof RangeError, c.e.message]`),
    ).toEqual([true, true, true, 5, "gi", 1, true, true, [1, 2], false, 10n, true, "r"]);
  });
  test("DataCloneError for functions, symbols, platform objects", () => {
    for (const v of ["() => 1", "Symbol()", "{ f() {} }", "new WeakMap()", "new Event('x')", "Promise.resolve()"]) {
      expect(run(`try { structuredClone(${v}); "cloned" } catch (e) { e.name + ":" + e.code }`)).toBe(
        "DataCloneError:25",
      );
    }
    expect(errName("structuredClone()")).toBe("TypeError");
  });
  test("types are told by internal slot, whatever Symbol.toStringTag says", () => {
    expect(
      run(`const fake = { [Symbol.toStringTag]: "Date", x: 1 };
      const d = new Date(7); Object.defineProperty(d, Symbol.toStringTag, { value: "Object" });
      const m = new Map([[1, 2]]); Object.defineProperty(m, Symbol.toStringTag, { value: "Set" });
      const c = structuredClone({ fake, d, m });
      [c.fake instanceof Date, c.fake.x, c.d instanceof Date, c.d.getTime(), c.m instanceof Map, c.m.get(1)]`),
    ).toEqual([false, 1, true, 7, true, 2]);
  });
  test("transfer: the buffer moves (views follow it) and the original is detached", () => {
    expect(
      run(`const ab = new Uint8Array([1, 2, 3]).buffer; const v = new Uint8Array(ab, 1);
      const c = structuredClone({ ab, v }, { transfer: [ab] });
      [ab.byteLength, ab.detached, c.ab.byteLength, c.v.buffer === c.ab, Array.from(c.v)]`),
    ).toEqual([0, true, 3, true, [2, 3]]);
  });
  test("transfer: a bad list is a DataCloneError, and a failed clone detaches nothing", () => {
    expect(
      run(`const ab = new ArrayBuffer(2); const out = [];
      for (const [value, transfer] of [[ab, [ab, ab]], [[ab, () => 1], [ab]], [1, [{}]], [1, [new SharedArrayBuffer(1)]]]) {
        try { structuredClone(value, { transfer }); out.push("cloned"); } catch (e) { out.push(e.name); }
      }
      out.push(ab.byteLength);
      structuredClone(ab, { transfer: [ab] });
      try { structuredClone(ab, { transfer: [ab] }); } catch (e) { out.push("detached: " + e.name); }
      out`),
    ).toEqual(["DataCloneError", "DataCloneError", "DataCloneError", "DataCloneError", 2, "detached: DataCloneError"]);
    expect(errName("structuredClone(1, { transfer: 5 })")).toBe("TypeError");
    expect(errName("structuredClone(1, 5)")).toBe("TypeError");
  });
});

describe("performance", () => {
  test("now, timeOrigin, mark, measure", () => {
    expect(
      run(
        `const a = performance.now(); const b = performance.now(); [a >= 0, b >= a, Math.abs(performance.timeOrigin + a - Date.now()) < 1000]`,
      ),
    ).toEqual([true, true, true]);
    expect(
      run(`performance.mark("s", { detail: { k: 1 } }); performance.mark("e"); const m = performance.measure("m", "s", "e");
      [m.entryType, m.duration >= 0, performance.getEntriesByType("mark").length, performance.getEntriesByName("s")[0].detail.k, performance.measure("m2", { start: 10, duration: 5 }).duration]`),
    ).toEqual(["measure", true, 2, 1, 5]);
    expect(run(`try { performance.measure("x", "missing") } catch (e) { e.name }`)).toBe("SyntaxError");
    expect(run(`performance.clearMarks(); performance.getEntriesByType("mark").length`)).toBe(0);
  });
});

describe("primordials", () => {
  test("user code replacing builtins does not break the platform", async () => {
    expect(
      await loop(`const push = Array.prototype.push; const get = Map.prototype.get;
      Array.prototype.push = () => { throw new Error("hijacked") }; Map.prototype.get = () => { throw new Error("hijacked") };
      const t = new EventTarget(); let n = 0; t.addEventListener("x", () => n++); t.dispatchEvent(new Event("x"));
      setTimeout(() => { Array.prototype.push = push; Map.prototype.get = get; __out = [n, atob(btoa("ok")), structuredClone(new Map([[1, 2]])).size]; }, 0);`),
    ).toEqual([1, "ok", 1]);
  });
});

test("web() names a bad option instead of failing later", () => {
  expect(() => web(null as never)).toThrow(/web\(options\): options must be an object/);
  expect(() => web({ consol: {} } as never)).toThrow(/unknown option "consol"/);
  expect(() => web({ console: 5 } as never)).toThrow(/web\(\{ console \}\): expected an object/);
});
